"""The consult page: edit, check live, take suggestions, issue, save as a template, delete."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from gutbrain import text
from gutbrain.interactions import CheckResult, InteractionTable
from gutbrain.interactions.table import load_cached, read_table
from gutbrain.models import Indication
from practice import access, services
from practice.access import get_client, get_consult, is_practice_admin, templates_for
from practice.checking import (
    CHECK_PREFETCH,
    Draft,
    Reader,
    check_consult,
    check_summary,
    word_results,
)
from practice.forms import (
    ConsultForm,
    IssueForm,
    LineChoices,
    LineFormSet,
    NewConsultForm,
    SaveTemplateForm,
    line_initial,
    plain_decimal,
    read_indications,
)
from practice.models import (
    AccessAction,
    Consult,
    Protocol,
    ProtocolTemplate,
    SupplementLine,
    TemplateLine,
)
from practice.pdf import files as pdf_files
from practice.protocols import CheckChanged, UnacknowledgedAvoid, issue_protocol
from practice.suggestions import load_suggestion_data, omission_reason, rank_suggestions
from practice.views.common import (
    LINES_PREFIX,
    add_service_errors,
    as_typed,
    error_summary,
    practitioner_required,
    with_extra_line,
)


@login_required
@require_POST
def consult_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new consult of the client, empty or started from a protocol template."""
    client = get_client(request, pk, action=AccessAction.CREATE)
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
        with access.logged_write(request, AccessAction.CREATE) as written:
            written.obj = services.consult_create(
                client=client,
                practitioner=request.user,
                complaints=list(template.complaints.all()) if template else (),
                lines=[services.LineInput.of(line) for line in template.lines.all()]
                if template
                else (),
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(client)
    if template:
        messages.success(
            request, _("Consult started from the template “%(name)s”.") % {"name": template.name}
        )
    return redirect(written.obj)


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
class Knowledge:
    """What the consult page reads of the knowledge base, from the process's copy while it
    is unchanged: one query (its version) for all of it, nine when it is read again."""

    table: InteractionTable
    choices: LineChoices
    indications: list[Indication]

    @classmethod
    def load(cls) -> "Knowledge":
        return cls(*load_cached(read_table, LineChoices.read, read_indications))


@dataclass(frozen=True)
class ConsultForms:
    form: ConsultForm
    lines: LineFormSet
    choices: LineChoices
    table: InteractionTable


def _consult_forms(
    consult: Consult, data: QueryDict | None, knowledge: Knowledge | None = None
) -> ConsultForms:
    knowledge = knowledge or Knowledge.load()
    choices = knowledge.choices
    form = ConsultForm(
        data,
        indications=knowledge.indications,
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
    return ConsultForms(form=form, lines=lines, choices=choices, table=knowledge.table)


def _class_names(table: InteractionTable) -> dict[str, str]:
    return {c.slug: text.tr(c, "name") for c in table.classes}


def _live_context(consult: Consult, forms_: ConsultForms, table: InteractionTable) -> dict:
    """The check and the suggestions for the consult as the form stands, saved or not."""
    draft = Draft(
        nutrients=forms_.lines.chosen_nutrients(),
        pregnant=forms_.form.flag("pregnant"),
        breastfeeding=forms_.form.flag("breastfeeding"),
    )
    result = check_consult(consult, table, draft=draft)
    class_names = _class_names(table)
    complaints = forms_.form.chosen_complaints()
    supports, evidence = load_suggestion_data(complaints)
    suggestions = rank_suggestions(
        complaints=complaints,
        supports=supports,
        evidence=evidence,
        table=table,
        atc_codes=[m.atc_code for m in result.medicines],
        pregnant=result.pregnant,
        breastfeeding=result.breastfeeding,
    )
    checked = word_results(
        result.results,
        {slug: nutrient.tr("name") for slug, nutrient in forms_.choices.nutrients.items()},
        {m.atc_code: m.name for m in result.medicines},
        Reader.STAFF,
    )
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
        "pregnant": result.pregnant,
        "breastfeeding": result.breastfeeding,
        "suggestions": suggestions.ranked,
        "omitted": [
            {"nutrient": o.nutrient, "reason": omission_reason(o)} for o in suggestions.omitted
        ],
        "has_complaints": bool(complaints),
    }


def saved_check(consult: Consult, table: InteractionTable) -> CheckResult | None:
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
    table = forms_.table
    if issue_form is None:
        issue_form = _issue_form(consult, saved_check(consult, table))
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
    line (as `with_extra_line` does without JavaScript)."""
    return {
        slug: {"amount": plain_decimal(n.usual_dose_amount), "unit": n.usual_dose_unit}
        for slug, n in choices.nutrients.items()
        if n.usual_dose_amount is not None
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consult_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The consult: edit, check live, take suggestions, issue, save as a template.

    POST actions: `save` writes; `check` (the fallback without JavaScript), `add_line` and
    `add_nutrient` show the page again with the posted state, unsaved.
    """
    saving = request.method == "POST" and request.POST.get("action") == "save"
    consult = get_consult(
        request,
        pk,
        _consult_queryset(),
        action=AccessAction.UPDATE if saving else AccessAction.READ,
    )
    knowledge = Knowledge.load()
    if request.method != "POST":
        return _consult_page(request, consult, _consult_forms(consult, None, knowledge))

    data = request.POST
    if "add_nutrient" in data or data.get("action") == "add_line":
        nutrient = knowledge.choices.nutrients.get(data.get("add_nutrient", ""))
        data = with_extra_line(data, nutrient)
    forms_ = _consult_forms(consult, data, knowledge)
    if forms_.lines.refused():
        # Not a post of this page (a garbled or huge line count): nothing is written, and
        # the page says what is wrong.
        return _consult_page(request, consult, forms_, unsaved=True, status=400)
    if data.get("action") != "save":
        as_typed(forms_.form, forms_.lines)
        return _consult_page(request, consult, forms_, unsaved=True)
    if forms_.form.is_valid() and forms_.lines.is_valid():
        cleaned = forms_.form.cleaned_data
        try:
            with access.logged_write(request, AccessAction.UPDATE, consult):
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
        except services.ConsultGone as exc:
            raise Http404 from exc
        except services.ConsultChanged as exc:
            # Nothing was written. The form keeps what was typed and now carries the
            # current revision: saving again replaces the other change, knowingly.
            data = data.copy()
            data["revision"] = str(exc.current_revision)
            forms_ = _consult_forms(consult, data, knowledge)
            return _consult_page(
                request, consult, forms_, unsaved=True, changed_meanwhile=True, status=409
            )
        except ValidationError as exc:
            add_service_errors(exc, forms_.form)
        else:
            messages.success(request, _("The consult has been saved."))
            return redirect(consult)
    return _consult_page(request, consult, forms_, unsaved=True)


@login_required
@require_POST
def consult_check(request: HttpRequest, pk: int) -> HttpResponse:
    """The check panel (and, out of band, the suggestions and the phone's summary bar)
    for the posted, unsaved form: what htmx swaps into the consult page on every change.
    Logged as a read unless the user's read of the consult was logged in the last five
    minutes (`accesslog.record_live_check`)."""
    consult = get_consult(request, pk, _consult_queryset(), live_check=True)
    forms_ = _consult_forms(consult, request.POST)
    context = {"consult": consult, **_live_context(consult, forms_, forms_.table)}
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


def _check_changed(
    request: HttpRequest, consult: Consult, current: CheckResult, knowledge: Knowledge
) -> HttpResponse:
    """Nothing was issued: the check is no longer the one the page showed. The page shows
    the check as it is now, with an issue form for it that keeps the reasons written."""
    form = _issue_form(consult, current)
    for name in form.fields:
        if name.startswith("reason_"):
            form.initial[name] = request.POST.get(name, "")
    form.initial["include_physician_page"] = "include_physician_page" in request.POST
    form.check_changed = True
    return _consult_page(
        request, consult, _consult_forms(consult, None, knowledge), issue_form=form, status=409
    )


@login_required
@require_POST
def consult_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the saved consult's protocol; a reason is required for every `avoid`."""
    consult = get_consult(request, pk, _consult_queryset(), action=AccessAction.CREATE)
    knowledge = Knowledge.load()
    saved = saved_check(consult, knowledge.table)
    if saved is not None and request.POST.get("check_digest") != saved.digest:
        return _check_changed(request, consult, saved, knowledge)
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
            return _check_changed(request, consult, exc.result, Knowledge.load())
        except UnacknowledgedAvoid as exc:
            form.add_unacknowledged(exc.nutrients, form.avoided)
        except ValidationError as exc:
            form.add_error(None, exc)
        except pdf_files.StorageFull as exc:  # nothing was issued; the consult stays open
            form.add_error(None, str(exc.detail))
            status = 507
        except pdf_files.StorageUnreachable as exc:  # the same, while S3 is down
            form.add_error(None, str(exc.detail))
            status = 503
        else:
            messages.success(
                request,
                _("Protocol version %(version)s has been issued.") % {"version": protocol.version},
            )
            return redirect(protocol)
    return _consult_page(
        request, consult, _consult_forms(consult, None, knowledge), issue_form=form, status=status
    )


@login_required
@require_POST
def consult_save_template(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the saved consult's lines and complaints as a protocol template."""
    consult = get_consult(request, pk, _consult_queryset())
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
            add_service_errors(exc, form)
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
    consult = get_consult(
        request,
        pk,
        Consult.objects.select_related("client").prefetch_related("complaints"),
        action=AccessAction.DELETE if deleting else AccessAction.READ,
    )
    if deleting:
        try:
            with access.logged_write(request, AccessAction.DELETE, consult):
                services.consult_discard(consult=consult)
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
    return render(
        request,
        "practice/consult_delete.html",
        {"consult": consult, "client": consult.client, "refusal": refusal},
        status=409 if deleting else 200,
    )
