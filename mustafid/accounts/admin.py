from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from mustafid.accounts.models import Branch, User
from mustafid.core.admin import AuditedAdmin

# Roles are defined in code (accounts/roles.py) and kept in step after every migrate;
# they are assigned on the staff form, not edited as groups.
admin.site.unregister(Group)


@admin.register(Branch)
class BranchAdmin(AuditedAdmin):
    list_display = ["code", "name_ar", "name_en", "city", "is_active"]
    list_filter = ["is_active", "city"]
    search_fields = ["code", "name_ar", "name_en", "city"]


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_active", "last_login"]
    list_filter = ["is_active", "groups", "branches"]
    search_fields = ["username", "first_name", "last_name", "email", "mobile"]
    filter_horizontal = ["groups", "branches"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal details"), {"fields": ["first_name", "last_name", "email", "mobile"]}),
        (_("Roles and branches"), {"fields": ["groups", "branches"]}),
        (_("Status"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["label"] = _("Roles")
        return super().formfield_for_manytomany(db_field, request, **kwargs)
