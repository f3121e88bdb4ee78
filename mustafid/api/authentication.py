"""Token authentication for integrators: ``Authorization: Bearer mst_<prefix>_<secret>``.

A good token makes ``request.user`` the client's service account and ``request.auth``
the ``ApiClient``. A bad one is a 401, never a fall-through to another scheme; no
``Authorization`` header at all leaves the request to session authentication.
"""

import logging

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from mustafid.api import services, tokens
from mustafid.api.models import ApiClient
from mustafid.api.scopes import Scope

logger = logging.getLogger("mustafid.api")

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(BaseAuthentication):
    invalid = _("The API token is not valid.")
    revoked = _("This API token has been revoked.")
    expired = _("This API token has expired.")
    inactive = _("The account this API token acts as is disabled.")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(self.invalid)
        try:
            plaintext = parts[1].decode("ascii")
        except UnicodeDecodeError as err:
            raise AuthenticationFailed(self.invalid) from err
        return self.authenticate_token(plaintext)

    def authenticate_token(self, plaintext: str):
        prefix = tokens.prefix_of(plaintext)
        client = (
            ApiClient.objects.select_related("user").filter(token_prefix=prefix).first()
            if prefix
            else None
        )
        if client is None or not tokens.matches(plaintext, client.token_hash):
            self._reject(prefix, "unknown")
            raise AuthenticationFailed(self.invalid)
        # The caller holds the real token from here on, so telling why is no leak.
        if client.is_revoked:
            self._reject(prefix, "revoked")
            raise AuthenticationFailed(self.revoked)
        if client.is_expired():
            self._reject(prefix, "expired")
            raise AuthenticationFailed(self.expired)
        if not client.user.is_active:
            self._reject(prefix, "inactive_user")
            raise AuthenticationFailed(self.inactive)
        services.note_api_client_used(client=client)
        return client.user, client

    def authenticate_header(self, request) -> str:
        # Also makes DRF answer 401, not 403, when no credentials are given.
        return 'Bearer realm="api"'

    @staticmethod
    def _reject(prefix: str | None, reason: str) -> None:
        logger.info("api token rejected", extra={"token_prefix": prefix, "reason": reason})


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents the token scheme in the OpenAPI schema."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        scopes = ", ".join(f"`{scope.value}`" for scope in Scope)
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "mst_<prefix>_<secret>",
            "description": (
                "A per-client token issued by an administrator, sent as "
                "`Authorization: Bearer <token>`. Each endpoint names the scope it "
                f"needs; known scopes: {scopes}."
            ),
        }
