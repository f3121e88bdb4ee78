"""Server-side permission checks used by every service and selector."""

from mustafid.accounts.models import Branch, User
from mustafid.accounts.roles import Role
from mustafid.core.actors import SYSTEM
from mustafid.core.errors import PermissionDenied


def branch_ids(user: User) -> set[int]:
    """The branches whose records ``user`` works on (all for administrators)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if not hasattr(user, "_branch_ids"):
        if user.is_superuser:
            user._branch_ids = set(Branch.objects.values_list("pk", flat=True))
        else:
            user._branch_ids = set(user.branches.values_list("pk", flat=True))
    return user._branch_ids


#: Roles that read every branch's records (issue 4 item 9); they change only their own.
ALL_BRANCH_ROLES = (Role.SYSTEM_ADMIN, Role.BRANCH_MANAGER)


def sees_every_branch(user) -> bool:
    """Administrators and branch managers read every branch's families; others their own."""
    if user is SYSTEM:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or any(user.has_role(role) for role in ALL_BRANCH_ROLES)


def can(user: User, perm: str, *, branch: Branch | None = None) -> bool:
    """True if ``user`` holds ``perm`` (in ``branch``, when given); the system always may."""
    if user is SYSTEM:
        return True
    if not getattr(user, "is_authenticated", False) or not user.has_perm(perm):
        return False
    return branch is None or user.is_superuser or branch.pk in branch_ids(user)


def ensure_can(user: User, perm: str, *, branch: Branch | None = None) -> None:
    """Raise PermissionDenied unless ``user`` holds ``perm`` (in ``branch``, when given)."""
    if not can(user, perm, branch=branch):
        raise PermissionDenied()
