"""System checks: an SMS gateway set up without what it needs fails at start, not at send."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register()
def check_sms_settings(app_configs, **kwargs) -> list[checks.CheckMessage]:
    from mustafid.notifications.sms import get_sms_backend

    try:
        backend = get_sms_backend()
    except (ImproperlyConfigured, ImportError) as err:
        return [checks.Error(str(err), id="notifications.E001")]
    if backend.name == "console":
        return []
    problems = []
    if not backend.url:
        problems.append(
            checks.Error(f"SMS_BACKEND={backend.name} needs SMS_API_URL.", id="notifications.E002")
        )
    if not settings.SMS_API_TOKEN:
        problems.append(
            checks.Warning(
                f"SMS_BACKEND={backend.name} without SMS_API_TOKEN: the gateway will refuse.",
                id="notifications.W001",
            )
        )
    return problems
