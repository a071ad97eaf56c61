"""What both protocol documents (`handout`, and the frozen `schema1`) take from a snapshot
alike: who the document is from and for, and the running footer's page label.

Schema 1 must render byte-identically from its snapshots (`tests/practice/test_pdf_schema1.py`):
a change here that would change what it renders belongs in the current document alone.
"""

import re
from datetime import date

from django.utils.translation import gettext


def parties(snapshot: dict) -> dict:
    """The practice (with its address as lines), the practitioner and the client (with
    the date of birth as a date)."""
    return {
        "practice": {
            **snapshot["practice"],
            "address_lines": [
                line.strip()
                for line in snapshot["practice"]["address"].splitlines()
                if line.strip()
            ],
        },
        "practitioner": snapshot["practitioner"],
        "client": {
            **snapshot["client"],
            "date_of_birth": date.fromisoformat(snapshot["client"]["date_of_birth"]),
        },
    }


def page_label() -> list[dict]:
    """The translated "Page %(page)s of %(pages)s" cut into text and the two page counters:
    the translation decides the order, the stylesheet fills in the numbers."""
    text = gettext("Page %(page)s of %(pages)s") % {"page": "\x00", "pages": "\x01"}
    kinds = {"\x00": "page", "\x01": "pages"}
    return [
        {"kind": kinds.get(part, "text"), "text": part}
        for part in re.split("(\x00|\x01)", text)
        if part
    ]
