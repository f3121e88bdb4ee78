"""Changes to branches and staff accounts, each permission-checked and audited."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction

from mustafid.accounts.models import Branch, User
from mustafid.accounts.permissions import ensure_can
from mustafid.accounts.roles import Role
from mustafid.core import audit


def _staff_snapshot(user: User) -> dict:
    data = audit.snapshot(
        user,
        fields=["username", "first_name", "last_name", "email", "mobile", "is_active", "is_staff"],
    )
    data["roles"] = sorted(user.groups.values_list("name", flat=True))
    data["branches"] = sorted(user.branches.values_list("code", flat=True))
    return data


@transaction.atomic
def create_branch(
    *, actor, code: str, name_ar: str, name_en: str, city: str, phone: str = ""
) -> Branch:
    """Open a branch office (P-CH-8: branch representatives work from these)."""
    ensure_can(actor, "accounts.add_branch")
    branch = Branch.objects.create(
        code=code, name_ar=name_ar, name_en=name_en, city=city, phone=phone
    )
    audit.record_create(actor=actor, target=branch)
    return branch


@transaction.atomic
def update_branch(*, actor, branch: Branch, **changes) -> Branch:
    ensure_can(actor, "accounts.change_branch")
    allowed = {"name_ar", "name_en", "city", "phone", "is_active"}
    if unknown := set(changes) - allowed:
        raise TypeError(f"cannot change {sorted(unknown)}")
    before = audit.snapshot(branch)
    for name, value in changes.items():
        setattr(branch, name, value)
    branch.save(update_fields=[*changes])
    audit.record_update(actor=actor, target=branch, before=before)
    return branch


@transaction.atomic
def create_staff_user(
    *,
    actor,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    mobile: str = "",
    roles: Iterable[str] = (),
    branches: Iterable[Branch] = (),
) -> User:
    """Create a staff account with its roles and branches; an admin role opens the admin."""
    ensure_can(actor, "accounts.add_user")
    roles = [Role(role) for role in roles]
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        mobile=mobile,
        is_staff=Role.SYSTEM_ADMIN in roles,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    user.branches.set(branches)
    audit.record(
        actor=actor,
        action=audit.AuditAction.CREATE,
        target=user,
        changes={name: {"before": None, "after": v} for name, v in _staff_snapshot(user).items()},
    )
    return user


@transaction.atomic
def set_staff_access(
    *, actor, user: User, roles: Iterable[str], branches: Iterable[Branch], is_active: bool = True
) -> User:
    """Replace a staff member's roles and branches, or deactivate the account."""
    ensure_can(actor, "accounts.change_user")
    roles = [Role(role) for role in roles]
    before = _staff_snapshot(user)
    user.is_active = is_active
    user.is_staff = Role.SYSTEM_ADMIN in roles
    user.save(update_fields=["is_active", "is_staff"])
    user.groups.set(Group.objects.filter(name__in=roles))
    user.branches.set(branches)
    changes = audit.diff(before, _staff_snapshot(user))
    if changes:
        audit.record(actor=actor, action=audit.AuditAction.UPDATE, target=user, changes=changes)
    return user
