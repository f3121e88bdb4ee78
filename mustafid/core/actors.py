"""The system as an actor: management commands and tasks act as it, never as a user."""


class SystemActor:
    """Stands in for a user where nobody pressed a button (seeding, periodic tasks)."""

    pk = None
    is_authenticated = False
    is_active = True
    is_superuser = False

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()
