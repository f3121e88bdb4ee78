"""Documents in the Django admin: read-only. Uploads and removals go through the pages,
whose services check the file, audit and keep the timeline; the stored file is reached
only through the download view, which checks access and logs it."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mustafid.core.admin import AuditedAdmin
from mustafid.documents.models import Document


@admin.register(Document)
class DocumentAdmin(AuditedAdmin):
    list_display = [
        "pk",
        "file",
        "kind",
        "person",
        "content_type",
        "size",
        "issue_date",
        "expiry_date",
        "uploaded_at",
        "removed_at",
    ]
    list_filter = ["kind", "content_type", "removed_at"]
    search_fields = ["file__number", "sha256"]
    list_select_related = ["file", "person"]
    date_hierarchy = "uploaded_at"
    # Not the stored file: the admin would link to it without an access check.
    fields = [
        "file",
        "person",
        "kind",
        "download",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "issue_date",
        "expiry_date",
        "note",
        "uploaded_at",
        "uploaded_by",
        "removed_at",
        "removed_by",
    ]
    readonly_fields = fields

    @admin.display(description=_("download"))
    def download(self, obj):
        if obj.removed_at:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
