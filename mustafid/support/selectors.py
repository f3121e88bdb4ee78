"""Reads for the support pages."""

from django.db.models import QuerySet

from mustafid.support.models import SupportRequestType


def active_request_types() -> QuerySet[SupportRequestType]:
    return SupportRequestType.objects.filter(is_active=True).order_by("position", "code")
