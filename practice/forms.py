"""The practice's staff forms.

Forms validate and hand plain data to the write functions of `practice.services`; they
never save. Choices that would otherwise cost a query per row (nutrients, their forms, the
medicine reference list) are loaded once per request into `LineChoices` / `MedicineList`
and handed to every form of a formset.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from gutbrain.interactions.table import load_cached
from gutbrain.models import Indication, Medicine, Nutrient, NutrientForm, validate_atc_code
from practice import schedule
from practice.models import (
    LINE_FIELDS,
    Client,
    ClientMedication,
    DoseUnit,
    Frequency,
    LineFields,
    Timing,
    validate_intake_times,
)
from practice.protocols import AcknowledgementInput
from practice.services import MAX_LINES

# A text input showing the Dutch day-month-year: a browser's date picker shows the
# browser's own locale (12/02/2026 in an English browser). ISO dates are read too.
DATE_WIDGET = forms.DateInput(
    attrs={"inputmode": "numeric", "placeholder": _("dd-mm-yyyy"), "size": 10}, format="%d-%m-%Y"
)
SEARCH_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


def _parse_date(text: str) -> datetime.date | None:
    for fmt in SEARCH_DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def plain_decimal(value: Decimal) -> str:
    """ "300" for 300.00 and "2.5" for 2.50: never the exponent `normalize()` gives (3E+2)."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value.normalize())


# Clients --------------------------------------------------------------------------------


# A search word this long is looked for anywhere in a name (trigram indexes need three
# characters); a shorter one at the start.
SEARCH_CONTAINS_FROM = 3


class ClientSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, client number or date of birth (dd-mm-yyyy)."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def filter(self, clients: QuerySet[Client]) -> QuerySet[Client]:
        """A date matches the date of birth. Otherwise every word must match a name or the
        client number: a word of three characters or more anywhere in it, a shorter word
        at the start of one of its words ("de" finds "de Vries", "van der Berg" and
        "Dennis", not "Hendriks").

        Short words match at a word's start because trigrams (migration 0003) need three
        characters: the start of the name is looked up in a prefix index (migration 0010),
        and a space and the word make the three."""
        if not self.is_valid() or not self.cleaned_data["q"].strip():
            return clients
        text = self.cleaned_data["q"].strip()
        date = _parse_date(text)
        if date is not None:
            return clients.filter(date_of_birth=date)
        for word in text.split():
            if len(word) >= SEARCH_CONTAINS_FROM:
                matches = (
                    Q(first_name__icontains=word)
                    | Q(last_name__icontains=word)
                    | Q(client_number__icontains=word)
                )
            else:
                matches = (
                    Q(first_name__istartswith=word)
                    | Q(first_name__icontains=f" {word}")
                    | Q(last_name__istartswith=word)
                    | Q(last_name__icontains=f" {word}")
                    | Q(client_number__istartswith=word)
                )
            clients = clients.filter(matches)
        return clients

    def last_name_prefix_first(self) -> Case:
        """An ordering: 0 for a client whose last name starts with the search, else 1."""
        text = " ".join(self.cleaned_data["q"].split())
        return Case(When(last_name__istartswith=text, then=Value(0)), default=Value(1))


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = [
            "client_number",
            "first_name",
            "last_name",
            "date_of_birth",
            "email",
            "phone",
            "address",
            "notes",
        ]
        widgets = {
            "date_of_birth": DATE_WIDGET,
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["client_number"].required = False
            self.fields["client_number"].help_text = _(
                "Leave empty for the practice's next free number."
            )


@dataclass(frozen=True)
class MedicineList:
    """The medicine reference list, loaded once for every row of the medicines formset."""

    medicines: tuple[Medicine, ...]

    @classmethod
    def load(cls) -> "MedicineList":
        return cls(tuple(Medicine.objects.order_by("name", "atc_code")))

    def by_code(self, code: str) -> Medicine | None:
        return next((m for m in self.medicines if m.atc_code == code), None)

    def by_name(self, name: str) -> Medicine | None:
        name = name.casefold()
        matches = [m for m in self.medicines if m.name.casefold() == name]
        return matches[0] if len(matches) == 1 else None


# "oxazepam (N05BA04)": the way the datalist offers a medicine of the reference list.
LISTED_MEDICINE_RE = re.compile(r"^(?P<name>.+?)\s*\((?P<code>[A-Za-z0-9]{7})\)$")

# A typed clock time: "7.30", "07:30", "21.00". A bare "21" is not one: "7,30" (a Dutch
# slip) would otherwise pass as 07:00 and 30 as an error, or worse.
TYPED_TIME_RE = re.compile(r"(?P<hour>[0-9]{1,2})[.:](?P<minute>[0-9]{2})")
# Between typed times: commas, semicolons, spaces, "en"/"and"; "uur" is left out.
TYPED_TIME_SEPARATORS_RE = re.compile(r"[,;\s]+|\b(?:en|and|uur)\b", re.IGNORECASE)


def parse_typed_times(text: str) -> tuple[list[str], list[str]]:
    """The clock times in `text` as "HH:MM", in the order typed and once each, and the
    pieces that are not a time."""
    times: list[str] = []
    wrong: list[str] = []
    for piece in TYPED_TIME_SEPARATORS_RE.split(text):
        if not piece:
            continue
        match = TYPED_TIME_RE.fullmatch(piece)
        if match and int(match["hour"]) <= 23 and int(match["minute"]) <= 59:
            time = f"{int(match['hour']):02d}:{match['minute']}"
            if time not in times:
                times.append(time)
        else:
            wrong.append(piece)
    return times, wrong


class MedicationForm(forms.Form):
    """A medicine the client takes: picked from the reference list or typed with its code."""

    medicine = forms.CharField(
        label=_("Medicine"),
        max_length=150,
        help_text=_("Choose from the list, or type the name of a medicine not on it."),
        widget=forms.TextInput(attrs={"list": "medicine-list", "autocomplete": "off"}),
    )
    atc_code = forms.CharField(
        label=_("ATC code"),
        max_length=7,
        required=False,
        help_text=_("Needed for a medicine not on the list, e.g. N05BA04."),
        widget=forms.TextInput(attrs={"size": 8, "autocapitalize": "characters"}),
    )
    intake_moments = forms.MultipleChoiceField(
        label=_("When the client takes it"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # A text field rather than type=time: one field takes several times, and a therapist
    # types "21.00" as the Dutch write it.
    other_times = forms.CharField(
        label=_("Other times"),
        max_length=100,
        required=False,
        help_text=_(
            "A clock time such as 7.30, or several separated by commas: 7.30, 21.00. "
            "Leave the times empty when they are not known."
        ),
        widget=forms.TextInput(attrs={"size": 14}),
    )

    def __init__(self, *args, medicines: MedicineList, **kwargs):
        super().__init__(*args, **kwargs)
        self.medicines = medicines
        # In the request's language, with the clock time the day plan takes for each.
        self.fields["intake_moments"].choices = [
            (
                moment,
                f"{schedule.moment_words(moment)} "
                f"({schedule.clock_words(schedule.DEFAULT_CLOCK_TIMES[moment])})",
            )
            for moment in schedule.MEDICINE_MOMENTS
        ]

    def clean_other_times(self) -> list[str]:
        times, wrong = parse_typed_times(self.cleaned_data["other_times"])
        if wrong:
            raise ValidationError(
                [
                    ValidationError(
                        _(
                            "Not a clock time: %(item)s. Write a time as 7.30 or 21.00, "
                            "several times separated by commas."
                        ),
                        code="invalid_time",
                        params={"item": piece},
                    )
                    for piece in wrong
                ]
            )
        return times

    def clean(self) -> dict:
        data = super().clean()
        if "intake_moments" in data and "other_times" in data:
            times = sorted(
                [*data["intake_moments"], *data["other_times"]], key=schedule.clock_minutes
            )
            try:
                validate_intake_times(times)
            except ValidationError as exc:
                self.add_error("other_times", exc)
            else:
                data["intake_times"] = times
        typed = (data.get("medicine") or "").strip()
        code = (data.get("atc_code") or "").strip().upper()
        if not typed:
            return data
        # "name (CODE)" as the datalist offers it, or as the form shows a saved medicine:
        # the name stays as written, so a brand name given with a listed code is kept.
        if match := LISTED_MEDICINE_RE.match(typed):
            listed = self.medicines.by_code(match["code"].upper())
            if listed is not None and code in ("", listed.atc_code):
                data.update(name=match["name"], atc_code=listed.atc_code, reference=listed)
                return data
        if not code and (listed := self.medicines.by_name(typed)) is not None:
            data.update(name=listed.name, atc_code=listed.atc_code, reference=listed)
            return data
        if not code:
            self.add_error(
                "atc_code",
                ValidationError(
                    _("This medicine is not on the reference list: give its ATC code."),
                    code="required",
                ),
            )
            return data
        try:
            validate_atc_code(code)
        except ValidationError as exc:
            self.add_error("atc_code", exc)
            return data
        data.update(name=typed, atc_code=code, reference=self.medicines.by_code(code))
        return data


class BaseMedicationFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this medicine")

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            if self._should_delete_form(form) or not form.cleaned_data.get("atc_code"):
                continue
            code = form.cleaned_data["atc_code"]
            if code in seen:
                raise ValidationError(
                    _("%(code)s is listed twice.") % {"code": code}, code="duplicate"
                )
            seen.add(code)

    def medications(self) -> list[dict]:
        """The medicines to keep, as `name`, `atc_code`, `medicine` (reference or None) and
        `intake_times`."""
        return [
            {
                "name": form.cleaned_data["name"],
                "atc_code": form.cleaned_data["atc_code"],
                "medicine": form.cleaned_data.get("reference"),
                "intake_times": form.cleaned_data.get("intake_times", []),
            }
            for form in self.forms
            if form.cleaned_data.get("atc_code") and not self._should_delete_form(form)
        ]


MedicationFormSet = forms.formset_factory(
    MedicationForm, formset=BaseMedicationFormSet, extra=1, can_delete=True
)


def medication_initial(medications: Iterable[ClientMedication]) -> list[dict]:
    return [
        {
            "medicine": f"{m.name} ({m.atc_code})" if m.medicine_id else m.name,
            "atc_code": "" if m.medicine_id else m.atc_code,
            "intake_moments": [t for t in m.intake_times if t in schedule.MEDICINE_MOMENTS],
            "other_times": ", ".join(
                t for t in m.intake_times if t not in schedule.MEDICINE_MOMENTS
            ),
        }
        for m in medications
    ]


class OwnSupplementForm(forms.Form):
    name = forms.CharField(label=_("Supplement"), max_length=150)
    nutrient = forms.ChoiceField(
        label=_("Nutrient in the knowledge base"),
        required=False,
        help_text=_("When it is one, it is shown with the consult's check."),
    )
    dose = forms.CharField(label=_("Dose"), max_length=100, required=False)

    def __init__(self, *args, nutrients: Iterable[Nutrient], **kwargs):
        super().__init__(*args, **kwargs)
        self.nutrients = {n.slug: n for n in nutrients}
        self.fields["nutrient"].choices = [
            ("", _("— not in the knowledge base —")),
            *((slug, n.tr("name")) for slug, n in self.nutrients.items()),
        ]

    def clean_nutrient(self) -> Nutrient | None:
        slug = self.cleaned_data["nutrient"]
        return self.nutrients[slug] if slug else None


class BaseOwnSupplementFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this supplement")

    def supplements(self) -> list[dict]:
        return [
            {
                "name": form.cleaned_data["name"],
                "nutrient": form.cleaned_data["nutrient"],
                "dose": form.cleaned_data["dose"],
            }
            for form in self.forms
            if form.cleaned_data.get("name") and not self._should_delete_form(form)
        ]


OwnSupplementFormSet = forms.formset_factory(
    OwnSupplementForm, formset=BaseOwnSupplementFormSet, extra=1, can_delete=True
)


# Consults -------------------------------------------------------------------------------


@dataclass
class LineChoices:
    """The published nutrients and their forms for all lines, kept in the process while the
    knowledge base is unchanged (`load`). Shared by every request: read, never changed."""

    nutrients: dict[str, Nutrient]
    forms: dict[str, NutrientForm]
    forms_by_nutrient: dict[int, list[NutrientForm]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "LineChoices":
        """From this process's copy: one query (the knowledge base's version), three when
        it is read again."""
        return load_cached(cls.read)[0]

    @classmethod
    def read(cls) -> "LineChoices":
        """Read afresh, in two queries."""
        nutrients = {
            n.slug: n
            for n in Nutrient.objects.published().order_by(
                F("figure_number").asc(nulls_last=True), "slug"
            )
        }
        ids = {n.pk for n in nutrients.values()}
        forms_ = [
            f
            for f in NutrientForm.objects.order_by("nutrient_id", "order", "slug")
            if f.nutrient_id in ids
        ]
        by_nutrient: dict[int, list[NutrientForm]] = defaultdict(list)
        for f in forms_:
            by_nutrient[f.nutrient_id].append(f)
        return cls(
            nutrients=nutrients,
            forms={str(f.pk): f for f in forms_},
            forms_by_nutrient=dict(by_nutrient),
        )

    def nutrient_choices(self) -> list[tuple[str, str]]:
        return [("", _("— choose a nutrient —"))] + [
            (slug, n.tr("name")) for slug, n in self.nutrients.items()
        ]

    def form_choices(self, nutrient: Nutrient | None) -> list:
        """The forms of `nutrient`; of every nutrient, grouped, when none is chosen yet."""
        blank = ("", _("— no particular form —"))
        if nutrient is not None:
            return [blank] + [
                (str(f.pk), f.tr("name")) for f in self.forms_by_nutrient.get(nutrient.pk, [])
            ]
        return [blank] + [
            (n.tr("name"), [(str(f.pk), f.tr("name")) for f in self.forms_by_nutrient[n.pk]])
            for n in self.nutrients.values()
            if n.pk in self.forms_by_nutrient
        ]


def _html_attrs(attrs: dict) -> SafeString:
    """Attributes as Django's `attrs.html` writes them: `True` bare, `False` left out."""
    return mark_safe(
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
            for name, value in attrs.items()
            if value is not False
        )
    )


class PlainSelect(forms.Select):
    """Django's `Select`, its options written in Python instead of a template each: the
    consult page's lines hold some 170 options, whose templates took most of its time.
    The HTML is Django's to the character (tests/practice/test_plain_select.py)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [format_html('<select name="{}"{}>', widget["name"], _html_attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                html.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        _html_attrs(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))


class LineForm(forms.Form):
    """One supplement line: of a consult or of a protocol template."""

    nutrient = forms.ChoiceField(label=_("Nutrient"), widget=PlainSelect)
    form = forms.ChoiceField(label=_("Form"), required=False, widget=PlainSelect)
    dose_amount = forms.DecimalField(
        label=_("Dose"),
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    dose_unit = forms.ChoiceField(
        label=_("Unit"), choices=DoseUnit.choices, initial=DoseUnit.MG, widget=PlainSelect
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.ONCE_DAILY,
        widget=PlainSelect,
    )
    timing = forms.ChoiceField(
        label=_("When"), choices=Timing.choices, initial=Timing.MORNING, widget=PlainSelect
    )
    duration_weeks = forms.IntegerField(
        label=_("Duration (weeks)"), required=False, min_value=1, max_value=104
    )
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, choices: LineChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.fields["nutrient"].choices = choices.nutrient_choices()
        # Every form is a valid choice, so a form of another nutrient gets a clear message;
        # the select shows only the chosen nutrient's forms.
        self.fields["form"].choices = choices.form_choices(None)
        self.fields["form"].widget.choices = choices.form_choices(self.chosen_nutrient())
        # With htmx, choosing a nutrient narrows this line's form select to its forms.
        self.fields["nutrient"].widget.attrs.update(
            {
                "hx-get": reverse("practice:nutrient-form-options"),
                "hx-trigger": "change",
                "hx-target": f"#{self['form'].auto_id}",
                "hx-swap": "innerHTML",
            }
        )

    def chosen_nutrient(self) -> Nutrient | None:
        """The nutrient chosen in the (possibly unsaved and invalid) data, if it is one."""
        slug = self["nutrient"].data if self.is_bound else self["nutrient"].initial
        return self.choices.nutrients.get(slug or "")

    def clean_nutrient(self) -> Nutrient:
        return self.choices.nutrients[self.cleaned_data["nutrient"]]

    def clean_form(self) -> NutrientForm | None:
        pk = self.cleaned_data["form"]
        return self.choices.forms[pk] if pk else None

    def clean(self) -> dict:
        data = super().clean()
        nutrient, form = data.get("nutrient"), data.get("form")
        if nutrient is not None and form is not None and form.nutrient_id != nutrient.pk:
            self.add_error(
                "form",
                ValidationError(
                    _("%(form)s is a form of another nutrient, not of %(nutrient)s.")
                    % {"form": form.tr("name"), "nutrient": nutrient.tr("name")},
                    code="form_of_other_nutrient",
                ),
            )
        return data


class BaseLineFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": _("At most %(num)d supplement lines: remove lines to add others."),
    }

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this line")

    def refused(self) -> bool:
        """Whether the post is one the page never sends: a missing or garbled management
        form, or more lines than `MAX_LINES` (only that many are read). Answered 400."""
        return self.is_bound and any(
            error.code in {"missing_management_form", "too_many_forms"}
            for error in self.non_form_errors().as_data()
        )

    def chosen_nutrients(self) -> list[str]:
        """Slugs of the nutrients in the rows as they stand, saved or not, valid or not:
        what the live check looks at while the practitioner is still typing."""
        chosen = []
        for form in self.forms:
            if self.can_delete and form["DELETE"].data:
                continue
            nutrient = form.chosen_nutrient()
            if nutrient is not None:
                chosen.append(nutrient.slug)
        return chosen

    def lines(self) -> list[dict]:
        """The valid lines to keep, in order, with `nutrient` and `form` as objects."""
        return [
            {name: form.cleaned_data[name] for name in LINE_FIELDS}
            for form in self.forms
            if form.cleaned_data.get("nutrient") is not None and not self._should_delete_form(form)
        ]


# A post never makes more than MAX_LINES forms, whatever its TOTAL_FORMS says.
LineFormSet = forms.formset_factory(
    LineForm,
    formset=BaseLineFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_LINES,
    absolute_max=MAX_LINES,
    validate_max=True,
)


def line_initial(lines: Iterable[LineFields], choices: LineChoices) -> list[dict]:
    """Saved lines as the initial data of a `LineFormSet`."""
    slugs = {n.pk: slug for slug, n in choices.nutrients.items()}
    return [
        {
            "nutrient": slugs.get(line.nutrient_id, ""),
            "form": str(line.form_id) if line.form_id else "",
            "dose_amount": plain_decimal(line.dose_amount),
            "dose_unit": line.dose_unit,
            "frequency": line.frequency,
            "timing": line.timing,
            "duration_weeks": line.duration_weeks,
            "instructions": line.instructions,
        }
        for line in lines
    ]


def read_indications() -> list[Indication]:
    """The complaints a consult offers, in the order of figure 1, in one query; read
    through `load_cached` (one query while the knowledge base is unchanged)."""
    return list(Indication.objects.order_by("order", "slug"))


class ConsultForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    complaints = forms.MultipleChoiceField(
        label=_("Complaints and factors"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pregnant = forms.BooleanField(label=_("Pregnant"), required=False)
    breastfeeding = forms.BooleanField(label=_("Breastfeeding"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    # The consult's revision when the page was loaded: saving over a later one is refused.
    revision = forms.IntegerField(
        label=_("Version"), required=False, min_value=1, widget=forms.HiddenInput
    )

    def __init__(self, *args, indications: Iterable[Indication], **kwargs):
        super().__init__(*args, **kwargs)
        self.indications = {i.slug: i for i in indications}
        self.fields["complaints"].choices = [
            (slug, i.tr("name")) for slug, i in self.indications.items()
        ]

    def clean_complaints(self) -> list[Indication]:
        return [self.indications[slug] for slug in self.cleaned_data["complaints"]]

    def complaint_groups(self) -> list[tuple[str, list]]:
        """The complaint checkboxes grouped by the categories of figure 1, in order."""
        groups: dict[str, list] = {}
        labels = dict(Indication.Category.choices)
        for checkbox in self["complaints"]:
            category = self.indications[checkbox.data["value"]].category
            groups.setdefault(category, []).append(checkbox)
        return [(labels[category], boxes) for category, boxes in groups.items()]

    def chosen_complaints(self) -> list[str]:
        """Slugs of the complaints ticked, saved or not."""
        raw = self["complaints"].data if self.is_bound else self["complaints"].initial
        return [slug for slug in raw or () if slug in self.indications]

    def flag(self, name: str) -> bool:
        """`pregnant` or `breastfeeding` as the form stands, saved or not."""
        return bool(self[name].data if self.is_bound else self[name].initial)


class EraseClientForm(forms.Form):
    """Erase a client's record: a reason, and the client number typed as confirmation."""

    reason = forms.CharField(
        label=_("Reason for the erasure"),
        help_text=_(
            "E.g. “Written request of the client, received 20 November 2026”. Kept in the "
            "erasure record: do not name the client."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm_client_number = forms.CharField(
        label=_("Type the client number to confirm"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["confirm_client_number"].help_text = _(
            "The client number of %(name)s is %(number)s."
        ) % {"name": client.full_name, "number": client.client_number}

    def clean_confirm_client_number(self) -> str:
        typed = self.cleaned_data["confirm_client_number"].strip()
        if typed != self.client.client_number:
            raise ValidationError(
                _("This is not the client number of %(name)s.") % {"name": self.client.full_name},
                code="mismatch",
            )
        return typed


class NewConsultForm(forms.Form):
    template = forms.ChoiceField(label=_("Start from a protocol template"), required=False)

    def __init__(self, *args, templates: Iterable, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {str(t.pk): t for t in templates}
        self.fields["template"].choices = [
            ("", _("— an empty consult —")),
            *((pk, str(t)) for pk, t in self.templates.items()),
        ]

    def clean_template(self):
        pk = self.cleaned_data["template"]
        return self.templates[pk] if pk else None


class SaveTemplateForm(forms.Form):
    """Save the consult's lines under a name, to start later consults from."""

    name = forms.CharField(
        label=_("Template name"),
        max_length=150,
        help_text=_("For example “Stress en darm”."),
    )
    shared = forms.BooleanField(
        label=_("Share with the whole practice"),
        required=False,
        help_text=_("Shared templates are offered to every practitioner of the practice."),
    )

    def __init__(self, *args, may_share: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_share:
            del self.fields["shared"]


class IssueForm(forms.Form):
    """Issue the consult's protocol: the digest of the check the page showed, and one
    written reason per nutrient advised against (a line's or an own supplement's)."""

    check_digest = forms.CharField(widget=forms.HiddenInput)
    include_physician_page = forms.BooleanField(
        label=_("Add a page for the client's doctor or pharmacist"),
        help_text=_(
            "The findings with the medicines, ATC codes, the source's advice and references, "
            "on a last page of its own. The client's pages never show them."
        ),
        required=False,
        initial=True,
    )
    check_changed = False
    """Set when an issue was refused because the check had changed since it was shown."""

    def __init__(self, *args, avoided: Iterable[tuple[str, str]], check_digest: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["check_digest"].initial = check_digest
        self.avoided = dict(avoided)
        for slug, name in self.avoided.items():
            self.fields[f"reason_{slug}"] = forms.CharField(
                label=_("Why do you advise %(nutrient)s, although it is advised against?")
                % {"nutrient": name},
                help_text=_("Write the reason in plain words: the client reads it."),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def reason_fields(self) -> list[forms.BoundField]:
        return [self[f"reason_{slug}"] for slug in self.avoided]

    def acknowledgements(self) -> list[AcknowledgementInput]:
        return [
            AcknowledgementInput(nutrient=slug, reason=self.cleaned_data[f"reason_{slug}"])
            for slug in self.avoided
        ]

    def add_unacknowledged(self, nutrients: Iterable[str], names: dict[str, str]) -> None:
        """Errors naming the nutrients that still need a reason (the check changed, or the
        form was sent without them)."""
        missing = []
        for slug in nutrients:
            if f"reason_{slug}" in self.fields:
                self.add_error(f"reason_{slug}", _("Give a reason."))
            missing.append(names.get(slug, slug))
        self.add_error(
            None,
            ValidationError(
                _("Advised against for this client, give a written reason first: %(nutrients)s.")
                % {"nutrients": ", ".join(missing)},
                code="unacknowledged_avoid",
            ),
        )
