"""The shared cast of users and the loaded knowledge base.

- `curator`: edits the knowledge base in the admin (group `curator`, is_staff).
- `practitioner` and `colleague`: therapists (group `practitioner`).
- `outsider`: an authenticated user in no group.
- `admin_user`: pytest-django's superuser.
- `served_schema(language)`: `/api/v1/schema/` as a practitioner's integration is served it.

The knowledge base (fixtures/knowledge_base.json) is loaded once per test database, after
the migrations (`django_db_setup`), not once per test: a test that asks for
`knowledge_base` finds it there, and one that does not finds its tables empty (deleted in
the test's own transaction, which rolls back). A transactional test starts from the rows
the migrations wrote (its serialized rollback) and empties every table when it ends; it
loads the knowledge base itself when it asks for it, and the modules that have such tests
put the database back as it was with `restore_after_flush()`.
"""

import gc
import json
from collections.abc import Callable, Iterator

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.test import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from gutbrain.interactions import table as interaction_table
from gutbrain.models import Nutrient
from tests.factories import UserFactory, api_token
from tests.storage import dead_endpoint, local_media, moto_endpoint, s3_media  # noqa: F401

# `redis_server`: a real redis-server as the default cache (tests/redis_server.py).
pytest_plugins = ["tests.redis_server"]


def pytest_collection_finish(session: pytest.Session) -> None:
    """Keeps Python's full garbage collections to the objects made since the last one.

    A full collection walks every object the interpreter tracks: after collection half a
    million and more (the libraries, the test items, Django's caches), nearly all of them
    alive until the end, walked again some 35 times a worker. The garbage collector took
    50 of the suite's 330 CPU seconds (measured with `gc.callbacks`). The objects are
    frozen now (`gc.freeze`: never walked again), and so is whatever survives each later
    full collection: 17 seconds. The price: a cycle that was alive at such a moment and
    dies later is not freed, some 350 MB more a worker by the end (850 MB at most)."""
    gc.collect()
    gc.freeze()
    gc.callbacks.append(_freeze_survivors)


def _freeze_survivors(phase: str, info: dict) -> None:
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()


def _member(username: str, group: str | None, **extra) -> User:
    user = UserFactory(username=username, **extra)
    if group:
        # get_or_create: a transactional test (live_server) flushes the migration's groups.
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def make_curator() -> User:
    user = _member("curator", "curator", is_staff=True)
    group = Group.objects.get(name="curator")
    if not group.permissions.exists():  # restored after a transactional test's flush
        group.permissions.set(Permission.objects.filter(content_type__app_label="gutbrain"))
    return user


@pytest.fixture
def curator(db) -> User:
    return make_curator()


def make_practitioner() -> User:
    return _member("practitioner", "practitioner", first_name="Anna", last_name="de Vries")


@pytest.fixture
def practitioner(db) -> User:
    return make_practitioner()


def make_colleague() -> User:
    return _member("colleague", "practitioner", first_name="Bram", last_name="Jansen")


@pytest.fixture
def colleague(db) -> User:
    return make_colleague()


def make_superuser() -> User:
    """The superuser pytest-django's `admin_user` is, for setup outside a test."""
    return User.objects.create_superuser("admin", password="password")


@pytest.fixture
def outsider(db) -> User:
    return _member("outsider", None)


# The fixtures through which a test reaches the database, besides the `django_db` marker.
DATABASE_FIXTURES = (
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
)
# The knowledge base's tables (the gutbrain app's, with their history), which the
# migrations leave empty.
KNOWLEDGE_BASE_MODELS = tuple(apps.get_app_config("gutbrain").get_models(include_auto_created=True))


def _beside(models, prefix: str) -> list[tuple[type[Model], str, str]]:
    """Each model with a table of its own, its table, and the table beside it named with
    `prefix` that keeps a copy of its rows (no model's, so that a flush leaves it)."""
    quote = connection.ops.quote_name
    return [
        (model, quote(model._meta.db_table), quote(f"{prefix}{model._meta.db_table}"))
        for model in models
        if model._meta.managed and not model._meta.proxy
    ]


def _tables() -> list[tuple[str, str]]:
    """Each table of the knowledge base, and the copy of its rows as loaded."""
    return [(table, copy) for _, table, copy in _beside(KNOWLEDGE_BASE_MODELS, "copy_")]


def load_knowledge_base() -> None:
    """Puts back the rows `django_db_setup` loaded, in place of whatever the tables hold,
    in a few statements rather than `loaddata`'s hundreds."""
    with transaction.atomic(), connection.cursor() as cursor:
        empty_knowledge_base()
        for table, copy in _tables():
            cursor.execute(f"INSERT INTO {table} SELECT * FROM {copy}")
    _sequences_past_the_rows()


def _sequences_past_the_rows() -> None:
    """Sets the tables' id sequences (PostgreSQL's) past the ids of the knowledge base."""
    statements = connection.ops.sequence_reset_sql(no_style(), KNOWLEDGE_BASE_MODELS)
    if statements:
        with connection.cursor() as cursor:
            cursor.execute("\n".join(statements))


def empty_knowledge_base() -> None:
    """Deletes every row of the knowledge base's tables."""
    # One transaction (a savepoint in a test's), in which the foreign keys are checked
    # once all are deleted.
    with transaction.atomic(), connection.cursor() as cursor:
        for table, _ in _tables():
            cursor.execute(f"DELETE FROM {table}")
        if connection.vendor == "postgresql":
            # Now, not when the test's transaction ends: a flush or a TRUNCATE later in
            # the test needs no trigger events pending.
            connection.check_constraints()


def restore_after_flush() -> None:
    """Puts back what a transactional test's flush emptied, for the tests after it: the
    rows the migrations wrote (the staff groups) and the knowledge base."""
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    load_knowledge_base()


# The tables the migrations wrote rows to: (table, its copy, its primary key column).
_MIGRATED_ROWS: list[tuple[str, str, str]] = []


def _keep_migrated_rows() -> None:
    """Copies the rows the migrations wrote (the staff groups, their permissions, the
    content types, the knowledge base's version row, ...) to tables beside theirs, and
    makes the transactional tests' serialized rollback put them back from there
    (`put_back_migrated_rows_on`)."""
    with connection.cursor() as cursor:
        for model, table, copy in _beside(apps.get_models(include_auto_created=True), "migrated_"):
            cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")
            if cursor.fetchone():
                cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {table}")
                pk = connection.ops.quote_name(model._meta.pk.column)
                _MIGRATED_ROWS.append((table, copy, pk))
    put_back_migrated_rows_on(connection)


def put_back_migrated_rows_on(db: BaseDatabaseWrapper) -> None:
    """Makes `db`'s serialized rollback put back the migrations' rows from their copies.

    Django serialized the same rows after migrating and puts them back before each
    transactional test, saving them one by one through the ORM (a sixth of a second a
    test); one `INSERT ... SELECT` per table adds those that are missing, as Django's
    saves do (a row already there is the migrations' own: the tests before rolled back).
    Any other string is deserialized as Django does."""
    deserialize = db.creation.deserialize_db_from_string

    def put_back(data: str) -> None:
        if data is not getattr(db, "_test_serialized_contents", None):
            deserialize(data)
            return
        # One transaction, in which the foreign keys are checked when it commits.
        with transaction.atomic(using=db.alias), db.cursor() as cursor:
            for table, copy, pk in _MIGRATED_ROWS:
                cursor.execute(
                    f"INSERT INTO {table} SELECT * FROM {copy} AS kept WHERE NOT EXISTS "
                    f"(SELECT 1 FROM {table} AS row WHERE row.{pk} = kept.{pk})"
                )

    db.creation.deserialize_db_from_string = put_back


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> None:
    """The test database, migrated, with the rows the migrations wrote kept for the
    transactional tests' rollback (`_keep_migrated_rows`), and the knowledge base loaded
    and copied: transactional tests start without the knowledge base."""
    with django_db_blocker.unblock():
        _keep_migrated_rows()
        call_command("loaddata", "knowledge_base", verbosity=0)
        with connection.cursor() as cursor:
            for table, copy in _tables():
                cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {table}")


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker) -> Iterator[None]:
    """A transaction around all of a module's tests, for rows they share, made once by a
    module-scoped fixture (what `TestCase.setUpTestData` does for a class): each test's
    own transaction is a savepoint of it, rolled back after the test, and this one is
    rolled back after the module. Not for modules with transactional tests."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # Marked as a test case's own block: the application's checks for a transaction
        # of its own (`practice.accesslog`, `durable`) look through it.
        atomic._from_testcase = True
        atomic.__enter__()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_media_root(tmp_path_factory) -> Iterator[None]:
    """A media folder for a module that makes its records (and their PDFs) once: a
    module's own `_media_root`, in place of the per-test folder, asks for it."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture
def knowledge_base(db) -> None:
    """The whole source document, as `make run` loads it: there since `django_db_setup`,
    except in a transactional test after another one's flush, which loads it again."""
    if not Nutrient.objects.exists():
        load_knowledge_base()
    else:
        # PostgreSQL rolls back no sequence: a test that set them lower (a restore) left
        # them behind the knowledge base's ids.
        _sequences_past_the_rows()


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in the site's default language (Dutch): a request that asked for
    English leaves it active in the worker's thread, and the next test would read English."""
    translation.deactivate()


@pytest.fixture(autouse=True)
def _interaction_table_read_afresh() -> None:
    """Each test starts as a freshly started process does, without an interaction table
    (`gutbrain.interactions.table`): its first check reads it, in the queries the tests
    pin. The knowledge base's version no longer changes between tests, so a table read
    by an earlier test would otherwise be taken. The same holds for the other readings kept
    under the version (`load_cached`: the consult page's nutrients, forms, indications)."""
    interaction_table._cached.clear()


@pytest.fixture(autouse=True)
def _knowledge_base_only_when_asked(request: pytest.FixtureRequest) -> None:
    """A test that reaches the database without asking for `knowledge_base` finds the
    knowledge base's tables empty, as its factories expect."""
    if "knowledge_base" in request.fixturenames:
        return
    uses_database = request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in DATABASE_FIXTURES
    )
    if uses_database:
        request.getfixturevalue("db")
        empty_knowledge_base()


@pytest.fixture(scope="session")
def served_schema(django_db_setup, django_db_blocker) -> Callable[..., dict]:
    """`/api/v1/schema/` (JSON) as a practitioner's integration is served it, in a language
    (Dutch unless asked): drf-spectacular takes about a second to build it, so it is asked
    for once per test process and language (by a practitioner made in a transaction that
    is rolled back) and each call hands out a fresh copy. The tests of the schema's own
    answer (its media type, YAML, the language it follows) ask the endpoint themselves."""
    served: dict[str, bytes] = {}

    def schema(language: str = "nl") -> dict:
        if language not in served:
            with django_db_blocker.unblock(), transaction.atomic():
                api = APIClient()
                api.force_authenticate(make_practitioner())
                response = api.get(
                    "/api/v1/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE=language
                )
                transaction.set_rollback(True)
            assert response.status_code == 200, response.content[:500]
            assert response["Content-Language"] == language
            served[language] = response.content
        return json.loads(served[language])

    return schema


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def practitioner_api(practitioner) -> APIClient:
    """The practitioner's integration, with a token as a real one sends it: each request
    looks up the token with its user, and the user's tokens (two queries, knox's), afresh,
    as in production."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(practitioner)}")
    return client
