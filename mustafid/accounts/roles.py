"""Staff roles: one group each, with the permissions the role needs.

The policy names the people who serve beneficiaries (see "Roles named or implied" in the
policy): the relations officer receives, answers and registers (P-PROC-1, P-PROC-2,
P-PROC-6); the social researcher studies requests (P-PROC-3); the research committee and
its chair decide (P-PROC-5); branch managers run branch offices (P-CH-8); the quality
officer measures satisfaction (P-OBJ-5); the system administrator keeps the system.
Later issues add their permissions here; ``sync_role_groups`` keeps groups in step.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RELATIONS_OFFICER = "relations_officer", _("Relations officer")
    SOCIAL_RESEARCHER = "social_researcher", _("Social researcher")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    COMMITTEE_CHAIR = "committee_chair", _("Committee chair")
    BRANCH_MANAGER = "branch_manager", _("Branch manager")
    QUALITY_OFFICER = "quality_officer", _("Quality and satisfaction officer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


_STAFF_BASE = ["accounts.view_branch", "support.view_supportrequesttype"]
_REGISTRY_READ = [
    "registry.view_beneficiaryfile",
    "registry.view_person",
    "registry.view_incomesource",
]
_REGISTRY_WRITE = [
    "registry.add_beneficiaryfile",
    "registry.change_beneficiaryfile",
    "registry.add_person",
    "registry.change_person",
    "registry.add_incomesource",
    "registry.change_incomesource",
    "registry.delete_incomesource",
]
_CASE_READ = [
    "timeline.view_timelineevent",
    "documents.view_document",
    "privacy.view_consent",
]
_CASE_WRITE = [
    "documents.add_document",
    "documents.change_document",
    "privacy.add_consent",
    "privacy.change_consent",
]
_DUPLICATES_READ = ["registry.view_duplicatecandidate", "registry.view_filemerge"]
_DUPLICATES: list[str] = [
    *_DUPLICATES_READ,
    "registry.change_duplicatecandidate",
    "registry.add_filemerge",
    "registry.revert_filemerge",
]
_IMPORTS = ["imports.view_importjob", "imports.add_importjob"]
_RETENTION = ["privacy.view_anonymisation", "privacy.add_anonymisation"]

#: Permissions per role, as "app_label.codename".
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.RELATIONS_OFFICER: [
        *_STAFF_BASE,
        *_REGISTRY_READ,
        *_REGISTRY_WRITE,
        *_CASE_READ,
        *_CASE_WRITE,
        *_DUPLICATES_READ,
    ],
    Role.SOCIAL_RESEARCHER: [
        *_STAFF_BASE,
        *_REGISTRY_READ,
        *_CASE_READ,
        "documents.add_document",
        "registry.view_sensitive",
    ],
    Role.COMMITTEE_MEMBER: [*_STAFF_BASE, *_REGISTRY_READ, *_CASE_READ],
    Role.COMMITTEE_CHAIR: [*_STAFF_BASE, *_REGISTRY_READ, *_CASE_READ],
    Role.BRANCH_MANAGER: [
        *_STAFF_BASE,
        *_REGISTRY_READ,
        *_REGISTRY_WRITE,
        *_CASE_READ,
        *_CASE_WRITE,
        *_DUPLICATES,
        *_IMPORTS,
        "registry.view_sensitive",
        "accounts.view_user",
        "core.view_auditentry",
        "core.view_holiday",
        "notifications.view_outboxmessage",
    ],
    Role.QUALITY_OFFICER: [
        *_STAFF_BASE,
        *_REGISTRY_READ,
        "timeline.view_timelineevent",
        "core.view_auditentry",
    ],
    Role.SYSTEM_ADMIN: [
        *_STAFF_BASE,
        *_REGISTRY_READ,
        *_REGISTRY_WRITE,
        *_CASE_READ,
        *_CASE_WRITE,
        *_DUPLICATES,
        *_IMPORTS,
        *_RETENTION,
        "registry.view_category",
        "support.add_supportrequesttype",
        "support.change_supportrequesttype",
        "registry.add_category",
        "registry.change_category",
        "accounts.add_branch",
        "accounts.change_branch",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "auth.view_group",
        "core.view_auditentry",
        "core.view_bank",
        "core.add_bank",
        "core.change_bank",
        "core.view_holiday",
        "core.add_holiday",
        "core.change_holiday",
        "core.delete_holiday",
        "notifications.view_outboxmessage",
        "notifications.retry_outboxmessage",
        "api.view_apiclient",
        "api.add_apiclient",
        "api.change_apiclient",
        "django_tasks_database.view_dbtaskresult",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ],
}

#: Roles that reach the Django admin (issue 3: administrators only).
ADMIN_ROLES = {Role.SYSTEM_ADMIN}


def role_label(code: str) -> str:
    try:
        return Role(code).label
    except ValueError:
        return code


def sync_role_groups() -> int:
    """Create each role's group and set exactly its permissions; returns groups changed."""
    known = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    named = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    # An app that has no models yet has no permissions yet; anything else missing is a typo.
    with_models = {config.label for config in apps.get_app_configs() if config.models_module}
    missing = {perm for perm in named - set(known) if perm.split(".", 1)[0] in with_models}
    if missing or {perm.split(".", 1)[0] for perm in named} - {
        c.label for c in apps.get_app_configs()
    }:
        raise ImproperlyConfigured(f"roles name unknown permissions: {sorted(named - set(known))}")
    changed = 0
    for role, perms in ROLE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=role)
        wanted = {known[perm] for perm in perms if perm in known}
        current = set(group.permissions.values_list("pk", flat=True))
        if created or current != wanted:
            group.permissions.set(wanted)
            changed += 1
    return changed


def sync_role_groups_after_migrate(sender, **kwargs) -> None:
    """Run once per migrate, after the last app: every app's permissions exist by then."""
    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    if sender.name == last.name:
        sync_role_groups()
