"""`assert_accessible`: the axe-core scan the other browser tests rely on fails on
serious and critical violations only."""

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import assert_accessible

PAGE = '<!DOCTYPE html><html lang="nl"><head><title>Test</title></head><body>{}</body></html>'


def test_it_fails_on_a_critical_violation_naming_the_rule_and_the_element(page: Page):
    page.set_content(PAGE.format('<main><h1>Test</h1><img src="figure.png"></main>'))

    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)

    assert "image-alt (critical)" in str(failure.value)
    assert '<img src="figure.png">' in str(failure.value)


def test_it_passes_a_page_with_only_moderate_violations(page: Page):
    # Content outside any landmark is axe's "region" rule, of moderate impact.
    page.set_content(PAGE.format("<h1>Test</h1><p>Text outside a landmark.</p>"))

    assert_accessible(page)
