"""The words of the cards, without a database."""

from django.utils import translation

from cdshooks.cards import SUMMARY_LENGTH, escape, not_checked_card, unknown_states_card


def test_escaped_text_reads_as_itself_in_markdown():
    assert escape("[a](http://x) <b>*c*</b> & ![i](y) `d` _e_ | f ~g~") == (
        r"\[a\](http://x) \<b\>\*c\*\</b\> \& \!\[i\](y) \`d\` \_e\_ \| f \~g\~"
    )
    assert escape("# kop") == r"\# kop"
    assert escape("- lijst\n12. punt") == r"\- lijst 12. punt"
    assert escape("1. eerste") == r"1\. eerste"


def test_a_summary_stays_under_140_characters():
    with translation.override("en"):
        card = not_checked_card("x" * 300)

    assert len(card["summary"]) == SUMMARY_LENGTH
    assert card["summary"].endswith("…")


def test_cards_speak_the_active_language():
    with translation.override("nl"):
        card = unknown_states_card(["pregnancy"], "geen server")

    assert card["summary"] == "Zwangerschap onbekend: niet meegewogen"
    assert card["indicator"] == "info"
