"""The dashboard: the practitioner's recent consults with their check."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Max, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from gutbrain.interactions import CheckResult, load_table
from practice.access import ASSISTANT, consults_for, is_practitioner, roles_of
from practice.checking import CHECK_PREFETCH
from practice.models import Consult, SupplementLine
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
