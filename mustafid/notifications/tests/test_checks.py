"""The SMS settings are checked when the server starts."""

from mustafid.notifications.checks import check_sms_settings


def check_ids() -> list[str]:
    return [message.id for message in check_sms_settings(None)]


def test_the_console_backend_needs_nothing(settings):
    settings.SMS_BACKEND = "console"
    assert check_ids() == []


def test_an_unknown_backend_is_an_error(settings):
    settings.SMS_BACKEND = "carrier-pigeon"
    assert check_ids() == ["notifications.E001"]


def test_the_generic_gateway_without_a_url_is_an_error(settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_API_URL = ""
    settings.SMS_API_TOKEN = "token"
    assert check_ids() == ["notifications.E002"]


def test_a_saudi_gateway_without_a_token_is_a_warning(settings):
    settings.SMS_BACKEND = "unifonic"
    settings.SMS_API_URL = ""
    settings.SMS_API_TOKEN = ""
    assert check_ids() == ["notifications.W001"]
