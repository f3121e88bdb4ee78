"""Registering a household and adding its members (issue 4 items 1, 2, 6).

Forms check shape and normalise Saudi formats (national ID, mobile, address, names);
the service checks the rules that need the database (one record per national ID).
"""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.accounts.models import Branch
from mustafid.core import forms as core_forms
from mustafid.core.arabic import to_ascii_digits
from mustafid.core.channels import Channel
from mustafid.core.dates import hijri_to_gregorian
from mustafid.registry.models import Relation, Sex


def parse_hijri(text: str) -> dt.date:
    """``1445/08/24`` or ``24/08/1445`` (any separator, Arabic-Indic digits) → Gregorian."""
    parts = [p for p in to_ascii_digits(text).replace("-", "/").replace(".", "/").split("/") if p]
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise forms.ValidationError(
            _("Write the Hijri date as year/month/day, for example 1445/08/24."),
            code="hijri_format",
        )
    numbers = [int(p) for p in parts]
    year, month, day = numbers if numbers[0] > 31 else numbers[::-1]
    try:
        return hijri_to_gregorian(year, month, day)
    except ValueError as err:
        raise forms.ValidationError(
            _("This Hijri date does not exist in the Umm al-Qura calendar."), code="hijri_invalid"
        ) from err


class PersonForm(core_forms.Form):
    """One person's identity: four-part Arabic name, ID, sex, birth date in either calendar."""

    national_id = core_forms.NationalIdField(label=_("National ID / iqama"), required=False)
    first_name = core_forms.ArabicNameField(label=_("First name"), max_length=40)
    father_name = core_forms.ArabicNameField(label=_("Father's name"), max_length=40)
    grandfather_name = core_forms.ArabicNameField(
        label=_("Grandfather's name"), max_length=40, required=False
    )
    family_name = core_forms.ArabicNameField(label=_("Family name"), max_length=60)
    latin_name = core_forms.LatinNameField(
        label=_("Name in Latin letters"), max_length=160, required=False
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(
        label=_("Date of birth (Gregorian)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    birth_date_hijri = forms.CharField(
        label=_("or date of birth (Hijri)"),
        required=False,
        help_text=_("For example 1445/08/24."),
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "numeric"}),
    )
    mobile = core_forms.SaudiMobileField(label=_("Mobile"), required=False)

    def clean_birth_date_hijri(self):
        text = self.cleaned_data["birth_date_hijri"].strip()
        return parse_hijri(text) if text else None

    def clean(self):
        data = super().clean()
        gregorian, hijri = data.get("birth_date"), data.get("birth_date_hijri")
        if gregorian and hijri and gregorian != hijri:
            self.add_error(
                "birth_date_hijri",
                _("The Hijri and Gregorian dates of birth are different days. Give one of them."),
            )
        born = gregorian or hijri
        if born and born > timezone.localdate():
            self.add_error("birth_date", _("A date of birth cannot be in the future."))
        data["birth_date"] = born
        return data

    def person_data(self) -> dict:
        """The cleaned values in the shape the registry services take."""
        fields = ["national_id", "first_name", "father_name", "grandfather_name", "family_name"]
        fields += ["latin_name", "sex", "birth_date", "mobile"]
        return {
            name: self.cleaned_data.get(name) or ("" if name != "birth_date" else None)
            for name in fields
        }


class HouseholdForm(PersonForm):
    """A new household: where it belongs, how it came in, and its head."""

    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none())
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    city = forms.CharField(label=_("City"), max_length=80)
    district = forms.CharField(label=_("District"), max_length=80, required=False)
    short_address = core_forms.ShortAddressField(label=_("Short address"), required=False)
    different_person = forms.BooleanField(
        label=_("I checked the similar records above: this is a different person."),
        required=False,
    )

    field_order = ["branch", "channel", "national_id", "first_name", "father_name"]

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        if len(branches) == 1:
            self.fields["branch"].initial = branches.first()


class MemberForm(PersonForm):
    relation = forms.ChoiceField(
        label=_("Relation to the head"),
        choices=[(value, label) for value, label in Relation.choices if value != Relation.HEAD],
    )
    is_dependant = forms.BooleanField(label=_("Dependant of the head"), required=False)

    field_order = ["relation", "national_id", "first_name", "father_name"]

    def person_data(self) -> dict:
        data = super().person_data()
        data["relation"] = self.cleaned_data["relation"]
        data["is_dependant"] = self.cleaned_data["is_dependant"]
        return data
