"""Imports in the admin: read-only, for the system administrator to look into a job, and
to delete finished ones with their reports. Every change goes through the import pages
and their services."""

from django.contrib import admin

from mustafid.core.admin import AuditedAdmin
from mustafid.imports.models import IN_PROGRESS, ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(AuditedAdmin):
    list_display = ("pk", "original_name", "branch", "status", "row_count", "failed_rows")
    list_display_links = ("pk", "original_name")
    list_filter = ("status", "branch")
    search_fields = ("original_name",)
    list_select_related = ("branch",)
    exclude = ("sample",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a finished job removes its report (names and IDs) once no longer
        # needed (PDPL Art. 18); a job whose task may be running is left alone.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not obj.in_progress)

    def delete_model(self, request, obj):
        obj.upload.delete(save=False)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        finished = queryset.exclude(status__in=IN_PROGRESS)
        for job in finished:
            job.upload.delete(save=False)
        super().delete_queryset(request, finished)
