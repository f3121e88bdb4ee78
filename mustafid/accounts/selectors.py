"""Reads about staff and branches, scoped to the actor."""

from django.db.models import QuerySet

from mustafid.accounts.models import Branch, User
from mustafid.accounts.roles import Role


def branches_visible_to(*, actor: User) -> QuerySet[Branch]:
    """The branches the actor works in; administrators and superusers see every branch."""
    if actor.is_superuser or actor.has_role(Role.SYSTEM_ADMIN):
        return Branch.objects.all()
    return Branch.objects.filter(staff=actor)
