import sys

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache

from mustafid.accounts.roles import role_label
from mustafid.core import audit, selectors
from mustafid.core.health import health


@login_required
def dashboard(request):
    user = request.user
    context = {
        "today": timezone.localdate(),
        "roles": sorted(role_label(code) for code in user.role_codes()),
        "branches": user.branches.all(),
        "activity": selectors.recent_activity(actor=user),
        "tool_links": selectors.tool_links(actor=user, request=request),
    }
    return render(request, "core/dashboard.html", context)


@never_cache
def healthz(request):
    """Database and task backend reachable? 200 with JSON, else 503 (for load balancers)."""
    report = health()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


@login_required
def audit_trail(request, model: str, object_id: str):
    entries = selectors.audit_entries_for_record(
        actor=request.user, model=model, object_id=object_id
    )
    page = Paginator(entries, 25).get_page(request.GET.get("page"))
    for entry in page:
        entry.changes = audit.changes_for(entry, actor=request.user)
    template = "core/audit_trail.html" + ("#entries" if request.htmx else "")
    return render(request, template, {"page": page, "model": model, "object_id": object_id})


def server_error(request):
    """500 handler; a database that cannot be reached is a friendly 503, not a traceback."""
    error = sys.exc_info()[1]
    unavailable = isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DatabaseError) and "connect" in str(error).lower()
    )
    status = 503 if unavailable else 500
    if request.path.startswith(("/api/", "/healthz")):
        from django.utils.translation import gettext

        message = (
            gettext("The service is temporarily unavailable. Please try again shortly.")
            if unavailable
            else gettext("Something went wrong on our side. It has been logged.")
        )
        code = "service_unavailable" if unavailable else "server_error"
        return JsonResponse({"code": code, "message": message}, status=status)
    # Rendered without the request: context processors could touch the database.
    html = render_to_string("errors/503.html" if unavailable else "errors/500.html")
    response = HttpResponse(html, status=status)
    if unavailable:
        response["Retry-After"] = "30"
    return response
