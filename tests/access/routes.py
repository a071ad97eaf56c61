"""Every URL pattern of the project and every operation of the API schema, with a concrete
URL for each, for the role matrix and the anonymous enumeration."""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from tests.schema import generated_schema

API_PREFIX = "api/v1/"
WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    """A URL pattern: `key` is its whole route as Django prints it, unique in the project."""

    key: str
    name: str | None

    @property
    def is_api(self) -> bool:
        return self.key.startswith(API_PREFIX)

    @property
    def is_admin(self) -> bool:
        return self.key.startswith("admin/")


def _walk(patterns, prefix: str, namespace: str | None) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield Route(prefix + str(pattern.pattern), name)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", None))


NAMED_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
UNNAMED_GROUP = re.compile(r"\([^)?]*\)")
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def concrete_path(key: str, values: Mapping[str, object], positional: tuple = ()) -> str:
    """`key` with each converter and regex group filled in from `values` (by name) or
    `positional` (unnamed groups, in order): a path to request."""
    path = NAMED_GROUP.sub(lambda m: str(values[m.group(1)]), key)
    path = CONVERTER.sub(lambda m: str(values[m.group(1)]), path)
    remaining = list(positional)
    path = UNNAMED_GROUP.sub(lambda m: str(remaining.pop(0)), path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
    return "/" + path


@dataclass(frozen=True)
class Operation:
    """An operation of the OpenAPI schema: `key` is "METHOD path"."""

    method: str
    path: str

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"


def schema_operations() -> list[Operation]:
    schema = generated_schema()
    return [
        Operation(method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", *WRITE_METHODS)
    ]


def _schema_name(group: str) -> str:
    return "id" if group == "pk" else group


def api_route_paths(routes: list[Route]) -> set[str]:
    """The API routes as the schema writes paths (`/api/v1/clients/{id}/`), leaving out
    the format-suffix variants DRF adds."""
    paths = set()
    for route in routes:
        if not route.is_api or "format" in route.key:
            continue
        path = NAMED_GROUP.sub(lambda m: f"{{{_schema_name(m.group(1))}}}", route.key)
        paths.add("/" + path.replace("^", "").replace("$", ""))
    return paths
