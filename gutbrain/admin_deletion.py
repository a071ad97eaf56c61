"""What the knowledge base's delete pages say about the objects a deletion takes with it or
is blocked by.

Django's pages name every related object by its `str()`: deleting a nutrient in use would
show a curator the doses of supplement lines and the first words of acknowledgements'
reasons, of every practice. Here an object is named only when the user may open it in
this admin: a record of the knowledge base they may view. Everything else is counted per
model ("used in 12 supplement lines and 3 acknowledgements"), never named or linked.
"""

from collections import Counter
from collections.abc import Sequence

from django.contrib.admin import AdminSite
from django.contrib.admin.utils import NestedObjects, quote
from django.db import router
from django.db.models import Model
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext

DeletedObjects = tuple[list, dict[str, int], set[str], list[str]]


def get_deleted_objects(
    objs: Sequence[Model], request: HttpRequest, admin_site: AdminSite
) -> DeletedObjects:
    """`ModelAdmin.get_deleted_objects` for the knowledge base: Django's four answers, with
    only the objects the user may open named.

    - the nested list of what the deletion removes, ending with a line per model of what
      is not named ("links with 3 consults");
    - the count per model, for the summary;
    - the models of the removed objects the user may not delete (names only);
    - when records PROTECT the objects: first the sentence "used in …", counting every
      such record, then links to those the user may open. The templates
      `admin/gutbrain/delete_confirmation.html` and `…delete_selected_confirmation.html`
      say it.
    """
    try:
        first = objs[0]
    except IndexError:
        return [], {}, set(), []
    app_label = first._meta.app_label
    collector = NestedObjects(using=router.db_for_write(type(first)), origin=objs)
    collector.collect(objs)

    def may_open(obj: Model) -> bool:
        model_admin = admin_site._registry.get(type(obj))
        return (
            obj._meta.app_label == app_label
            and model_admin is not None
            and model_admin.has_view_permission(request, obj)
        )

    def named(obj: Model) -> str | None:
        """A link to the object's page, or None for an object the user may not open."""
        if not may_open(obj):
            return None
        opts = obj._meta
        label = capfirst(opts.verbose_name)
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[quote(obj.pk)],
            )
        except NoReverseMatch:
            return f"{label}: {obj}"
        return format_html('{}: <a href="{}">{}</a>', label, url, obj)

    perms_needed = set()
    unnamed: Counter[type[Model]] = Counter()
    model_count = {}
    for model, instances in collector.model_objs.items():
        model_admin = admin_site._registry.get(model)
        if model_admin is not None and not all(
            model_admin.has_delete_permission(request, obj) for obj in instances
        ):
            perms_needed.add(model._meta.verbose_name)
        hidden = [obj for obj in instances if not may_open(obj)]
        if hidden:
            unnamed[model] = _owners(model, hidden)
        model_count[_plural_name(model)] = len(instances)

    to_delete = _named_only(collector.nested(named))
    to_delete += [capfirst(_in_words(model, count)) for model, count in _sorted(unnamed)]

    protected: list[str] = []
    if collector.protected:
        using = Counter(type(obj) for obj in collector.protected)
        protected.append(
            gettext("used in %(records)s")
            % {
                "records": get_text_list(
                    [_in_words(model, count) for model, count in _sorted(using)],
                    gettext("and"),
                )
            }
        )
        protected += sorted(named(obj) for obj in collector.protected if may_open(obj))
    return to_delete, model_count, perms_needed, protected


def _named_only(nested: list) -> list:
    """`NestedObjects.nested()` without the objects named None: what hangs from one of
    them takes its place."""
    kept: list = []
    hidden = False
    for item in nested:
        if isinstance(item, list):
            children = _named_only(item)
            if hidden:
                kept += children
            elif children:
                kept.append(children)
        else:
            hidden = item is None
            if not hidden:
                kept.append(item)
    return kept


def _owner(model: type[Model]) -> type[Model] | None:
    """For the table Django makes for a many-to-many field, the model with the field."""
    return model._meta.auto_created or None


def _owners(model: type[Model], rows: list[Model]) -> int:
    """How many objects `rows` stand for: themselves, or, for the rows of a many-to-many
    table, the objects on the side of the field (a consult's complaints)."""
    owner = _owner(model)
    if owner is None:
        return len(rows)
    link = next(f for f in model._meta.fields if f.is_relation and f.related_model is owner)
    return len({getattr(row, link.attname) for row in rows})


def _in_words(model: type[Model], count: int) -> str:
    """ "12 supplement lines"; for a many-to-many table "links with 3 consults"."""
    owner = _owner(model) or model
    name = owner._meta.verbose_name if count == 1 else owner._meta.verbose_name_plural
    words = f"{count} {name}"
    if owner is model:
        return words
    return gettext("links with %(records)s") % {"records": words}


def _plural_name(model: type[Model]) -> str:
    owner = _owner(model)
    if owner is None:
        return str(model._meta.verbose_name_plural)
    return gettext("links with %(records)s") % {"records": owner._meta.verbose_name_plural}


def _sorted(counts: Counter) -> list[tuple[type[Model], int]]:
    """By the name the words give each model, in the user's language."""
    return sorted(
        counts.items(), key=lambda item: str((_owner(item[0]) or item[0])._meta.verbose_name)
    )
