"""Admin for the registry's configuration: the beneficiary categories and their rule."""

from django.contrib import admin

from mustafid.core.admin import AuditedAdmin
from mustafid.registry.models import Category


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    """Categories are read in ``position`` order; a household takes the first whose
    per-capita income ceiling it does not exceed (``registry.categories``)."""

    list_display = ["code", "name_ar", "name_en", "income_ceiling", "position", "is_active"]
    list_editable = ["position", "is_active"]
    ordering = ["position", "code"]
