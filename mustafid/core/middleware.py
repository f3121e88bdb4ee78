"""Request-wide middleware: structured request log, audit context, domain errors."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect, render
from django.utils import translation

from mustafid.core.context import current_ip, current_request_id
from mustafid.core.errors import DomainError
from mustafid.core.http import client_ip, request_id, safe_next

request_logger = logging.getLogger("mustafid.request")


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    """One structured log line per request: method, path, status, duration, queries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id(request)
        ip_token = current_ip.set(client_ip(request))
        id_token = current_request_id.set(request.id)
        counter = _QueryCounter()
        started = time.perf_counter()
        status = 500
        try:
            with connection.execute_wrapper(counter):
                response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request.id
            return response
        finally:
            user = getattr(request, "user", None)
            request_logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "queries": counter.count,
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                    "ip": current_ip.get(),
                    "request_id": request.id,
                },
            )
            current_ip.reset(ip_token)
            current_request_id.reset(id_token)


class DomainErrorMiddleware:
    """A refused change becomes a message for the user, never a 500.

    htmx requests get the alert partial swapped into the page's message area; others
    are sent back where they came from with the message. The API maps errors itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        if getattr(request, "htmx", False):
            response = render(
                request,
                "core/alert.html",
                {"level": "danger", "text": str(exception)},
                status=exception.http_status,
            )
            response["HX-Retarget"] = "#messages"
            response["HX-Reswap"] = "innerHTML"
            return response
        if request.method == "GET":
            return render(
                request,
                "core/error.html",
                {"text": str(exception)},
                status=exception.http_status,
            )
        messages.error(request, str(exception))
        return redirect(safe_next(request, request.META.get("HTTP_REFERER"), "/"))


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Arabic unless the person chose otherwise (language cookie), whatever the browser says.

    Staff computers often run English browsers; the association works in Arabic first.
    The API keeps honouring ``Accept-Language``: integrators choose their language.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None
