"""Query-string filters of the practice endpoints. Related records go by id."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from practice.models import Consult, Protocol


class ConsultFilter(filters.FilterSet):
    # A plain number, not a choice among clients: another practitioner's client gives an
    # empty list, exactly like a client that does not exist.
    client = filters.NumberFilter(field_name="client_id", help_text=_("Id of the client."))

    class Meta:
        model = Consult
        fields = ["client"]


class ProtocolFilter(filters.FilterSet):
    consult = filters.NumberFilter(field_name="consult_id", help_text=_("Id of the consult."))

    class Meta:
        model = Protocol
        fields = ["consult"]
