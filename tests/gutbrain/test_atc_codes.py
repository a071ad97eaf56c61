"""`validate_atc_code` and the prefix validators: an ATC code begins with the letter of
one of the 14 anatomical main groups; anything else is refused, saying which letters are."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from gutbrain.models import validate_atc_code, validate_atc_prefixes, validate_editor_prefixes

REAL_GROUPS = "ABCDGHJLMNPRSV"
UNREAL_GROUPS = sorted(set("ABCDEFGHIJKLMNOPQRSTUVWXYZ") - set(REAL_GROUPS))


@pytest.fixture(autouse=True)
def in_english():
    with override("en"):
        yield


@pytest.mark.parametrize("letter", REAL_GROUPS)
def test_a_substance_code_of_every_real_group_is_accepted(letter):
    validate_atc_code(f"{letter}01AA01")


@pytest.mark.parametrize("letter", UNREAL_GROUPS)
def test_a_code_with_an_unreal_group_letter_is_refused(letter):
    with pytest.raises(ValidationError) as refused:
        validate_atc_code(f"{letter}99ZZ99")

    [message] = refused.value.messages
    assert message == (
        f"Not a valid ATC code: {letter}99ZZ99. An ATC code consists of a main group letter "
        "(A, B, C, D, G, H, J, L, M, N, P, R, S or V), two digits, two letters and two digits, "
        "such as N05BA04."
    )
    assert refused.value.code == "invalid_atc_code"


@pytest.mark.parametrize("code", ["N05B", "N05BA", "N05BA4", "N05BA041", "n05ba04", "N5BA04", ""])
def test_anything_but_a_complete_upper_case_code_is_refused(code):
    with pytest.raises(ValidationError):
        validate_atc_code(code)


@pytest.mark.parametrize("prefixes", ["N", "N05", "N05B", "N05BA", "N05BA04", "v03ab17, l01"])
def test_every_level_of_a_real_code_is_a_prefix(prefixes):
    validate_atc_prefixes(prefixes)
    validate_editor_prefixes(prefixes)


@pytest.mark.parametrize("prefixes", ["Z99", "N05, E01", "I", "N5", "N05BA0"])
def test_a_prefix_with_an_unreal_group_letter_or_level_is_refused(prefixes):
    for validate in (validate_atc_prefixes, validate_editor_prefixes):
        with pytest.raises(ValidationError) as refused:
            validate(prefixes)
        [message] = refused.value.messages
        assert message.startswith("Not an ATC prefix: ")
        assert "(A, B, C, D, G, H, J, L, M, N, P, R, S or V)" in message


def test_the_brochures_prefixes_are_required_the_editors_are_not():
    with pytest.raises(ValidationError):
        validate_atc_prefixes(" , ")
    validate_editor_prefixes(" , ")
