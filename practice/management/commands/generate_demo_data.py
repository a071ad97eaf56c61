"""Made-up clients and consults in bulk, to measure the application at the scale of a
clinic or of a hosted service: `generate_demo_data --clients 100000 --consults-per-client 10`.

Everything is invented: Dutch first and last names (with their "van der" and "de"), dates
of birth, addresses, medicines of the reference list, consults spread over four years
with complaints and supplement lines of the knowledge base's own nutrients and forms.
The practitioners (`demo-therapeut-001`, …) get no password. The same `--seed` gives the
same people. Runs add to what is there; nothing is deleted.

Rows are written per batch of clients, in one transaction each: with `COPY` on PostgreSQL
(a million consults take minutes, not hours), with `bulk_create` elsewhere.
"""

import datetime
import math
import random
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import connection, models, transaction
from django.utils import timezone

from gutbrain.models import Indication, Medicine, Nutrient, NutrientForm
from practice.access import PRACTITIONER
from practice.models import (
    Client,
    ClientMedication,
    ClientSupplement,
    Consult,
    DoseUnit,
    Frequency,
    Practice,
    PracticeMember,
    SupplementLine,
    Timing,
)

FEMALE_NAMES = [
    "Anna",
    "Emma",
    "Sophie",
    "Julia",
    "Lotte",
    "Sanne",
    "Fleur",
    "Lisa",
    "Eva",
    "Sara",
    "Tess",
    "Noa",
    "Lieke",
    "Iris",
    "Femke",
    "Anouk",
    "Marieke",
    "Ingrid",
    "Petra",
    "Monique",
    "Linda",
    "Wendy",
    "Esther",
    "Karin",
    "Marloes",
    "Annemiek",
    "Joke",
    "Wilma",
    "Ria",
    "Greet",
    "Hanneke",
    "Ilse",
    "Janneke",
    "Kim",
    "Laura",
    "Manon",
    "Nienke",
    "Maaike",
    "Suzanne",
    "Yvonne",
    "Mirjam",
    "Els",
    "Inge",
    "Margreet",
    "Anke",
    "Bianca",
    "Renske",
    "Floor",
    "Roos",
    "Mila",
    "Zoë",
    "Evi",
    "Isa",
    "Lynn",
    "Jasmijn",
    "Nina",
    "Hanna",
    "Maud",
]
MALE_NAMES = [
    "Daan",
    "Sem",
    "Lucas",
    "Levi",
    "Finn",
    "Milan",
    "Jesse",
    "Bram",
    "Thijs",
    "Lars",
    "Ruben",
    "Tim",
    "Sven",
    "Niels",
    "Koen",
    "Jeroen",
    "Bas",
    "Pieter",
    "Jan",
    "Kees",
    "Henk",
    "Gerrit",
    "Wim",
    "Hans",
    "Mark",
    "Erik",
    "Dennis",
    "Martijn",
    "Sander",
    "Roel",
    "Wouter",
    "Joost",
    "Maarten",
    "Frank",
    "Rob",
    "Arjen",
    "Bart",
    "Rik",
    "Stijn",
    "Gijs",
    "Teun",
    "Hugo",
    "Jelle",
    "Wessel",
    "Floris",
    "Mees",
    "Job",
    "Cas",
    "Siem",
    "Tygo",
    "Joris",
    "Sjoerd",
    "Willem",
    "Herman",
    "Klaas",
    "Dirk",
]
LAST_NAMES = (
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "van den Broek",
    "de Bruijn",
    "de Bruin",
    "van der Heijden",
    "Schouten",
    "van Beek",
    "Willems",
    "van Vliet",
    "van de Ven",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Koster",
    "van Dam",
    "van der Wal",
    "Prins",
    "Blom",
    "Huisman",
    "Peeters",
    "de Jonge",
    "Kuipers",
    "van Veen",
    "Post",
    "Kuiper",
    "Veenstra",
    "Kramer",
    "van den Brink",
    "Scholten",
    "van Wijk",
    "Postma",
    "Martens",
    "Vink",
    "de Ruiter",
    "Timmermans",
    "Groen",
    "Gerritsen",
    "Jonker",
    "van Loon",
    "Boer",
    "van der Velde",
    "Willemsen",
    "Smeets",
    "de Lange",
    "de Vos",
    "Bosch",
    "van Dongen",
    "Schipper",
    "de Koning",
    "van der Laan",
    "Koning",
    "Driessen",
    "van Doorn",
    "Hermans",
    "Evers",
    "van den Bosch",
    "van der Meulen",
    "Hofman",
    "Bosman",
    "Wolters",
    "Sanders",
    "van der Horst",
    "Mol",
    "Kuijpers",
    "Molenaar",
    "van de Pol",
    "de Leeuw",
    "Verbeek",
    "in 't Veld",
    "van 't Hof",
    "'t Hart",
    "ter Horst",
    "ten Brink",
    "op den Kamp",
    "van den Akker",
    "van Rijn",
    "El Amrani",
    "Yilmaz",
    "Nguyen",
)
STREETS = [
    "Dorpsstraat",
    "Kerkstraat",
    "Schoolstraat",
    "Molenweg",
    "Stationsweg",
    "Julianastraat",
    "Beatrixlaan",
    "Wilhelminastraat",
    "Lindelaan",
    "Eikenlaan",
    "Kastanjelaan",
    "Parallelweg",
    "Hoofdstraat",
    "Markt",
    "Oranjestraat",
    "Nieuwstraat",
    "Prinsengracht",
    "Zeestraat",
    "Vondellaan",
    "Rembrandtlaan",
]
CITIES = (
    "Amsterdam",
    "Rotterdam",
    "Utrecht",
    "Den Haag",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Apeldoorn",
    "Haarlem",
    "Arnhem",
    "Enschede",
    "Amersfoort",
    "Zwolle",
    "Leiden",
    "Maastricht",
    "Dordrecht",
    "'s-Hertogenbosch",
    "Deventer",
    "Delft",
    "Alkmaar",
    "Leeuwarden",
)
CONSULT_NOTES = (
    "",
    "",
    "Klachten verminderd sinds de vorige afspraak.",
    "Slaapt beter, de darmen zijn nog onrustig.",
    "Meer stress op het werk; buikpijn na de maaltijd.",
    "Opgeblazen gevoel, vooral 's avonds.",
    "Energie iets beter, concentratie wisselend.",
    "Voedingsdagboek besproken; minder suiker.",
    "Huisarts is op de hoogte van de suppletie.",
    "Vervolgafspraak over zes weken.",
)
# A common dose per nutrient of the knowledge base, where the source gives none.
USUAL_DOSES = {
    "magnesium": ("200", DoseUnit.MG),
    "zinc": ("15", DoseUnit.MG),
    "rhodiola": ("200", DoseUnit.MG),
    "lemon-balm": ("300", DoseUnit.MG),
    "mushrooms": ("1", DoseUnit.CAPSULE),
    "bacopa": ("300", DoseUnit.MG),
    "gaba": ("250", DoseUnit.MG),
    "valerian": ("450", DoseUnit.MG),
    "melatonin": ("0.3", DoseUnit.MG),
    "tryptophan": ("500", DoseUnit.MG),
    "prebiotics": ("5", DoseUnit.G),
    "probiotics": ("1", DoseUnit.CAPSULE),
    "glutamine": ("5", DoseUnit.G),
}
DURATIONS = (4, 6, 8, 12, 12, None)
FREQUENCIES = tuple(Frequency.values)
TIMINGS = tuple(Timing.values)
CONSULT_DAYS = 4 * 365
PRACTITIONERS_PER_PRACTICE = 5

CLIENT_COLUMNS = (
    "id",
    "practice_id",
    "practitioner_id",
    "client_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "notes",
    "created_at",
    "updated_at",
)
MEDICATION_COLUMNS = ("client_id", "atc_code", "name", "medicine_id")
SUPPLEMENT_COLUMNS = ("client_id", "name", "nutrient_id", "dose")
CONSULT_COLUMNS = (
    "id",
    "client_id",
    "practitioner_id",
    "date",
    "pregnant",
    "breastfeeding",
    "notes",
    "created_at",
    "updated_at",
)
COMPLAINT_COLUMNS = ("consult_id", "indication_id")
LINE_COLUMNS = (
    "consult_id",
    "nutrient_id",
    "form_id",
    "dose_amount",
    "dose_unit",
    "frequency",
    "timing",
    "duration_weeks",
    "instructions",
    "order",
)


@dataclass(frozen=True)
class NutrientChoice:
    id: int
    name: str
    dose_amount: Decimal
    dose_unit: str
    form_ids: tuple[int | None, ...]


@dataclass(frozen=True)
class Knowledge:
    """What the generated records point at: the knowledge base's ids."""

    nutrients: tuple[NutrientChoice, ...]
    indication_ids: tuple[int, ...]
    medicines: tuple[tuple[int, str, str], ...]

    @classmethod
    def load(cls) -> "Knowledge":
        published = list(Nutrient.objects.published().order_by("pk"))
        indication_ids = tuple(Indication.objects.order_by("pk").values_list("pk", flat=True))
        if not published or not indication_ids:
            raise CommandError(
                "The knowledge base is empty: load it first with "
                "`manage.py load_knowledge_base` (or `make knowledge-base`)."
            )
        forms: dict[int, list[int]] = {}
        for nutrient_id, form_id in NutrientForm.objects.order_by("pk").values_list(
            "nutrient_id", "pk"
        ):
            forms.setdefault(nutrient_id, []).append(form_id)
        nutrients = []
        for nutrient in published:
            if (
                nutrient.usual_dose_amount is not None
                and nutrient.usual_dose_unit in DoseUnit.values
            ):
                amount, unit = nutrient.usual_dose_amount, nutrient.usual_dose_unit
            else:
                text, unit = USUAL_DOSES.get(nutrient.slug, ("1", DoseUnit.CAPSULE))
                amount = Decimal(text)
            nutrients.append(
                NutrientChoice(
                    id=nutrient.pk,
                    name=nutrient.name_nl,
                    dose_amount=amount,
                    dose_unit=str(unit),
                    form_ids=(None, *forms.get(nutrient.pk, ())),
                )
            )
        medicines = tuple(Medicine.objects.order_by("pk").values_list("pk", "atc_code", "name"))
        return cls(tuple(nutrients), indication_ids, medicines)


@dataclass
class Batch:
    """The rows of one batch of clients, per table, in the order of its columns."""

    clients: list[tuple] = field(default_factory=list)
    medications: list[tuple] = field(default_factory=list)
    supplements: list[tuple] = field(default_factory=list)
    consults: list[tuple] = field(default_factory=list)
    complaints: list[tuple] = field(default_factory=list)
    lines: list[tuple] = field(default_factory=list)

    def tables(self) -> list[tuple[type[models.Model], Sequence[str], list[tuple]]]:
        # Parents before children: the foreign keys are checked row by row.
        return [
            (Client, CLIENT_COLUMNS, self.clients),
            (ClientMedication, MEDICATION_COLUMNS, self.medications),
            (ClientSupplement, SUPPLEMENT_COLUMNS, self.supplements),
            (Consult, CONSULT_COLUMNS, self.consults),
            (Consult.complaints.through, COMPLAINT_COLUMNS, self.complaints),
            (SupplementLine, LINE_COLUMNS, self.lines),
        ]


class Generator:
    """Invents the rows of each batch; the same seed gives the same people."""

    def __init__(
        self,
        *,
        knowledge: Knowledge,
        practitioners: Sequence[tuple[int, int]],
        consults_per_client: int,
        seed: int,
        today: datetime.date,
    ):
        self.knowledge = knowledge
        self.practitioners = practitioners
        self.consults_per_client = consults_per_client
        self.random = random.Random(seed)
        self.today = today
        self.zone = timezone.get_current_timezone()

    def batch(self, client_ids: Sequence[int], consult_ids: Sequence[int]) -> Batch:
        batch = Batch()
        per_client = self.consults_per_client
        for n, client_id in enumerate(client_ids):
            self._client(batch, client_id, consult_ids[n * per_client : (n + 1) * per_client])
        return batch

    def _client(self, batch: Batch, client_id: int, consult_ids: Sequence[int]) -> None:
        rng = self.random
        female = rng.random() < 0.65
        first_name = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        last_name = rng.choice(LAST_NAMES)
        age_days = rng.randint(18 * 365, 85 * 365)
        practitioner_id, practice_id = rng.choice(self.practitioners)
        days_ago = sorted(self._consult_days(len(consult_ids)), reverse=True)
        created = self._moment(self.today - datetime.timedelta(days=days_ago[0] if days_ago else 0))
        batch.clients.append(
            (
                client_id,
                practice_id,
                practitioner_id,
                f"{client_id:07d}",
                first_name,
                last_name,
                self.today - datetime.timedelta(days=age_days),
                f"{_mailbox(first_name)}.{_mailbox(last_name)}{client_id % 1000}@example.nl",
                f"06-{rng.randint(10_000_000, 99_999_999)}",
                f"{rng.choice(STREETS)} {rng.randint(1, 250)}\n"
                f"{rng.randint(1000, 9999)} {_letters(rng)} {rng.choice(CITIES)}",
                "",
                created,
                created,
            )
        )
        if self.knowledge.medicines and rng.random() < 0.35:
            for medicine_id, atc_code, name in rng.sample(
                self.knowledge.medicines, min(rng.randint(1, 3), len(self.knowledge.medicines))
            ):
                batch.medications.append((client_id, atc_code, name, medicine_id))
        if rng.random() < 0.15:
            own = rng.choice(self.knowledge.nutrients)
            batch.supplements.append((client_id, own.name, own.id, "1 per dag"))
        may_be_pregnant = female and 20 * 365 <= age_days <= 42 * 365
        for consult_id, ago in zip(consult_ids, days_ago, strict=True):
            self._consult(batch, consult_id, client_id, practitioner_id, ago, may_be_pregnant)

    def _consult_days(self, count: int) -> list[int]:
        if count <= CONSULT_DAYS:
            return self.random.sample(range(CONSULT_DAYS), count)
        return self.random.choices(range(CONSULT_DAYS), k=count)

    def _consult(
        self,
        batch: Batch,
        consult_id: int,
        client_id: int,
        practitioner_id: int,
        days_ago: int,
        may_be_pregnant: bool,
    ) -> None:
        rng = self.random
        day = self.today - datetime.timedelta(days=days_ago)
        moment = self._moment(day)
        pregnant = may_be_pregnant and rng.random() < 0.04
        breastfeeding = may_be_pregnant and not pregnant and rng.random() < 0.03
        batch.consults.append(
            (
                consult_id,
                client_id,
                practitioner_id,
                day,
                pregnant,
                breastfeeding,
                rng.choice(CONSULT_NOTES),
                moment,
                moment,
            )
        )
        for indication_id in rng.sample(self.knowledge.indication_ids, rng.randint(1, 3)):
            batch.complaints.append((consult_id, indication_id))
        count = min(rng.randint(2, 5), len(self.knowledge.nutrients))
        for order, nutrient in enumerate(rng.sample(self.knowledge.nutrients, count)):
            batch.lines.append(
                (
                    consult_id,
                    nutrient.id,
                    rng.choice(nutrient.form_ids),
                    nutrient.dose_amount,
                    nutrient.dose_unit,
                    rng.choice(FREQUENCIES),
                    rng.choice(TIMINGS),
                    rng.choice(DURATIONS),
                    "",
                    order,
                )
            )

    def _moment(self, day: datetime.date) -> datetime.datetime:
        time_of_day = datetime.time(self.random.randint(8, 17), self.random.choice((0, 15, 30, 45)))
        return datetime.datetime.combine(day, time_of_day, tzinfo=self.zone)


def _mailbox(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_name.lower() if c.isalpha())


def _letters(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))


class Progress:
    """A one-line progress bar, redrawn in place."""

    def __init__(self, total: int, stream: OutputWrapper, what: str = "clients"):
        self.total = max(total, 1)
        self.stream = stream
        self.what = what
        self.started = time.monotonic()

    def show(self, done: int) -> None:
        width = 30
        filled = width * done // self.total
        elapsed = time.monotonic() - self.started
        rest = elapsed * (self.total - done) / done if done else 0
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {100 * done // self.total:3d}% "
            f"{done:,}/{self.total:,} {self.what}, {_duration(elapsed)} "
            f"(about {_duration(rest)} to go) ",
            ending="",
        )
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("")
        self.stream.flush()


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"


def _column(model: type[models.Model], name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` fresh primary keys for `model`, taken from its sequence on PostgreSQL."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def with_defaults(
    model: type[models.Model], columns: Sequence[str], rows: list[tuple]
) -> tuple[Sequence[str], Iterable[tuple]]:
    """The columns and rows with every other field that has a default set to it, as
    `Model.save()` would (fields added to the model later keep working)."""
    extra = [
        f
        for f in model._meta.concrete_fields
        if f.attname not in columns and not f.primary_key and f.has_default()
    ]
    if not extra:
        return columns, rows
    defaults = tuple(f.get_default() for f in extra)
    return (*columns, *(f.attname for f in extra)), (row + defaults for row in rows)


def write_with_copy(tables: Iterable[tuple[type[models.Model], Sequence[str], list[tuple]]]):
    raw = connection.connection
    with raw.cursor() as cursor:
        for model, given, given_rows in tables:
            columns, rows = with_defaults(model, given, given_rows)
            names = ", ".join(_column(model, name) for name in columns)
            table = connection.ops.quote_name(model._meta.db_table)
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


def write_with_orm(tables: Iterable[tuple[type[models.Model], Sequence[str], list[tuple]]]):
    for model, columns, rows in tables:
        model.objects.bulk_create(
            (model(**dict(zip(columns, row, strict=True))) for row in rows), batch_size=2000
        )


def demo_practitioners(count: int) -> list[tuple[int, int]]:
    """The demo practitioners as (user id, practice id), made on first use: five to a
    practice, in the practitioner group, without a password."""
    group = Group.objects.get(name=PRACTITIONER)
    rng = random.Random(count)
    practitioners = []
    for n in range(1, count + 1):
        practice, _ = Practice.objects.get_or_create(
            name=f"Demopraktijk {math.ceil(n / PRACTITIONERS_PER_PRACTICE)}",
            defaults={"address": "Voorbeeldstraat 1\n3511 AB Utrecht", "phone": "030-1234567"},
        )
        female = rng.random() < 0.7
        user, created = User.objects.get_or_create(
            username=f"demo-therapeut-{n:03d}",
            defaults={
                "first_name": rng.choice(FEMALE_NAMES if female else MALE_NAMES),
                "last_name": rng.choice(LAST_NAMES),
                "email": f"demo-therapeut-{n:03d}@example.nl",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(group)
        member, _ = PracticeMember.objects.get_or_create(user=user, defaults={"practice": practice})
        practitioners.append((user.pk, member.practice_id))
    return practitioners


class Command(BaseCommand):
    help = (
        "Add made-up clients with consults (Dutch names and dates, lines of the knowledge "
        "base's nutrients) to measure the application at scale. Needs the knowledge base."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clients", type=int, default=1000, help="Clients to add.")
        parser.add_argument(
            "--consults-per-client", type=int, default=10, help="Consults of each client."
        )
        parser.add_argument(
            "--practitioners",
            type=int,
            default=10,
            help="Demo practitioners to spread the clients over (made when missing).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random choices.")
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Clients written per transaction."
        )

    def handle(self, *args, **options) -> None:
        clients, per_client = options["clients"], options["consults_per_client"]
        if clients < 0 or per_client < 0 or options["practitioners"] < 1:
            raise CommandError(
                "--clients and --consults-per-client cannot be negative; "
                "--practitioners must be at least 1."
            )
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        knowledge = Knowledge.load()
        with transaction.atomic():
            practitioners = demo_practitioners(options["practitioners"])
        generator = Generator(
            knowledge=knowledge,
            practitioners=practitioners,
            consults_per_client=per_client,
            seed=options["seed"],
            today=timezone.localdate(),
        )
        write = write_with_copy if connection.vendor == "postgresql" else write_with_orm
        started = time.monotonic()
        progress = Progress(clients, self.stderr)
        totals = {"clients": 0, "consults": 0, "lines": 0}
        progress.show(0)
        for start in range(0, clients, options["batch_size"]):
            size = min(options["batch_size"], clients - start)
            with transaction.atomic():
                batch = generator.batch(
                    reserve_ids(Client, size), reserve_ids(Consult, size * per_client)
                )
                write(batch.tables())
            totals["clients"] += len(batch.clients)
            totals["consults"] += len(batch.consults)
            totals["lines"] += len(batch.lines)
            progress.show(start + size)
        progress.finish()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model, _, _ in Batch().tables():
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        self.stdout.write(
            f"Added {totals['clients']:,} clients, {totals['consults']:,} consults and "
            f"{totals['lines']:,} supplement lines in {_duration(time.monotonic() - started)}."
        )
