"""Bounded work per request (issue #11, finding 2): a consult holds at most 40 supplement
lines whichever way it is written (the consult page, the API, the write functions), a
post that claims more lines, or a garbled count, is answered 400 having read at most 40,
and the request limits (`DATA_UPLOAD_MAX_NUMBER_FIELDS`, `DATA_UPLOAD_MAX_MEMORY_SIZE`)
refuse what goes beyond them. The admin's import limits are in test_bounded_imports.py.

Each test asserts what was written and how much was read, never how long it took."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from gutbrain.models import Nutrient
from practice import services
from practice.models import Consult, ProtocolTemplate, SupplementLine, TemplateLine
from tests.factories import ClientFactory, PracticeMemberFactory
from tests.practice.views.formdata import consult_data, formset, line

LIMIT = services.MAX_LINES


@pytest.fixture
def practice(practitioner):
    return PracticeMemberFactory(user=practitioner).practice


@pytest.fixture
def sanne(practice, practitioner):
    return ClientFactory(practitioner=practitioner, practice=practice, client_number="00042")


@pytest.fixture
def consult(knowledge_base, sanne) -> Consult:
    """Sanne's consult with one saved line: magnesium 200 mg."""
    return services.consult_create(
        client=sanne,
        practitioner=sanne.practitioner,
        date=datetime.date(2026, 11, 2),
        lines=[magnesium(Decimal("200"))],
    )


@pytest.fixture
def web(practitioner) -> WebClient:
    browser = WebClient(headers={"accept-language": "en"})
    browser.force_login(practitioner)
    return browser


def magnesium(dose: Decimal = Decimal("100")) -> services.LineInput:
    return services.LineInput(
        nutrient=Nutrient.objects.get(slug="magnesium"), dose_amount=dose, dose_unit="mg"
    )


def saved(consult: Consult) -> tuple:
    """What a save would change: the consult's revision and its lines."""
    consult.refresh_from_db()
    lines = consult.lines.order_by("order").values_list("nutrient__slug", "dose_amount")
    return consult.revision, list(lines)


def consult_url(consult: Consult, view: str = "consult-detail") -> str:
    return reverse(f"practice:{view}", args=[consult.pk])


# The API ---------------------------------------------------------------------------------


def api_line(dose: int) -> dict:
    return {"nutrient": "magnesium", "dose_amount": str(dose), "dose_unit": "mg"}


def test_the_api_refuses_a_consult_of_5000_lines_naming_the_field_and_the_limit(
    practitioner_api, knowledge_base, sanne
):
    body = {"client": sanne.pk, "supplements": [api_line(n) for n in range(1, 5001)]}

    with CaptureQueriesContext(connection) as queries:
        response = practitioner_api.post(
            "/api/v1/consults/", body, headers={"accept-language": "en"}
        )

    assert response.status_code == 400
    assert response.json() == {
        "supplements": {"non_field_errors": [f"At most {LIMIT} supplement lines."]}
    }
    assert not Consult.objects.exists()
    assert not SupplementLine.objects.exists()
    # Refused before a single line was read: no line's nutrient was looked up.
    assert not [q for q in queries.captured_queries if "gutbrain_nutrient" in q["sql"]]


def test_the_api_refuses_41_lines_on_an_update_and_keeps_the_lines(practitioner_api, consult):
    before = saved(consult)

    response = practitioner_api.patch(
        f"/api/v1/consults/{consult.pk}/",
        {"supplements": [api_line(n) for n in range(1, LIMIT + 2)]},
    )

    assert response.status_code == 400
    assert "supplements" in response.json()
    assert saved(consult) == before


def test_the_api_takes_a_consult_of_40_lines(practitioner_api, knowledge_base, sanne):
    body = {"client": sanne.pk, "supplements": [api_line(n) for n in range(1, LIMIT + 1)]}

    response = practitioner_api.post("/api/v1/consults/", body)

    assert response.status_code == 201, response.json()
    assert SupplementLine.objects.count() == LIMIT


# The write functions ------------------------------------------------------------------


def test_the_write_functions_refuse_more_than_40_lines_and_write_nothing(
    knowledge_base, sanne, practice, consult
):
    too_many = [magnesium(Decimal(n)) for n in range(1, LIMIT + 2)]
    before = saved(consult)

    with translation.override("en"):
        with pytest.raises(ValidationError) as creating:
            services.consult_create(client=sanne, practitioner=sanne.practitioner, lines=too_many)
        with pytest.raises(ValidationError) as updating:
            services.consult_update(consult=consult, lines=too_many)
        with pytest.raises(ValidationError) as templating:
            services.template_create(
                owner=sanne.practitioner, practice=practice, name="Te veel", lines=too_many
            )

    for refused in (creating, updating, templating):
        assert refused.value.message_dict == {
            "lines": [f"At most {LIMIT} supplement lines, not {LIMIT + 1}."]
        }
    assert Consult.objects.count() == 1
    assert saved(consult) == before
    assert not ProtocolTemplate.objects.exists()


# The consult page -------------------------------------------------------------------


def test_a_save_claiming_100000_lines_is_answered_400_having_read_at_most_40(web, consult):
    before = saved(consult)
    data = consult_data(lines=[line("magnesium", "500")], initial=1)
    data["lines-TOTAL_FORMS"] = "100000"

    response = web.post(consult_url(consult), data)

    assert response.status_code == 400
    assert len(response.context["lines"].forms) <= LIMIT
    assert f"At most {LIMIT} supplement lines" in response.content.decode()
    assert saved(consult) == before


@pytest.mark.parametrize("action", ["save", "add_line", "check"])
@pytest.mark.parametrize(
    ("field", "value"),
    [("TOTAL_FORMS", "abc"), ("TOTAL_FORMS", ""), ("TOTAL_FORMS", "²"), ("INITIAL_FORMS", "x")],
)
def test_a_garbled_line_count_is_answered_400_whatever_the_action(
    web, consult, action, field, value
):
    before = saved(consult)
    data = consult_data(lines=[line("magnesium", "500")], initial=1, action=action)
    data[f"lines-{field}"] = value

    response = web.post(consult_url(consult), data)

    assert response.status_code == 400
    assert saved(consult) == before


def test_adding_a_line_to_40_says_the_limit(web, consult):
    data = consult_data(lines=[line("magnesium", str(n)) for n in range(1, LIMIT + 1)])
    data["action"] = "add_line"

    response = web.post(consult_url(consult), data)

    assert response.status_code == 400
    assert f"At most {LIMIT} supplement lines" in response.content.decode()


def test_41_lines_posted_are_a_form_error_and_nothing_is_saved(web, consult):
    before = saved(consult)
    data = consult_data(lines=[line("magnesium", str(n)) for n in range(1, LIMIT + 2)])

    response = web.post(consult_url(consult), data)

    assert response.status_code == 400
    errors = [item.text for item in response.context["errors"]]
    assert f"At most {LIMIT} supplement lines: remove lines to add others." in errors
    assert saved(consult) == before


def test_40_lines_are_saved(web, consult):
    data = consult_data(lines=[line("magnesium", str(n)) for n in range(1, LIMIT + 1)], initial=1)

    response = web.post(consult_url(consult), data)

    assert response.status_code == 302
    assert consult.lines.count() == LIMIT


def test_the_live_check_of_a_post_claiming_100000_lines_is_answered_400(web, consult):
    data = consult_data(lines=[line("magnesium")], initial=1, action="")
    data["lines-TOTAL_FORMS"] = "100000"

    response = web.post(consult_url(consult, "consult-check"), data)

    assert response.status_code == 400


def test_a_template_save_claiming_100000_lines_is_answered_400_and_writes_nothing(
    web, consult, practice, practitioner
):
    template = services.template_create(
        owner=practitioner, practice=practice, name="Slaap", lines=[magnesium()]
    )
    data = {"name": "Slaap", "action": "save", **formset("lines", [line("magnesium", "900")])}
    data["lines-TOTAL_FORMS"] = "100000"

    response = web.post(reverse("practice:template-update", args=[template.pk]), data)

    assert response.status_code == 400
    assert list(TemplateLine.objects.values_list("dose_amount", flat=True)) == [Decimal("100")]


# The request limits ---------------------------------------------------------------------


def test_a_form_post_with_more_fields_than_the_limit_is_answered_400(web, consult, settings):
    before = saved(consult)
    data = consult_data(lines=[line("magnesium", "500")], initial=1)
    data.update({f"padding-{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)})

    response = web.post(consult_url(consult), data)

    assert response.status_code == 400
    assert saved(consult) == before


def test_an_api_body_over_the_size_limit_is_answered_400_without_being_parsed(
    practitioner_api, settings
):
    text = "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps({"nutrients": ["magnesium"], "medicines": [text]})

    response = practitioner_api.post(
        "/api/v1/interaction-check/",
        body,
        content_type="application/json",
        headers={"accept-language": "en"},
    )

    assert response.status_code == 400
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert response.json() == {"detail": f"The body is larger than {limit} bytes."}
