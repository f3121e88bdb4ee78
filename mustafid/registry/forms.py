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
from mustafid.registry.models import (
    MONEY,
    BeneficiaryFile,
    Category,
    Education,
    Employment,
    FamilySituation,
    FileStatus,
    Housing,
    IncomeKind,
    MaritalStatus,
    Relation,
    Sex,
)


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


class PersonDetailsForm(MemberForm):
    """Editing a member: identity plus the social details; sensitive fields (PDPL) only
    for those who may see them (``registry.view_sensitive``)."""

    nationality = forms.CharField(
        label=_("Nationality (country code)"),
        max_length=2,
        initial="SA",
        widget=forms.TextInput(attrs={"dir": "ltr", "autocapitalize": "characters"}),
    )
    marital_status = forms.ChoiceField(
        label=_("Marital status"), choices=[("", "—"), *MaritalStatus.choices], required=False
    )
    education = forms.ChoiceField(
        label=_("Education"), choices=[("", "—"), *Education.choices], required=False
    )
    employment = forms.ChoiceField(
        label=_("Employment"), choices=[("", "—"), *Employment.choices], required=False
    )
    health_condition = forms.CharField(
        label=_("Health condition"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    disability = forms.CharField(
        label=_("Disability"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    family_situation = forms.ChoiceField(
        label=_("Family situation"), choices=[("", "—"), *FamilySituation.choices], required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    SENSITIVE = ("health_condition", "disability", "family_situation")

    def __init__(self, *args, person=None, show_sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        if not show_sensitive:
            for name in self.SENSITIVE:
                del self.fields[name]
        if person is not None and person.relation == Relation.HEAD:
            self.fields["relation"].choices = [(Relation.HEAD, Relation.HEAD.label)]

    @classmethod
    def initial_for(cls, person, *, version: int) -> dict:
        names = [*PERSON_DETAIL_FIELDS, "version"]
        data = {name: getattr(person, name) for name in names if name != "version"}
        data["version"] = version
        data["national_id"] = person.national_id or ""
        return data

    def clean_nationality(self):
        code = self.cleaned_data["nationality"].strip().upper()
        if len(code) != 2 or not code.isalpha():
            raise forms.ValidationError(_("Write the two-letter country code, e.g. SA."))
        return code

    def person_data(self) -> dict:
        data = super().person_data()
        for name in ("nationality", "marital_status", "education", "employment", *self.SENSITIVE):
            if name in self.fields:
                data[name] = self.cleaned_data.get(name) or ""
        return data


PERSON_DETAIL_FIELDS = (
    "relation", "national_id", "first_name", "father_name", "grandfather_name", "family_name",
    "latin_name", "sex", "birth_date", "mobile", "is_dependant", "nationality",
    "marital_status", "education", "employment", "health_condition", "disability",
    "family_situation",
)  # fmt: skip


class ProfileForm(core_forms.Form):
    """The household's contact, national address, housing, debts and bank details
    (issue 4 item 2), with the version read so a concurrent save is refused."""

    status = forms.ChoiceField(label=_("Status"), choices=FileStatus.choices)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("By the rules"),
        help_text=_("Leave as “By the rules” to let the income rules choose it."),
    )
    mobile = core_forms.SaudiMobileField(label=_("Mobile"), required=False)
    alternative_mobile = core_forms.SaudiMobileField(label=_("Alternative mobile"), required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    preferred_channel = forms.ChoiceField(
        label=_("Preferred way to reach them"),
        choices=BeneficiaryFile._meta.get_field("preferred_channel").choices,
    )
    best_time_to_call = forms.CharField(label=_("Best time to call"), max_length=80, required=False)
    building_number = core_forms.BuildingNumberField(label=_("Building number"), required=False)
    street = forms.CharField(label=_("Street"), max_length=120, required=False)
    district = forms.CharField(label=_("District"), max_length=80, required=False)
    city = forms.CharField(label=_("City"), max_length=80)
    postal_code = core_forms.PostalCodeField(label=_("Postal code"), required=False)
    additional_number = core_forms.AdditionalNumberField(
        label=_("Additional number"), required=False
    )
    short_address = core_forms.ShortAddressField(label=_("Short address"), required=False)
    housing = forms.ChoiceField(
        label=_("Housing"), choices=[("", "—"), *Housing.choices], required=False
    )
    monthly_rent = forms.DecimalField(
        label=_("Monthly rent (SAR)"),
        required=False,
        min_value=0,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
    )
    debts = forms.DecimalField(
        label=_("Debts (SAR)"),
        required=False,
        min_value=0,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
    )
    iban = core_forms.SaudiIbanField(label=_("IBAN"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    FIELDS = (
        "status", "category", "mobile", "alternative_mobile", "email", "preferred_channel",
        "best_time_to_call", "building_number", "street", "district", "city", "postal_code",
        "additional_number", "short_address", "housing", "monthly_rent", "debts", "iban",
    )  # fmt: skip

    def __init__(self, *args, can_set_category: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_set_category:
            del self.fields["category"]

    @classmethod
    def initial_for(cls, file: BeneficiaryFile) -> dict:
        data = {name: getattr(file, name) for name in cls.FIELDS}
        data["category"] = file.category if file.category_is_manual else None
        data["version"] = file.version
        return data

    # "Rent only when rented" is the service's rule (RentWithoutRenting, on its field).

    def changes(self, file: BeneficiaryFile) -> dict:
        """Only the fields whose value differs from the file's, in the services' shape."""
        changed = {}
        for name in self.FIELDS:
            if name not in self.fields:
                continue
            value = self.cleaned_data.get(name)
            if name not in ("monthly_rent", "debts", "category"):
                value = value or ""
            if name == "category":
                if (value or None) != (file.category if file.category_is_manual else None):
                    changed["category"] = value
                    changed["category_is_manual"] = value is not None
                continue
            if value != getattr(file, name):
                changed[name] = value
        return changed


class IncomeForm(core_forms.Form):
    kind = forms.ChoiceField(label=_("Source"), choices=IncomeKind.choices)
    monthly_amount = forms.DecimalField(
        label=_("Monthly amount (SAR)"),
        min_value=0,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
    )
    note = forms.CharField(label=_("Note"), max_length=120, required=False)


IncomeFormSet = forms.formset_factory(IncomeForm, extra=2, can_delete=True, max_num=20)
