"""Changes to the outbox: queue a message, send it at most once, retry, requeue.

``notify`` is the one way the system sends an email or SMS: it renders the message in the
recipient's language, records it, and enqueues ``send_outbox_message`` after commit. The
task calls ``send_message``, which claims the row with a conditional UPDATE before talking
to any server, so a task run twice or two workers never send one message twice.
"""

import logging
import uuid
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from mustafid.accounts.permissions import ensure_can
from mustafid.core import audit
from mustafid.core.actors import SYSTEM
from mustafid.core.models import AuditAction
from mustafid.core.validators import normalise_mobile
from mustafid.notifications import tasks
from mustafid.notifications.delivery import SendResult
from mustafid.notifications.errors import InvalidRecipient, SendFailure, TemporaryFailure
from mustafid.notifications.mail import send_email
from mustafid.notifications.models import SENDABLE, Channel, Language, OutboxMessage, Status
from mustafid.notifications.sms import get_sms_backend
from mustafid.notifications.templates import render_message

logger = logging.getLogger(__name__)

#: A message "sending" for longer than this lost its worker: far above SMS_TIMEOUT and
#: EMAIL_TIMEOUT, so a slow but living worker is never overtaken.
STALE_AFTER = timedelta(minutes=15)


def normalise_recipient(*, channel: str, recipient: str) -> str:
    """The address as stored: an email address as given, a mobile number in E.164."""
    address = (recipient or "").strip()
    try:
        if channel == Channel.SMS:
            return normalise_mobile(address)
        validate_email(address)
    except ValidationError:
        raise InvalidRecipient(recipient=address, channel=Channel(channel).label) from None
    return address


def notify(
    recipient: str,
    template: str,
    context: dict,
    channel: str,
    *,
    language: str = Language.ARABIC,
    idempotency_key: str | None = None,
    actor=SYSTEM,
    target: models.Model | None = None,
) -> OutboxMessage:
    """Queue one message, rendered now in ``language``; sent after commit, once per key.

    The four leading arguments may be given by position, as the foundation issue spells
    the call: ``notify(recipient, template, context, channel)``.

    Callers check their own permission: this is the side effect of a change they made.
    A repeated ``idempotency_key`` returns the first message and sends nothing more.
    """
    channel = Channel(channel)
    language = Language((language or Language.ARABIC).split("-")[0].lower())  # "en-us" → "en"
    address = normalise_recipient(channel=channel, recipient=recipient)
    rendered = render_message(
        template=template, channel=channel, context=context, language=language
    )
    key = idempotency_key or uuid.uuid4().hex
    with transaction.atomic():
        if existing := OutboxMessage.objects.filter(idempotency_key=key).first():
            return existing
        message = OutboxMessage(
            channel=channel,
            recipient=address,
            language=language,
            template=template,
            context=context,
            subject=rendered.subject,
            body=rendered.body,
            idempotency_key=key,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if target is not None:
            message.content_type = ContentType.objects.get_for_model(
                target, for_concrete_model=False
            )
            message.object_id = str(target.pk)
        try:
            with transaction.atomic():
                message.save()
        except IntegrityError:
            # The same key queued at this very moment by another caller: theirs stands.
            return OutboxMessage.objects.get(idempotency_key=key)
        fields = ["channel", "recipient", "language", "template", "status"]
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            target=message,
            changes={
                name: {"before": None, "after": value}
                for name, value in audit.snapshot(message, fields=fields).items()
            },
        )
        # Robust: if the task queue is down, the caller's change still stands and the
        # message waits in the outbox for requeue_stale_messages.
        transaction.on_commit(partial(_enqueue, message_id=message.pk), robust=True)
    return message


def send_message(*, message_id: int) -> OutboxMessage | None:
    """Send one due message at most once and record the outcome; None if not ours to send."""
    now = timezone.now()
    # Filter on status and due time: of two runs of the task (or two workers) one claims
    # the message, the other updates nothing and leaves.
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status__in=SENDABLE, next_attempt_at__lte=now
    ).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        logger.info("Outbox message %s is not due or taken; skipped", message_id)
        return None
    message = OutboxMessage.objects.get(pk=message_id)
    provider = ""
    try:
        provider, result = _deliver(message)
    except SendFailure as err:
        return _record_failure(message=message, provider=provider, error=err)
    except Exception as err:
        # A bug or a bad setting (no SMS_API_URL): retry, so fixing it sends the message.
        logger.exception("Sending outbox message %s failed unexpectedly", message_id)
        return _record_failure(
            message=message,
            provider=provider,
            error=TemporaryFailure(f"{type(err).__name__}: {err}"),
        )
    return _record_sent(message=message, provider=provider, result=result)


def requeue_stale_messages(*, stale_after: timedelta = STALE_AFTER) -> int:
    """Put back what a stopped worker or a lost task left behind; a second run changes nothing.

    A message "sending" since before the cutoff goes back to retrying (or to failed with no
    attempts left). A queued or retrying message overdue by as much gets a fresh task.
    """
    now = timezone.now()
    cutoff = now - stale_after
    stale = OutboxMessage.objects.filter(
        Q(status=Status.SENDING, claimed_at__lt=cutoff)
        | Q(status__in=SENDABLE, next_attempt_at__lt=cutoff)
    ).only("pk", "status", "attempts", "claimed_at", "next_attempt_at", "channel", "template")
    return sum(_requeue(message=message, now=now) for message in list(stale))


def retry_messages(*, messages: models.QuerySet[OutboxMessage], actor) -> int:
    """Queue failed or waiting messages to go now (the admin's "retry now"); returns how many.

    A failed message gets a fresh set of attempts.
    """
    ensure_can(actor, "notifications.retry_outboxmessage")
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for message in messages.filter(status__in=[Status.FAILED, Status.RETRYING]):
            fields = {"status": Status.QUEUED, "next_attempt_at": now}
            if message.status == Status.FAILED:
                fields["attempts"] = 0
            if not OutboxMessage.objects.filter(pk=message.pk, status=message.status).update(
                **fields
            ):
                continue  # a worker took it meanwhile
            audit.record_transition(
                actor=actor,
                target=message,
                before=message.status,
                after=Status.QUEUED,
                summary="retry now",
            )
            transaction.on_commit(partial(_enqueue, message_id=message.pk), robust=True)
            count += 1
    return count


def _enqueue(*, message_id: int, run_after=None) -> None:
    task = tasks.send_outbox_message
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(message_id=message_id)


def _deliver(message: OutboxMessage) -> tuple[str, SendResult]:
    """Hand the message to its channel; returns the provider's name and its answer."""
    if message.channel == Channel.EMAIL:
        provider = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]  # "smtp", "console", "locmem"
        return provider, send_email(
            to=message.recipient,
            subject=message.subject,
            body=message.body,
            language=message.language,
            reference=message.reference,
        )
    backend = get_sms_backend()
    return backend.name, backend.send(
        to=message.recipient,
        text=message.body,
        sender=settings.SMS_SENDER,
        reference=message.reference,
    )


def _record_sent(*, message: OutboxMessage, provider: str, result: SendResult) -> OutboxMessage:
    return _finish(
        message=message,
        status=Status.SENT,
        sent_at=timezone.now(),
        provider=provider,
        provider_message_id=result.provider_message_id[:255],
        segments=result.segments,
        last_error="",
    )


def _record_failure(*, message: OutboxMessage, provider: str, error: SendFailure) -> OutboxMessage:
    logger.warning("Outbox message %s attempt %s failed: %s", message.pk, message.attempts, error)
    if error.temporary and message.attempts < settings.NOTIFY_MAX_ATTEMPTS:
        delay = settings.NOTIFY_RETRY_BASE * 2 ** (message.attempts - 1)
        return _finish(
            message=message,
            status=Status.RETRYING,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            provider=provider,
            last_error=str(error),
        )
    return _finish(message=message, status=Status.FAILED, provider=provider, last_error=str(error))


def _finish(*, message: OutboxMessage, status: str, **fields) -> OutboxMessage:
    """Record the outcome of the attempt this run claimed, audited, in one transaction."""
    with transaction.atomic():
        # Filter on the claim: if the requeue sweep gave the message to another worker,
        # that worker's outcome is the one to keep.
        updated = OutboxMessage.objects.filter(
            pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at
        ).update(status=status, **fields)
        if not updated:
            logger.warning("Outbox message %s changed hands while sending", message.pk)
            message.refresh_from_db()
            return message
        audit.record_transition(
            actor=SYSTEM,
            target=message,
            before=Status.SENDING,
            after=status,
            summary=fields.get("last_error", "")[:255],
        )
        if status == Status.RETRYING:
            transaction.on_commit(
                partial(_enqueue, message_id=message.pk, run_after=fields["next_attempt_at"]),
                robust=True,
            )
    message.refresh_from_db()
    return message


def _requeue(*, message: OutboxMessage, now) -> int:
    with transaction.atomic():
        if message.status != Status.SENDING:
            # Overdue and still waiting: its task was lost. Only the due time changes, so
            # the next sweep finds nothing until this one is overdue again.
            if not OutboxMessage.objects.filter(
                pk=message.pk, status=message.status, next_attempt_at=message.next_attempt_at
            ).update(next_attempt_at=now):
                return 0
        else:
            exhausted = message.attempts >= settings.NOTIFY_MAX_ATTEMPTS
            status = Status.FAILED if exhausted else Status.RETRYING
            error = "The worker stopped while sending; it may have been delivered."
            if not OutboxMessage.objects.filter(
                pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at
            ).update(status=status, next_attempt_at=now, last_error=error):
                return 0
            audit.record_transition(
                actor=SYSTEM, target=message, before=Status.SENDING, after=status, summary=error
            )
            if exhausted:
                return 1
        transaction.on_commit(partial(_enqueue, message_id=message.pk), robust=True)
    return 1
