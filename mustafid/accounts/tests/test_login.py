"""Signing in and out, throttled per account and address (issue 3, bad input)."""

import pytest
from django.test import Client
from django.urls import reverse

from mustafid.accounts.tests.factories import PASSWORD
from mustafid.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def _attempt(client, username, password, ip="10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_login_page_is_arabic_and_right_to_left(client):
    html = client.get(LOGIN).content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html


def test_a_staff_member_signs_in_and_lands_on_the_dashboard(client, officer):
    response = _attempt(client, "officer", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_a_wrong_password_keeps_the_username_and_explains(client, officer):
    response = _attempt(client, "officer", "wrong-password")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["__all__"]
    assert form["username"].value() == "officer"


def test_the_dashboard_sends_a_visitor_to_the_login_page(client):
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_after_five_failures_the_account_is_paused_with_a_clear_message(client, officer):
    for _ in range(5):
        _attempt(client, "officer", "wrong-password")
    response = _attempt(client, "officer", PASSWORD)
    assert response.status_code == 429
    assert response.context["locked_message"]
    assert "_auth_user_id" not in client.session


def test_the_pause_holds_for_the_account_from_another_address(client, officer):
    for _ in range(5):
        _attempt(client, "officer", "wrong-password", ip="10.1.1.1")
    assert _attempt(Client(), "officer", PASSWORD, ip="10.9.9.9").status_code == 429


def test_one_address_guessing_many_accounts_is_paused(client, officer):
    for number in range(5):
        _attempt(client, f"someone{number}", "wrong-password", ip="10.2.2.2")
    assert _attempt(Client(), "officer", PASSWORD, ip="10.2.2.2").status_code == 429


def test_the_login_form_refuses_a_post_without_csrf_token(officer):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(LOGIN, {"username": "officer", "password": PASSWORD})
    assert response.status_code == 403


def test_signing_in_and_failing_are_in_the_audit_log_with_the_address(client, officer):
    _attempt(client, "officer", "wrong-password", ip="10.3.3.3")
    _attempt(client, "officer", PASSWORD, ip="10.3.3.3")
    failed = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.ip_address == "10.3.3.3" and "officer" in failed.summary
    login = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert login.actor == officer and login.ip_address == "10.3.3.3"


def test_signing_out_needs_a_post_and_ends_the_session(officer_client):
    response = officer_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert officer_client.get(reverse("core:dashboard")).status_code == 302
