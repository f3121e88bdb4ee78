"""Consents and anonymisations in the admin: read-only, since the services own every
change (each is permission-checked, audited and put on the household's timeline)."""

from django.contrib import admin

from mustafid.privacy.models import Anonymisation, Consent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["file", "purpose", "channel", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "channel"]
    search_fields = ["file__number"]
    list_select_related = ["file"]
    date_hierarchy = "given_at"


@admin.register(Anonymisation)
class AnonymisationAdmin(ReadOnlyAdmin):
    list_display = ["file", "anonymised_at", "anonymised_by", "documents_purged"]
    search_fields = ["file__number"]
    list_select_related = ["file", "anonymised_by"]
    date_hierarchy = "anonymised_at"
