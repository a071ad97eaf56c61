"""The dashboard's recent consults tell two consults of one day apart: client, date,
number of lines, issued or not (with the version) and the saved check's worst level."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import override

from gutbrain.models import Level, Nutrient
from practice.protocols import AcknowledgementInput, issue_protocol
from tests.factories import (
    ClientFactory,
    ClientMedicationFactory,
    ConsultFactory,
    SupplementLineFactory,
)
from tests.practice.views.texts import nl

URL = reverse("practice:dashboard")
DAY = datetime.date(2026, 11, 30)


def level_words(level: str) -> str:
    with override("nl"):
        return escape(str(Level(level).label))


def rows(response) -> list[tuple]:
    return [
        (
            row.consult.pk,
            row.line_count,
            row.latest_version,
            row.saved_check.worst_level if row.saved_check else "unchecked",
        )
        for row in response.context["consults"]
    ]


@pytest.fixture
def issued(knowledge_base, sanne, practitioner):
    """Sanne takes an MAO inhibitor; this consult advises magnesium and tryptophan and
    was issued twice."""
    ClientMedicationFactory(client=sanne, atc_code="N06AF03", name="fenelzine")
    consult = ConsultFactory(client=sanne, date=DAY)
    for order, slug in enumerate(("magnesium", "tryptophan"), start=1):
        SupplementLineFactory(
            consult=consult, nutrient=Nutrient.objects.get(slug=slug), order=order
        )
    reason = [AcknowledgementInput(nutrient="tryptophan", reason="Afgebouwd.")]
    for _version in range(2):
        issue_protocol(consult=consult, issued_by=practitioner, acknowledgements=reason)
    return consult


@pytest.fixture
def empty(sanne):
    """Started the same day and left empty."""
    return ConsultFactory(client=sanne, date=DAY)


def test_two_consults_of_one_day_differ_in_lines_protocol_and_check(web, issued, empty):
    response = web.get(URL)
    assert rows(response) == [(empty.pk, 0, None, None), (issued.pk, 2, 2, "avoid")]
    content = response.content.decode()
    assert nl("Issued, version %(version)s", version=2) in content
    assert nl("Not issued") in content
    assert nl("Nothing to check") in content
    assert level_words("avoid") in content
    assert content.count(issued.get_absolute_url()) >= 1
    assert content.count(empty.get_absolute_url()) >= 1


def test_the_worst_level_is_the_saved_consults_not_the_issued_one(web, issued, practitioner):
    issued.lines.filter(nutrient__slug="tryptophan").delete()
    [row] = rows(web.get(URL))
    assert row == (issued.pk, 1, 2, "separate_intake")


def test_a_consult_whose_nutrient_was_unpublished_says_it_cannot_be_checked(web, issued):
    tryptophan = Nutrient.objects.get(slug="tryptophan")
    tryptophan.is_published = False
    tryptophan.save()
    response = web.get(URL)
    assert rows(response) == [(issued.pk, 2, 2, "unchecked")]
    assert nl("Cannot be checked: open the consult") in response.content.decode()


def test_own_supplements_count_in_the_saved_check(web, knowledge_base, sanne):
    consult = ConsultFactory(client=sanne, date=DAY)
    sanne.own_supplements.create(name="Sint-janskruid", nutrient=None)
    sanne.own_supplements.create(
        name="Magnesiumcitraat", nutrient=Nutrient.objects.get(slug="magnesium")
    )
    ClientMedicationFactory(client=sanne, atc_code="N06AF03", name="fenelzine")
    assert rows(web.get(URL)) == [(consult.pk, 0, None, "separate_intake")]


def test_the_query_count_holds_with_lines_medicines_and_protocols(
    web, issued, sanne, practitioner, django_assert_num_queries
):
    for day in range(1, 8):
        other = ConsultFactory(
            client=ClientFactory(practitioner=practitioner, practice=sanne.practice),
            date=datetime.date(2026, 10, day),
        )
        SupplementLineFactory(consult=other, nutrient=Nutrient.objects.get(slug="zinc"))
        ClientMedicationFactory(client=other.client)
    web.get(URL)  # the interaction table is read once, then kept
    # Queries: session, user, the user's roles, the consults with their clients and
    # latest protocol versions, their lines with nutrients, the clients' medicines, their
    # own supplements, the interaction table's version.
    with django_assert_num_queries(8):
        response = web.get(URL)
    assert len(response.context["consults"]) == 8
