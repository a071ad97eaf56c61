"""The settings of the login rate, the lockout and the API tokens, read from the environment
with strict parsers."""

import json
import secrets
import subprocess
import sys
from pathlib import Path

from django.core.checks import run_checks

ROOT = Path(__file__).resolve().parents[2]
READ = (
    "import json; from gutbrain import settings as s; print(json.dumps({"
    "'login_rate': s.LOGIN_RATE, 'ceiling': s.LOCKOUT_USERNAME_CEILING, "
    "'token_hours': s.REST_KNOX['TOKEN_TTL'].total_seconds() / 3600, "
    "'token_limit': s.REST_KNOX['TOKEN_LIMIT_PER_USER'], "
    "'lockout_parameters': s.AXES_LOCKOUT_PARAMETERS, "
    "'reset_cool_off': s.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT, "
    "'silenced': getattr(s, 'SILENCED_SYSTEM_CHECKS', [])}))"
)


def read_settings(**variables: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), **variables}
    return subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_the_defaults():
    result = read_settings()

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "login_rate": "20/minute",
        "ceiling": 100,
        "token_hours": 10,
        "token_limit": 10,
        "lockout_parameters": [["username", "ip_address"]],
        "reset_cool_off": False,
        "silenced": [],
    }


def test_each_can_be_set():
    result = read_settings(
        DJANGO_LOGIN_RATE="60/hour",
        DJANGO_LOCKOUT_USERNAME_CEILING="250",
        DJANGO_TOKEN_HOURS="2",
    )

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert (values["login_rate"], values["ceiling"], values["token_hours"]) == ("60/hour", 250, 2)


def test_malformed_values_stop_start_up():
    for name, bad, message in [
        ("DJANGO_LOGIN_RATE", "lots", "DJANGO_LOGIN_RATE must be a rate such as 30/minute"),
        ("DJANGO_LOCKOUT_USERNAME_CEILING", "0", "must be a whole number above 0"),
        ("DJANGO_TOKEN_HOURS", "ten", "DJANGO_TOKEN_HOURS must be a whole number above 0"),
    ]:
        result = read_settings(**{name: bad})

        assert result.returncode == 1, name
        assert message in result.stderr, name


def test_axes_has_nothing_to_warn_about():
    assert [message.id for message in run_checks() if message.id.startswith("axes.")] == []
