"""Uploading a document and filtering the expiry worklist.

The form checks the shape (a file, a type, dates in either calendar, one of this
household's members) and runs the same content checks as the service, so each refusal
lands on its field with everything else the officer typed kept (P-PROC-2).
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.core import forms as core_forms
from mustafid.documents import errors
from mustafid.documents.models import ContentType, DocumentKind
from mustafid.documents.selectors import EXPIRED, EXPIRING
from mustafid.documents.validation import check_dates, inspect_upload
from mustafid.registry.forms import parse_hijri

ACCEPT = ",".join([".pdf", ".jpg", ".jpeg", ".png", *ContentType.values])


def _gregorian(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _hijri(label):
    return forms.CharField(
        label=label,
        required=False,
        help_text=_("For example 1447/03/15."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )


class DocumentForm(core_forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=[("", "—"), *DocumentKind.choices])
    person = forms.ChoiceField(label=_("Whose document"), required=False)
    uploaded = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, JPEG or PNG scan or photo."),
        # An empty file gets our own message, from the same check as the service's.
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )
    issue_date = _gregorian(_("Issue date (Gregorian)"))
    issue_date_hijri = _hijri(_("or issue date (Hijri)"))
    expiry_date = _gregorian(_("Expiry date (Gregorian)"))
    expiry_date_hijri = _hijri(_("or expiry date (Hijri)"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        # The household's (prefetched) members: choosing anyone else is refused.
        self.people = {str(person.pk): person for person in people}
        self.fields["person"].choices = [
            ("", _("The whole household")),
            *((pk, person.full_name) for pk, person in self.people.items()),
        ]

    def clean_person(self):
        return self.people.get(self.cleaned_data["person"])

    def clean_uploaded(self):
        uploaded = self.cleaned_data["uploaded"]
        try:
            inspect_upload(uploaded)
        except errors.DocumentRefused as err:
            raise forms.ValidationError(str(err), code=err.code) from err
        return uploaded

    def clean_issue_date_hijri(self):
        text = self.cleaned_data["issue_date_hijri"].strip()
        return parse_hijri(text) if text else None

    def clean_expiry_date_hijri(self):
        text = self.cleaned_data["expiry_date_hijri"].strip()
        return parse_hijri(text) if text else None

    def clean(self):
        data = super().clean()
        for name in ("issue_date", "expiry_date"):
            gregorian, hijri = data.get(name), data.get(f"{name}_hijri")
            if gregorian and hijri and gregorian != hijri:
                self.add_error(
                    f"{name}_hijri",
                    _("The Hijri and Gregorian dates are different days. Give one of them."),
                )
            data[name] = gregorian or hijri
        if not self.has_error("issue_date_hijri") and not self.has_error("expiry_date_hijri"):
            try:
                check_dates(
                    issue_date=data.get("issue_date"),
                    expiry_date=data.get("expiry_date"),
                    today=timezone.localdate(),
                )
            except errors.DocumentRefused as err:
                self.add_error(err.field, str(err))
        return data

    def document_data(self) -> dict:
        """The cleaned values in the shape ``services.add_document`` takes."""
        names = ["kind", "person", "uploaded", "issue_date", "expiry_date", "note"]
        return {name: self.cleaned_data.get(name) for name in names}


class RemoveDocumentForm(core_forms.Form):
    reason = forms.CharField(
        label=_("Why is it removed?"),
        max_length=200,
        required=False,
        help_text=_("For example: uploaded to the wrong file, or replaced by a newer copy."),
    )


class ExpiringFilterForm(forms.Form):
    """The worklist's filters; an unknown value is ignored, not an error page."""

    status = forms.ChoiceField(
        label=_("Show"),
        choices=[
            ("", _("Expired and expiring soon")),
            (EXPIRED, _("Expired")),
            (EXPIRING, _("Expiring soon")),
        ],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Document type"),
        choices=[("", _("All types")), *DocumentKind.choices],
        required=False,
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"status": "", "kind": ""}
        return {"status": self.cleaned_data["status"], "kind": self.cleaned_data["kind"]}
