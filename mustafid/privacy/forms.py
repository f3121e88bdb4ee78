"""Recording and withdrawing consent; confirming an anonymisation (PDPL).

Forms check shape; the services check the rules (one active consent per purpose, a file
past its retention period), so the API and later tasks get them too.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.core import forms as core_forms
from mustafid.core.channels import Channel
from mustafid.privacy.models import Purpose
from mustafid.registry.models import BeneficiaryFile


class ConsentForm(core_forms.Form):
    """A consent given by the household: purpose, channel, who gave it, when."""

    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    channel = forms.ChoiceField(
        label=_("Given on which channel"), choices=Channel.choices, initial=Channel.VISIT
    )
    person = forms.TypedChoiceField(
        label=_("Given by"), required=False, coerce=int, empty_value=None
    )
    given_on = forms.DateField(
        label=_("Date given (Gregorian)"),
        required=False,
        help_text=_("Leave empty for today."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Note or evidence reference"),
        max_length=255,
        required=False,
        help_text=_("For example the number of the signed form."),
    )

    def __init__(self, *args, file: BeneficiaryFile, **kwargs):
        super().__init__(*args, **kwargs)
        # The household as the file page already loaded it: no query of its own.
        self.members = {person.pk: person for person in file.members.all()}
        self.fields["person"].choices = [
            ("", _("The household (no one named)")),
            *((pk, person.full_name) for pk, person in self.members.items()),
        ]

    def clean_person(self):
        pk = self.cleaned_data["person"]
        return None if pk is None else self.members[pk]

    def clean_given_on(self):
        day = self.cleaned_data["given_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(
                _("A consent cannot be dated in the future."), code="future"
            )
        return day


class WithdrawalForm(core_forms.Form):
    """The household withdraws a consent (PDPL Art. 5: at any time)."""

    channel = forms.ChoiceField(
        label=_("Withdrawn on which channel"), choices=Channel.choices, initial=Channel.PHONE
    )
    reason = forms.CharField(label=_("Reason (if they gave one)"), max_length=255, required=False)


class AnonymiseForm(core_forms.Form):
    """The files to anonymise, and the administrator's confirmation."""

    numbers = forms.ModelMultipleChoiceField(
        label=_("Files"),
        queryset=BeneficiaryFile.objects.none(),
        to_field_name="number",
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Choose at least one file.")},
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that names, ID numbers, contact details and documents of these "
            "households are removed for good, and cannot be restored."
        ),
        required=False,
    )

    def __init__(self, *args, files, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["numbers"].queryset = files
