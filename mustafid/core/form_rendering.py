"""Every form renders with Bootstrap markup, errors beside the field, nothing lost.

Django 5.2's ``bound_field_class`` on the renderer adds the CSS classes, so forms
need no per-field widget tweaking.
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


class BootstrapBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(
            widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple
        ):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        elif isinstance(widget, forms.HiddenInput):
            return attrs
        else:
            css = "form-control"
        if self.form.is_bound and self.errors:
            css += " is-invalid"
            attrs["aria-invalid"] = "true"
        existing = attrs.get("class", "")
        attrs["class"] = f"{existing} {css}".strip()
        return attrs


class BootstrapRenderer(TemplatesSetting):
    bound_field_class = BootstrapBoundField
    form_template_name = "core/forms/div.html"
    field_template_name = "core/forms/field.html"
