"""The API's own pages: schema, documentation and a JSON 404 for unknown /api/ URLs."""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView


class SchemaApi(SpectacularAPIView):
    """The OpenAPI 3 document; public, so integrators can read it before they get a token."""

    # No authentication: a stale token sent by a tool must not make the schema a 401.
    authentication_classes = []
    permission_classes = [AllowAny]


class DocsPage(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files; its init script is a separate request (CSP)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    template_name = "api/swagger_ui.html"
    url_name = "api-schema"


class NotFoundApi(APIView):
    """Any other /api/ URL: a 404 in the error shape, not the HTML page."""

    authentication_classes = []
    permission_classes = [AllowAny]
    schema = None  # not an endpoint: left out of the OpenAPI document

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound()

    def dispatch(self, request, *args, **kwargs):
        # This catch-all makes every /api/ path valid, which would stop APPEND_SLASH
        # sending /api/docs to /api/docs/; do that here instead.
        if _wants_slash(request):
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
        return super().dispatch(request, *args, **kwargs)


def _wants_slash(request) -> bool:
    path = request.path_info
    if not settings.APPEND_SLASH or request.method not in ("GET", "HEAD") or path.endswith("/"):
        return False
    try:
        return resolve(path + "/").url_name != "api-not-found"
    except Resolver404:
        return False
