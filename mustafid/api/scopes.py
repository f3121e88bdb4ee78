"""The scopes an API token may carry, and the staff permissions each one also needs.

A scope narrows what a token may do; it never widens it. A token request needs the scope
*and* the permissions of the service account it acts as; a signed-in member of staff in
the browser needs only the permissions. Later issues add their scopes here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    ME_READ = "me:read", _("Read the service account's own profile")
    BRANCHES_READ = "branches:read", _("Read branches")
    REGISTRY_READ = "registry:read", _("Search and read beneficiary files")
    REGISTRY_WRITE = "registry:write", _("Register households and update beneficiary files")


#: Django permissions ("app_label.codename") an endpoint under each scope needs.
SCOPE_PERMISSIONS: dict[str, list[str]] = {
    Scope.ME_READ: [],
    Scope.BRANCHES_READ: ["accounts.view_branch"],
    Scope.REGISTRY_READ: ["registry.view_beneficiaryfile"],
    Scope.REGISTRY_WRITE: ["registry.add_beneficiaryfile", "registry.change_beneficiaryfile"],
}


def scope_label(code: str) -> str:
    try:
        return Scope(code).label
    except ValueError:
        return code
