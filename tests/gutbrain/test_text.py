"""`gutbrain.text.lower_first`: a name from the knowledge base in running text."""

import pytest

from gutbrain.text import lower_first


@pytest.mark.parametrize(
    ("name", "in_text"),
    [
        ("Kalmeringsmiddelen", "kalmeringsmiddelen"),
        ("Stress", "stress"),
        ("Psychofarmaca (alle)", "psychofarmaca (alle)"),
        ("Blood-pressure lowering medicines", "blood-pressure lowering medicines"),
        ("MAO-remmers", "MAO-remmers"),
        ("GABA", "GABA"),
        ("L-theanine", "L-theanine"),
        ("yoghurt", "yoghurt"),
        ("", ""),
        ("A", "A"),
    ],
)
def test_it_lowers_the_first_letter_of_words_but_not_of_abbreviations(name, in_text):
    assert lower_first(name) == in_text
