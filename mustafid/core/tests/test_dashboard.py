"""The staff dashboard: today in both calendars, roles, branches, own recent activity."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_today_in_hijri_and_gregorian(officer_client):
    html = officer_client.get(reverse("core:dashboard")).content.decode()
    assert "هـ — " in html


def test_the_dashboard_names_the_roles_and_branches_in_arabic(officer_client):
    html = officer_client.get(reverse("core:dashboard")).content.decode()
    assert "موظف علاقات المستفيدين" in html and "فرع الرياض" in html


def test_in_english_the_dashboard_uses_english_names(officer_client):
    officer_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = officer_client.get(reverse("core:dashboard")).content.decode()
    assert 'lang="en"' in html and 'dir="ltr"' in html
    assert "Relations officer" in html and "Riyadh branch" in html


def test_the_dashboard_offers_the_admin_tools_only_to_the_administrator(client, sysadmin, officer):
    client.force_login(sysadmin)
    urls = [link["url"] for link in client.get("/").context["tool_links"]]
    assert "/admin/" in urls and "/api/docs/" in urls and "/notifications/outbox/" in urls
    client.force_login(officer)
    assert client.get("/").context["tool_links"] == []


def test_the_dashboard_lists_the_users_own_latest_actions(client, sysadmin, branch):
    from mustafid.accounts import services

    services.update_branch(actor=sysadmin, branch=branch, city="الدرعية")
    client.force_login(sysadmin)
    activity = list(client.get("/").context["activity"])
    assert str(branch) in [entry.object_repr for entry in activity]


def test_dashboard_queries_do_not_grow_with_activity(
    client, sysadmin, branch, django_assert_max_num_queries
):
    from mustafid.core import audit
    from mustafid.core.models import AuditAction

    for number in range(40):
        audit.record(actor=sysadmin, action=AuditAction.UPDATE, target=branch, summary=str(number))
    client.force_login(sysadmin)
    with django_assert_max_num_queries(8):
        client.get("/")


def test_an_english_browser_still_gets_arabic_until_the_person_switches(client):
    html = client.get(reverse("accounts:login"), headers={"Accept-Language": "en-US,en"}).content
    assert b'lang="ar"' in html and b'dir="rtl"' in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("accounts:login"), headers={"Accept-Language": "ar"}).content
    assert b'lang="en"' in html and b'dir="ltr"' in html
