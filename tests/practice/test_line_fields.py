"""A supplement line's fields are declared once (`practice.models.LINE_FIELDS`, from
`LineFields`): the services' input, the forms, the API and the admin follow it."""

import dataclasses

from practice.admin import SupplementLineInline
from practice.api.serializers import LineSerializer
from practice.forms import LineForm
from practice.models import LINE_FIELDS, SupplementLine, TemplateLine
from practice.services import LineInput


def test_the_declaration_is_the_line_models_fields_but_its_place():
    own = {f.name for f in SupplementLine._meta.fields} - {"id", "consult", "order"}
    assert set(LINE_FIELDS) == own
    assert set(LINE_FIELDS) == {f.name for f in TemplateLine._meta.fields} - {
        "id",
        "template",
        "order",
    }


def test_every_writer_of_a_line_takes_exactly_these_fields():
    assert {f.name for f in dataclasses.fields(LineInput)} == set(LINE_FIELDS)
    assert set(LineForm.base_fields) >= set(LINE_FIELDS)
    assert LineSerializer.Meta.fields == list(LINE_FIELDS)
    assert SupplementLineInline.fields == ["order", *LINE_FIELDS]
