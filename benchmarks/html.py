"""What a browser reads from the staff pages: the values a form submits, the records a
page links to."""

import re
from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.found = False
        self.data: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            self.found = self.found or self.inside
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            default = "on" if kind in {"checkbox", "radio"} else ""
            self.data.append((name, attrs.get("value") or default))
        elif tag == "select" and name:
            self._select, self._options = name, []
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not self._multiple and self._options:
                chosen = [self._options[0][0]]  # what a browser submits
            self.data.extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def form_data(page: str, form_id: str) -> list[tuple[str, str]]:
    """The (name, value) pairs the form with this id submits as it stands."""
    reader = _FormReader(form_id)
    reader.feed(page)
    if not reader.found:
        raise ValueError(f"no form #{form_id} in the page")
    return reader.data


def linked_ids(page: str, prefix: str) -> list[int]:
    """The ids of the records the page links to under `prefix` ("/clients/")."""
    return sorted({int(pk) for pk in re.findall(rf'href="{re.escape(prefix)}(\d+)/"', page)})
