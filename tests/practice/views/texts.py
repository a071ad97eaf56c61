"""What the Dutch pages say, looked up the way the pages translate it, so the tests hold
with and without the Dutch catalogue."""

from django.utils.html import escape
from django.utils.translation import gettext, override


def nl(message: str, **params) -> str:
    """`message` in Dutch with `params` filled in, HTML-escaped as a template shows it."""
    with override("nl"):
        text = gettext(message)
    return escape(text % params if params else text)
