"""The dashboard: the practitioner's recent consults with their check."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from gutbrain.interactions import CheckResult, load_table
from practice.access import ASSISTANT, consults_for, is_practitioner, roles_of
from practice.checking import CHECK_PREFETCH
from practice.models import Consult, Protocol, SupplementLine
from practice.views.consults import saved_check

RECENT_CONSULTS = 10


@dataclass(frozen=True)
class RecentConsult:
    """A row of the dashboard: enough to tell two consults of one day apart."""

    consult: Consult
    line_count: int
    latest_version: int | None
    saved_check: CheckResult | None
    """The check of the saved consult; None when a line's nutrient was unpublished."""


def _recent_consults(user: User) -> list[RecentConsult]:
    """The newest consults the user held with clients they may see, with their saved
    checks, in a fixed number of queries.

    Filtered on the consult's own practitioner and ordered as its index
    `consult_practitioner_date` is, with the latest protocol version as a subquery
    rather than an aggregate: PostgreSQL reads the index newest first and stops after
    `RECENT_CONSULTS` rows, however many consults the practitioner has. (Filtered on the
    client's practitioner alone, it joined and grouped all of them before sorting.)"""
    consults = list(
        consults_for(
            user,
            Consult.objects.filter(practitioner=user)
            .select_related("client")
            .annotate(
                latest_version=Subquery(
                    Protocol.objects.filter(consult=OuterRef("pk"))
                    .order_by("-version")
                    .values("version")[:1]
                )
            )
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
            saved_check=saved_check(consult, table),
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
