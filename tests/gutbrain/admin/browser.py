"""What a browser does with the admin's pages: read a form, post it back, go through the
import and export steps."""

from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse


class _FormReader(HTMLParser):
    """The values a browser would submit for the form with this `id` or `action`."""

    def __init__(self, *, form_id: str | None, action: str | None):
        super().__init__()
        self.form_id = form_id
        self.action = action
        self.inside = False
        self.found = False
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (self.form_id is not None and attrs.get("id") == self.form_id) or (
                self.action is not None and (attrs.get("action") or "") == self.action
            )
            self.found = self.found or self.inside
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
                return
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline that follows <textarea>.
            self.data[self._textarea] = ["".join(self._text).removeprefix("\n")]
            self._textarea = None


def form_data(
    response: HttpResponse, *, form_id: str | None = None, action: str | None = None
) -> dict[str, list[str]]:
    reader = _FormReader(form_id=form_id, action=action)
    reader.feed(response.content.decode())
    assert reader.found, f"no form {form_id or action!r} in the page"
    return reader.data


def admin_url(model_name: str, view: str, *args) -> str:
    return reverse(f"admin:gutbrain_{model_name}_{view}", args=args)


def format_value(client: Client, model_name: str, view: str, title: str) -> str:
    """The value of `title` ("csv", "xlsx", "json") in the format menu of the page."""
    response = client.get(admin_url(model_name, view))
    assert response.status_code == 200
    choices = dict(
        (label, value) for value, label in response.context["form"].fields["format"].choices
    )
    return choices[title]


def upload(client: Client, model_name: str, filename: str, content: bytes, title: str):
    """The first step of an import: the file, answered with a preview or the errors."""
    return client.post(
        admin_url(model_name, "import"),
        {
            "resource": "0",
            "format": format_value(client, model_name, "import", title),
            "import_file": SimpleUploadedFile(filename, content),
        },
    )


def confirm(client: Client, preview: HttpResponse, model_name: str):
    """Posts the preview's confirm form, as the "Confirm import" button does."""
    data = form_data(preview, action=admin_url(model_name, "process_import"))
    return client.post(admin_url(model_name, "process_import"), data)


def export(client: Client, model_name: str, title: str) -> HttpResponse:
    """Exports every field of the model's changelist in the format `title`."""
    page = client.get(admin_url(model_name, "export"))
    data = form_data(page, action="")
    data["format"] = [format_value(client, model_name, "export", title)]
    return client.post(admin_url(model_name, "export"), data)
