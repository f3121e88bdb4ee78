"""Scope checks: a token may do what its scopes *and* its service account allow."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from mustafid.api.models import ApiClient
from mustafid.api.scopes import SCOPE_PERMISSIONS


class HasScope(BasePermission):
    """Views declare ``required_scopes = [Scope.X]``.

    Token requests must carry every one of them, and the service account must hold the
    permissions each scope needs. Staff signed in through the browser need only those
    permissions. A view that declares no scopes is closed to tokens (fail closed).
    """

    message = _("You do not have permission to do this.")
    missing_scope = _("This API token does not carry the scope this endpoint needs: %(scopes)s.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        required = getattr(view, "required_scopes", None)
        if isinstance(request.auth, ApiClient):
            if required is None:
                return False
            if missing := sorted(set(required) - set(request.auth.scopes)):
                self.message = self.missing_scope % {"scopes": ", ".join(missing)}
                return False
        perms = [perm for scope in required or () for perm in SCOPE_PERMISSIONS[scope]]
        return user.has_perms(perms)
