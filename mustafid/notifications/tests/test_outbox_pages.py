"""The outbox pages: branch managers and administrators read them; others find nothing."""

import pytest
from django.urls import reverse
from django.utils import translation

from mustafid.notifications.models import Channel, OutboxMessage, Status
from mustafid.notifications.tests.factories import OutboxMessageFactory


def test_a_branch_manager_sees_the_outbox(manager_client):
    OutboxMessageFactory(recipient="sara@example.org")
    response = manager_client.get(reverse("notifications:outbox"))
    assert response.status_code == 200
    assert "sara@example.org" in response.text


def test_a_relations_officer_gets_not_found(officer_client):
    OutboxMessageFactory()
    assert officer_client.get(reverse("notifications:outbox")).status_code == 404


def test_a_relations_officer_cannot_open_a_message_either(officer_client):
    message = OutboxMessageFactory()
    assert officer_client.get(message.get_absolute_url()).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("notifications:outbox"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_system_administrator_sees_the_outbox(admin_client_):
    assert admin_client_.get(reverse("notifications:outbox")).status_code == 200


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"status": "failed"}, {"failed@example.org"}),
        ({"channel": "sms"}, {"+966501234567"}),
        ({}, {"failed@example.org", "sent@example.org", "+966501234567"}),
        ({"status": "bogus"}, {"failed@example.org", "sent@example.org", "+966501234567"}),
    ],
)
def test_the_outbox_filters_by_status_and_channel(manager_client, query, shown):
    OutboxMessageFactory(recipient="failed@example.org", status=Status.FAILED)
    OutboxMessageFactory(recipient="sent@example.org", status=Status.SENT)
    OutboxMessageFactory(recipient="+966501234567", channel=Channel.SMS, status=Status.SENT)
    response = manager_client.get(reverse("notifications:outbox"), query)
    assert {message.recipient for message in response.context["page"]} == shown


def test_the_outbox_queries_do_not_grow_with_messages(
    manager_client, django_assert_max_num_queries
):
    OutboxMessageFactory.create_batch(30)
    with django_assert_max_num_queries(6):  # session, user, 2 permission lookups, count, page
        response = manager_client.get(reverse("notifications:outbox"))
    assert len(response.context["page"]) == 30


def test_the_outbox_is_paginated(manager_client):
    OutboxMessageFactory.create_batch(51)
    response = manager_client.get(reverse("notifications:outbox"), {"page": 2})
    assert len(response.context["page"]) == 1


def test_a_filter_change_through_htmx_returns_only_the_table(manager_client):
    OutboxMessageFactory(status=Status.FAILED)
    response = manager_client.get(
        reverse("notifications:outbox"), {"status": "failed"}, headers={"HX-Request": "true"}
    )
    assert response.text.lstrip().startswith('<div id="outbox-table">')
    assert "<html" not in response.text


def test_the_page_speaks_arabic_with_translated_statuses(manager_client):
    OutboxMessageFactory(status=Status.RETRYING)
    with translation.override("ar"):
        response = manager_client.get(reverse("notifications:outbox"))
    assert "بانتظار إعادة المحاولة" in response.text
    assert "الرسائل المرسلة (الصادرة)" in response.text


def test_a_message_page_shows_the_text_as_sent_and_its_last_error(manager_client):
    message = OutboxMessageFactory(
        body="مرحبًا سارة", status=Status.RETRYING, last_error="unifonic answered HTTP 503"
    )
    response = manager_client.get(message.get_absolute_url())
    assert response.status_code == 200
    assert "مرحبًا سارة" in response.text
    assert "unifonic answered HTTP 503" in response.text


def test_a_missing_message_is_not_found(manager_client, db):
    assert manager_client.get(reverse("notifications:message", args=[999])).status_code == 404


# The Django admin ------------------------------------------------------------------------


def test_the_admin_lists_the_outbox_read_only(admin_client_):
    OutboxMessageFactory(recipient="sara@example.org")
    response = admin_client_.get(reverse("admin:notifications_outboxmessage_changelist"))
    assert response.status_code == 200
    assert "sara@example.org" in response.text
    assert admin_client_.get(reverse("admin:notifications_outboxmessage_add")).status_code == 403


def test_retry_now_in_the_admin_queues_a_failed_message_again(client, retrying_admin):
    failed = OutboxMessageFactory(status=Status.FAILED, attempts=5)
    client.force_login(retrying_admin)
    response = client.post(
        reverse("admin:notifications_outboxmessage_changelist"),
        {"action": "retry_now", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Status.QUEUED, 0)


def test_the_system_administrator_is_offered_retry_now(admin_client_):
    OutboxMessageFactory(status=Status.FAILED)
    response = admin_client_.get(reverse("admin:notifications_outboxmessage_changelist"))
    assert "retry_now" in response.text
    assert OutboxMessage.objects.get().status == Status.FAILED
