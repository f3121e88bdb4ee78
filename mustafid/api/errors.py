"""Every API error in one JSON shape: ``{"code", "message", "details"?}``.

``code`` is stable for programs, ``message`` is translated for people (Accept-Language;
Arabic by default), ``details`` carries field errors when input was not valid. Anything
not mapped here is left to Django's 500 handler, which answers /api/ in the same shape.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from mustafid.core.errors import DomainError


def error_body(*, code: str, message: str, details: dict | None = None) -> dict:
    body = {"code": code, "message": message}
    if details:
        body["details"] = details
    return body


def _plain(detail):
    """ErrorDetail trees as plain JSON: field -> [messages]."""
    if isinstance(detail, dict):
        return {str(key): _plain(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_plain(item) for item in detail]
    return str(detail)


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return _plain(detail)
    if not isinstance(detail, list):
        detail = [detail]
    return {api_settings.NON_FIELD_ERRORS_KEY: _plain(detail)}


def exception_handler(exc, context):
    """REST framework's EXCEPTION_HANDLER: map a known error, else leave it to Django."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    if isinstance(exc, DomainError):
        set_rollback()
        return Response(error_body(code=exc.code, message=str(exc)), status=exc.http_status)
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    if wait := getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(wait))

    if isinstance(exc, exceptions.ValidationError):
        body = error_body(
            code="invalid",
            message=gettext("Some fields are not valid."),
            details=_field_errors(exc.detail),
        )
    else:
        body = error_body(code=exc.default_code, message=str(exc.detail))
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)
