"""Password reset by email, through a real SMTP server on 127.0.0.1."""

import re

import pytest
from django.urls import reverse

from mustafid.accounts.models import User

pytestmark = pytest.mark.django_db


def test_a_staff_member_resets_a_forgotten_password_by_email(client, officer, smtp_server):
    response = client.post(reverse("accounts:password_reset"), {"email": officer.email})
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert officer.email in mail["X-Envelope-To"]
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.get_content()).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Nakhla-Qamar-1447", "new_password2": "Nakhla-Qamar-1447"},
    )
    assert done.status_code == 302
    assert User.objects.get(pk=officer.pk).check_password("Nakhla-Qamar-1447")


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, smtp_server):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert smtp_server.messages == []


def test_a_malformed_address_is_refused_and_kept(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "not-an-email"})
    assert response.status_code == 200
    assert response.context["form"]["email"].value() == "not-an-email"
    assert response.context["form"].errors["email"]


def test_a_mail_server_that_is_down_gives_the_usual_answer_not_a_500(
    client, officer, settings, caplog
):
    """Django logs the failure and answers as for any address, so nobody learns which
    addresses have accounts; the staff member can ask again later."""
    from mustafid.core.testing.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    response = client.post(reverse("accounts:password_reset"), {"email": officer.email})
    assert response.status_code == 302
    assert "Failed to send password reset email" in caplog.text
