"""The security settings read from the environment, with strict parsers: a malformed value
stops start-up with a message naming the variable."""

import json
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = (
    "import json; from gutbrain import settings as s; print(json.dumps({"
    "'session': s.SESSION_COOKIE_AGE, 'lockout': s.AXES_COOLOFF_TIME.total_seconds(), "
    "'rates': s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']}))"
)


def read_settings(**variables: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_the_defaults_suit_a_clinic():
    result = read_settings()

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "session": 30 * 60,
        "lockout": 30 * 60,
        "rates": {
            "burst": "120/minute",
            "sustained": "2000/hour",
            "anon": "30/minute",
            "token": "10/minute",
            "cds": "300/minute",
        },
    }


def test_each_can_be_set():
    result = read_settings(
        DJANGO_SESSION_MINUTES="15",
        DJANGO_LOCKOUT_MINUTES="60",
        DJANGO_API_RATE_BURST="60/minute",
        DJANGO_API_RATE_SUSTAINED="5000/day",
        DJANGO_API_RATE_ANON="10/minute",
        DJANGO_API_RATE_TOKEN="5/minute",
        DJANGO_API_RATE_CDS="1000/hour",
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "session": 15 * 60,
        "lockout": 60 * 60,
        "rates": {
            "burst": "60/minute",
            "sustained": "5000/day",
            "anon": "10/minute",
            "token": "5/minute",
            "cds": "1000/hour",
        },
    }


def test_a_malformed_duration_stops_start_up():
    result = read_settings(DJANGO_SESSION_MINUTES="half an hour")

    assert result.returncode == 1
    assert "DJANGO_SESSION_MINUTES must be a whole number above 0" in result.stderr


def test_a_zero_lockout_stops_start_up():
    result = read_settings(DJANGO_LOCKOUT_MINUTES="0")

    assert result.returncode == 1
    assert "DJANGO_LOCKOUT_MINUTES must be a whole number above 0" in result.stderr


def test_a_malformed_rate_stops_start_up():
    result = read_settings(DJANGO_API_RATE_TOKEN="10 per minute")

    assert result.returncode == 1
    assert "DJANGO_API_RATE_TOKEN must be a rate such as 30/minute" in result.stderr


def test_the_cds_hooks_fhir_timeout_is_a_whole_number_of_seconds():
    read = "from gutbrain import settings as s; print(s.CDS_FHIR_TIMEOUT, s.CDS_BASE_URL)"
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}

    def run(**variables: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-c", read],
            cwd=ROOT,
            env={**env, **variables},
            capture_output=True,
            text=True,
        )

    assert run().stdout.split() == ["5", "http://127.0.0.1:8000"]
    set_ = run(DJANGO_CDS_FHIR_TIMEOUT="2", DJANGO_CDS_BASE_URL="https://cds.example.nl/")
    assert set_.stdout.split() == ["2", "https://cds.example.nl"]
    wrong = run(DJANGO_CDS_FHIR_TIMEOUT="0.5")
    assert wrong.returncode == 1
    assert "DJANGO_CDS_FHIR_TIMEOUT must be a whole number above 0" in wrong.stderr
