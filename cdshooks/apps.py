from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CdsHooksConfig(AppConfig):
    name = "cdshooks"
    verbose_name = _("CDS Hooks")
