"""Sending: at most once, retried with backoff, never lost (a real SMTP server, a stand-in gateway)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mustafid.core.models import AuditAction, AuditEntry
from mustafid.notifications.models import OutboxMessage, Status
from mustafid.notifications.services import notify, send_message
from mustafid.notifications.tasks import send_outbox_message

UNIFONIC_OK = {
    "success": True,
    "errorCode": "ER-00",
    "data": {"MessageID": 555, "NumberOfUnits": 1},
}


@pytest.fixture
def queue_email(db, django_capture_on_commit_callbacks):
    def queue(**overrides) -> OutboxMessage:
        arguments = dict(
            recipient="sara@example.org",
            template="test_message",
            context={"sender": "مدير النظام"},
            channel="email",
        )
        with django_capture_on_commit_callbacks(execute=True):
            return notify(**(arguments | overrides))

    return queue


@pytest.fixture
def queue_sms(db, django_capture_on_commit_callbacks):
    def queue() -> OutboxMessage:
        with django_capture_on_commit_callbacks(execute=True):
            return notify(
                recipient="0501234567",
                template="test_message",
                context={"sender": "x"},
                channel="sms",
            )

    return queue


def run_task(message: OutboxMessage, django_capture_on_commit_callbacks) -> OutboxMessage:
    with django_capture_on_commit_callbacks(execute=True):
        send_outbox_message.call(message_id=message.pk)
    message.refresh_from_db()
    return message


# The acceptance test: the send task run twice, one email ------------------------------


def test_running_the_send_task_twice_delivers_one_email(
    smtp_server, queue_email, django_capture_on_commit_callbacks
):
    message = queue_email()
    run_task(message, django_capture_on_commit_callbacks)
    run_task(message, django_capture_on_commit_callbacks)
    [email] = smtp_server.messages
    assert email["X-Envelope-To"] == "sara@example.org"
    assert email["Subject"].strip() == "رسالة تجريبية من مستفيد"
    assert "أرسلها مدير النظام" in email.get_body(("plain",)).get_content()
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts == 1


@pytest.mark.django_db(transaction=True)  # the worker commits and recycles connections
def test_the_worker_and_a_repeated_task_still_deliver_one_email(
    smtp_server, queue_email, django_capture_on_commit_callbacks
):
    message = queue_email()
    call_command("db_worker", batch=True, interval=0)
    run_task(message, django_capture_on_commit_callbacks)
    assert len(smtp_server.messages) == 1
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_sent_email_records_when_and_its_message_id(
    smtp_server, queue_email, django_capture_on_commit_callbacks
):
    message = run_task(queue_email(), django_capture_on_commit_callbacks)
    assert message.sent_at is not None
    assert message.provider == "smtp"
    assert message.provider_message_id == f"<mustafid-{message.pk}@mustafid.local>"
    assert smtp_server.messages[0]["Message-ID"] == message.provider_message_id


def test_an_arabic_email_has_a_right_to_left_html_copy(
    smtp_server, queue_email, django_capture_on_commit_callbacks
):
    run_task(queue_email(), django_capture_on_commit_callbacks)
    html = smtp_server.messages[0].get_body(("html",)).get_content()
    assert 'dir="rtl"' in html and 'lang="ar"' in html


def test_the_sent_outcome_is_audited_as_a_transition(
    smtp_server, queue_email, django_capture_on_commit_callbacks
):
    message = run_task(queue_email(), django_capture_on_commit_callbacks)
    entry = AuditEntry.objects.for_object(message).get(action=AuditAction.TRANSITION)
    assert entry.changes == {"status": {"before": "sending", "after": "sent"}}
    assert entry.actor_label == "system"


def test_a_message_not_yet_due_is_not_sent(smtp_server, queue_email):
    message = queue_email()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=Status.RETRYING, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    assert send_message(message_id=message.pk) is None
    assert smtp_server.messages == []


# Temporary failures: retrying, with backoff, never lost ---------------------------------


def test_a_gateway_timeout_leaves_the_sms_retrying_and_queues_the_task_again(
    settings, gateway, queue_sms, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "unifonic"
    settings.SMS_TIMEOUT = 0.2
    settings.NOTIFY_RETRY_BASE = 30
    gateway.reply(200, UNIFONIC_OK, delay=1.0)
    message = queue_sms()
    before = timezone.now()
    message = run_task(message, django_capture_on_commit_callbacks)
    assert message.status == Status.RETRYING
    assert message.attempts == 1
    assert "not reachable" in message.last_error
    assert (
        before + timedelta(seconds=29)
        < message.next_attempt_at
        <= timezone.now() + timedelta(seconds=30)
    )
    retry = DBTaskResult.objects.exclude(run_after__year=9999).get()
    assert retry.run_after == message.next_attempt_at
    assert retry.args_kwargs["kwargs"] == {"message_id": message.pk}


def test_the_wait_doubles_after_each_failed_attempt(
    settings, queue_email, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: refused
    settings.NOTIFY_RETRY_BASE = 10
    message = queue_email()
    waits = []
    for _ in range(3):
        started = timezone.now()
        message = run_task(message, django_capture_on_commit_callbacks)
        waits.append(round((message.next_attempt_at - started).total_seconds()))
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert waits == [10, 20, 40]
    assert message.status == Status.RETRYING


def test_after_the_last_attempt_the_message_is_failed_with_its_error(
    settings, queue_email, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    settings.NOTIFY_MAX_ATTEMPTS = 2
    message = queue_email()
    run_task(message, django_capture_on_commit_callbacks)
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    message = run_task(message, django_capture_on_commit_callbacks)
    assert message.status == Status.FAILED
    assert message.attempts == 2
    assert "mail server not reachable" in message.last_error


def test_a_gateway_that_recovers_sends_on_the_next_attempt(
    settings, gateway, queue_sms, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "unifonic"
    gateway.reply(503, {"success": False})
    gateway.reply(200, UNIFONIC_OK)
    message = run_task(queue_sms(), django_capture_on_commit_callbacks)
    assert message.status == Status.RETRYING
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    message = run_task(message, django_capture_on_commit_callbacks)
    assert message.status == Status.SENT
    assert (message.provider, message.provider_message_id, message.segments) == (
        "unifonic",
        "555",
        1,
    )
    assert message.last_error == ""
    # Unifonic saw the same CorrelationID both times: it can drop a duplicate too.
    assert {request.form()["CorrelationID"] for request in gateway.requests} == {
        f"mustafid-{message.pk}"
    }


# Permanent failures: failed at once ---------------------------------------------------------


def test_a_recipient_the_gateway_refuses_fails_at_once(
    settings, gateway, queue_sms, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "unifonic"
    gateway.reply(410, {"success": False, "errorCode": "ER-10"})
    message = run_task(queue_sms(), django_capture_on_commit_callbacks)
    assert message.status == Status.FAILED
    assert message.attempts == 1
    assert "recipient refused" in message.last_error
    assert not DBTaskResult.objects.exclude(run_after__year=9999).exists()


def test_a_mailbox_the_mail_server_refuses_fails_at_once(
    refusing_smtp_server, queue_email, django_capture_on_commit_callbacks
):
    message = run_task(
        queue_email(recipient="nobody@example.org"), django_capture_on_commit_callbacks
    )
    assert message.status == Status.FAILED
    assert "550" in message.last_error


def test_a_mail_server_that_says_try_later_gets_another_attempt(
    refusing_smtp_server, queue_email, django_capture_on_commit_callbacks
):
    message = run_task(
        queue_email(recipient="later@example.org"), django_capture_on_commit_callbacks
    )
    assert message.status == Status.RETRYING
    assert "451" in message.last_error


def test_a_misconfigured_gateway_is_retried_so_fixing_it_sends_the_message(
    settings, queue_sms, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "http"
    settings.SMS_API_URL = ""
    message = run_task(queue_sms(), django_capture_on_commit_callbacks)
    assert message.status == Status.RETRYING
    assert "SMS_API_URL" in message.last_error


def test_the_console_backend_marks_an_sms_sent_with_its_parts(
    settings, queue_sms, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "console"
    message = run_task(queue_sms(), django_capture_on_commit_callbacks)
    assert (message.status, message.provider, message.segments) == (Status.SENT, "console", 1)
