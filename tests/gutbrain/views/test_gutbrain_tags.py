"""The template helpers shared with the practice pages."""

import pytest
from django.template import Context, Template
from django.utils import translation

from gutbrain.models import Level
from gutbrain.templatetags import gutbrain_tags


def render(source: str, **context) -> str:
    return Template("{% load gutbrain_tags %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("level", "css_class"),
    [
        ("avoid", "level-avoid"),
        ("consult", "level-consult"),
        ("monitor", "level-monitor"),
        ("separate_intake", "level-separate-intake"),
        ("no_data", "level-no-data"),
        ("none_known", "level-none-known"),
        ("clear", "level-clear"),
    ],
)
def test_level_badge_gives_every_level_its_own_class_and_words(level, css_class):
    with translation.override("en"):
        html = render("{% level_badge level %}", level=level)
        assert html == f'<span class="level {css_class}">{Level(level).label}</span>'


def test_nothing_recorded_and_no_interactions_known_never_look_alike_or_green():
    no_data = gutbrain_tags.level_css_class("no_data")
    none_known = gutbrain_tags.level_css_class("none_known")
    assert len({no_data, none_known, gutbrain_tags.level_css_class("clear")}) == 3
    assert gutbrain_tags.level_label("no_data") != gutbrain_tags.level_label("none_known")


def test_level_badge_draws_nothing_without_a_level():
    assert render("{% level_badge level %}", level=None) == ""


def test_level_badge_refuses_an_unknown_level():
    with pytest.raises(ValueError):
        render("{% level_badge 'safe' %}")


def test_text_blocks_splits_paragraphs_and_dash_lists_and_escapes():
    text = "Eerste <b>alinea</b>\nloopt door.\n\nSerotonine:\n- Gedrag\n- Stemming & slaap\n\nSlot."
    assert render("{{ text|text_blocks }}", text=text) == (
        "<p>Eerste &lt;b&gt;alinea&lt;/b&gt; loopt door.</p>\n"
        "<p>Serotonine:</p>\n"
        "<ul><li>Gedrag</li><li>Stemming &amp; slaap</li></ul>\n"
        "<p>Slot.</p>"
    )


def test_duration_gives_weeks_when_the_days_make_whole_weeks():
    with translation.override("en"):
        assert gutbrain_tags.duration(42) == "42 days (6 weeks)"
        assert gutbrain_tags.duration(60) == "60 days"
        assert gutbrain_tags.duration(None) == ""
