"""POST data of the practice's forms and formsets, as a browser sends them."""

import datetime


def formset(prefix: str, rows: list[dict], *, initial: int = 0) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def client_data(
    *,
    medications: list[dict] = (),
    supplements: list[dict] = (),
    medications_initial: int = 0,
    **fields,
) -> dict:
    data = {
        "client_number": "",
        "first_name": "Sanne",
        "last_name": "Mulder",
        "date_of_birth": "1985-03-14",
        "email": "",
        "phone": "",
        "address": "",
        "notes": "",
        **fields,
    }
    data.update(formset("medications", list(medications), initial=medications_initial))
    data.update(formset("supplements", list(supplements)))
    return data


def line(nutrient: str, dose: str = "200", **fields) -> dict:
    return {
        "nutrient": nutrient,
        "form": "",
        "dose_amount": dose,
        "dose_unit": "mg",
        "frequency": "once_daily",
        "timing": "morning",
        "duration_weeks": "8",
        "instructions": "",
        **fields,
    }


def consult_data(
    *,
    lines: list[dict] = (),
    complaints: list[str] = (),
    pregnant: bool = False,
    breastfeeding: bool = False,
    initial: int = 0,
    action: str = "save",
    date: datetime.date = datetime.date(2026, 11, 2),
    notes: str = "",
) -> dict:
    data = {"date": date.isoformat(), "notes": notes, "complaints": list(complaints)}
    if action:
        data["action"] = action
    if pregnant:
        data["pregnant"] = "on"
    if breastfeeding:
        data["breastfeeding"] = "on"
    data.update(formset("lines", list(lines), initial=initial))
    return data
