"""The interaction table is read once per process and never answers stale.

Nothing in a process hears of a write: each check reads the knowledge base's version,
which the database's triggers change on every write of a table the check reads (gutbrain
migration 0009). "Another process" (a second gunicorn worker, a management command) is
played by a write that leaves this process's copy as it was: then only the version can
tell.
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from gutbrain.interactions import check
from gutbrain.interactions import table as interaction_table
from gutbrain.interactions.table import SOURCE_MODELS, load_table, table_version
from gutbrain.models import Indication, Interaction, Level, NutrientForm
from practice.forms import LineChoices, read_indications
from practice.views.consults import Knowledge
from tests.factories import (
    IndicationFactory,
    InteractionFactory,
    MedicineClassFactory,
    MedicineFactory,
    NutrientFactory,
    NutrientFormFactory,
    ReferenceFactory,
)
from tests.gutbrain.admin.browser import confirm, upload

OXAZEPAM = "N05BA04"


@contextmanager
def written_by_another_process() -> Iterator[None]:
    copy = dict(interaction_table._cached)
    yield
    kept = interaction_table._cached
    assert kept.keys() == copy.keys() and all(
        kept[read] is reading for read, reading in copy.items()
    ), "the write reached this process's copy"


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
    # the knowledge base's version, published nutrients, medicine classes, the medicine
    # reference list, interactions with their nutrient, their references
    with django_assert_num_queries(6):
        load_table()


def test_a_cached_check_asks_only_for_the_version(lemon_balm, django_assert_num_queries):
    load_table()
    # the knowledge base's version
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


def test_a_write_outside_the_orm_is_seen(lemon_balm):
    assert level() == "monitor"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE gutbrain_interaction SET level = 'avoid' WHERE id = %s", [lemon_balm.pk]
        )
    assert level() == "avoid"


def _check_foreign_keys_now() -> None:
    """PostgreSQL truncates no table while the transaction's deferred foreign key checks
    are pending, as they are in a test's transaction (a flush outside one has none)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_flush_is_seen_by_the_next_check(lemon_balm):
    assert "lemon-balm" in load_table().nutrients
    _check_foreign_keys_now()
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    assert table_version() is not None  # flush empties the models' tables only
    assert load_table().nutrients == frozenset()


def test_a_restore_is_seen_by_the_next_check(lemon_balm, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "gutbrain.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    lemon_balm.level = Level.AVOID
    lemon_balm.save()
    assert level() == "avoid"
    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert level() == "monitor"


class RolledBack(Exception):
    pass


def test_a_table_read_in_a_rolled_back_transaction_is_not_taken_for_a_later_edit(lemon_balm):
    # A count would come back to the same number here, with other contents.
    with pytest.raises(RolledBack), transaction.atomic():
        lemon_balm.level = Level.AVOID
        lemon_balm.save()
        assert level() == "avoid"
        raise RolledBack
    lemon_balm.level = Level.CONSULT
    lemon_balm.save()
    assert level() == "consult"


def test_without_its_version_row_the_table_is_read_afresh_on_every_check(lemon_balm):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM gutbrain_knowledge_version")
    assert table_version() is None
    assert load_table() is not load_table()
    lemon_balm.level = Level.AVOID
    lemon_balm.save()
    assert level() == "avoid"


@pytest.fixture
def a_row_in_each_table(lemon_balm) -> None:
    MedicineFactory(atc_code=OXAZEPAM, name="oxazepam")
    NutrientFormFactory(nutrient=lemon_balm.nutrient)
    IndicationFactory()


def _sql(model) -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), quote(model._meta.pk.column)


@pytest.mark.parametrize("model", SOURCE_MODELS, ids=lambda model: model._meta.db_table)
def test_a_raw_update_delete_and_insert_in_each_table_the_check_reads_change_the_version(
    a_row_in_each_table, model
):
    table_name, pk = _sql(model)
    row = model._base_manager.order_by("pk").first()
    seen = [table_version()]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table_name} WHERE {pk} = %s", [row.pk])
        columns = [column[0] for column in cursor.description]
        values = cursor.fetchone()
        cursor.execute(f"UPDATE {table_name} SET {pk} = {pk} WHERE {pk} = %s", [row.pk])
        seen.append(table_version())
        cursor.execute(f"DELETE FROM {table_name} WHERE {pk} = %s", [row.pk])
        seen.append(table_version())
        cursor.execute(
            f"INSERT INTO {table_name} ({', '.join(map(connection.ops.quote_name, columns))}) "
            f"VALUES ({', '.join(['%s'] * len(values))})",
            values,
        )
        seen.append(table_version())
    assert len(set(seen)) == 4, seen


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
@pytest.mark.parametrize("model", SOURCE_MODELS, ids=lambda model: model._meta.db_table)
def test_on_postgresql_a_truncate_of_each_table_the_check_reads_changes_the_version(
    a_row_in_each_table, model
):
    table_name, _ = _sql(model)
    before = table_version()
    _check_foreign_keys_now()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table_name} CASCADE")
    assert table_version() != before


# The consult page's other readings, kept under the same version --------------------------


def test_the_consult_pages_readings_cost_one_query_while_unchanged(
    lemon_balm, django_assert_num_queries
):
    # the version; the table (5), the published nutrients, their forms, the indications
    with django_assert_num_queries(9):
        first = Knowledge.load()
    # the version
    with django_assert_num_queries(1):
        again = Knowledge.load()
    assert again.table is first.table
    assert again.choices is first.choices
    assert again.indications is first.indications


def test_a_form_added_by_another_process_is_offered_on_the_next_page(lemon_balm):
    assert LineChoices.load().forms_by_nutrient == {}
    with written_by_another_process():
        form = NutrientFormFactory(nutrient=lemon_balm.nutrient, slug="tincture")
    assert LineChoices.load().forms_by_nutrient[lemon_balm.nutrient.pk] == [form]


def test_a_form_renamed_in_raw_sql_is_seen_on_the_next_page(lemon_balm):
    form = NutrientFormFactory(nutrient=lemon_balm.nutrient, name_nl="Tinctuur")
    assert LineChoices.load().forms[str(form.pk)].name_nl == "Tinctuur"
    with connection.cursor() as cursor:
        cursor.execute("UPDATE gutbrain_nutrientform SET name_nl = 'Thee' WHERE id = %s", [form.pk])
    assert LineChoices.load().forms[str(form.pk)].name_nl == "Thee"


def test_an_indication_edited_by_another_process_is_seen_on_the_next_page(db):
    stress = IndicationFactory(slug="stress", name_nl="Stress")
    assert [i.name_nl for i in Knowledge.load().indications] == ["Stress"]
    with written_by_another_process():
        Indication.objects.filter(pk=stress.pk).update(name_nl="Spanning")
    assert [i.name_nl for i in Knowledge.load().indications] == ["Spanning"]


def test_a_nutrient_unpublished_by_another_process_is_no_longer_offered(lemon_balm):
    assert "lemon-balm" in Knowledge.load().choices.nutrients
    with written_by_another_process():
        lemon_balm.nutrient.is_published = False
        lemon_balm.nutrient.save()
    assert "lemon-balm" not in Knowledge.load().choices.nutrients


def test_a_fixture_loaded_in_this_process_is_offered_on_the_next_page(db):
    assert read_indications() == [] and Knowledge.load().indications == []
    call_command("loaddata", "knowledge_base", verbosity=0)
    knowledge = Knowledge.load()
    assert len(knowledge.indications) == Indication.objects.count() > 0
    assert len(knowledge.choices.forms) == NutrientForm.objects.count() > 0


def test_an_admin_edit_of_a_form_is_seen_on_the_next_page(lemon_balm, curator):
    form = NutrientFormFactory(nutrient=lemon_balm.nutrient, name_nl="Tinctuur")
    LineChoices.load()
    admin = Client()
    admin.force_login(curator)
    changed = {
        "nutrient": lemon_balm.nutrient.pk,
        "slug": form.slug,
        "name_nl": "Thee",
        "name_en": "Tea",
        "order": form.order,
    }
    response = admin.post(f"/admin/gutbrain/nutrientform/{form.pk}/change/", changed)
    assert response.status_code == 302, response.content
    assert LineChoices.load().forms[str(form.pk)].name_nl == "Thee"
