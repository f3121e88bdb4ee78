import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Permission

from mustafid.core.testing.smtp import free_port
from mustafid.notifications.tests.gateway import Gateway


@pytest.fixture
def gateway(settings):
    """A stand-in SMS gateway; SMS_API_URL points at it (choose SMS_BACKEND per test)."""
    server = Gateway().start()
    settings.SMS_API_URL = f"{server.url}/rest/SMS/messages"
    settings.SMS_API_TOKEN = "test-token"
    settings.SMS_SENDER = "Mustafid"
    settings.SMS_TIMEOUT = 0.5
    yield server
    server.stop()


@pytest.fixture
def retrying_admin(sysadmin):
    """A system administrator who may retry failed messages."""
    sysadmin.user_permissions.add(Permission.objects.get(codename="retry_outboxmessage"))
    return type(sysadmin).objects.get(pk=sysadmin.pk)  # fresh permission cache


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


class _RefusingHandler:
    """Refuses "nobody@" for good (550) and "later@" for now (451); accepts the rest."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 No such mailbox"
        if address.startswith("later@"):
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        return "250 Message accepted for delivery"


@pytest.fixture
def refusing_smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that refuses some recipients."""
    controller = Controller(_RefusingHandler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield controller
    controller.stop()
