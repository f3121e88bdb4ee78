"""Email through Django's configured backend (SMTP in production)."""

import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from mustafid.notifications.delivery import SendResult
from mustafid.notifications.errors import PermanentFailure, TemporaryFailure


def message_id(reference: str) -> str:
    """The same Message-ID on every attempt, so a mail system can drop a duplicate."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "mustafid.local"
    return f"<{reference}@{domain}>"


def send_email(*, to: str, subject: str, body: str, language: str, reference: str) -> SendResult:
    """Send one email: the text as recorded, plus an HTML copy laid out right-to-left for
    Arabic (inline styles: mail readers ignore style sheets)."""
    with translation.override(language):
        html = render_to_string(
            "notifications/email.html", {"subject": subject, "body": body, "language": language}
        )
    email = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id(reference), "Content-Language": language},
    )
    email.attach_alternative(html, "text/html")
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as err:
        codes = [code for code, _text in err.recipients.values()]
        failure = TemporaryFailure if all(400 <= code < 500 for code in codes) else PermanentFailure
        raise failure(f"recipient refused: {err.recipients}") from err
    except smtplib.SMTPResponseException as err:
        # 4xx: the server asks us to come back later; 5xx: it will never take this message.
        failure = TemporaryFailure if 400 <= err.smtp_code < 500 else PermanentFailure
        raise failure(f"SMTP {err.smtp_code}: {err.smtp_error!r}") from err
    except (smtplib.SMTPException, OSError) as err:
        # Refused connection, timeout, dropped connection: the server may be back soon.
        raise TemporaryFailure(f"mail server not reachable: {err}") from err
    return SendResult(provider_message_id=message_id(reference))
