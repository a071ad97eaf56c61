"""The whole knowledge base exports and imports again unchanged: the natural keys hold."""

import pytest

from tests.gutbrain.admin.browser import export, upload

MODELS = [
    "reference",
    "nutrient",
    "nutrientform",
    "foodsource",
    "indication",
    "indicationsupport",
    "medicineclass",
    "medicine",
    "interaction",
    "evidencesummary",
    "evidenceoutcome",
    "topic",
    "pathwaystep",
]


@pytest.mark.parametrize("model_name", MODELS)
@pytest.mark.parametrize("title", ["csv", "xlsx", "json"])
def test_an_export_imports_again_with_every_row_unchanged(
    curator_client, knowledge_base, model_name, title
):
    exported = export(curator_client, model_name, title)
    assert exported.status_code == 200

    preview = upload(curator_client, model_name, f"{model_name}.{title}", exported.content, title)

    result = preview.context["result"]
    assert not result.has_errors()
    assert not result.invalid_rows
    assert result.rows
    assert {row.import_type for row in result.rows} == {"skip"}
