"""Administrators configure the support request types and their checklists."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mustafid.core.admin import AuditedAdmin
from mustafid.documents.models import DocumentKind
from mustafid.support.models import RequiredItem, SupportRequestType


class SupportRequestTypeForm(forms.ModelForm):
    """The checklist as ticks, not JSON."""

    required_items = forms.MultipleChoiceField(
        label=_("required information"),
        choices=RequiredItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    required_documents = forms.MultipleChoiceField(
        label=_("required documents"),
        choices=DocumentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SupportRequestType
        fields = [
            "code", "name_ar", "name_en", "guide_ar", "guide_en", "eligibility_notes",
            "required_items", "required_documents", "requires_research", "answer_days",
            "answer_in_working_days", "appeal_days", "position", "is_active",
        ]  # fmt: skip


@admin.register(SupportRequestType)
class SupportRequestTypeAdmin(AuditedAdmin):
    form = SupportRequestTypeForm
    list_display = [
        "code", "name_ar", "name_en", "answer_days", "answer_in_working_days",
        "requires_research", "position", "is_active",
    ]  # fmt: skip
    list_editable = ["position", "is_active"]
    search_fields = ["code", "name_ar", "name_en"]
