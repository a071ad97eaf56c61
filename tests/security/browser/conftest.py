"""The fixtures of tests/browser (Chromium through Playwright against the live server),
for the security tests that need a real browser. As there, every test in this folder is
marked `browser`, and `GUTBRAIN_SKIP_BROWSER=1` skips them on request."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import (  # noqa: F401  (fixtures)
    SKIP_VARIABLE,
    _live_database,
    browser,
    context,
    page,
)

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = os.environ.get(SKIP_VARIABLE, "").strip().lower() in {"1", "true", "yes"}
    for item in items:
        if not item.path.is_relative_to(HERE):
            continue
        item.add_marker(pytest.mark.browser)
        if skip:
            item.add_marker(pytest.mark.skip(reason=f"{SKIP_VARIABLE} is set"))
