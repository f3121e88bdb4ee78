"""Pieces every endpoint's OpenAPI description shares: the error shape and its responses."""

from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer
from rest_framework import serializers


@extend_schema_serializer(component_name="Error")
class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: e.g. `not_found`, `invalid`.")
    message = serializers.CharField(help_text="For people, in the language of Accept-Language.")
    details = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field name to messages, when `code` is `invalid`.",
    )


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """The error responses an endpoint may give, all in the one error shape."""
    descriptions = {
        400: "The input is not valid (`invalid`), or a rule refused it.",
        401: "No token, or a bad, revoked or expired one.",
        403: "The token lacks the scope, or the account lacks the permission.",
        404: "Not found, or not visible to this account.",
        409: "Someone else changed the record at the same time.",
    }
    return {
        status: OpenApiResponse(ErrorSerializer, description=descriptions[status])
        for status in statuses
    }
