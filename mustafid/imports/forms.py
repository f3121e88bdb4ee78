"""Forms of the import pages: they check shape; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mustafid.accounts.models import Branch
from mustafid.core import forms as core_forms
from mustafid.core.channels import Channel
from mustafid.imports.fields import FIELDS, mapping_problems
from mustafid.imports.models import ImportJob, Mode

NOT_IMPORTED = ("", _("— not imported —"))


class UploadForm(core_forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Branch.objects.none())
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=Channel.choices,
        help_text=_("How the households in this file first reached the association."),
    )
    upload = forms.FileField(
        label=_("File"),
        help_text=_(
            "An Excel workbook (.xlsx, first sheet) or a CSV file, headers in the first row, "
            "one person per row."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        if len(branches) == 1:
            self.fields["branch"].initial = branches.first()


class MappingForm(core_forms.Form):
    """One choice per column of the file: the registry field it feeds, or nothing."""

    def __init__(self, *args, job: ImportJob, **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        choices = [NOT_IMPORTED, *((field, label) for field, (label, _aliases) in FIELDS.items())]
        for index, header in enumerate(job.headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=job.mapping.get(str(index), ""),
            )

    def clean(self):
        data = super().clean()
        for column, message in mapping_problems(self.mapping(), columns=len(self.job.headers)):
            self.add_error(f"column_{column}" if column is not None else None, message)
        return data

    def mapping(self) -> dict[str, str]:
        return {
            str(index): self.cleaned_data.get(f"column_{index}", "")
            for index in range(len(self.job.headers))
            if self.cleaned_data.get(f"column_{index}")
        }


class ConfirmForm(core_forms.Form):
    mode = forms.ChoiceField(
        label=_("What to import"),
        choices=Mode.choices,
        widget=forms.RadioSelect,
        initial=Mode.ALL_OR_NOTHING,
    )
