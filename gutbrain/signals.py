"""Drops the cached interaction table when a row it is read from changes.

The interaction table is cached per process (`gutbrain.interactions.table`); its version
check already catches changes made by other processes. These receivers make the process
that writes forget its copy at once, including for writes that leave no history (fixtures
loaded with `loaddata`, saves without a historical record). The admin, its history
(revert) and its import all save rows one by one, so they send these signals too.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from gutbrain.interactions.table import SOURCE_MODELS, forget_table
from gutbrain.models import Interaction


def forget_interaction_table(**kwargs) -> None:
    forget_table()


def connect() -> None:
    """Called once, from `GutbrainConfig.ready()`."""
    for model in SOURCE_MODELS:
        uid = f"forget_interaction_table:{model._meta.label_lower}"
        post_save.connect(forget_interaction_table, sender=model, dispatch_uid=uid)
        post_delete.connect(forget_interaction_table, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        forget_interaction_table,
        sender=Interaction.references.through,
        dispatch_uid="forget_interaction_table:m2m",
    )
