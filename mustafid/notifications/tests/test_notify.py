"""notify(): one row per message, rendered in the recipient's language, sent after commit."""

import pytest
from django_tasks_db.models import DBTaskResult

from mustafid.core.models import AuditAction, AuditEntry
from mustafid.notifications import templates
from mustafid.notifications.errors import (
    InvalidRecipient,
    MissingTemplateData,
    UnknownTemplate,
    UnsupportedChannel,
)
from mustafid.notifications.models import OutboxMessage, Status
from mustafid.notifications.services import notify
from mustafid.notifications.templates import MessageTemplate

WELCOME = {
    "name": "سارة",
    "username": "sara",
    "login_url": "https://mustafid.example/accounts/login/",
}


def queued_tasks() -> list[dict]:
    return [result.args_kwargs["kwargs"] for result in DBTaskResult.objects.all()]


def test_an_email_is_recorded_queued_with_its_arabic_text(db):
    message = notify(
        recipient="sara@example.org", template="staff_welcome", context=WELCOME, channel="email"
    )
    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert message.subject == "حسابك في مستفيد"
    assert message.body.startswith("مرحبًا سارة،")
    assert "اسم المستخدم الخاص بك هو sara" in message.body
    assert message.context == WELCOME


def test_the_same_message_in_english_reads_in_english(db):
    message = notify(
        recipient="sara@example.org",
        template="staff_welcome",
        context=WELCOME,
        channel="email",
        language="en",
    )
    assert message.subject == "Your Mustafid account"
    assert message.body.startswith("Hello سارة,")
    assert message.language == "en"


def test_the_sms_text_is_the_short_version(db):
    message = notify(
        recipient="0501234567", template="staff_welcome", context=WELCOME, channel="sms"
    )
    assert message.subject == ""
    assert message.body == (
        "مستفيد: أُنشئ لك حساب، اسم المستخدم: sara. ادخل من https://mustafid.example/accounts/login/"
    )


def test_a_mobile_number_is_stored_in_e164(db):
    message = notify(
        recipient="٠٥٠ ١٢٣ ٤٥٦٧", template="test_message", context={"sender": "x"}, channel="sms"
    )
    assert message.recipient == "+966501234567"


def test_names_are_not_html_escaped_in_the_text(db):
    message = notify(
        recipient="a@example.org",
        template="test_message",
        context={"sender": "Ali & <Sons>"},
        channel="email",
        language="en",
    )
    assert "Ali & <Sons>" in message.body


def test_the_send_task_is_enqueued_only_when_the_transaction_commits(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = notify(
            recipient="a@example.org",
            template="test_message",
            context={"sender": "x"},
            channel="email",
        )
        assert queued_tasks() == []
    assert len(callbacks) == 1
    assert queued_tasks() == [{"message_id": message.pk}]


def test_a_repeated_idempotency_key_returns_the_first_message_and_queues_nothing_more(
    db, django_capture_on_commit_callbacks
):
    arguments = dict(
        recipient="a@example.org",
        template="test_message",
        context={"sender": "x"},
        channel="email",
        idempotency_key="welcome:user:7",
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(**arguments)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = notify(**arguments)
    assert again.pk == first.pk
    assert OutboxMessage.objects.count() == 1
    assert callbacks == []
    assert len(queued_tasks()) == 1


def test_without_a_key_each_call_is_its_own_message(db):
    for _ in range(2):
        notify(
            recipient="a@example.org",
            template="test_message",
            context={"sender": "x"},
            channel="email",
        )
    assert OutboxMessage.objects.count() == 2


def test_queuing_is_audited_with_the_actor(manager):
    message = notify(
        recipient="a@example.org",
        template="test_message",
        context={"sender": "x"},
        channel="email",
        actor=manager,
    )
    entry = AuditEntry.objects.for_object(message).get()
    assert (entry.action, entry.actor) == (AuditAction.CREATE, manager)
    assert entry.changes["status"] == {"before": None, "after": "queued"}
    assert message.created_by == manager


def test_the_message_links_to_the_record_it_concerns(manager):
    message = notify(
        recipient="a@example.org",
        template="test_message",
        context={"sender": "x"},
        channel="email",
        target=manager,
    )
    assert OutboxMessage.objects.get(pk=message.pk).target == manager


def test_an_invalid_email_address_is_refused_and_nothing_is_recorded(db):
    with pytest.raises(InvalidRecipient):
        notify(
            recipient="not-an-email",
            template="test_message",
            context={"sender": "x"},
            channel="email",
        )
    assert not OutboxMessage.objects.exists()


def test_a_landline_is_refused_for_sms(db):
    with pytest.raises(InvalidRecipient):
        notify(
            recipient="0114567890", template="test_message", context={"sender": "x"}, channel="sms"
        )


def test_an_unknown_template_is_refused_by_name(db):
    with pytest.raises(UnknownTemplate, match="no_such_message"):
        notify(recipient="a@example.org", template="no_such_message", context={}, channel="email")


def test_a_template_without_its_data_is_refused_rather_than_sent_half_empty(db):
    with pytest.raises(MissingTemplateData, match="login_url"):
        notify(
            recipient="a@example.org",
            template="staff_welcome",
            context={"name": "x", "username": "y"},
            channel="email",
        )


def test_a_template_is_only_sent_by_its_channels(db, monkeypatch):
    notice = MessageTemplate(
        name="email_only_notice", description="", channels=frozenset({"email"})
    )
    monkeypatch.setitem(templates._registry, notice.name, notice)
    with pytest.raises(UnsupportedChannel):
        notify(recipient="0501234567", template="email_only_notice", context={}, channel="sms")


def test_notify_takes_its_four_main_arguments_by_position(db):
    from mustafid.notifications.services import notify as queue_message

    message = queue_message("0501234567", "test_message", {"sender": "مستفيد"}, "sms")
    assert message.recipient == "+966501234567" and message.channel == "sms"
