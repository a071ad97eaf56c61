"""The two CDS Hooks services and what one call of them does.

`gutbrain-order-select` (hook `order-select`) checks the orders the clinician has just
selected (`context.selections`), `gutbrain-order-sign` (`order-sign`) all draft orders
(`context.draftOrders`). Both run the practice's interaction check (`gutbrain.interactions`)
of the nutrients the orders name against the patient's medicines, pregnancy and
breastfeeding, and answer cards (`cdshooks.cards`).

The patient's data comes from the call's `prefetch`, under the keys the discovery
document asks for (`PREFETCH`):
- a key that is there is the data; `null` means the EHR has none (no medicines; not
  pregnant); an OperationOutcome with an error in it means the EHR could not get it;
- a key that is missing (or could not be got) is fetched from the EHR's registered FHIR
  server with the call's `fhirAuthorization` (`cdshooks.fetch`);
- medicines that can be had neither way make the call fail with 412, as the specification
  says; a pregnancy or breastfeeding status that cannot be had is checked as "no", and a
  card says so.
Medicines ordered in the same session (ATC-coded `MedicationRequest`s among the draft
orders) count as taken too: a tryptophan order beside an MAO inhibitor order is the very
combination the check is for.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cdshooks import cards
from cdshooks.fetch import BEARER_TOKEN, FHIR_ID, FhirServer, fill
from cdshooks.fhirdata import (
    BREASTFEEDING,
    PREGNANT,
    InvalidData,
    Medications,
    Medicines,
    NamedNutrient,
    NutrientNames,
    Unavailable,
    medications_of,
    medicines_in,
    next_page,
    nutrients_ordered,
    observed_state,
    order_key,
    parse_resource,
    reports_failure,
    resources_of,
)
from cdshooks.models import CallOutcome, CdsClient
from gutbrain.interactions import check, load_table
from gutbrain.models import Nutrient
from gutbrain.text import is_english
from practice.fhir.codes import LOINC_BREASTFEEDING_STATUS, LOINC_PREGNANCY_STATUS, LOINC_SYSTEM

PREFETCH = {
    "medications": "MedicationStatement?patient={{context.patientId}}",
    "pregnancy": (
        f"Observation?patient={{{{context.patientId}}}}&code={LOINC_SYSTEM}|"
        f"{LOINC_PREGNANCY_STATUS}"
    ),
    "breastfeeding": (
        f"Observation?patient={{{{context.patientId}}}}&code={LOINC_SYSTEM}|"
        f"{LOINC_BREASTFEEDING_STATUS}"
    ),
}
# The orders one call may name: a clinician's session holds a handful.
MAX_SELECTIONS = 100


@dataclass(frozen=True)
class Service:
    id: str
    hook: str
    title: Promise
    description: Promise

    def discovery(self) -> dict:
        return {
            "hook": self.hook,
            "title": str(self.title),
            "description": str(self.description),
            "id": self.id,
            "prefetch": dict(PREFETCH),
        }


SERVICES = {
    service.id: service
    for service in (
        Service(
            id="gutbrain-order-select",
            hook="order-select",
            title=gettext_lazy("Supplement interactions (gutbrain)"),
            description=gettext_lazy(
                "Checks the supplements just selected (nutrients of the gutbrain knowledge "
                "base, coded in its nutrient code system or named) against the patient's "
                "medicines (ATC), pregnancy and breastfeeding, with the interaction table of "
                "the knowledge base."
            ),
        ),
        Service(
            id="gutbrain-order-sign",
            hook="order-sign",
            title=gettext_lazy("Supplement interactions before signing (gutbrain)"),
            description=gettext_lazy(
                "Checks every supplement about to be signed (nutrients of the gutbrain "
                "knowledge base, coded in its nutrient code system or named) against the "
                "patient's medicines (ATC), pregnancy and breastfeeding, with the interaction "
                "table of the knowledge base."
            ),
        ),
    )
}


class MedicinesUnavailable(Exception):
    """The medicines could be had neither from the call nor from the FHIR server: 412."""

    def __init__(self, message: str, *, fetched: bool):
        super().__init__(message)
        self.fetched = fetched


@dataclass
class Answer:
    cards: list[dict]
    outcome: str
    fetched: bool = False


def nutrient_names() -> tuple[NutrientNames, dict[str, str]]:
    """The published nutrients to match orders against, and each one's name in the active
    language. One query."""
    rows = list(Nutrient.objects.published().values_list("slug", "name_nl", "name_en"))
    by_name: dict[str, str] = {}
    for slug, name_nl, name_en in rows:
        for name in (name_nl, name_en):
            if name:
                by_name.setdefault(name.strip().casefold(), slug)
    english = is_english()
    display = {slug: (english and name_en) or name_nl for slug, name_nl, name_en in rows}
    return NutrientNames(frozenset(display), by_name), display


@dataclass
class PatientData:
    """The patient's data of one call: its prefetch, else the registered FHIR server."""

    client: CdsClient
    body: dict
    patient_id: str
    prefetch: dict = field(init=False, default_factory=dict)
    server: FhirServer | None = field(init=False, default=None)
    no_server: str = field(init=False, default="")

    def __post_init__(self) -> None:
        prefetch = self.body.get("prefetch", {})
        if not isinstance(prefetch, dict):
            raise InvalidData("prefetch", _("The prefetch must be an object."))
        self.prefetch = prefetch
        self.server, self.no_server = self._server()

    def _server(self) -> tuple[FhirServer | None, str]:
        registered = self.client.fhir_server
        if not registered:
            return None, _("the EHR has no registered FHIR server")
        named = self.body.get("fhirServer")
        if named is not None and (
            not isinstance(named, str) or named.strip().rstrip("/") != registered
        ):
            return None, _("the call names a FHIR server other than the registered one")
        authorization = self.body.get("fhirAuthorization")
        if authorization is None:
            return None, _("the call carries no fhirAuthorization")
        if not isinstance(authorization, dict):
            raise InvalidData("fhirAuthorization", _("The fhirAuthorization must be an object."))
        token = authorization.get("access_token")
        if not isinstance(token, str) or not BEARER_TOKEN.fullmatch(token):
            raise InvalidData(
                "fhirAuthorization.access_token",
                _("The access token must be a text of visible ASCII characters."),
            )
        token_type = authorization.get("token_type", "Bearer")
        if not isinstance(token_type, str) or token_type.lower() != "bearer":
            raise InvalidData("fhirAuthorization.token_type", _("The token_type must be Bearer."))
        return FhirServer(registered, token, timeout=settings.CDS_FHIR_TIMEOUT), ""

    @property
    def fetched(self) -> bool:
        return self.server is not None and self.server.used

    def get(self, key: str) -> list:
        """The resources of a prefetch key: those sent, else those fetched. `Unavailable`
        when neither can be had."""
        field_name = f"prefetch.{key}"
        if key in self.prefetch:
            value = self.prefetch[key]
            if value is None:
                return []
            resource = parse_resource(value, field_name)
            resources = resources_of(resource)
            if not reports_failure(resources):
                following = next_page(resource)
                if following is None:
                    return resources
                if self.server is not None:
                    return resources + self.server.pages(following)
                why = self.no_server
                raise Unavailable(_("the prefetch has more pages and %(why)s") % {"why": why})
        if self.server is None:
            raise Unavailable(self.no_server)
        return self.server.search(fill(PREFETCH[key], patient_id=self.patient_id))


def _context(body: dict, service: Service) -> tuple[dict, str]:
    if body.get("hook") != service.hook:
        raise InvalidData(
            "hook", _("This service answers the hook %(hook)s.") % {"hook": service.hook}
        )
    instance = body.get("hookInstance")
    if not isinstance(instance, str) or not instance.strip():
        raise InvalidData("hookInstance", _("The call's hookInstance (a UUID) is required."))
    context = body.get("context")
    if not isinstance(context, dict):
        raise InvalidData("context", _("The context must be an object."))
    patient_id = context.get("patientId")
    if not isinstance(patient_id, str) or not FHIR_ID.fullmatch(patient_id):
        raise InvalidData(
            "context.patientId",
            _("The patient's FHIR id is required: letters, digits, - and ., at most 64."),
        )
    return context, patient_id


def _orders(context: dict, service: Service):
    draft = parse_resource(context.get("draftOrders"), "context.draftOrders")
    if draft.get_resource_type() != "Bundle":
        raise InvalidData("context.draftOrders", _("The draft orders must be a Bundle."))
    orders = resources_of(draft)
    if service.hook != "order-select":
        return draft, orders
    selections = context.get("selections")
    if (
        not isinstance(selections, list)
        or not selections
        or len(selections) > MAX_SELECTIONS
        or not all(isinstance(s, str) for s in selections)
    ):
        raise InvalidData(
            "context.selections",
            _(
                "The selections must be a list of at most %(max)d orders, such as "
                "MedicationRequest/103."
            )
            % {"max": MAX_SELECTIONS},
        )
    by_key = {order_key(order): order for order in orders}
    missing = [s for s in selections if s not in by_key]
    if missing:
        raise InvalidData(
            "context.selections",
            _("Not among the draft orders: %(orders)s.") % {"orders": ", ".join(missing[:5])},
        )
    return draft, [by_key[s] for s in dict.fromkeys(selections)]


def answer(*, service: Service, client: CdsClient, body: dict) -> Answer:
    """The cards for one call. Raises `InvalidData` (400) and `MedicinesUnavailable` (412)."""
    context, patient_id = _context(body, service)
    draft, orders = _orders(context, service)
    names, display = nutrient_names()
    named = nutrients_ordered(orders, draft, names)
    if not named:
        return Answer(cards=[], outcome=CallOutcome.NO_NUTRIENT)

    data = PatientData(client=client, body=body, patient_id=patient_id)
    medicines = Medicines()
    try:
        taken = data.get("medications")
    except Unavailable as exc:
        raise MedicinesUnavailable(
            _("The patient's medicines were not in the call and could not be fetched: %(why)s.")
            % {"why": exc},
            fetched=data.fetched,
        ) from None
    medicines.add(medicines_in(taken, Medications(taken, {})))
    medicines.add(medicines_in(resources_of(draft), medications_of(draft), only_coded=True))
    states: dict[str, bool] = {}
    unknown: list[str] = []
    reasons: list[str] = []
    for key, code, answers in (
        ("pregnancy", LOINC_PREGNANCY_STATUS, PREGNANT),
        ("breastfeeding", LOINC_BREASTFEEDING_STATUS, BREASTFEEDING),
    ):
        try:
            states[key] = observed_state(data.get(key), loinc_code=code, answers=answers)
        except Unavailable as exc:
            states[key] = False
            unknown.append(key)
            reasons.append(str(exc))

    table = load_table()
    checked = [n for n in named if n.slug is not None and n.slug in table.nutrients]
    result = check(
        table,
        [n.slug for n in checked],
        list(medicines.names),
        pregnant=states["pregnancy"],
        breastfeeding=states["breastfeeding"],
        medicine_names={code: name for code, name in medicines.names.items() if name},
    )
    medicine_names = {m.atc_code: m.name or "" for m in result.medicines}
    found = cards.nutrient_cards(list(result.results), display, medicine_names)
    found.extend(
        cards.not_checked_card(n.label, n.code) for n in _unique(named) if n not in checked
    )
    if medicines.unread:
        found.append(cards.unread_medicines_card(medicines.unread))
    if unknown:
        found.append(cards.unknown_states_card(unknown, "; ".join(dict.fromkeys(reasons))))
    return Answer(cards=found, outcome=CallOutcome.CARDS, fetched=data.fetched)


def _unique(named: list[NamedNutrient]) -> list[NamedNutrient]:
    return list(dict.fromkeys(named))


def request_body(data: Any) -> dict:
    if not isinstance(data, dict):
        raise InvalidData("non_field_errors", _("The body must be a JSON object."))
    return data
