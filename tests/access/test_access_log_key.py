"""The access log's key (`DJANGO_ACCESS_LOG_KEY`, `gutbrain.settings._access_log_key`):
generated into var/ for local use, required with HTTPS, where several servers share it."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from gutbrain import settings as project_settings

SECRET_KEY = "s" * 50


@pytest.fixture
def var(monkeypatch, tmp_path):
    monkeypatch.setattr(project_settings, "VAR_DIR", tmp_path)
    monkeypatch.delenv("DJANGO_ACCESS_LOG_KEY", raising=False)
    return tmp_path


def test_with_https_the_key_is_required(var):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ACCESS_LOG_KEY must be set"):
        project_settings._access_log_key(https=True, secret_key=SECRET_KEY)
    assert not (var / "access-log-key").exists()


def test_with_https_the_key_given_is_used(var, monkeypatch):
    monkeypatch.setenv("DJANGO_ACCESS_LOG_KEY", "k" * 40)
    assert project_settings._access_log_key(https=True, secret_key=SECRET_KEY) == "k" * 40


def test_without_https_a_key_is_generated_once_into_var(var):
    key = project_settings._access_log_key(https=False, secret_key=SECRET_KEY)
    assert len(key) >= 32
    assert (var / "access-log-key").stat().st_mode & 0o777 == 0o600
    assert project_settings._access_log_key(https=False, secret_key=SECRET_KEY) == key


def test_a_short_key_is_refused(var, monkeypatch):
    monkeypatch.setenv("DJANGO_ACCESS_LOG_KEY", "too short")
    with pytest.raises(ImproperlyConfigured, match="at least 32 characters"):
        project_settings._access_log_key(https=False, secret_key=SECRET_KEY)


def test_the_secret_key_is_refused_as_the_logs_key(var, monkeypatch):
    monkeypatch.setenv("DJANGO_ACCESS_LOG_KEY", SECRET_KEY)
    with pytest.raises(ImproperlyConfigured, match="must differ from DJANGO_SECRET_KEY"):
        project_settings._access_log_key(https=True, secret_key=SECRET_KEY)
