from django import forms
from django.utils.translation import gettext_lazy as _

from mustafid.notifications.models import Channel, Status


class OutboxFilterForm(forms.Form):
    """The outbox list's filters; an unknown value is ignored, not an error page."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Status.choices], required=False
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All channels")), *Channel.choices], required=False
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"status": "", "channel": ""}
        return {"status": self.cleaned_data["status"], "channel": self.cleaned_data["channel"]}
