from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GutbrainConfig(AppConfig):
    name = "gutbrain"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from gutbrain import sessions, tokens

        sessions.connect()
        tokens.connect()
