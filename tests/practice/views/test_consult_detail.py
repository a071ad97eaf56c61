"""The consult page: edit the consult and its lines, suggestions, the non-JS check."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override

from gutbrain.models import Indication, Level, Nutrient, NutrientForm
from practice.models import Consult, SupplementLine
from tests.factories import ClientMedicationFactory, SupplementLineFactory
from tests.practice.views.formdata import consult_data, line
from tests.practice.views.texts import nl


def url(consult: Consult) -> str:
    return reverse("practice:consult-detail", args=[consult.pk])


def level_words(level: str) -> str:
    with override("nl"):
        return str(Level(level).label)


def nutrient(slug: str) -> Nutrient:
    return Nutrient.objects.get(slug=slug)


@pytest.fixture
def kb_consult(knowledge_base, consult):
    return consult


def add_lines(consult: Consult, *slugs: str) -> None:
    for order, slug in enumerate(slugs, start=1):
        SupplementLineFactory(consult=consult, nutrient=nutrient(slug), order=order)


def test_it_redirects_anonymous_users_to_the_login_page(client, consult):
    response = client.get(url(consult))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_colleague_gets_404_for_another_practitioners_consult(colleague_web, kb_consult):
    add_lines(kb_consult, "magnesium")
    assert colleague_web.get(url(kb_consult)).status_code == 404
    data = consult_data(lines=[line("saffron")], notes="gekaapt")
    assert colleague_web.post(url(kb_consult), data).status_code == 404
    kb_consult.refresh_from_db()
    assert kb_consult.notes == ""


@pytest.mark.parametrize("lines", [1, 6])
def test_it_shows_the_consult_in_a_fixed_number_of_queries(
    web, kb_consult, lines, django_assert_num_queries
):
    slugs = ["magnesium", "zinc", "rhodiola", "saffron", "theanine", "glutamine"][:lines]
    add_lines(kb_consult, *slugs)
    kb_consult.complaints.set(Indication.objects.filter(slug="stress"))
    ClientMedicationFactory(client=kb_consult.client, atc_code="N05BA04", name="oxazepam")
    # Queries: session, user, the practitioner group, the consult with client and
    # practice, its complaints, the client's medicines and own supplements, the lines
    # with their nutrients, the protocols with who issued them, the access log's newest
    # hash and the new entry, the published nutrients, their forms, the indications, the
    # interaction table's version and the table (nutrients, medicine classes, the
    # medicine reference list, interactions, their references), the practice membership
    # (may the user share the template?), the arrows of figure 1 and the evidence for the
    # complaints.
    with django_assert_num_queries(23):
        response = web.get(url(kb_consult))
    assert response.status_code == 200
    assert len(response.context["lines"].forms) == lines + 1  # one empty row to fill in
    assert [c.nutrient for c in response.context["check"]] == slugs


def test_the_next_request_takes_the_knowledge_base_from_the_process(
    web, kb_consult, django_assert_num_queries
):
    add_lines(kb_consult, "magnesium", "zinc")
    kb_consult.complaints.set(Indication.objects.filter(slug="stress"))
    web.get(url(kb_consult))
    # Queries: as above, but of the knowledge base only its version: the published
    # nutrients, their forms, the indications and the interaction table are the process's.
    with django_assert_num_queries(15):
        response = web.get(url(kb_consult))
    assert response.status_code == 200
    assert [c.nutrient for c in response.context["check"]] == ["magnesium", "zinc"]


def test_the_page_checks_live_with_htmx_and_without_inline_script_or_style(web, kb_consult):
    add_lines(kb_consult, "magnesium")
    content = web.get(url(kb_consult)).content.decode()
    check_url = reverse("practice:consult-check", args=[kb_consult.pk])
    assert f'hx-post="{check_url}"' in content
    assert 'hx-trigger="change"' in content
    assert 'hx-target="#check-results"' in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert "<script>" not in content and "<script >" not in content
    assert " style=" not in content
    assert 'name="action" value="check"' in content  # the fallback without JavaScript


def test_complaints_are_grouped_by_the_categories_of_figure_1(web, kb_consult):
    content = web.get(url(kb_consult)).content.decode()
    for category in Indication.Category:
        with override("nl"):
            assert (
                f"<legend>{str(category.label)[0].upper()}{str(category.label)[1:]}</legend>"
                in content
            )
    assert 'value="stress"' in content


def test_a_saved_lines_form_select_offers_only_its_nutrients_forms(web, kb_consult):
    bisglycinate = NutrientForm.objects.get(nutrient__slug="magnesium", slug="bisglycinate")
    SupplementLineFactory(consult=kb_consult, nutrient=nutrient("magnesium"), form=bisglycinate)
    form_field = web.get(url(kb_consult)).context["lines"].forms[0]["form"]
    offered = {value for value, _ in form_field.field.widget.choices if value}
    assert offered == {
        str(pk)
        for pk in NutrientForm.objects.filter(nutrient__slug="magnesium").values_list(
            "pk", flat=True
        )
    }


def test_it_saves_the_consult_and_replaces_its_lines(web, kb_consult):
    add_lines(kb_consult, "magnesium")
    data = consult_data(
        date=datetime.date(2026, 11, 9),
        complaints=["stress", "sleep-problems"],
        breastfeeding=True,
        notes="Slaapt slecht.",
        initial=1,
        lines=[
            line("magnesium", DELETE="on"),
            line("saffron", "30", duration_weeks="12", instructions="Bij het ontbijt."),
        ],
    )
    response = web.post(url(kb_consult), data)
    assert response.status_code == 302
    assert response.url == url(kb_consult)
    kb_consult.refresh_from_db()
    assert kb_consult.date == datetime.date(2026, 11, 9)
    assert kb_consult.breastfeeding and not kb_consult.pregnant
    assert kb_consult.notes == "Slaapt slecht."
    assert set(kb_consult.complaints.values_list("slug", flat=True)) == {"stress", "sleep-problems"}
    [saved] = kb_consult.lines.all()
    assert saved.nutrient.slug == "saffron"
    assert saved.dose_amount == Decimal("30")
    assert saved.duration_weeks == 12


def assert_nothing_saved(consult: Consult) -> None:
    consult.refresh_from_db()
    assert consult.notes == ""
    assert list(consult.lines.values_list("nutrient__slug", flat=True)) == ["magnesium"]


def test_a_dose_of_zero_saves_nothing(web, kb_consult):
    add_lines(kb_consult, "magnesium")
    data = consult_data(
        notes="Gewijzigd", initial=1, lines=[line("magnesium"), line("saffron", "0")]
    )
    response = web.post(url(kb_consult), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="error-summary"' in content
    assert 'href="#id_lines-1-dose_amount"' in content
    assert_nothing_saved(kb_consult)


def test_a_form_of_another_nutrient_saves_nothing(web, kb_consult):
    add_lines(kb_consult, "magnesium")
    inulin = NutrientForm.objects.exclude(nutrient__slug="saffron").first()
    data = consult_data(
        notes="Gewijzigd",
        initial=1,
        lines=[line("magnesium"), line("saffron", "30", form=str(inulin.pk))],
    )
    response = web.post(url(kb_consult), data)
    assert response.status_code == 200
    assert (
        nl(
            "%(form)s is a form of another nutrient, not of %(nutrient)s.",
            form=inulin.name_nl,
            nutrient="Saffraan",
        )
        in response.content.decode()
    )
    assert_nothing_saved(kb_consult)


def test_the_check_button_shows_the_check_of_the_unsaved_form(web, kb_consult):
    add_lines(kb_consult, "magnesium")
    data = consult_data(
        action="check", pregnant=True, initial=1, lines=[line("magnesium"), line("ashwagandha", "")]
    )
    response = web.post(url(kb_consult), data)
    assert response.status_code == 200
    levels = {c.nutrient: c.level for c in response.context["check"]}
    # The source says nothing of magnesium in pregnancy: nothing recorded, never clear.
    assert levels == {"magnesium": "no_data", "ashwagandha": "avoid"}
    assert level_words("avoid") in response.content.decode()
    unsaved = nl(
        "Not saved yet: this page shows your changes as you entered them. "
        "Save the consult to keep them."
    )
    assert unsaved in response.content.decode()
    kb_consult.refresh_from_db()
    assert not kb_consult.pregnant
    assert SupplementLine.objects.count() == 1


def test_add_a_line_gives_one_more_empty_row_and_saves_nothing(web, kb_consult):
    data = consult_data(
        action="add_line", notes="Nog niet opslaan", lines=[line("saffron", "30"), line("", "")]
    )
    response = web.post(url(kb_consult), data)
    assert response.status_code == 200
    assert len(response.context["lines"].forms) == 3
    assert response.context["lines"].forms[0]["nutrient"].value() == "saffron"
    kb_consult.refresh_from_db()
    assert kb_consult.notes == ""
    assert not SupplementLine.objects.exists()


def test_adding_a_suggestion_puts_it_in_a_new_line_with_its_usual_dose(web, kb_consult):
    data = consult_data(action="", complaints=["depressive-feelings-burnout"], lines=[])
    data["add_nutrient"] = "saffron"
    response = web.post(url(kb_consult), data)
    assert response.status_code == 200
    [row] = response.context["lines"].forms
    assert row["nutrient"].value() == "saffron"
    assert row["dose_amount"].value() == "30"
    assert row["dose_unit"].value() == "mg"
    assert not SupplementLine.objects.exists()


def test_suggestions_follow_the_complaints_and_leave_out_what_is_advised_against(web, kb_consult):
    kb_consult.complaints.set(Indication.objects.filter(slug__in=["stress", "anxious-feelings"]))
    response = web.get(url(kb_consult))
    suggested = [s.nutrient for s in response.context["suggestions"]]
    assert suggested[0] == "ashwagandha"
    assert 'name="add_nutrient" value="ashwagandha"' in response.content.decode()

    kb_consult.pregnant = True
    kb_consult.save()
    response = web.get(url(kb_consult))
    assert "ashwagandha" not in [s.nutrient for s in response.context["suggestions"]]
    with override("nl"):
        expected = gettext("%(nutrient)s is left out: %(reasons)s") % {
            "nutrient": "Ashwagandha",
            "reasons": gettext("advised against during pregnancy"),
        }
    assert expected in response.content.decode()


def test_the_page_shows_the_issued_versions(web, kb_consult, practitioner):
    from practice.protocols import issue_protocol

    add_lines(kb_consult, "magnesium")
    issue_protocol(consult=kb_consult, issued_by=practitioner)
    issue_protocol(consult=kb_consult, issued_by=practitioner)
    content = web.get(url(kb_consult)).content.decode()
    for protocol in kb_consult.protocols.all():
        assert protocol.get_absolute_url() in content
