"""What the staff pages share: the practitioners-only decorator, the form-error summary and
the posted supplement lines of a consult or a template."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict

from gutbrain.models import Nutrient
from practice.access import is_practitioner
from practice.forms import LineFormSet, plain_decimal


def practitioner_required(view: Callable) -> Callable:
    """Logged in and a practitioner; other users get 403. Pages that show one record use
    the access helpers instead, which answer 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_practitioner(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapper)


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


def add_service_errors(exc: ValidationError, form: forms.Form) -> None:
    """A write function's messages beside the form's own inputs; the others (about the
    nested lists) on the form as a whole, so the error summary shows them."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.error_dict.items():
        form.add_error(key if key in form.fields else None, errors)


# The supplement lines of a consult or a template ---------------------------------------

LINES_PREFIX = "lines"


def as_typed(form: forms.Form, lines: LineFormSet) -> None:
    """Drop the errors of the form and its lines: the page shows them as typed. After
    "add a line", a suggestion or "check" (the fallbacks without JavaScript) a line still
    being filled in is not wrong yet; saving validates and shows what is."""
    for each in (form, *lines.forms):
        each.errors.clear()
    lines.non_form_errors().clear()


def with_extra_line(data: QueryDict, nutrient: Nutrient | None) -> QueryDict:
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
