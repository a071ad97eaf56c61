"""The client pages: the list, the record, its edit form, its access log, export and erasure."""

from math import ceil

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.db.models.query import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from gutbrain.models import Nutrient
from practice import access, records, services
from practice.access import (
    ASSISTANT,
    client_contacts_for,
    clients_for,
    get_client,
    get_client_contact,
    is_practitioner,
    protocols_for,
    roles_of,
    templates_for,
)
from practice.forms import (
    ClientForm,
    ClientSearchForm,
    EraseClientForm,
    MedicationFormSet,
    MedicineList,
    NewConsultForm,
    OwnSupplementFormSet,
    medication_initial,
)
from practice.models import (
    AccessAction,
    AccessLogEntry,
    Client,
    ClientSupplement,
    Consult,
    Protocol,
    ProtocolTemplate,
    SupplementLine,
)
from practice.views.common import add_service_errors, error_summary, practitioner_required

CLIENTS_PER_PAGE = 25


SEARCH_COUNT_CAP = 500
"""A search counts its matches up to here: beyond, the page says "more than 500 clients"
and pages through the first 500 only."""

CONSULTS_PER_PAGE = 25


ACCESS_LOG_ON_CLIENT_PAGE = 10


ACCESS_LOG_PER_PAGE = 50


class CappedPaginator(Paginator):
    """Pages through the first `cap` objects of an ordered queryset and counts no
    further than `cap` + 1: a search matching half the practice reads no more than one
    matching `cap` clients.

    One query takes the ids of the first `cap` + 1 objects in order (the count, and
    every page's ids); a second reads the page's objects by id. (A separate capped
    `COUNT(*) ... LIMIT` tempted PostgreSQL into a sequential scan in the hope of
    finding the matches early, which read the whole table when they were rare.)"""

    def __init__(self, object_list: QuerySet, per_page: int, cap: int):
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def ids(self) -> list[int]:
        return list(self.object_list.values_list("pk", flat=True)[: self.cap + 1])

    @cached_property
    def count(self) -> int:
        return len(self.ids)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        return max(1, ceil(min(self.count, self.cap) / self.per_page))

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.ids[bottom : min(bottom + self.per_page, self.cap)]
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)


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
    searching = bool(form.is_valid() and form.cleaned_data["q"].strip())
    if searching:
        # Last names that start with the search first ("van der" lists the van der
        # Bergs before a Vandermeer), then alphabetical. Sorting the matches also keeps
        # PostgreSQL from walking the name index in search of them: matches clustered at
        # the end of the alphabet ("van ...") cost a scan of the whole practice that way.
        clients = clients.order_by(form.last_name_prefix_first(), "last_name", "first_name", "pk")
    else:
        clients = clients.order_by("last_name", "first_name", "pk")
    # The whole list is counted exactly (an index-only count); a search up to a cap.
    paginator = (
        CappedPaginator(clients, CLIENTS_PER_PAGE, SEARCH_COUNT_CAP)
        if searching
        else Paginator(clients, CLIENTS_PER_PAGE)
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "practice/client_list.html",
        {
            "form": form,
            "page": page,
            "searching": searching,
            "count_cap": SEARCH_COUNT_CAP,
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
        action = AccessAction.CREATE if client is None else AccessAction.UPDATE
        try:
            with access.logged_write(request, action, client) as written:
                if client is None:
                    written.obj = services.client_create(
                        practitioner=request.user,
                        practice=member.practice,
                        medications=medication_inputs,
                        own_supplements=supplement_inputs,
                        **fields,
                    )
                else:
                    services.client_update(
                        client=client,
                        fields=fields,
                        medications=medication_inputs,
                        own_supplements=supplement_inputs,
                    )
        except ValidationError as exc:
            add_service_errors(exc, form)
        else:
            if client is None:
                messages.success(request, _("The client has been added."))
            else:
                messages.success(request, _("The client has been saved."))
            return redirect(written.obj)
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
    client = get_client(
        request,
        pk,
        Client.objects.prefetch_related(
            "medications",
            Prefetch("own_supplements", ClientSupplement.objects.select_related("nutrient")),
        ),
        action=AccessAction.UPDATE if request.method == "POST" else AccessAction.READ,
    )
    return _client_form_page(request, client)


@login_required
@require_safe
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The client's whole record for their practitioner; for an assistant, the contact
    details and the issued protocols."""
    if not is_practitioner(request.user):
        return _client_contact_page(request, pk)
    client = get_client(
        request,
        pk,
        Client.objects.select_related("practice").prefetch_related(
            "medications",
            Prefetch("own_supplements", ClientSupplement.objects.select_related("nutrient")),
        ),
    )
    # Subqueries, not aggregates: counted for the page's consults only.
    consults = (
        Consult.objects.filter(client=client)
        .annotate(
            line_count=Coalesce(
                Subquery(
                    SupplementLine.objects.filter(consult=OuterRef("pk"))
                    .order_by()
                    .values("consult")
                    .annotate(count=Count("pk"))
                    .values("count")
                ),
                0,
            ),
            latest_version=Subquery(
                Protocol.objects.filter(consult=OuterRef("pk"))
                .order_by("-version")
                .values("version")[:1]
            ),
        )
        .order_by("-date", "-pk")
    )
    templates = templates_for(request.user, ProtocolTemplate.objects.select_related("owner"))
    return render(
        request,
        "practice/client_detail.html",
        {
            "client": client,
            "consults": Paginator(consults, CONSULTS_PER_PAGE).get_page(request.GET.get("page")),
            "new_consult_form": NewConsultForm(templates=templates),
            "access_log": AccessLogEntry.objects.filter(client_id=client.pk)[
                :ACCESS_LOG_ON_CLIENT_PAGE
            ],
        },
    )


def _client_contact_page(request: HttpRequest, pk: int) -> HttpResponse:
    """What an assistant sees of a client: contact details and issued protocols, no
    notes, medicines or consults."""
    client = get_client_contact(request, pk, Client.objects.select_related("practitioner"))
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
    client = get_client(request, pk)
    entries = AccessLogEntry.objects.filter(client_id=client.pk)
    page = Paginator(entries, ACCESS_LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "practice/client_access_log.html", {"client": client, "page": page})


@login_required
@require_safe
def client_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held on the client as a JSON download: the client's free copy."""
    client = get_client(request, pk, records.export_queryset(), action=AccessAction.EXPORT)
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
    client = get_client(
        request,
        pk,
        Client.objects.annotate(
            consult_count=Count("consults", distinct=True),
            protocol_count=Count("consults__protocols", distinct=True),
        ),
        action=AccessAction.ERASE if request.method == "POST" else AccessAction.READ,
    )
    form = EraseClientForm(request.POST if request.method == "POST" else None, client=client)
    if form.is_bound and form.is_valid():
        try:
            with access.logged_write(request, AccessAction.ERASE, client):
                records.erase_client(
                    client=client, erased_by=request.user, reason=form.cleaned_data["reason"]
                )
        except ValidationError as exc:
            add_service_errors(exc, form)
        else:
            messages.success(
                request,
                _("The client's record has been erased; only a note of the erasure is kept."),
            )
            return redirect("practice:client-list")
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
