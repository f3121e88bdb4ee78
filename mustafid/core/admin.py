"""Admin for shared records. Admin edits are audited like any other change."""

from django.contrib import admin
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from mustafid.core import audit
from mustafid.core.dates import format_dual
from mustafid.core.models import AuditAction, AuditEntry, Bank, Holiday


def _snapshot_with_relations(obj: models.Model) -> dict:
    data = audit.snapshot(obj)
    for field in obj._meta.many_to_many:
        data[field.name] = sorted(
            str(pk) for pk in getattr(obj, field.name).values_list("pk", flat=True)
        )
    return data


class AuditedAdmin(admin.ModelAdmin):
    """Every create, change and delete made in the admin lands in the audit log."""

    def save_model(self, request, obj, form, change):
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            request._audit_before = _snapshot_with_relations(stored)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        after = _snapshot_with_relations(obj)
        if change:
            changes = audit.diff(getattr(request, "_audit_before", {}), after)
            if changes:
                audit.record(
                    actor=request.user, action=AuditAction.UPDATE, target=obj, changes=changes
                )
        else:
            audit.record(
                actor=request.user,
                action=AuditAction.CREATE,
                target=obj,
                changes={name: {"before": None, "after": value} for name, value in after.items()},
            )

    def history_view(self, request, object_id, extra_context=None):
        """The admin's "History" button opens our audit trail for the record."""
        return redirect("core:audit_trail", model=self.model._meta.label_lower, object_id=object_id)

    def delete_model(self, request, obj):
        audit.record_delete(actor=request.user, target=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record_delete(actor=request.user, target=obj)
        super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only from the application."""

    list_display = [
        "created_at",
        "actor_label",
        "action",
        "content_type",
        "object_repr",
        "ip_address",
    ]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_label", "object_repr", "object_id", "summary", "request_id"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        entry = super().get_object(request, object_id, from_field)
        if entry is not None:  # shown, never saved: sensitive values only to those allowed
            entry.changes = audit.changes_for(entry, actor=request.user)
        return entry


@admin.register(Bank)
class BankAdmin(AuditedAdmin):
    list_display = ["code", "name_ar", "name_en", "bic", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name_ar", "name_en", "bic"]
    ordering = ["code"]


@admin.register(Holiday)
class HolidayAdmin(AuditedAdmin):
    """Days off that due dates skip; Eids stay unconfirmed until checked (holidays_suggest)."""

    list_display = ["name_ar", "name_en", "kind", "first_day", "last_day", "confirmed"]
    list_filter = ["confirmed", "kind"]
    search_fields = ["name_ar", "name_en", "note"]
    date_hierarchy = "start"
    ordering = ["-start"]

    @admin.display(description=_("first day"), ordering="start")
    def first_day(self, holiday: Holiday) -> str:
        return format_dual(holiday.start)

    @admin.display(description=_("last day"), ordering="end")
    def last_day(self, holiday: Holiday) -> str:
        return format_dual(holiday.end)


admin.site.empty_value_display = _("(none)")
