from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mustafid.accounts"
    label = "accounts"
    verbose_name = _("Staff and branches")

    def ready(self) -> None:
        from mustafid.accounts import roles, signals  # noqa: F401  (auth events → audit log)

        # Roles are groups kept in step with the code after every migrate (idempotent).
        post_migrate.connect(roles.sync_role_groups_after_migrate)
