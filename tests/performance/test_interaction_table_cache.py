"""The interaction table is read once per process and never answers stale.

"Another process" (a second gunicorn worker, a management command) is played by writing
with this process's receivers disconnected: then only the version check can notice.
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test import Client

from gutbrain import signals
from gutbrain.interactions import check
from gutbrain.interactions.table import SOURCE_MODELS, load_table
from gutbrain.models import Interaction, Level
from tests.factories import (
    InteractionFactory,
    MedicineClassFactory,
    NutrientFactory,
    ReferenceFactory,
)
from tests.gutbrain.admin.browser import confirm, upload

OXAZEPAM = "N05BA04"


@contextmanager
def written_by_another_process() -> Iterator[None]:
    for model in SOURCE_MODELS:
        uid = f"forget_interaction_table:{model._meta.label_lower}"
        post_save.disconnect(sender=model, dispatch_uid=uid)
        post_delete.disconnect(sender=model, dispatch_uid=uid)
    m2m_changed.disconnect(
        sender=Interaction.references.through, dispatch_uid="forget_interaction_table:m2m"
    )
    try:
        yield
    finally:
        signals.connect()


@pytest.fixture
def lemon_balm(db) -> Interaction:
    sedatives = MedicineClassFactory(slug="sedatives", atc_prefixes="N05")
    row = InteractionFactory(
        nutrient=NutrientFactory(slug="lemon-balm"), medicine_class=sedatives, level="monitor"
    )
    row.references.add(ReferenceFactory(number=7))
    return row


def level(nutrient: str = "lemon-balm") -> str:
    return check(load_table(), [nutrient], [OXAZEPAM]).results[0].level


def test_the_first_check_reads_the_table_in_six_queries(lemon_balm, django_assert_num_queries):
    # the version of the source tables, published nutrients, medicine classes, the
    # medicine reference list, interactions with their nutrient, their references
    with django_assert_num_queries(6):
        load_table()


def test_a_cached_check_asks_only_for_the_version(lemon_balm, django_assert_num_queries):
    load_table()
    # the version of the source tables
    with django_assert_num_queries(1):
        table = load_table()
    assert table.rules["lemon-balm"][0].references == (7,)


def test_an_unchanged_knowledge_base_gives_the_very_same_table(lemon_balm):
    assert load_table() is load_table()


def test_an_edit_through_the_orm_is_seen_by_the_next_check(lemon_balm):
    assert level() == "monitor"
    lemon_balm.level = Level.AVOID
    lemon_balm.save()
    assert level() == "avoid"


def test_an_edit_by_another_process_is_seen_by_the_next_check(lemon_balm):
    assert level() == "monitor"
    with written_by_another_process():
        lemon_balm.level = Level.CONSULT
        lemon_balm.save()
    assert level() == "consult"


def test_a_reference_added_by_another_process_is_seen(lemon_balm):
    load_table()
    with written_by_another_process():
        lemon_balm.references.add(ReferenceFactory(number=9))
    assert load_table().rules["lemon-balm"][0].references == (7, 9)


def test_a_reference_renumbered_by_another_process_is_seen(lemon_balm):
    load_table()
    with written_by_another_process():
        reference = lemon_balm.references.get()
        reference.number = 8
        reference.save()
    assert load_table().rules["lemon-balm"][0].references == (8,)


def test_a_nutrient_unpublished_by_another_process_is_gone_from_the_next_check(lemon_balm):
    assert "lemon-balm" in load_table().nutrients
    with written_by_another_process():
        nutrient = lemon_balm.nutrient
        nutrient.is_published = False
        nutrient.save()
    assert "lemon-balm" not in load_table().nutrients


def test_an_interaction_deleted_by_another_process_is_gone_from_the_next_check(lemon_balm):
    assert level() == "monitor"
    with written_by_another_process():
        lemon_balm.delete()
    assert level() == "no_data"


def test_a_class_widened_by_another_process_is_seen(lemon_balm):
    assert check(load_table(), ["lemon-balm"], ["N06AB06"]).results[0].level == "clear"
    with written_by_another_process():
        sedatives = lemon_balm.medicine_class
        sedatives.atc_prefixes = "N05, N06"
        sedatives.save()
    assert check(load_table(), ["lemon-balm"], ["N06AB06"]).results[0].level == "monitor"


def test_a_history_revert_by_another_process_is_seen(lemon_balm):
    original = lemon_balm.history.earliest()
    lemon_balm.level = Level.AVOID
    lemon_balm.save()
    assert level() == "avoid"
    with written_by_another_process():
        original.instance.save()  # what the admin's "revert to this version" does
    assert level() == "monitor"


def test_a_fixture_loaded_in_this_process_is_seen(db):
    assert load_table().nutrients == frozenset()
    call_command("loaddata", "knowledge_base", verbosity=0)
    assert "lemon-balm" in load_table().nutrients


def test_an_edit_without_history_in_this_process_is_seen(lemon_balm):
    assert level() == "monitor"
    lemon_balm.level = Level.AVOID
    lemon_balm.save_without_historical_record()
    assert level() == "avoid"


def test_an_admin_import_by_another_process_is_seen(lemon_balm, curator):
    admin = Client(headers={"accept-language": "en"})
    admin.force_login(curator)
    book = openpyxl.Workbook()
    book.active.append(["nutrient", "target", "medicine_class", "level", "advice_nl"])
    book.active.append(["lemon-balm", "medicine_class", "sedatives", "avoid", "Niet samen."])
    sheet = io.BytesIO()
    book.save(sheet)
    assert level() == "monitor"
    with written_by_another_process():
        preview = upload(admin, "interaction", "interacties.xlsx", sheet.getvalue(), "xlsx")
        assert preview.status_code == 200
        assert level() == "monitor"  # the preview imports nothing
        assert confirm(admin, preview, "interaction").status_code == 302
    assert level() == "avoid"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps no row versions to compare"
)
def test_on_postgresql_a_write_outside_the_orm_is_seen(lemon_balm):
    assert level() == "monitor"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE gutbrain_interaction SET level = 'avoid' WHERE id = %s", [lemon_balm.pk]
        )
    assert level() == "avoid"
