"""The main menu: the same links on every page a user may see, chosen by the user's roles.

Pages do not add or hide links of their own: a link that shows on one page and not on the
next leaves a user wondering where it went. The menu is read only where a page shows it
(`base.html`), so the admin's pages and the API never ask for the roles.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from practice.access import ASSISTANT, is_practitioner, roles_of


@dataclass(frozen=True)
class MenuItem:
    label: Promise
    url: str
    current: str = ""
    """The `aria-current` value: "page" on the page itself, "true" within its section."""


def menu_for(
    user: AbstractBaseUser | AnonymousUser, url_name: str, app_name: str
) -> list[MenuItem]:
    """The links `user` may follow, for a page with this URL name and namespace."""
    if not user.is_authenticated:
        return []
    practitioner = is_practitioner(user)
    roles = frozenset() if user.is_superuser else roles_of(user)
    in_templates = app_name == "practice" and url_name.startswith("template-")
    in_practice = app_name == "practice" and url_name != "dashboard" and not in_templates
    items = [
        MenuItem(
            _("Knowledge base"),
            reverse("gutbrain:nutrient-list"),
            "true" if app_name == "gutbrain" else "",
        )
    ]
    if practitioner or ASSISTANT in roles:
        items.append(
            MenuItem(_("Clients"), reverse("practice:client-list"), "true" if in_practice else "")
        )
    if practitioner:
        items.append(
            MenuItem(
                _("Protocol templates"),
                reverse("practice:template-list"),
                "page" if url_name == "template-list" else ("true" if in_templates else ""),
            )
        )
    if user.is_staff:
        items.append(MenuItem(_("Administration"), reverse("admin:index")))
    return items


def main_menu(request: HttpRequest) -> dict:
    """Context processor: `main_menu`, worked out when a template first reads it."""
    match = request.resolver_match

    def items() -> list[MenuItem]:
        return menu_for(
            request.user, match.url_name if match else "", match.app_name if match else ""
        )

    return {"main_menu": SimpleLazyObject(items)}
