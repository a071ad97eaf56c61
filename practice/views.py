"""The practice's staff pages: clients, consults with their live interaction check,
protocol templates and issued protocols.

Views are thin: the helpers of `practice.access` find each record (404 for records the
user may not see), forms validate, `practice.services` and `practice.protocols` write.
Every page reads in a fixed number of queries whatever the number of rows; the tests in
`tests/practice/views/` pin the counts. Every access to a client record, and every refused
attempt, is written to the access log (`practice.accesslog`): each view says what it logs.
"""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Prefetch, Subquery
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gutbrain import text
from gutbrain.interactions import (
    LEVEL_ORDER,
    CheckResult,
    InteractionTable,
    load_table,
)
from gutbrain.models import Indication, Nutrient
from practice import accesslog, records, services
from practice.access import (
    ASSISTANT,
    client_contacts_for,
    clients_for,
    consults_for,
    get_client_contact_for_user,
    get_client_for_user,
    get_consult_for_user,
    get_protocol_for_user,
    get_template_for_user,
    is_practice_admin,
    is_practitioner,
    may_delete_template,
    may_see_whole_client,
    may_share_template,
    protocols_for,
    roles_of,
    templates_for,
)
from practice.forms import (
    ClientForm,
    ClientSearchForm,
    ConsultForm,
    EraseClientForm,
    IssueForm,
    LineChoices,
    LineFormSet,
    MedicationFormSet,
    MedicineList,
    NewConsultForm,
    OwnSupplementFormSet,
    SaveTemplateForm,
    line_initial,
    medication_initial,
    plain_decimal,
)
from practice.models import (
    AccessAction,
    AccessLogEntry,
    AccessRecordType,
    Client,
    ClientSupplement,
    Consult,
    Protocol,
    ProtocolTemplate,
    SupplementLine,
    TemplateLine,
)
from practice.pdf import files as pdf_files
from practice.pdf import protocol_context, render_protocol_html
from practice.protocols import (
    CHECK_PREFETCH,
    CheckChanged,
    UnacknowledgedAvoid,
    check_consult,
    issue_protocol,
)
from practice.suggestions import load_suggestion_data, omission_reason, rank_suggestions

CLIENTS_PER_PAGE = 25
ACCESS_LOG_ON_CLIENT_PAGE = 10
ACCESS_LOG_PER_PAGE = 50
RECENT_CONSULTS = 10
LINES_PREFIX = "lines"


def practitioner_required(view: Callable) -> Callable:
    """Logged in and a practitioner; other users get 403. Pages that show one record use
    the access helpers instead, which answer 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_practitioner(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


# Errors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorItem:
    """One line of a page's error summary, linking to the input it is about."""

    text: str
    target: str = ""


def _field_errors(form: forms.Form, prefix: str = "") -> list[ErrorItem]:
    items = [ErrorItem(f"{prefix}{error}") for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        bound = form[name]
        # A label that is a question keeps its own mark: "…afgeraden? — Dit veld is
        # vereist.", never "…afgeraden?: Dit veld…".
        separator = " — " if str(bound.label).endswith(("?", "!", ".", ":")) else ": "
        items.extend(
            ErrorItem(f"{prefix}{bound.label}{separator}{error}", bound.auto_id) for error in errors
        )
    return items


def error_summary(
    form: forms.Form | None = None,
    formsets: Iterable[tuple[forms.BaseFormSet, str]] = (),
) -> list[ErrorItem]:
    """Every error of the page, in the order of the page. `formsets` pairs each formset
    with its row label ("Line %(number)s")."""
    items = _field_errors(form) if form is not None and form.is_bound else []
    for formset, row_label in formsets:
        if not formset.is_bound:
            continue
        items.extend(ErrorItem(str(error)) for error in formset.non_form_errors())
        for number, row in enumerate(formset.forms, start=1):
            items.extend(_field_errors(row, prefix=f"{row_label % {'number': number}} – "))
    return items


def _add_service_errors(exc: ValidationError, form: forms.Form) -> None:
    """A write function's messages beside the form's own inputs; the others (about the
    nested lists) on the form as a whole, so the error summary shows them."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.error_dict.items():
        form.add_error(key if key in form.fields else None, errors)


# Dashboard ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecentConsult:
    """A row of the dashboard: enough to tell two consults of one day apart."""

    consult: Consult
    line_count: int
    latest_version: int | None
    saved_check: CheckResult | None
    """The check of the saved consult; None when a line's nutrient was unpublished."""


def _recent_consults(user: User) -> list[RecentConsult]:
    """The user's newest consults with their saved checks, in a fixed number of queries."""
    consults = list(
        consults_for(
            user,
            Consult.objects.select_related("client")
            .annotate(latest_version=Max("protocols__version"))
            .prefetch_related(
                *CHECK_PREFETCH,
                Prefetch("lines", SupplementLine.objects.select_related("nutrient")),
            ),
        ).order_by("-date", "-pk")[:RECENT_CONSULTS]
    )
    table = load_table() if consults else None
    return [
        RecentConsult(
            consult=consult,
            line_count=len(consult.lines.all()),
            latest_version=consult.latest_version,
            saved_check=_saved_check(consult, table),
        )
        for consult in consults
    ]


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    practitioner = is_practitioner(request.user)
    assistant = not practitioner and ASSISTANT in roles_of(request.user)
    consults = _recent_consults(request.user) if practitioner else []
    return render(
        request,
        "practice/dashboard.html",
        {
            "is_practitioner": practitioner,
            "is_assistant": assistant,
            "consults": consults,
        },
    )


# Clients --------------------------------------------------------------------------------


@login_required
@require_safe
def client_list(request: HttpRequest) -> HttpResponse:
    """The practitioner's clients; for an assistant, the contact list of the clients of
    the practitioners they assist."""
    form = ClientSearchForm(request.GET or None)
    if is_practitioner(request.user):
        clients = form.filter(clients_for(request.user)).annotate(
            # A subquery per row of the page, not an aggregate over every consult of
            # every client: the page stays fast with a million consults.
            last_consult=Subquery(
                Consult.objects.filter(client=OuterRef("pk")).order_by("-date").values("date")[:1]
            )
        )
        contacts_only = False
    elif ASSISTANT in roles_of(request.user):
        clients = form.filter(client_contacts_for(request.user))
        contacts_only = True
    else:
        raise PermissionDenied(_("Only practitioners and their assistants see clients."))
    clients = clients.order_by("last_name", "first_name", "pk")
    page = Paginator(clients, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "practice/client_list.html",
        {
            "form": form,
            "page": page,
            "searching": bool(form.is_valid() and form.cleaned_data["q"]),
            "contacts_only": contacts_only,
        },
    )


def _client_formsets(
    request: HttpRequest, client: Client | None, medicines: MedicineList
) -> tuple[MedicationFormSet, OwnSupplementFormSet]:
    nutrients = list(Nutrient.objects.published())
    data = request.POST if request.method == "POST" else None
    medications = MedicationFormSet(
        data,
        prefix="medications",
        initial=medication_initial(client.medications.all()) if client else None,
        form_kwargs={"medicines": medicines},
    )
    supplements = OwnSupplementFormSet(
        data,
        prefix="supplements",
        initial=(
            [
                {"name": s.name, "nutrient": s.nutrient.slug if s.nutrient else "", "dose": s.dose}
                for s in client.own_supplements.all()
            ]
            if client
            else None
        ),
        form_kwargs={"nutrients": nutrients},
    )
    return medications, supplements


def _client_form_page(request: HttpRequest, client: Client | None) -> HttpResponse:
    """Create (`client` None) or edit a client with their medicines and own supplements."""
    member = getattr(request.user, "practice_member", None) if client is None else None
    if client is None and member is None:
        return render(request, "practice/no_practice.html", status=403)
    medicines = MedicineList.load()
    data = request.POST if request.method == "POST" else None
    form = ClientForm(data, instance=client)
    medications, supplements = _client_formsets(request, client, medicines)
    if request.method == "POST" and all(
        [form.is_valid(), medications.is_valid(), supplements.is_valid()]
    ):
        fields = {name: form.cleaned_data[name] for name in ClientForm.Meta.fields}
        medication_inputs = [
            services.MedicationInput(
                atc_code=m["atc_code"], name=m["name"], intake_times=m["intake_times"]
            )
            for m in medications.medications()
        ]
        supplement_inputs = [services.OwnSupplementInput(**s) for s in supplements.supplements()]
        try:
            # One transaction: the access log has the write if and only if it happened.
            with transaction.atomic():
                if client is None:
                    client = services.client_create(
                        practitioner=request.user,
                        practice=member.practice,
                        medications=medication_inputs,
                        own_supplements=supplement_inputs,
                        **fields,
                    )
                    accesslog.record(request, action=AccessAction.CREATE, obj=client)
                    messages.success(request, _("The client has been added."))
                else:
                    services.client_update(
                        client=client,
                        fields=fields,
                        medications=medication_inputs,
                        own_supplements=supplement_inputs,
                    )
                    accesslog.record(request, action=AccessAction.UPDATE, obj=client)
                    messages.success(request, _("The client has been saved."))
        except ValidationError as exc:
            _add_service_errors(exc, form)
        else:
            return redirect(client)
    if client is not None and client.pk is not None:
        accesslog.record(request, action=AccessAction.READ, obj=client)
    return render(
        request,
        "practice/client_form.html",
        {
            "client": client,
            "form": form,
            "medications": medications,
            "supplements": supplements,
            "medicines": medicines.medicines,
            "errors": error_summary(
                form,
                [
                    (medications, _("Medicine %(number)s")),
                    (supplements, _("Own supplement %(number)s")),
                ],
            ),
        },
    )


@practitioner_required
@require_http_methods(["GET", "HEAD", "POST"])
def client_create(request: HttpRequest) -> HttpResponse:
    return _client_form_page(request, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def client_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = AccessAction.UPDATE if request.method == "POST" else AccessAction.READ
    client = get_client_for_user(
        request.user,
        pk,
        Client.objects.prefetch_related(
            "medications",
            Prefetch("own_supplements", ClientSupplement.objects.select_related("nutrient")),
        ),
        refused=accesslog.refusal(request, action),
    )
    return _client_form_page(request, client)


@login_required
@require_safe
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The client's whole record for their practitioner; for an assistant, the contact
    details and the issued protocols."""
    if not is_practitioner(request.user):
        return _client_contact_page(request, pk)
    client = get_client_for_user(
        request.user,
        pk,
        Client.objects.select_related("practice").prefetch_related(
            "medications",
            Prefetch("own_supplements", ClientSupplement.objects.select_related("nutrient")),
            Prefetch(
                "consults",
                Consult.objects.annotate(
                    line_count=Count("lines", distinct=True),
                    latest_version=Max("protocols__version"),
                ).order_by("-date", "-pk"),
            ),
        ),
        refused=accesslog.refusal(request, AccessAction.READ),
    )
    accesslog.record(request, action=AccessAction.READ, obj=client)
    templates = templates_for(request.user, ProtocolTemplate.objects.select_related("owner"))
    return render(
        request,
        "practice/client_detail.html",
        {
            "client": client,
            "new_consult_form": NewConsultForm(templates=templates),
            "access_log": AccessLogEntry.objects.filter(client_id=client.pk)[
                :ACCESS_LOG_ON_CLIENT_PAGE
            ],
        },
    )


def _client_contact_page(request: HttpRequest, pk: int) -> HttpResponse:
    """What an assistant sees of a client: contact details and issued protocols, no
    notes, medicines or consults."""
    client = get_client_contact_for_user(
        request.user,
        pk,
        Client.objects.select_related("practitioner"),
        refused=accesslog.refusal(request, AccessAction.READ),
    )
    accesslog.record(request, action=AccessAction.READ, obj=client)
    protocols = protocols_for(
        request.user, Protocol.objects.filter(consult__client=client).select_related("consult")
    ).order_by("-issued_at", "-pk")
    return render(
        request,
        "practice/client_contact.html",
        {"client": client, "protocols": protocols},
    )


@login_required
@require_safe
def client_access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who read, changed, printed or tried to reach the client's record, newest
    first: for the treating practitioner and superusers."""
    client = get_client_for_user(
        request.user, pk, refused=accesslog.refusal(request, AccessAction.READ)
    )
    entries = AccessLogEntry.objects.filter(client_id=client.pk)
    page = Paginator(entries, ACCESS_LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "practice/client_access_log.html", {"client": client, "page": page})


@login_required
@require_safe
def client_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held on the client as a JSON download: the client's free copy."""
    client = get_client_for_user(
        request.user,
        pk,
        records.export_queryset(),
        refused=accesslog.refusal(request, AccessAction.EXPORT),
    )
    accesslog.record(request, action=AccessAction.EXPORT, obj=client)
    response = JsonResponse(
        records.build_export(client), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = content_disposition_header(
        True, records.export_filename(client)
    )
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def client_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase the client's record on their request, after a reason and the client number
    typed as confirmation."""
    client = get_client_for_user(
        request.user,
        pk,
        Client.objects.annotate(
            consult_count=Count("consults", distinct=True),
            protocol_count=Count("consults__protocols", distinct=True),
        ),
        refused=accesslog.refusal(
            request, AccessAction.ERASE if request.method == "POST" else AccessAction.READ
        ),
    )
    form = EraseClientForm(request.POST if request.method == "POST" else None, client=client)
    if form.is_bound and form.is_valid():
        try:
            # One transaction: the access log has the erasure if and only if it happened.
            with transaction.atomic():
                erasure = records.erase_client(
                    client=client, erased_by=request.user, reason=form.cleaned_data["reason"]
                )
                accesslog.record(
                    request,
                    action=AccessAction.ERASE,
                    record_type=AccessRecordType.CLIENT,
                    record_id=erasure.former_client_id,
                    client_id=erasure.former_client_id,
                )
        except ValidationError as exc:
            _add_service_errors(exc, form)
        else:
            messages.success(
                request,
                _("The client's record has been erased; only a note of the erasure is kept."),
            )
            return redirect("practice:client-list")
    accesslog.record(request, action=AccessAction.READ, obj=client)
    return render(
        request,
        "practice/client_erase.html",
        {
            "client": client,
            "form": form,
            "errors": error_summary(form),
            "retention_years": records.RETENTION_YEARS,
        },
        status=400 if form.is_bound else 200,
    )


# Consults -------------------------------------------------------------------------------


@login_required
@require_POST
def consult_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new consult of the client, empty or started from a protocol template."""
    client = get_client_for_user(
        request.user, pk, refused=accesslog.refusal(request, AccessAction.CREATE)
    )
    templates = templates_for(
        request.user,
        ProtocolTemplate.objects.prefetch_related(
            "complaints",
            Prefetch("lines", TemplateLine.objects.select_related("nutrient", "form")),
        ),
    )
    form = NewConsultForm(request.POST, templates=templates)
    if not form.is_valid():
        messages.error(request, _("Choose one of the templates offered."))
        return redirect(client)
    template = form.cleaned_data["template"]
    try:
        with transaction.atomic():  # the consult and its access-log entry, or neither
            consult = services.consult_create(
                client=client,
                practitioner=request.user,
                complaints=list(template.complaints.all()) if template else (),
                lines=[services.LineInput.of(line) for line in template.lines.all()]
                if template
                else (),
            )
            accesslog.record(request, action=AccessAction.CREATE, obj=consult)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(client)
    if template:
        messages.success(
            request, _("Consult started from the template “%(name)s”.") % {"name": template.name}
        )
    return redirect(consult)


def _consult_queryset():
    return Consult.objects.select_related("client__practice").prefetch_related(
        "complaints",
        *CHECK_PREFETCH,
        Prefetch(
            "lines", SupplementLine.objects.select_related("nutrient").order_by("order", "pk")
        ),
        Prefetch("protocols", Protocol.objects.select_related("issued_by").order_by("-version")),
    )


@dataclass(frozen=True)
class ConsultForms:
    form: ConsultForm
    lines: LineFormSet
    choices: LineChoices


def _consult_forms(consult: Consult, data: QueryDict | None) -> ConsultForms:
    choices = LineChoices.load()
    indications = Indication.objects.order_by("order", "slug")
    form = ConsultForm(
        data,
        indications=indications,
        initial={
            "date": consult.date,
            "complaints": [c.slug for c in consult.complaints.all()],
            "pregnant": consult.pregnant,
            "breastfeeding": consult.breastfeeding,
            "notes": consult.notes,
            "revision": consult.revision,
        },
    )
    lines = LineFormSet(
        data,
        prefix=LINES_PREFIX,
        initial=line_initial(consult.lines.all(), choices),
        form_kwargs={"choices": choices},
    )
    return ConsultForms(form=form, lines=lines, choices=choices)


@dataclass(frozen=True)
class CheckedFinding:
    level: str
    concerns: str
    advice: str
    references: tuple[int, ...]


@dataclass(frozen=True)
class CheckedNutrient:
    nutrient: str
    name: str
    level: str
    findings: tuple[CheckedFinding, ...]
    own_supplement: bool = False


def checked_nutrients(result: CheckResult, nutrients: dict[str, Nutrient]) -> list[CheckedNutrient]:
    medicine_names = {m.atc_code: m.name for m in result.medicines}
    return [
        CheckedNutrient(
            nutrient=r.nutrient,
            name=nutrients[r.nutrient].tr("name"),
            level=r.level,
            findings=tuple(
                CheckedFinding(
                    level=f.level,
                    concerns=text.finding_concerns(f, medicine_names),
                    advice=text.tr(f, "advice"),
                    references=f.references,
                )
                for f in r.findings
            ),
            own_supplement=r.source == "own_supplement",
        )
        for r in result.results
    ]


def check_summary(checked: list[CheckedNutrient]) -> list[tuple[str, list[str]]]:
    """The check in one glance: each level with findings, and nothing recorded (never
    shown as safe), most serious first, with the names of its nutrients."""
    shown = LEVEL_ORDER[: LEVEL_ORDER.index("no_data") + 1]  # what needs attention
    groups = [(level, [c.name for c in checked if c.level == level]) for level in shown]
    return [(level, names) for level, names in groups if names]


def _class_names(table: InteractionTable) -> dict[str, str]:
    return {c.slug: text.tr(c, "name") for c in table.classes}


def _live_context(consult: Consult, forms_: ConsultForms, table: InteractionTable) -> dict:
    """The check and the suggestions for the consult as the form stands, saved or not."""
    pregnant, breastfeeding = forms_.form.flag("pregnant"), forms_.form.flag("breastfeeding")
    result = check_consult(
        consult,
        table,
        nutrients=forms_.lines.chosen_nutrients(),
        pregnant=pregnant,
        breastfeeding=breastfeeding,
    )
    class_names = _class_names(table)
    complaints = forms_.form.chosen_complaints()
    supports, evidence = load_suggestion_data(complaints)
    suggestions = rank_suggestions(
        complaints=complaints,
        supports=supports,
        evidence=evidence,
        table=table,
        atc_codes=[m.atc_code for m in result.medicines],
        pregnant=pregnant,
        breastfeeding=breastfeeding,
    )
    checked = checked_nutrients(result, forms_.choices.nutrients)
    return {
        "check": checked,
        "check_summary": check_summary(checked),
        "worst_level": result.worst_level,
        "medicines": [
            {
                "name": m.name,
                "atc_code": m.atc_code,
                "in_reference_list": m.in_reference_list,
                "classes": [class_names[slug] for slug in m.classes],
            }
            for m in result.medicines
        ],
        "not_checked": result.not_checked,
        "pregnant": pregnant,
        "breastfeeding": breastfeeding,
        "suggestions": suggestions.ranked,
        "omitted": [
            {"nutrient": o.nutrient, "reason": omission_reason(o)} for o in suggestions.omitted
        ],
        "has_complaints": bool(complaints),
    }


def _saved_check(consult: Consult, table: InteractionTable) -> CheckResult | None:
    """The check of the saved consult, which issuing issues; None when a saved line's
    nutrient has been unpublished (issuing then says so)."""
    try:
        return check_consult(consult, table)
    except ValidationError:
        return None


def _issue_form(
    consult: Consult, saved: CheckResult | None, data: QueryDict | None = None
) -> IssueForm:
    """The issue form for the saved consult's check: a reason field for each `avoid`, a
    line's or an own supplement's, and the check's digest to send back."""
    names = {line.nutrient.slug: line.nutrient.tr("name") for line in consult.lines.all()}
    for own in consult.client.own_supplements.all():
        if own.nutrient and own.nutrient.slug not in names:
            names[own.nutrient.slug] = _("%(nutrient)s (own supplement)") % {
                "nutrient": own.nutrient.tr("name")
            }
    avoided = [
        (r.nutrient, names.get(r.nutrient, r.nutrient))
        for r in (saved.results if saved else ())
        if r.level == "avoid"
    ]
    return IssueForm(data, avoided=avoided, check_digest=saved.digest if saved else "")


def _consult_page(
    request: HttpRequest,
    consult: Consult,
    forms_: ConsultForms,
    *,
    issue_form: IssueForm | None = None,
    template_form: SaveTemplateForm | None = None,
    unsaved: bool = False,
    changed_meanwhile: bool = False,
    status: int = 200,
) -> HttpResponse:
    table = load_table()
    if issue_form is None:
        issue_form = _issue_form(consult, _saved_check(consult, table))
    if template_form is None:
        template_form = SaveTemplateForm(
            may_share=is_practice_admin(request.user, consult.client.practice_id)
        )
    has_saved_lines = bool(consult.lines.all())
    context = {
        "consult": consult,
        "client": consult.client,
        "form": forms_.form,
        "lines": forms_.lines,
        "usual_doses": _usual_doses(forms_.choices),
        "issue_form": issue_form,
        "unsaved": unsaved,
        "changed_meanwhile": changed_meanwhile,
        "has_saved_lines": has_saved_lines,
        # Started by mistake: `consult_delete` offers to delete it.
        "may_discard": not has_saved_lines and not consult.protocols.all(),
        "errors": error_summary(forms_.form, [(forms_.lines, _("Line %(number)s"))]),
        "issue_errors": error_summary(issue_form),
        "template_form": template_form,
        "template_errors": error_summary(template_form),
        **_live_context(consult, forms_, table),
    }
    return render(request, "practice/consult_detail.html", context, status=status)


def _usual_doses(choices: LineChoices) -> dict[str, dict[str, str]]:
    """Each nutrient's usual dose, for the page's script that puts a suggestion in a new
    line (as `_with_extra_line` does without JavaScript)."""
    return {
        slug: {"amount": plain_decimal(n.usual_dose_amount), "unit": n.usual_dose_unit}
        for slug, n in choices.nutrients.items()
        if n.usual_dose_amount is not None
    }


def _as_typed(form: forms.Form, lines: LineFormSet) -> None:
    """Drop the errors of the form and its lines: the page shows them as typed. After
    "add a line", a suggestion or "check" (the fallbacks without JavaScript) a line still
    being filled in is not wrong yet; saving validates and shows what is."""
    for each in (form, *lines.forms):
        each.errors.clear()
    lines.non_form_errors().clear()


def _with_extra_line(data: QueryDict, nutrient: Nutrient | None) -> QueryDict:
    """The posted form with one more line: blank, or with `nutrient` and its usual dose."""
    raw_total = data.get(f"{LINES_PREFIX}-TOTAL_FORMS", "")
    if not (raw_total.isascii() and raw_total.isdigit()):
        return data  # garbled: the formset refuses it (`BaseLineFormSet.refused`)
    data = data.copy()
    total = int(raw_total)
    data[f"{LINES_PREFIX}-TOTAL_FORMS"] = str(total + 1)
    if nutrient is not None:
        row = f"{LINES_PREFIX}-{total}"
        data[f"{row}-nutrient"] = nutrient.slug
        if nutrient.usual_dose_amount is not None:
            data[f"{row}-dose_amount"] = plain_decimal(nutrient.usual_dose_amount)
            data[f"{row}-dose_unit"] = nutrient.usual_dose_unit
        for name, value in (("frequency", "once_daily"), ("timing", "morning")):
            data.setdefault(f"{row}-{name}", value)
    return data


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consult_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The consult: edit, check live, take suggestions, issue, save as a template.

    POST actions: `save` writes; `check` (the fallback without JavaScript), `add_line` and
    `add_nutrient` show the page again with the posted state, unsaved.
    """
    saving = request.method == "POST" and request.POST.get("action") == "save"
    consult = get_consult_for_user(
        request.user,
        pk,
        _consult_queryset(),
        refused=accesslog.refusal(request, AccessAction.UPDATE if saving else AccessAction.READ),
    )
    if not saving:
        accesslog.record(request, action=AccessAction.READ, obj=consult)
    if request.method != "POST":
        return _consult_page(request, consult, _consult_forms(consult, None))

    data = request.POST
    if "add_nutrient" in data or data.get("action") == "add_line":
        choices = LineChoices.load()
        nutrient = choices.nutrients.get(data.get("add_nutrient", ""))
        data = _with_extra_line(data, nutrient)
    forms_ = _consult_forms(consult, data)
    if forms_.lines.refused():
        # Not a post of this page (a garbled or huge line count): nothing is written, and
        # the page says what is wrong.
        if saving:
            accesslog.record(request, action=AccessAction.READ, obj=consult)
        return _consult_page(request, consult, forms_, unsaved=True, status=400)
    if data.get("action") != "save":
        _as_typed(forms_.form, forms_.lines)
        return _consult_page(request, consult, forms_, unsaved=True)
    if forms_.form.is_valid() and forms_.lines.is_valid():
        cleaned = forms_.form.cleaned_data
        try:
            with transaction.atomic():  # the change and its access-log entry, or neither
                services.consult_update(
                    consult=consult,
                    seen_revisions=None if cleaned["revision"] is None else {cleaned["revision"]},
                    fields={
                        name: cleaned[name]
                        for name in ("date", "pregnant", "breastfeeding", "notes")
                    },
                    complaints=cleaned["complaints"],
                    lines=[services.LineInput(**line) for line in forms_.lines.lines()],
                )
                accesslog.record(request, action=AccessAction.UPDATE, obj=consult)
        except services.ConsultGone as exc:
            raise Http404 from exc
        except services.ConsultChanged as exc:
            # Nothing was written. The form keeps what was typed and now carries the
            # current revision: saving again replaces the other change, knowingly.
            data = data.copy()
            data["revision"] = str(exc.current_revision)
            forms_ = _consult_forms(consult, data)
            accesslog.record(request, action=AccessAction.READ, obj=consult)
            return _consult_page(
                request, consult, forms_, unsaved=True, changed_meanwhile=True, status=409
            )
        except ValidationError as exc:
            _add_service_errors(exc, forms_.form)
        else:
            messages.success(request, _("The consult has been saved."))
            return redirect(consult)
    accesslog.record(request, action=AccessAction.READ, obj=consult)
    return _consult_page(request, consult, forms_, unsaved=True)


@login_required
@require_POST
def consult_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The check panel (and, out of band, the suggestions and the phone's summary bar)
    for the posted, unsaved form: what htmx swaps into the consult page on every change.
    Logged as a read unless the user's read of the consult was logged in the last five
    minutes (`accesslog.record_live_check`)."""
    consult = get_consult_for_user(
        request.user, pk, _consult_queryset(), refused=accesslog.refusal(request, AccessAction.READ)
    )
    accesslog.record_live_check(request, consult=consult)
    forms_ = _consult_forms(consult, request.POST)
    context = {"consult": consult, **_live_context(consult, forms_, load_table())}
    status = 400 if forms_.lines.refused() else 200
    return render(request, "practice/_consult_live.html", context, status=status)


@practitioner_required
@require_safe
def nutrient_form_options(request: HttpRequest) -> HttpResponse:
    """The `<option>`s of the form select for the nutrient chosen in a line.

    htmx sends the line's nutrient select as it is named in the formset
    (`lines-3-nutrient`), so the value is taken from the one parameter ending in
    `nutrient`.
    """
    slug = next((v for k, v in request.GET.items() if k.endswith("nutrient")), "")
    choices = LineChoices.load()
    options = choices.form_choices(choices.nutrients.get(slug))
    # Plain options stand alone; (nutrient, options) pairs become an <optgroup>.
    groups = [option if isinstance(option[1], list) else (None, [option]) for option in options]
    return render(request, "practice/_form_options.html", {"groups": groups})


def _check_changed(request: HttpRequest, consult: Consult, current: CheckResult) -> HttpResponse:
    """Nothing was issued: the check is no longer the one the page showed. The page shows
    the check as it is now, with an issue form for it that keeps the reasons written."""
    accesslog.record(request, action=AccessAction.READ, obj=consult)
    form = _issue_form(consult, current)
    for name in form.fields:
        if name.startswith("reason_"):
            form.initial[name] = request.POST.get(name, "")
    form.initial["include_physician_page"] = "include_physician_page" in request.POST
    form.check_changed = True
    return _consult_page(
        request, consult, _consult_forms(consult, None), issue_form=form, status=409
    )


@login_required
@require_POST
def consult_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the saved consult's protocol; a reason is required for every `avoid`."""
    consult = get_consult_for_user(
        request.user,
        pk,
        _consult_queryset(),
        refused=accesslog.refusal(request, AccessAction.CREATE),
    )
    saved = _saved_check(consult, load_table())
    if saved is not None and request.POST.get("check_digest") != saved.digest:
        return _check_changed(request, consult, saved)
    form = _issue_form(consult, saved, request.POST)
    status = 200
    if form.is_valid():
        try:
            protocol = issue_protocol(
                consult=consult,
                issued_by=request.user,
                acknowledgements=form.acknowledgements(),
                check_digest=form.cleaned_data["check_digest"],
                include_physician_page=form.cleaned_data["include_physician_page"],
                request=request,  # logged in the issue's transaction
            )
        except services.ConsultGone as exc:
            raise Http404 from exc
        except CheckChanged as exc:  # changed while this request ran
            return _check_changed(request, consult, exc.result)
        except UnacknowledgedAvoid as exc:
            form.add_unacknowledged(exc.nutrients, form.avoided)
        except ValidationError as exc:
            form.add_error(None, exc)
        except pdf_files.StorageFull as exc:  # nothing was issued; the consult stays open
            form.add_error(None, str(exc.detail))
            status = 507
        else:
            messages.success(
                request,
                _("Protocol version %(version)s has been issued.") % {"version": protocol.version},
            )
            return redirect(protocol)
    accesslog.record(request, action=AccessAction.READ, obj=consult)
    return _consult_page(
        request, consult, _consult_forms(consult, None), issue_form=form, status=status
    )


@login_required
@require_POST
def consult_save_template(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the saved consult's lines and complaints as a protocol template."""
    consult = get_consult_for_user(
        request.user, pk, _consult_queryset(), refused=accesslog.refusal(request, AccessAction.READ)
    )
    accesslog.record(request, action=AccessAction.READ, obj=consult)
    practice_id = consult.client.practice_id
    form = SaveTemplateForm(request.POST, may_share=is_practice_admin(request.user, practice_id))
    if form.is_valid():
        lines = consult.lines.select_related("nutrient", "form").order_by("order", "pk")
        try:
            template = services.template_create(
                owner=request.user,
                practice=consult.client.practice,
                name=form.cleaned_data["name"],
                shared=form.cleaned_data.get("shared", False),
                complaints=list(consult.complaints.all()),
                lines=[services.LineInput.of(line) for line in lines],
            )
        except ValidationError as exc:
            _add_service_errors(exc, form)
        else:
            messages.success(
                request, _("Saved as the template “%(name)s”.") % {"name": template.name}
            )
            return redirect("practice:template-list")
    return _consult_page(request, consult, _consult_forms(consult, None), template_form=form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consult_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a consult started by mistake, after a page that asks. A consult with saved
    lines or issued protocols is kept: the page says why (409 to a POST)."""
    deleting = request.method == "POST"
    consult = get_consult_for_user(
        request.user,
        pk,
        Consult.objects.select_related("client").prefetch_related("complaints"),
        refused=accesslog.refusal(request, AccessAction.DELETE if deleting else AccessAction.READ),
    )
    if deleting:
        client_id = consult.client_id
        try:
            # One transaction: the access log has the deletion if and only if it happened.
            with transaction.atomic():
                services.consult_discard(consult=consult)
                accesslog.record(
                    request,
                    action=AccessAction.DELETE,
                    record_type=AccessRecordType.CONSULT,
                    record_id=pk,
                    client_id=client_id,
                )
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _("The consult of %(date)s has been deleted.")
                % {"date": date_format(consult.date, "j F Y")},
            )
            return redirect(consult.client)
    else:
        refusal = services.consult_discard_refusal(consult)
    accesslog.record(request, action=AccessAction.READ, obj=consult)
    return render(
        request,
        "practice/consult_delete.html",
        {"consult": consult, "client": consult.client, "refusal": refusal},
        status=409 if deleting else 200,
    )


# Protocol templates ---------------------------------------------------------------------


@practitioner_required
@require_safe
def template_list(request: HttpRequest) -> HttpResponse:
    templates = templates_for(
        request.user,
        ProtocolTemplate.objects.select_related("owner").prefetch_related(
            "complaints",
            Prefetch("lines", TemplateLine.objects.select_related("nutrient", "form")),
        ),
    ).order_by("name", "pk")
    for template in templates:
        template.may_share = may_share_template(request.user, template)
        template.may_delete = may_delete_template(request.user, template)
    return render(request, "practice/template_list.html", {"templates": templates})


@practitioner_required
@require_POST
def template_share(request: HttpRequest, pk: int) -> HttpResponse:
    """Share the template with the whole practice (`shared=true`) or stop sharing it."""
    template = get_template_for_user(request.user, pk)
    if not may_share_template(request.user, template):
        raise PermissionDenied(_("Only an admin of the practice shares templates."))
    shared = request.POST.get("shared") == "true"
    services.template_set_shared(template=template, shared=shared)
    if shared:
        message = _("“%(name)s” is now shared with the whole practice.")
    else:
        message = _("“%(name)s” is no longer shared with the practice.")
    messages.success(request, message % {"name": template.name})
    return redirect("practice:template-list")


@practitioner_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a template's name and lines; a practice admin also whether it is shared.

    POST actions: `save` (the default) writes; `add_line` (the fallback without
    JavaScript) shows the form again with one more line.
    """
    template = get_template_for_user(
        request.user,
        pk,
        ProtocolTemplate.objects.select_related("owner").prefetch_related(
            Prefetch(
                "lines",
                TemplateLine.objects.select_related("nutrient", "form").order_by("order", "pk"),
            )
        ),
    )
    # Who may delete a template may change it: its owner or an admin of the practice.
    if not may_delete_template(request.user, template):
        raise PermissionDenied(_("Only its owner or an admin of the practice changes a template."))
    may_share = may_share_template(request.user, template)
    saved_name = template.name  # the heading's, should saving fail
    data = request.POST if request.method == "POST" else None
    adding_line = data is not None and data.get("action") == "add_line"
    if adding_line:
        data = _with_extra_line(data, None)
    choices = LineChoices.load()
    form = SaveTemplateForm(
        data, may_share=may_share, initial={"name": template.name, "shared": template.shared}
    )
    lines = LineFormSet(
        data,
        prefix=LINES_PREFIX,
        initial=line_initial(template.lines.all(), choices),
        form_kwargs={"choices": choices},
    )
    if data is not None and not adding_line and form.is_valid() and lines.is_valid():
        try:
            services.template_update(
                template=template,
                name=form.cleaned_data["name"],
                lines=[services.LineInput(**line) for line in lines.lines()],
                shared=form.cleaned_data["shared"] if may_share else None,
            )
        except ValidationError as exc:
            _add_service_errors(exc, form)
        else:
            messages.success(
                request, _("The template “%(name)s” has been saved.") % {"name": template.name}
            )
            return redirect("practice:template-list")
    refused = lines.refused()  # a garbled or huge line count: answered 400
    if adding_line and not refused:
        _as_typed(form, lines)
    return render(
        request,
        "practice/template_form.html",
        {
            "template": template,
            "saved_name": saved_name,
            "form": form,
            "lines": lines,
            "errors": error_summary(form, [(lines, _("Line %(number)s"))]),
        },
        status=400 if refused else 200,
    )


@practitioner_required
@require_http_methods(["GET", "HEAD", "POST"])
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a template, after a page that asks (and says so when the whole practice
    uses it)."""
    template = get_template_for_user(
        request.user, pk, ProtocolTemplate.objects.select_related("owner")
    )
    if not may_delete_template(request.user, template):
        raise PermissionDenied(_("Only its owner or an admin of the practice deletes a template."))
    if request.method != "POST":
        return render(request, "practice/template_delete.html", {"template": template})
    services.template_delete(template=template)
    messages.success(
        request, _("The template “%(name)s” has been deleted.") % {"name": template.name}
    )
    return redirect("practice:template-list")


# Protocols ------------------------------------------------------------------------------


def _protocol_queryset():
    return Protocol.objects.select_related("consult__client", "issued_by")


@login_required
@require_safe
def protocol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    protocol = get_protocol_for_user(
        request.user,
        pk,
        _protocol_queryset(),
        refused=accesslog.refusal(request, AccessAction.READ),
    )
    accesslog.record(request, action=AccessAction.READ, obj=protocol)
    versions = Protocol.objects.filter(consult_id=protocol.consult_id).order_by("-version")
    return render(
        request,
        "practice/protocol_detail.html",
        {
            "protocol": protocol,
            "document": protocol_context(protocol.snapshot, for_pdf=False),
            "versions": versions.select_related("issued_by"),
            "sees_consult": may_see_whole_client(request.user, protocol.consult.client),
        },
    )


@login_required
@require_safe
def protocol_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The protocol as the client gets it, print-friendly, from the snapshot alone."""
    protocol = get_protocol_for_user(
        request.user,
        pk,
        Protocol.objects.select_related("consult"),
        refused=accesslog.refusal(request, AccessAction.PRINT),
    )
    accesslog.record(request, action=AccessAction.PRINT, obj=protocol)
    return HttpResponse(render_protocol_html(protocol.snapshot, for_pdf=False))


@login_required
@require_safe
def protocol_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF stored at issue, byte for byte: repaired from the snapshot when its file is
    missing or damaged (`practice.pdf.files.read`)."""
    protocol = get_protocol_for_user(
        request.user,
        pk,
        Protocol.objects.select_related("consult"),
        refused=accesslog.refusal(request, AccessAction.PRINT, AccessRecordType.PROTOCOL_PDF),
    )
    accesslog.record(
        request, action=AccessAction.PRINT, obj=protocol, record_type=AccessRecordType.PROTOCOL_PDF
    )
    try:
        content = pdf_files.read(protocol)
    except pdf_files.PdfUnrecoverable:
        return render(
            request,
            "practice/protocol_pdf_unrecoverable.html",
            {"protocol": protocol, "detail": pdf_files.UNRECOVERABLE},
            status=500,
        )
    return FileResponse(
        io.BytesIO(content),
        content_type="application/pdf",
        filename=PurePath(protocol.pdf.name).name,
    )
