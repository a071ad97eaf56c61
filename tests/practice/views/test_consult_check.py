"""The live check: htmx posts the consult form as it stands and gets the results panel."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from gutbrain.models import Level, Nutrient
from practice.models import Consult, SupplementLine
from tests.factories import ClientMedicationFactory, SupplementLineFactory
from tests.practice.views.formdata import consult_data, line


def url(consult: Consult) -> str:
    return reverse("practice:consult-check", args=[consult.pk])


def level_words(level: str) -> str:
    with override("nl"):
        return str(Level(level).label)


def levels(response) -> dict[str, str]:
    return {item.nutrient: item.level for item in response.context["check"]}


@pytest.fixture
def on_maoi(knowledge_base, consult):
    """Sanne takes phenelzine, an MAO inhibitor."""
    ClientMedicationFactory(client=consult.client, atc_code="N06AF03", name="fenelzine")
    return consult


def test_it_redirects_anonymous_users_to_the_login_page(client, consult):
    response = client.post(url(consult), consult_data(action=""))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_only_answers_posts(web, consult):
    assert web.get(url(consult)).status_code == 405


def test_a_colleague_gets_404_for_another_practitioners_consult(colleague_web, on_maoi):
    response = colleague_web.post(url(on_maoi), consult_data(action="", lines=[line("zinc")]))
    assert response.status_code == 404


def test_it_checks_unsaved_lines_against_the_clients_medicines(
    web, on_maoi, django_assert_num_queries
):
    data = consult_data(action="", lines=[line("tryptophan"), line("magnesium"), line("zinc")])
    # Queries: session, user, the practitioner group, the consult with client and
    # practice, complaints, medicines, own supplements, lines, protocols, the user's read
    # of the consult logged in the last five minutes (none here), the access log's newest
    # hash and the new entry, the published nutrients, their forms, the indications, the
    # interaction table's version and the table (5).
    with django_assert_num_queries(21):
        response = web.post(url(on_maoi), data)
    assert response.status_code == 200
    assert levels(response) == {
        "tryptophan": "avoid",
        "magnesium": "separate_intake",
        "zinc": "no_data",
    }
    content = response.content.decode()
    assert 'class="level level-avoid"' in content
    assert level_words("avoid") in content
    assert not SupplementLine.objects.exists()


def test_a_check_after_the_first_reads_only_the_knowledge_bases_version(
    web, on_maoi, django_assert_num_queries
):
    data = consult_data(action="", lines=[line("tryptophan"), line("magnesium")])
    web.post(url(on_maoi), data)
    # Queries: as above, but of the knowledge base only its version (the nutrients, their
    # forms, the indications and the interaction table are the process's); the read was
    # logged by the first check.
    with django_assert_num_queries(11):
        response = web.post(url(on_maoi), data)
    assert levels(response) == {"tryptophan": "avoid", "magnesium": "separate_intake"}


def test_nothing_recorded_is_never_green_and_says_it_is_not_known_to_be_safe(web, on_maoi):
    response = web.post(url(on_maoi), consult_data(action="", lines=[line("zinc")]))
    # The results only: the legend below them shows every level.
    content = response.content.decode().split('class="level-legend')[0]
    assert 'class="level level-no-data"' in content
    assert level_words("no_data") in content
    assert "level-clear" not in content
    assert "level-none-known" not in content


def test_pregnancy_and_breastfeeding_are_taken_from_the_form(web, on_maoi):
    unsaved = consult_data(action="", pregnant=True, lines=[line("saffron")])
    assert levels(web.post(url(on_maoi), unsaved)) == {"saffron": "avoid"}
    not_pregnant = consult_data(action="", lines=[line("saffron")])
    assert levels(web.post(url(on_maoi), not_pregnant)) == {"saffron": "none_known"}
    on_maoi.refresh_from_db()
    assert not on_maoi.pregnant


def test_a_line_still_being_filled_in_is_checked(web, on_maoi):
    data = consult_data(action="", lines=[line("tryptophan", dose="")])
    assert levels(web.post(url(on_maoi), data)) == {"tryptophan": "avoid"}


def test_a_line_marked_for_removal_is_not_checked(web, on_maoi):
    SupplementLineFactory(consult=on_maoi, nutrient=Nutrient.objects.get(slug="tryptophan"))
    data = consult_data(action="", initial=1, lines=[line("tryptophan", DELETE="on")])
    assert levels(web.post(url(on_maoi), data)) == {}
    assert SupplementLine.objects.count() == 1


def test_the_suggestions_come_along_out_of_band(web, on_maoi):
    data = consult_data(action="", complaints=["sleep-problems"], lines=[])
    content = web.post(url(on_maoi), data).content.decode()
    assert '<div id="suggestions" hx-swap-oob="innerHTML">' in content
    assert 'name="add_nutrient" value="melatonin"' in content
    # Tryptophan would interact with the MAO inhibitor: left out, and said so.
    assert 'value="tryptophan"' not in content
    assert "Tryptofaan" in content
