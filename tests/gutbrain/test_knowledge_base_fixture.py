"""The fixture file itself: readable in review, explicit keys, valid by the models' rules."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "knowledge_base.json"


def test_the_fixture_is_pretty_printed_utf8_with_real_characters():
    text = FIXTURE.read_text(encoding="utf-8")
    assert "\\u" not in text
    assert "ë" in text and "κ" in text
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"


def test_every_object_has_an_explicit_primary_key_unique_per_model():
    objects = json.loads(FIXTURE.read_text(encoding="utf-8"))
    keys = [(o["model"], o["pk"]) for o in objects]
    assert all(isinstance(pk, int) and pk > 0 for _, pk in keys)
    assert len(keys) == len(set(keys))


def test_the_fixture_holds_only_knowledge_base_models():
    objects = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert {o["model"].split(".")[0] for o in objects} == {"gutbrain"}


@pytest.mark.usefixtures("knowledge_base")
def test_every_loaded_object_passes_model_validation():
    """loaddata skips validators (ATC codes, prefixes, parent cycles); full_clean runs them."""
    checked = 0
    for model in apps.get_app_config("gutbrain").get_models():
        if model._meta.label_lower.startswith("gutbrain.historical"):
            continue
        for obj in model.objects.all():
            obj.full_clean()
            checked += 1
    assert checked == len(json.loads(FIXTURE.read_text(encoding="utf-8")))
