"""The Django admin, open to system administrators only (issue 3, item 7)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class MustafidAdminSite(admin.AdminSite):
    site_header = _("Mustafid administration")
    site_title = _("Mustafid")
    index_title = _("System administration")

    def has_permission(self, request) -> bool:
        from mustafid.accounts.roles import ADMIN_ROLES

        user = request.user
        if not (user.is_active and user.is_authenticated):
            return False
        return user.is_superuser or any(user.has_role(role) for role in ADMIN_ROLES)
