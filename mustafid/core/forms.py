"""Form fields for Saudi formats, and base forms that accept Arabic-Indic digits.

Forms check shape and normalise with ``core.validators`` (STYLE §8); rules needing the
database live in services. Later apps inherit ``Form`` and ``ModelForm`` from here so
every numeric field accepts ٠-٩ and ۰-۹ (shared/reference/saudi.md §5).
"""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict

from mustafid.core import validators
from mustafid.core.arabic import to_ascii_digits

# Besides the digits: the Arabic decimal separator (٫) is a point, the Arabic thousands
# separator (٬) is dropped, and invisible direction marks pasted with a number go.
NUMERIC_EXTRAS = str.maketrans(
    {"\u066b": ".", "\u066c": ""} | dict.fromkeys("\u200e\u200f\u061c\u2066\u2067\u2068\u2069", "")
)


def ascii_numeric(text: str) -> str:
    """A typed number, date or code with ASCII digits and separators."""
    return to_ascii_digits(text).translate(NUMERIC_EXTRAS)


class TelInput(forms.TextInput):
    input_type = "tel"


class NormalisedField(forms.CharField):
    """A text field whose value is normalised by one ``core.validators`` function.

    ``default_attrs`` are added to the widget unless the caller set them already.
    ``arabic_digits`` tells ``ArabicDigitsFormMixin`` to translate this field's digits.
    """

    normalise: Callable[[str], str]
    default_attrs: dict[str, str] = {}
    arabic_digits = True

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return self.normalise(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        for key, default in self.default_attrs.items():
            if key not in widget.attrs:
                attrs.setdefault(key, default)
        return attrs


NUMBER_ATTRS = {"dir": "ltr", "inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
CODE_ATTRS = {
    "dir": "ltr",
    "autocomplete": "off",
    "autocapitalize": "characters",
    "spellcheck": "false",
}


class NationalIdField(NormalisedField):
    """A national ID or iqama number, cleaned to 10 ASCII digits (saudi.md §1)."""

    normalise = staticmethod(validators.normalise_national_id)
    default_attrs = NUMBER_ATTRS


class SaudiMobileField(NormalisedField):
    """A Saudi mobile number, cleaned to E.164 ``+9665XXXXXXXX`` (saudi.md §2) and
    shown as Saudis write it, ``050 123 4567``."""

    widget = TelInput
    normalise = staticmethod(validators.normalise_mobile)
    default_attrs = {"dir": "ltr", "inputmode": "tel", "autocomplete": "tel"}

    def prepare_value(self, value):
        try:
            return validators.format_mobile_national(value)
        except ValidationError:
            return value  # what the person typed, shown back with its error


class SaudiIbanField(NormalisedField):
    """A Saudi IBAN, cleaned to compact upper-case (saudi.md §3) and shown in groups of
    four."""

    normalise = staticmethod(validators.normalise_iban)
    default_attrs = CODE_ATTRS

    def prepare_value(self, value):
        try:
            return validators.format_iban(value)
        except ValidationError:
            return value


class ShortAddressField(NormalisedField):
    """A national address short address such as ``ECAB2823`` (saudi.md §4)."""

    normalise = staticmethod(validators.normalise_short_address)
    default_attrs = CODE_ATTRS


class BuildingNumberField(NormalisedField):
    """A national address building number, 4 digits (saudi.md §4)."""

    normalise = staticmethod(validators.normalise_building_number)
    default_attrs = NUMBER_ATTRS


class AdditionalNumberField(NormalisedField):
    """A national address additional number, 4 digits (saudi.md §4)."""

    normalise = staticmethod(validators.normalise_additional_number)
    default_attrs = NUMBER_ATTRS


class PostalCodeField(NormalisedField):
    """A Saudi postal code, 5 digits starting with the region (saudi.md §4)."""

    normalise = staticmethod(validators.normalise_postal_code)
    default_attrs = {**NUMBER_ATTRS, "autocomplete": "postal-code"}


class ArabicNameField(NormalisedField):
    """A name in Arabic letters (diacritics kept); digits are refused, not translated."""

    normalise = staticmethod(validators.normalise_arabic_name)
    default_attrs = {"dir": "rtl", "lang": "ar", "spellcheck": "false"}
    arabic_digits = False


class LatinNameField(NormalisedField):
    """A name in Latin letters, as in a passport."""

    normalise = staticmethod(validators.normalise_latin_name)
    default_attrs = {"dir": "ltr", "lang": "en", "spellcheck": "false"}
    arabic_digits = False


NUMERIC_FIELDS = (
    forms.IntegerField,  # and its subclasses FloatField and DecimalField
    forms.DateField,
    forms.DateTimeField,
    forms.TimeField,
    forms.DurationField,
    forms.SplitDateTimeField,
)


def takes_arabic_digits(field: forms.Field) -> bool:
    """Whether a field holds a number, date or code, so ٣ in it means 3. Free text does
    not: an Arabic summary may legitimately contain ٣. A field class may say so itself
    with an ``arabic_digits`` attribute."""
    return getattr(field, "arabic_digits", isinstance(field, NUMERIC_FIELDS))


class ArabicDigitsFormMixin:
    """Before validation, translate Arabic-Indic and Persian digits to ASCII in the
    submitted values of numeric fields (saudi.md §5); free-text fields keep theirs.

    Works on a copy of ``self.data``, so it handles prefixes, multi-widgets (``name_0``,
    ``name_1``) and QueryDict lists, and leaves the caller's data untouched.
    """

    def full_clean(self):
        if self.is_bound:
            self.data = self._with_ascii_digits(self.data)
        super().full_clean()

    def _with_ascii_digits(self, data):
        data = data.copy()
        for name, field in self.fields.items():
            if not takes_arabic_digits(field):
                continue
            html_name = self[name].html_name
            names = [html_name]
            if isinstance(field.widget, forms.MultiWidget):
                names += [html_name + suffix for suffix in field.widget.widgets_names]
            for key in names:
                if key not in data:
                    continue
                if isinstance(data, MultiValueDict):
                    data.setlist(key, [_ascii(value) for value in data.getlist(key)])
                else:
                    data[key] = _ascii(data[key])
        return data


def _ascii(value):
    if isinstance(value, str):
        return ascii_numeric(value)
    if isinstance(value, list | tuple):
        return type(value)(_ascii(item) for item in value)
    return value


class Form(ArabicDigitsFormMixin, forms.Form):
    """The base of every Mustafid form."""


class ModelForm(ArabicDigitsFormMixin, forms.ModelForm):
    """The base of every Mustafid model form."""
