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


def test_nothing_recorded_none_known_and_clear_never_look_or_read_alike():
    # The colours (none green) are pinned in the browser, tests/browser/test_level_colours.py.
    quiet = ["no_data", "none_known", "clear"]
    assert len({gutbrain_tags.level_css_class(level) for level in quiet}) == 3
    assert len({gutbrain_tags.level_label(level) for level in quiet}) == 3
    assert len({gutbrain_tags.level_meaning(level) for level in quiet}) == 3


def test_the_legend_explains_every_level_most_serious_first():
    with translation.override("en"):
        levels = gutbrain_tags.levels_explained()
    assert [level for level, _meaning in levels] == Level.values
    assert len({meaning for _level, meaning in levels}) == len(Level)


def test_the_quiet_levels_claim_no_more_than_they_know():
    with translation.override("en"):
        assert gutbrain_tags.level_meaning("clear") == (
            "The source has statements about this nutrient, but none applies to this "
            "client. That is no proof of safety."
        )
        assert gutbrain_tags.level_meaning("no_data") == (
            "The source records nothing about it. That is a gap in the source, not proof of safety."
        )
        assert gutbrain_tags.level_meaning("none_known") == (
            "The source states that no interactions are known."
        )


def test_the_meanings_are_translated_into_dutch():
    with translation.override("nl"):
        assert gutbrain_tags.level_meaning("clear") == (
            "De bron doet uitspraken over deze nutriënt, maar geen ervan is van toepassing "
            "op deze cliënt. Dat is geen bewijs van veiligheid."
        )
        assert gutbrain_tags.level_meaning("none_known") == (
            "De bron vermeldt dat er geen interacties bekend zijn."
        )


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
