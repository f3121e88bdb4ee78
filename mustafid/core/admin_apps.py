from django.contrib.admin.apps import AdminConfig


class MustafidAdminConfig(AdminConfig):
    """The admin app with our site class: only administrators get in."""

    default_site = "mustafid.core.admin_site.MustafidAdminSite"
