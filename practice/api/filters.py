"""Query-string filters of the practice endpoints. Related records go by id."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from practice.models import Consult, Protocol

# What an id column holds (64-bit): a number beyond it is refused (400) rather than handed
# to the database, which cannot compare it (SQLite raises OverflowError, a 500).
ID_RANGE = {"min_value": -(2**63), "max_value": 2**63 - 1}


class ConsultFilter(filters.FilterSet):
    # A plain number, not a choice among clients: another practitioner's client gives an
    # empty list, exactly like a client that does not exist.
    client = filters.NumberFilter(
        field_name="client_id", help_text=_("Id of the client."), **ID_RANGE
    )

    class Meta:
        model = Consult
        fields = ["client"]


class ProtocolFilter(filters.FilterSet):
    consult = filters.NumberFilter(
        field_name="consult_id", help_text=_("Id of the consult."), **ID_RANGE
    )

    class Meta:
        model = Protocol
        fields = ["consult"]
