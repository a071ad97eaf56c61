"""The consult page's supplement lines: the empty line the page's script clones, the
usual doses it fills in, and the fallbacks without JavaScript, which never show errors
for a line still being filled in. Saving still validates everything."""

import json

import pytest
from django.urls import reverse

from gutbrain.models import Nutrient
from practice.models import Consult, SupplementLine
from tests.factories import SupplementLineFactory
from tests.practice.views.formdata import consult_data, line

# A line as the page gives it: nothing filled in, the selects at their first choice.
BLANK = line("", "", duration_weeks="")


def url(consult: Consult) -> str:
    return reverse("practice:consult-detail", args=[consult.pk])


@pytest.fixture
def kb_consult(knowledge_base, consult):
    SupplementLineFactory(consult=consult, nutrient=Nutrient.objects.get(slug="magnesium"))
    return consult


def shows_no_errors(content: str) -> bool:
    return (
        'class="error-summary"' not in content
        and 'aria-invalid="true"' not in content
        and 'class="field-error"' not in content
    )


def test_the_page_carries_an_empty_line_to_clone_and_the_usual_doses(web, kb_consult):
    content = web.get(url(kb_consult)).content.decode()
    template = content.split("<template data-line-template>")[1].split("</template>")[0]
    assert 'name="lines-__prefix__-nutrient"' in template
    assert 'hx-target="#id_lines-__prefix__-form"' in template
    assert "__number__" in template  # the legend's number, set by the script
    assert "data-line-saved" in content.split("<template")[0]  # the saved magnesium line
    doses = json.loads(
        content.split('<script id="usual-doses" type="application/json">')[1].split("</script>")[0]
    )
    assert doses["saffron"] == {"amount": "30", "unit": "mg"}


@pytest.mark.parametrize("action", ["add_line", "check"])
def test_adding_a_line_or_checking_without_javascript_shows_no_errors(web, kb_consult, action):
    data = consult_data(
        action=action,
        initial=1,
        lines=[line("magnesium", ""), line("", "", duration_weeks="0"), line("zinc", "abc")],
    )
    response = web.post(url(kb_consult), data)
    assert response.status_code == 200
    assert shows_no_errors(response.content.decode())
    assert len(response.context["lines"].forms) == (4 if action == "add_line" else 3)
    # The check still sees the lines as typed.
    assert [c.nutrient for c in response.context["check"]] == ["magnesium", "zinc"]
    assert SupplementLine.objects.count() == 1


def test_a_suggestion_without_javascript_shows_no_errors_either(web, kb_consult):
    data = consult_data(action="", initial=1, lines=[line("magnesium", "")])
    data["add_nutrient"] = "saffron"
    response = web.post(url(kb_consult), data)
    assert shows_no_errors(response.content.decode())
    assert response.context["lines"].forms[1]["nutrient"].value() == "saffron"


def test_saving_shows_the_errors_of_the_lines_filled_in(web, kb_consult):
    data = consult_data(initial=1, lines=[line("magnesium", ""), BLANK])
    response = web.post(url(kb_consult), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'href="#id_lines-0-dose_amount"' in content
    # The second line was left as the page gave it (no nutrient, no dose): not an error.
    assert 'href="#id_lines-1-' not in content


def test_lines_added_on_the_page_are_saved_in_order(web, kb_consult):
    """What the script sends: the new lines numbered on from the saved one, TOTAL_FORMS
    counting them, a removed saved line with DELETE ticked."""
    data = consult_data(
        initial=1,
        lines=[
            line("magnesium", DELETE="on"),
            line("zinc", "15"),
            line("saffron", "30"),
            BLANK,
        ],
    )
    assert web.post(url(kb_consult), data).status_code == 302
    assert list(kb_consult.lines.values_list("nutrient__slug", flat=True)) == ["zinc", "saffron"]
