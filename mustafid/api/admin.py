"""API clients in the admin: issue a token (shown once), see its use, revoke it.

Every change goes through the services; the token's hash is never displayed and nothing
about an issued token can be edited: to change one, issue a new token and revoke the old.
"""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from mustafid.accounts.models import User
from mustafid.api import services
from mustafid.api.models import ApiClient
from mustafid.api.scopes import Scope, scope_label
from mustafid.core.errors import DomainError


class ApiClientCreationForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiClient
        fields = ["name", "user", "scopes", "expires_at"]
        help_texts = {
            "user": _("The service account the client acts as: its roles and branches apply."),
            "expires_at": _("Leave empty for a token that works until it is revoked."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True)

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError(services.ExpiryInThePast.message)
        return expires_at


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    add_form = ApiClientCreationForm
    list_display = [
        "name",
        "token_prefix",
        "user",
        "scope_labels",
        "last_used_at",
        "expires_at",
        "is_revoked",
        "created_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "token_prefix", "user__username"]
    actions = ["revoke"]
    # token_hash is listed nowhere: not shown, not editable.
    readonly_fields = [
        "name",
        "token_prefix",
        "user",
        "scope_labels",
        "created_at",
        "created_by",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
    ]

    @admin.display(description=_("scopes"))
    def scope_labels(self, client: ApiClient) -> str:
        return ", ".join(str(scope_label(scope)) for scope in client.scopes)

    @admin.display(description=_("revoked"), boolean=True)
    def is_revoked(self, client: ApiClient) -> bool:
        return client.is_revoked

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ApiClientCreationForm.Meta.fields
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_delete_permission(self, request, obj=None) -> bool:
        # Revoke instead: the row is what the audit trail points at.
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on an issued token is editable
        client, token = services.create_api_client(
            actor=request.user,
            name=form.cleaned_data["name"],
            user=form.cleaned_data["user"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data["expires_at"],
        )
        # The admin logs and redirects to ``obj``: make it the row the service saved.
        obj.pk = client.pk
        obj.refresh_from_db()
        messages.success(
            request,
            gettext(
                "The token for “%(name)s” is %(token)s — copy it now: it will not be shown again."
            )
            % {"name": client.name, "token": token},
        )

    @admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = 0
        for client in queryset.filter(revoked_at__isnull=True):
            try:
                services.revoke_api_client(actor=request.user, client=client)
            except DomainError as err:
                messages.error(request, f"{client}: {err}")
            else:
                revoked += 1
        messages.success(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
        )
