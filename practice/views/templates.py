"""Protocol templates: list, edit, share with the practice, delete."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from practice import services
from practice.access import (
    get_template_for_user,
    may_delete_template,
    may_share_template,
    templates_for,
)
from practice.forms import LineChoices, LineFormSet, SaveTemplateForm, line_initial
from practice.models import ProtocolTemplate, TemplateLine
from practice.views.common import (
    LINES_PREFIX,
    add_service_errors,
    as_typed,
    error_summary,
    practitioner_required,
    with_extra_line,
)


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
        data = with_extra_line(data, None)
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
            add_service_errors(exc, form)
        else:
            messages.success(
                request, _("The template “%(name)s” has been saved.") % {"name": template.name}
            )
            return redirect("practice:template-list")
    refused = lines.refused()  # a garbled or huge line count: answered 400
    if adding_line and not refused:
        as_typed(form, lines)
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
