"""The client handout (snapshot schema 2), issued for real from the knowledge base and
read back from its PDF with pypdf, as a client would read it.

The client's pages speak plain Dutch to the client: no ATC codes, no class names, no
level jargon, one instruction per finding, the reason of an acknowledged warning where
the supplement is listed. The physician's page (optional, on by default) has the
findings with medicines, codes and references. Short protocols are short."""

import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.core.files.base import ContentFile

from gutbrain.models import Interaction, Nutrient, NutrientForm
from practice.models import ClientSupplement, Protocol, SupplementLine
from practice.pdf import files
from practice.protocols import (
    SNAPSHOT_SCHEMA,
    AcknowledgementInput,
    check_consult,
    issue_protocol,
)
from tests.factories import (
    ClientFactory,
    ClientMedicationFactory,
    ConsultFactory,
    PracticeMemberFactory,
    ReferenceFactory,
    SupplementLineFactory,
)

ATC_CODE = re.compile(r"\b[A-Z]\d\d[A-Z]{2}\d\d\b")
PHYSICIAN_PAGE = "Voor uw huisarts of apotheker"
# Words of the staff and the brochure that a client's page must not show.
JARGON = ["monitoren", "psychofarmaca", "ATC", "Betreft", "capsule(s)", "tot nader order", "µg"]


def pages(protocol: Protocol) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(files.read(protocol)))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def client_pages(texts: list[str]) -> list[str]:
    """The pages before the physician's page."""
    for index, text in enumerate(texts):
        if PHYSICIAN_PAGE in text:
            return texts[:index]
    return texts


@pytest.fixture
def client(knowledge_base, practitioner):
    PracticeMemberFactory(user=practitioner)
    client = ClientFactory(
        practitioner=practitioner,
        practice=practitioner.practice_member.practice,
        first_name="Sanne",
        last_name="Mulder",
    )
    ClientMedicationFactory(
        client=client, atc_code="H03AA01", name="levothyroxine", intake_times=["08:00"]
    )
    ClientMedicationFactory(client=client, atc_code="N05BA04", name="oxazepam")
    return client


def line(consult, slug: str, order: int, **kwargs) -> SupplementLine:
    defaults = {"dose_amount": Decimal("300"), "dose_unit": "mg", "duration_weeks": 8}
    return SupplementLineFactory(
        consult=consult,
        nutrient=Nutrient.objects.get(slug=slug),
        order=order,
        **{**defaults, **kwargs},
    )


@pytest.fixture
def consult(client):
    consult = ConsultFactory(client=client)
    line(
        consult,
        "magnesium",
        1,
        form=NutrientForm.objects.get(nutrient__slug="magnesium", slug="bisglycinate"),
        dose_amount=Decimal("200"),
    )
    line(consult, "ashwagandha", 2)
    line(
        consult, "probiotics", 3, dose_amount=Decimal("2"), dose_unit="capsule", duration_weeks=None
    )
    return consult


def issue(consult, practitioner, **kwargs) -> Protocol:
    return issue_protocol(consult=consult, issued_by=practitioner, **kwargs)


def test_a_new_protocol_is_a_schema_2_handout_with_the_physician_page_by_default(
    consult, practitioner
):
    protocol = issue(consult, practitioner)

    assert protocol.snapshot["schema"] == SNAPSHOT_SCHEMA == 2
    assert protocol.snapshot["include_physician_page"] is True
    texts = pages(protocol)
    assert PHYSICIAN_PAGE in texts[-1]
    assert PHYSICIAN_PAGE not in " ".join(texts[:-1])


def test_the_clients_pages_have_no_codes_no_class_names_and_no_jargon(consult, practitioner):
    protocol = issue(consult, practitioner)

    client_text = " ".join(client_pages(pages(protocol)))
    assert not ATC_CODE.findall(client_text)
    for word in JARGON:
        assert word not in client_text, word
    assert "kalmeringsmiddel" not in client_text.lower() or "u gebruikt" in client_text.lower()
    # The brochure's own advice stays off the client's pages.
    for row in Interaction.objects.filter(nutrient__slug__in=["magnesium", "ashwagandha"]):
        assert row.advice_nl not in client_text


def test_each_finding_is_one_instruction_in_the_client_text(consult, practitioner):
    protocol = issue(consult, practitioner)

    client_text = " ".join(client_pages(pages(protocol)))
    magnesium = Interaction.objects.get(nutrient__slug="magnesium", target="any_medicine")
    first_sentence = magnesium.client_advice_nl.split(":")[0].replace("{medicines}", "")
    assert first_sentence.split()[0] in client_text
    assert "levothyroxine" in client_text and "oxazepam" in client_text


def test_doses_are_said_as_a_client_reads_them(consult, practitioner):
    protocol = issue(consult, practitioner)

    client_text = " ".join(client_pages(pages(protocol)))
    assert "2 capsules" in client_text
    assert "200 mg" in client_text
    assert "tot het volgende consult" in client_text


def test_the_day_schedule_moves_magnesium_away_from_the_levothyroxine(consult, practitioner):
    protocol = issue(consult, practitioner)

    client_text = " ".join(client_pages(pages(protocol)))
    assert "ruim 4 uur na uw levothyroxine van 8.00 uur" in client_text
    # Oxazepam's times are unknown: the general rule in words.
    assert "oxazepam" in client_text


def test_the_physician_page_names_the_medicines_codes_and_references(consult, practitioner):
    # The brochure's interaction overview cites no references; a curator may add one.
    row = Interaction.objects.get(nutrient__slug="magnesium", target="any_medicine")
    row.references.add(ReferenceFactory(number=77, citation="Jansen K. Magnesium en schildklier."))

    protocol = issue(consult, practitioner)

    physician = pages(protocol)[-1]
    assert "levothyroxine (H03AA01)" in physician
    assert "oxazepam (N05BA04)" in physician
    assert protocol.snapshot["references"] == {"77": "Jansen K. Magnesium en schildklier."}
    assert "Jansen K. Magnesium en schildklier." in physician


def test_without_the_physician_page_no_page_names_a_code(consult, practitioner):
    protocol = issue(consult, practitioner, include_physician_page=False)

    texts = pages(protocol)
    assert protocol.snapshot["include_physician_page"] is False
    assert PHYSICIAN_PAGE not in " ".join(texts)
    assert not ATC_CODE.findall(" ".join(texts))


def test_an_acknowledged_warning_is_explained_where_the_supplement_is_listed(client, practitioner):
    consult = ConsultFactory(client=client, pregnant=True)
    line(consult, "ashwagandha", 1)
    line(consult, "magnesium", 2)
    reason = "Na overleg met de verloskundige: kort en in lage dosis."

    protocol = issue(
        consult,
        practitioner,
        acknowledgements=[AcknowledgementInput("ashwagandha", reason)],
        include_physician_page=False,
    )

    client_text = " ".join(pages(protocol))
    assert "U was zwanger bij het consult" in client_text
    at_ashwagandha = client_text.index("Ashwagandha")
    at_reason = client_text.index(reason)
    at_magnesium_line = client_text.index("Magnesium", at_ashwagandha)
    # The reason stands under ashwagandha, before the next supplement of the table.
    assert at_ashwagandha < at_reason < at_magnesium_line


def test_version_2_says_what_changed(consult, practitioner):
    issue(consult, practitioner)
    consult.lines.filter(nutrient__slug="ashwagandha").delete()
    consult.lines.filter(nutrient__slug="magnesium").update(dose_amount=Decimal("300"))
    line(consult, "saffron", 4, dose_amount=Decimal("30"))

    protocol = issue(consult, practitioner)

    client_text = " ".join(client_pages(pages(protocol)))
    assert protocol.version == 2
    assert "Wat is er veranderd sinds versie 1" in client_text
    assert "Nieuw: Saffraan" in client_text
    assert "Gestopt: Ashwagandha" in client_text
    assert "Magnesium" in client_text and "(was 200 mg)" in client_text
    kinds = [change["change"] for change in protocol.snapshot["changes"]]
    assert sorted(kinds) == ["added", "changed", "stopped"]


def test_own_supplements_are_named_and_the_unchecked_one_is_said_plainly(consult, practitioner):
    ClientSupplement.objects.create(client=consult.client, name="Sint-janskruid", nutrient=None)
    ClientSupplement.objects.create(
        client=consult.client,
        name="Tryptofaan 500",
        nutrient=Nutrient.objects.get(slug="tryptophan"),
    )
    consult.client.medications.create(atc_code="N06AF03", name="fenelzine")

    protocol = issue(
        consult,
        practitioner,
        acknowledgements=[AcknowledgementInput("tryptophan", "Fenelzine wordt afgebouwd.")],
    )

    client_text = " ".join(client_pages(pages(protocol)))
    assert "Wat u zelf al gebruikt" in client_text
    assert "Sint-janskruid" in client_text and "niet in onze kennisbank" in client_text
    assert "Tryptofaan 500" in client_text


@pytest.mark.parametrize(("lines", "most_pages"), [(6, 2), (16, 3)])
def test_a_protocol_fits_its_pages(client, practitioner, lines, most_pages):
    consult = ConsultFactory(client=client)
    slugs = list(Nutrient.objects.order_by("slug").values_list("slug", flat=True))[:lines]
    for order, slug in enumerate(slugs, start=1):
        line(consult, slug, order, instructions="Met een glas water." if order % 3 else "")
    avoided = [r for r in issue_check_levels(consult) if r[1] == "avoid"]

    protocol = issue(
        consult,
        practitioner,
        acknowledgements=[AcknowledgementInput(slug, "Bewust gekozen.") for slug, _ in avoided],
        include_physician_page=False,
    )

    assert len(slugs) == lines
    assert len(pages(protocol)) <= most_pages


def issue_check_levels(consult) -> list[tuple[str, str]]:
    return [(r.nutrient, r.level) for r in check_consult(consult).results]


# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_the_practice_logo_is_embedded_and_printed(consult, practitioner):
    practice = consult.client.practice
    practice.logo.save("logo.png", ContentFile(PNG))

    protocol = issue(consult, practitioner)

    assert protocol.snapshot["practice"]["logo"].startswith("data:image/png;base64,")
    first_page = pypdf.PdfReader(io.BytesIO(files.read(protocol))).pages[0]
    assert list(first_page.images), "the logo is drawn on the page"


def test_a_logo_that_is_not_a_png_or_jpeg_is_left_off(consult, practitioner):
    practice = consult.client.practice
    practice.logo.save("logo.png", ContentFile(b"<svg onload='alert(1)'></svg>"))

    protocol = issue(consult, practitioner)

    assert protocol.snapshot["practice"]["logo"] == ""


def test_a_nutrient_with_nothing_recorded_is_never_left_to_look_safe(client, practitioner):
    consult = ConsultFactory(client=client)
    line(consult, "zinc", 1, dose_amount=Decimal("15"))

    protocol = issue(consult, practitioner, include_physician_page=False)

    client_text = " ".join(pages(protocol))
    assert "Over wisselwerking is niets bekend. Dat betekent niet dat het veilig is" in client_text
