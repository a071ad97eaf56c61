"""The API's pagination: DRF's page numbers, documented as they answer."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page-number pagination. Every page has `count`, `next`, `previous` and
    `results` (`next` and `previous` null at the ends); DRF's schema requires only
    `count` and `results`, so generated clients typed the links "maybe unset"."""

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        return {**paginated, "required": list(paginated["properties"])}
