"""SMS backends: one interface, one adapter per gateway, chosen by ``settings.SMS_BACKEND``.

``console`` (the default) only writes the message to the log. ``unifonic`` and ``taqnyat``
speak the Saudi gateways' APIs (request shapes: reference saudi.md §7), ``http`` a generic
JSON gateway configured by URL and token. A backend returns a ``SendResult`` or raises
``TemporaryFailure`` (try again later) or ``PermanentFailure`` (give up).
"""

import abc
import http.client
import json
import logging
import math
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from mustafid.core.validators import mobile_for_gateway
from mustafid.notifications.delivery import SendResult
from mustafid.notifications.errors import PermanentFailure, TemporaryFailure

logger = logging.getLogger(__name__)

# GSM 03.38: the basic set costs one septet, the extension set two (escape + char).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("\f^{}\\[~]|€")


def count_segments(text: str) -> int:
    """Billed SMS parts: GSM-7 160 alone / 153 per part; UCS-2 (any Arabic) 70 / 67."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text):
        units = len(text) + sum(char in GSM7_EXTENDED for char in text)
        single, part = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2  # an emoji takes two UCS-2 units
        single, part = 70, 67
    return 1 if units <= single else math.ceil(units / part)


@dataclass(frozen=True)
class HttpReply:
    status: int
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirected POST would be replayed as a GET elsewhere: treat 3xx as an answer."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)

#: HTTP statuses that mean "not now" rather than "never".
TEMPORARY_STATUSES = frozenset({408, 425, 429})


class SmsBackend(abc.ABC):
    """Send one SMS. Subclasses set ``name`` and implement ``send``."""

    name = ""
    default_url = ""

    def __init__(self, *, url: str = "", token: str = "", timeout: float = 10.0) -> None:
        self.url = url or self.default_url
        self.token = token
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> "SmsBackend":
        return cls(
            url=settings.SMS_API_URL, token=settings.SMS_API_TOKEN, timeout=settings.SMS_TIMEOUT
        )

    @abc.abstractmethod
    def send(self, *, to: str, text: str, sender: str, reference: str) -> SendResult:
        """Hand ``text`` for ``to`` (E.164) to the gateway; ``reference`` is our message id."""

    def post(self, *, data: bytes, headers: dict[str, str]) -> HttpReply:
        """POST to the gateway; a network problem is a TemporaryFailure, any answer a reply."""
        if urllib.parse.urlsplit(self.url).scheme not in {"http", "https"}:
            raise ImproperlyConfigured(f"SMS_API_URL must be an http(s) URL for {self.name}")
        # The scheme is checked above, so no file: URL can be opened here.
        outgoing = urllib.request.Request(self.url, data=data, headers=headers, method="POST")  # noqa: S310
        try:
            with _opener.open(outgoing, timeout=self.timeout) as response:
                return HttpReply(status=response.status, body=response.read())
        except urllib.error.HTTPError as err:
            with err:
                return HttpReply(status=err.code, body=err.read())
        except (OSError, http.client.HTTPException) as err:
            # Timeouts, refused connections, resets, TLS errors: the gateway may work later.
            raise TemporaryFailure(f"{self.name}: {self.url} not reachable: {err}") from err

    def check_status(self, reply: HttpReply, meanings: dict[int, str] | None = None) -> None:
        """Raise for a non-2xx reply; ``meanings`` explain the gateway's known statuses."""
        if 200 <= reply.status < 300:
            return
        detail = f"{self.name} answered HTTP {reply.status}"
        if meaning := (meanings or {}).get(reply.status):
            detail += f" ({meaning})"
        detail += f": {reply.text[:500]}"
        if reply.status in TEMPORARY_STATUSES or reply.status >= 500:
            raise TemporaryFailure(detail)
        raise PermanentFailure(detail)

    def bearer_headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers


class ConsoleBackend(SmsBackend):
    """Writes the message to the log; nothing leaves the machine (the local default)."""

    name = "console"

    def send(self, *, to: str, text: str, sender: str, reference: str) -> SendResult:
        segments = count_segments(text)
        logger.info(
            "SMS to %s from %s (%d parts): %s",
            to,
            sender,
            segments,
            text,
            extra={"sms_reference": reference},
        )
        return SendResult(provider_message_id=f"console-{reference}", segments=segments)


#: Unifonic's HTTP statuses (docs.unifonic.com "HTTP status codes"), all permanent.
UNIFONIC_STATUSES = {
    401: "AppSid refused",
    409: "duplicate CorrelationID: an earlier attempt may have been delivered",
    410: "recipient refused",
    440: "sender ID refused",
    480: "sender ID not registered",
}


class UnifonicBackend(SmsBackend):
    """Unifonic: form POST with AppSid; ``{"success": true, "data": {"MessageID": …}}``."""

    name = "unifonic"
    default_url = "https://el.cloud.unifonic.com/rest/SMS/messages"

    def send(self, *, to: str, text: str, sender: str, reference: str) -> SendResult:
        fields = {
            "AppSid": self.token,
            "SenderID": sender,
            "Recipient": mobile_for_gateway(to),
            "Body": text,
            # Unifonic refuses a repeated CorrelationID, so a resend after a lost answer
            # cannot reach the phone twice.
            "CorrelationID": reference,
        }
        reply = self.post(
            data=urllib.parse.urlencode(fields).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/json",
            },
        )
        self.check_status(reply, UNIFONIC_STATUSES)
        payload = reply.json()
        if not isinstance(payload, dict) or str(payload.get("success")).lower() != "true":
            error = payload.get("errorCode", "") if isinstance(payload, dict) else ""
            message = payload.get("message", "") if isinstance(payload, dict) else reply.text
            raise PermanentFailure(f"unifonic refused the message: {error} {message}".strip())
        data = payload.get("data") or {}
        return SendResult(
            provider_message_id=str(data.get("MessageID", "")),
            segments=_int(data.get("NumberOfUnits")) or count_segments(text),
            raw=payload,
        )


class TaqnyatBackend(SmsBackend):
    """Taqnyat: JSON POST with a Bearer token; HTTP 201 ``{"messageId": …}``."""

    name = "taqnyat"
    default_url = "https://api.taqnyat.sa/v1/messages"

    def send(self, *, to: str, text: str, sender: str, reference: str) -> SendResult:
        number = mobile_for_gateway(to)
        body = {"recipients": [number], "body": text, "sender": sender}
        reply = self.post(data=json.dumps(body).encode(), headers=self.bearer_headers())
        self.check_status(reply, {401: "token refused"})
        payload = reply.json()
        if not isinstance(payload, dict) or not payload.get("messageId"):
            raise PermanentFailure(f"taqnyat answered without a messageId: {reply.text[:500]}")
        if number in str(payload.get("rejected") or ""):
            raise PermanentFailure(f"taqnyat rejected the recipient: {reply.text[:500]}")
        return SendResult(
            provider_message_id=str(payload["messageId"]),
            segments=count_segments(text),
            raw=payload,
        )


class HttpBackend(SmsBackend):
    """Any gateway that takes ``{"to", "text", "sender", "reference"}`` as JSON; 2xx is sent."""

    name = "http"

    def send(self, *, to: str, text: str, sender: str, reference: str) -> SendResult:
        if not self.url:
            raise ImproperlyConfigured("SMS_BACKEND=http needs SMS_API_URL")
        body = {"to": to, "text": text, "sender": sender, "reference": reference}
        headers = {**self.bearer_headers(), "Idempotency-Key": reference}
        reply = self.post(data=json.dumps(body).encode(), headers=headers)
        self.check_status(reply)
        payload = reply.json()
        payload = payload if isinstance(payload, dict) else {}
        return SendResult(
            provider_message_id=str(payload.get("id") or ""),
            segments=_int(payload.get("segments")) or count_segments(text),
            raw=payload,
        )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


BACKENDS: dict[str, type[SmsBackend]] = {
    backend.name: backend
    for backend in (ConsoleBackend, UnifonicBackend, TaqnyatBackend, HttpBackend)
}


def get_sms_backend(name: str | None = None) -> SmsBackend:
    """The configured backend: a name from BACKENDS or a dotted path to an SmsBackend class."""
    name = name or settings.SMS_BACKEND
    if name in BACKENDS:
        backend_class = BACKENDS[name]
    elif "." in name:
        backend_class = import_string(name)
    else:
        raise ImproperlyConfigured(
            f"Unknown SMS_BACKEND {name!r}; choose one of {sorted(BACKENDS)}"
        )
    return backend_class.from_settings()
