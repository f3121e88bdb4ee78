"""Nothing is lost: stuck and overdue messages go back in the queue; failed ones on request."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mustafid.core.errors import PermissionDenied
from mustafid.core.models import AuditAction, AuditEntry
from mustafid.notifications.models import OutboxMessage, Status
from mustafid.notifications.services import requeue_stale_messages, retry_messages
from mustafid.notifications.tests.factories import OutboxMessageFactory


def ago(minutes: int):
    return timezone.now() - timedelta(minutes=minutes)


def queued_message_ids() -> list[int]:
    return sorted(
        result.args_kwargs["kwargs"]["message_id"] for result in DBTaskResult.objects.all()
    )


def test_a_message_left_sending_by_a_stopped_worker_is_retried(
    db, django_capture_on_commit_callbacks
):
    stuck = OutboxMessageFactory(status=Status.SENDING, claimed_at=ago(20), attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_messages() == 1
    stuck.refresh_from_db()
    assert stuck.status == Status.RETRYING
    assert "worker stopped" in stuck.last_error
    assert queued_message_ids() == [stuck.pk]
    entry = AuditEntry.objects.for_object(stuck).get()
    assert entry.action == AuditAction.TRANSITION
    assert entry.changes == {"status": {"before": "sending", "after": "retrying"}}


def test_a_message_sending_for_a_short_while_is_left_to_its_worker(db):
    busy = OutboxMessageFactory(status=Status.SENDING, claimed_at=ago(1), attempts=1)
    assert requeue_stale_messages() == 0
    busy.refresh_from_db()
    assert busy.status == Status.SENDING


def test_a_stuck_message_with_no_attempts_left_is_failed(settings, db):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    stuck = OutboxMessageFactory(status=Status.SENDING, claimed_at=ago(20), attempts=3)
    requeue_stale_messages()
    stuck.refresh_from_db()
    assert stuck.status == Status.FAILED
    assert not DBTaskResult.objects.exists()


def test_an_overdue_message_whose_task_was_lost_gets_a_new_task(
    db, django_capture_on_commit_callbacks
):
    waiting = OutboxMessageFactory(status=Status.RETRYING, next_attempt_at=ago(30), attempts=2)
    queued = OutboxMessageFactory(status=Status.QUEUED, next_attempt_at=ago(30))
    OutboxMessageFactory(status=Status.RETRYING, next_attempt_at=ago(1))  # its task is due now
    OutboxMessageFactory(status=Status.SENT, next_attempt_at=ago(30))
    OutboxMessageFactory(status=Status.FAILED, next_attempt_at=ago(30))
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_messages() == 2
    assert queued_message_ids() == sorted([waiting.pk, queued.pk])
    waiting.refresh_from_db()
    assert (waiting.status, waiting.attempts) == (Status.RETRYING, 2)


def test_requeuing_twice_changes_nothing_the_second_time(db, django_capture_on_commit_callbacks):
    OutboxMessageFactory(status=Status.SENDING, claimed_at=ago(20), attempts=1)
    OutboxMessageFactory(status=Status.QUEUED, next_attempt_at=ago(30))
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_messages() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_messages() == 0
    assert DBTaskResult.objects.count() == 2


def test_the_requeue_command_reports_how_many_it_requeued(db):
    OutboxMessageFactory(status=Status.SENDING, claimed_at=ago(20), attempts=1)
    out = StringIO()
    call_command("notify_requeue", stdout=out)
    assert out.getvalue().strip() == "Requeued 1 outbox message(s)."
    out = StringIO()
    call_command("notify_requeue", stdout=out)
    assert out.getvalue().strip() == "Requeued 0 outbox message(s)."


def test_the_requeue_command_takes_the_staleness_in_minutes(db):
    OutboxMessageFactory(status=Status.SENDING, claimed_at=ago(3), attempts=1)
    call_command("notify_requeue", stale_minutes=2, stdout=StringIO())
    assert OutboxMessage.objects.get().status == Status.RETRYING


# Retry now (the admin's action) ------------------------------------------------------


def test_an_administrator_retries_a_failed_message_with_fresh_attempts(
    retrying_admin, django_capture_on_commit_callbacks
):
    failed = OutboxMessageFactory(status=Status.FAILED, attempts=5, last_error="HTTP 503")
    with django_capture_on_commit_callbacks(execute=True):
        count = retry_messages(messages=OutboxMessage.objects.all(), actor=retrying_admin)
    failed.refresh_from_db()
    assert count == 1
    assert (failed.status, failed.attempts) == (Status.QUEUED, 0)
    assert failed.next_attempt_at <= timezone.now()
    assert queued_message_ids() == [failed.pk]
    entry = AuditEntry.objects.for_object(failed).get()
    assert entry.actor == retrying_admin
    assert entry.changes == {"status": {"before": "failed", "after": "queued"}}


def test_retry_now_brings_a_waiting_message_forward_and_leaves_sent_ones_alone(retrying_admin):
    waiting = OutboxMessageFactory(
        status=Status.RETRYING, attempts=2, next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    sent = OutboxMessageFactory(status=Status.SENT, attempts=1)
    assert retry_messages(messages=OutboxMessage.objects.all(), actor=retrying_admin) == 1
    waiting.refresh_from_db()
    sent.refresh_from_db()
    assert (waiting.status, waiting.attempts) == (Status.QUEUED, 2)
    assert sent.status == Status.SENT


def test_staff_without_the_retry_permission_cannot_retry(manager):
    failed = OutboxMessageFactory(status=Status.FAILED)
    with pytest.raises(PermissionDenied):
        retry_messages(messages=OutboxMessage.objects.all(), actor=manager)
    failed.refresh_from_db()
    assert failed.status == Status.FAILED
