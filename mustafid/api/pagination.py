"""Paginating an APIView's list the way the settings say (limit/offset by default)."""

from rest_framework.response import Response


def paginated_response(*, view, request, queryset, serializer_class) -> Response:
    """One page of ``queryset`` serialized, with count and next/previous links."""
    paginator = view.pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)
