"""`REDIS_URL`, read from the environment with a strict parser: Redis for the cache when set,
each process's memory when not, start-up stopped by anything that is not a Redis URL."""

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READ = "import json; from gutbrain import settings as s; print(json.dumps(s.CACHES['default']))"


def read_cache(**variables: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), **variables}
    return subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_without_redis_url_each_process_counts_in_its_own_memory():
    result = read_cache()

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


def test_with_redis_url_the_cache_is_redis_with_short_timeouts():
    result = read_cache(REDIS_URL="redis://10.0.0.5:6379/1")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://10.0.0.5:6379/1",
        "KEY_PREFIX": "gutbrain",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }


@pytest.mark.parametrize("url", ["10.0.0.5:6379", "http://10.0.0.5:6379", "redis://"])
def test_anything_but_a_redis_url_stops_start_up_naming_the_variable(url):
    result = read_cache(REDIS_URL=url)

    assert result.returncode != 0
    assert "REDIS_URL must be a Redis URL such as redis://127.0.0.1:6379/0" in result.stderr
