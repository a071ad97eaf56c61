"""The API's one parser (`REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]`): JSON, bounded.

With DRF's `JSONParser` a body nested 100,000 deep makes the json module raise
`RecursionError`, which DRF does not catch: a 500, also anonymously at the token endpoint;
and a body over `DATA_UPLOAD_MAX_MEMORY_SIZE` is Django's HTML error page. Here the body
is read up to that limit, decoded strictly, parsed, and its nesting bounded; each failure
is a 400 `{"detail": "…"}` before any view code runs. It is not a subclass of DRF's
`JSONParser` on purpose: DRF hands that one the body as Django read it, past the point
where the size could still be answered in JSON.
"""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers, renderers
from rest_framework.exceptions import ParseError
from rest_framework.settings import api_settings
from rest_framework.utils import json

# The deepest body of the API is a consult: object, list of lines, line, three levels. 64
# leaves room for any later endpoint and stays far below Python's recursion limit, so code
# that walks the data recursively (serializers, the schema's examples) never meets it.
MAX_DEPTH = 64


def nesting_depth_exceeds(data: Any, limit: int) -> bool:
    """Whether lists and objects in `data` nest deeper than `limit` (`[]` is one deep).
    A loop, not recursion: it must not fail on the very input it guards against."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class BoundedJSONParser(parsers.BaseParser):
    """JSON of at most `DATA_UPLOAD_MAX_MEMORY_SIZE` bytes nested at most `MAX_DEPTH`
    deep; anything else, and a body that is not text in its charset (UTF-8 unless the
    `Content-Type` names another), is a 400."""

    media_type = "application/json"
    renderer_class = renderers.JSONRenderer  # the browsable API's raw data form
    strict = api_settings.STRICT_JSON  # NaN and Infinity are not JSON

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        encoding = parsers.get_encoding(parser_context or {})
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise ParseError(
                _("The body is larger than %(limit)d bytes.") % {"limit": limit},
                code="too_large",
            )
        try:
            text = raw.decode(encoding)
        except UnicodeError as exc:
            raise ParseError(
                _("The body is not valid %(encoding)s text.") % {"encoding": encoding.upper()},
                code="not_text",
            ) from exc
        try:
            parse_constant = json.strict_constant if self.strict else None
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError:
            too_deep = True
        except ValueError as exc:
            # DRF's own words, which clients may already match on.
            raise ParseError(f"JSON parse error - {exc}") from exc
        else:
            too_deep = nesting_depth_exceeds(data, MAX_DEPTH)
        if too_deep:
            raise ParseError(
                _("The body nests lists and objects more than %(depth)d deep.")
                % {"depth": MAX_DEPTH},
                code="too_deep",
            )
        return data
