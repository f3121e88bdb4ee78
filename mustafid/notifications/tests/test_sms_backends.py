"""Each SMS backend against a stand-in gateway on 127.0.0.1 (saudi.md §7)."""

import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from mustafid.notifications.errors import PermanentFailure, TemporaryFailure
from mustafid.notifications.sms import (
    GSM7_BASIC,
    HttpBackend,
    TaqnyatBackend,
    UnifonicBackend,
    count_segments,
    get_sms_backend,
)
from mustafid.notifications.tests.gateway import Gateway

ARABIC_TEXT = "مستفيد: رسالة تجريبية. لا حاجة إلى الرد."
UNIFONIC_OK = {
    "success": True,
    "message": "",
    "errorCode": "ER-00",
    "data": {"MessageID": 41151563, "Status": "Sent", "NumberOfUnits": 1},
}


def send(backend, text=ARABIC_TEXT):
    return backend.send(to="+966501234567", text=text, sender="Mustafid", reference="mustafid-7")


# Unifonic ----------------------------------------------------------------------------


def test_unifonic_gets_a_form_with_appsid_sender_recipient_body_and_correlation_id(gateway):
    gateway.reply(200, UNIFONIC_OK)
    send(UnifonicBackend(url=f"{gateway.url}/rest/SMS/messages", token="app-sid"))
    [request] = gateway.requests
    assert request.path == "/rest/SMS/messages"
    assert request.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert request.form() == {
        "AppSid": "app-sid",
        "SenderID": "Mustafid",
        "Recipient": "966501234567",
        "Body": ARABIC_TEXT,
        "CorrelationID": "mustafid-7",
    }


def test_unifonic_success_gives_its_message_id_and_units(gateway):
    gateway.reply(200, UNIFONIC_OK)
    result = send(UnifonicBackend(url=gateway.url, token="app-sid"))
    assert (result.provider_message_id, result.segments) == ("41151563", 1)


def test_unifonic_success_false_is_a_permanent_failure_with_its_error_code(gateway):
    gateway.reply(200, {"success": False, "errorCode": "ER-05", "message": "Wrong sender"})
    with pytest.raises(PermanentFailure, match="ER-05"):
        send(UnifonicBackend(url=gateway.url, token="app-sid"))


@pytest.mark.parametrize("status", [401, 409, 410, 440, 480])
def test_unifonic_client_errors_are_permanent(gateway, status):
    gateway.reply(status, {"success": False})
    with pytest.raises(PermanentFailure, match=f"HTTP {status}"):
        send(UnifonicBackend(url=gateway.url, token="app-sid"))


def test_unifonic_refusing_the_recipient_says_so(gateway):
    gateway.reply(410, {"success": False})
    with pytest.raises(PermanentFailure, match="recipient refused"):
        send(UnifonicBackend(url=gateway.url, token="app-sid"))


def test_the_default_unifonic_address_is_its_rest_endpoint():
    assert UnifonicBackend().url == "https://el.cloud.unifonic.com/rest/SMS/messages"


# Taqnyat -----------------------------------------------------------------------------


def test_taqnyat_gets_json_with_a_bearer_token(gateway):
    gateway.reply(201, {"statusCode": 201, "messageId": 9876, "accepted": "[966501234567,]"})
    send(TaqnyatBackend(url=f"{gateway.url}/v1/messages", token="taq-token"))
    [request] = gateway.requests
    assert request.path == "/v1/messages"
    assert request.headers["authorization"] == "Bearer taq-token"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {
        "recipients": ["966501234567"],
        "body": ARABIC_TEXT,
        "sender": "Mustafid",
    }


def test_taqnyat_201_gives_the_message_id(gateway):
    gateway.reply(201, {"statusCode": 201, "messageId": 9876, "rejected": "[]"})
    result = send(TaqnyatBackend(url=gateway.url, token="taq-token"))
    assert (result.provider_message_id, result.segments) == ("9876", 1)


def test_taqnyat_rejecting_the_number_is_a_permanent_failure(gateway):
    gateway.reply(201, {"statusCode": 201, "messageId": 9876, "rejected": "[966501234567,]"})
    with pytest.raises(PermanentFailure, match="rejected"):
        send(TaqnyatBackend(url=gateway.url, token="taq-token"))


def test_taqnyat_refusing_the_token_is_a_permanent_failure(gateway):
    gateway.reply(401, {"statusCode": 401, "message": "Unauthorized"})
    with pytest.raises(PermanentFailure, match="HTTP 401"):
        send(TaqnyatBackend(url=gateway.url, token="wrong"))


def test_the_default_taqnyat_address_is_its_messages_endpoint():
    assert TaqnyatBackend().url == "https://api.taqnyat.sa/v1/messages"


# Generic HTTP ------------------------------------------------------------------------


def test_the_http_gateway_gets_json_with_to_text_sender_and_reference(gateway):
    gateway.reply(202, {"id": "abc-1"})
    result = send(HttpBackend(url=f"{gateway.url}/send", token="secret"))
    [request] = gateway.requests
    assert request.path == "/send"
    assert request.headers["authorization"] == "Bearer secret"
    assert request.headers["idempotency-key"] == "mustafid-7"
    assert request.json() == {
        "to": "+966501234567",
        "text": ARABIC_TEXT,
        "sender": "Mustafid",
        "reference": "mustafid-7",
    }
    assert result.provider_message_id == "abc-1"


def test_the_http_gateway_may_answer_without_an_id(gateway):
    gateway.reply(204, b"")
    assert send(HttpBackend(url=gateway.url)).provider_message_id == ""


def test_the_http_gateway_needs_a_url():
    with pytest.raises(ImproperlyConfigured):
        send(HttpBackend(url=""))


# Failures common to every gateway ------------------------------------------------------


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_busy_or_broken_gateways_are_temporary_failures(gateway, status):
    gateway.reply(status, {"error": "try later"})
    with pytest.raises(TemporaryFailure):
        send(HttpBackend(url=gateway.url))


def test_a_gateway_that_does_not_answer_in_time_is_a_temporary_failure(gateway):
    gateway.reply(201, {"messageId": 1}, delay=1.0)
    with pytest.raises(TemporaryFailure, match="not reachable"):
        send(TaqnyatBackend(url=gateway.url, token="t", timeout=0.2))


def test_a_gateway_that_refuses_connections_is_a_temporary_failure():
    stopped = Gateway()
    url = stopped.url
    stopped.stop()  # the port is closed: nothing listens there any more
    with pytest.raises(TemporaryFailure):
        send(UnifonicBackend(url=url, token="app-sid", timeout=1))


def test_a_redirect_is_not_followed_with_the_message(gateway):
    gateway.reply(302, {}, Location="http://127.0.0.1:9/elsewhere")
    with pytest.raises(PermanentFailure, match="HTTP 302"):
        send(HttpBackend(url=gateway.url))
    assert len(gateway.requests) == 1


def test_only_http_urls_are_used():
    with pytest.raises(ImproperlyConfigured):
        send(HttpBackend(url="file:///etc/passwd"))


# Console and choosing a backend ---------------------------------------------------------


def test_the_console_backend_writes_the_message_to_the_log(settings, caplog):
    settings.SMS_BACKEND = "console"
    with caplog.at_level(logging.INFO, logger="mustafid.notifications.sms"):
        result = send(get_sms_backend())
    assert ARABIC_TEXT in caplog.text and "+966501234567" in caplog.text
    assert result.provider_message_id == "console-mustafid-7"


def test_the_backend_comes_from_settings_with_url_token_and_timeout(settings):
    settings.SMS_BACKEND = "taqnyat"
    settings.SMS_API_URL = "https://sms.example.org/v1/messages"
    settings.SMS_API_TOKEN = "token"
    settings.SMS_TIMEOUT = 3.5
    backend = get_sms_backend()
    assert isinstance(backend, TaqnyatBackend)
    assert (backend.url, backend.token, backend.timeout) == (
        "https://sms.example.org/v1/messages",
        "token",
        3.5,
    )


def test_a_backend_may_be_named_by_its_dotted_path(settings):
    settings.SMS_BACKEND = "mustafid.notifications.sms.HttpBackend"
    assert isinstance(get_sms_backend(), HttpBackend)


def test_an_unknown_backend_name_is_a_configuration_error(settings):
    settings.SMS_BACKEND = "carrier-pigeon"
    with pytest.raises(ImproperlyConfigured):
        get_sms_backend()


# Segments (docs.unifonic.com "Understanding SMS Message Parts") --------------------------


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("ب" * 70, 1),
        ("ب" * 71, 2),
        ("ب" * 134, 2),
        ("ب" * 135, 3),
        ("a" * 159 + "ب", 3),  # one Arabic letter turns the whole message into UCS-2
        ("€" * 80, 1),  # GSM-7 extension characters cost two septets
        ("€" * 81, 2),
    ],
)
def test_sms_parts_are_counted_like_the_gateways_do(text, segments):
    assert count_segments(text) == segments


@given(st.text(alphabet=sorted(GSM7_BASIC), max_size=1000))
def test_latin_text_fits_160_characters_a_part_or_153_when_split(text):
    expected = 1 if len(text) <= 160 else -(-len(text) // 153)
    assert count_segments(text) == expected


@given(st.text(alphabet=st.characters(min_codepoint=0x0621, max_codepoint=0x064A), min_size=1))
def test_arabic_text_is_never_cheaper_than_70_characters_a_part(text):
    assert count_segments(text) >= -(-len(text) // 70)
