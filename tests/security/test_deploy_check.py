"""`manage.py check --deploy` on the production settings: clean with DJANGO_HTTPS=true,
DEBUG off, a real secret key and the practice's host names."""

import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def deploy_check(tmp_path: Path, *tags: str, **overrides: str) -> subprocess.CompletedProcess:
    """`manage.py check --deploy`, all of it or only the checks of `tags` (the security
    checks alone skip drf-spectacular's, which builds the whole schema)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "gutbrain.settings",
        "DJANGO_HTTPS": "true",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ACCESS_LOG_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "praktijk.example.nl",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        **overrides,
    }
    return subprocess.run(
        [
            sys.executable,
            *("manage.py", "check", "--deploy", "--fail-level", "WARNING"),
            *(f"--tag={tag}" for tag in tags),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_reports_no_issues_with_https_on(tmp_path):
    result = deploy_check(tmp_path)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_fails_without_https(tmp_path):
    result = deploy_check(tmp_path, "security", DJANGO_HTTPS="false")

    assert result.returncode == 1
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE


def test_it_fails_with_debug_on(tmp_path):
    result = deploy_check(tmp_path, "security", DJANGO_DEBUG="true")

    assert result.returncode == 1
    assert "security.W018" in result.stderr
