import re

from django.urls import reverse

from mustafid.api.models import ApiClient
from mustafid.api.scopes import Scope
from mustafid.api.tests.factories import bearer, issue_token
from mustafid.api.tokens import hash_token
from mustafid.core.models import AuditAction, AuditEntry

TOKEN = re.compile(r"mst_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")
ADD = "admin:api_apiclient_add"


def _add(client, officer, **extra):
    data = {
        "name": "ERP",
        "user": officer.pk,
        "scopes": [Scope.ME_READ, Scope.BRANCHES_READ],
        "expires_at_0": "",
        "expires_at_1": "",
        **extra,
    }
    return client.post(reverse(ADD), data, follow=True)


def test_adding_a_client_in_the_admin_shows_its_token_once(admin_client_, officer):
    response = _add(admin_client_, officer)
    assert response.status_code == 200
    shown = TOKEN.findall(response.content.decode())
    assert len(set(shown)) == 1
    api_client = ApiClient.objects.get()
    assert api_client.token_hash == hash_token(shown[0])
    assert api_client.scopes == ["branches:read", "me:read"]
    changelist = admin_client_.get(reverse("admin:api_apiclient_changelist")).content.decode()
    assert not TOKEN.search(changelist)
    assert api_client.token_prefix in changelist


def test_the_token_shown_in_the_admin_works(admin_client_, officer, client):
    response = _add(admin_client_, officer)
    token = TOKEN.search(response.content.decode()).group(0)
    admin_client_.logout()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200


def test_adding_in_the_admin_goes_through_the_audited_service(admin_client_, officer, sysadmin):
    _add(admin_client_, officer)
    entry = AuditEntry.objects.for_object(ApiClient.objects.get()).get()
    assert entry.action == AuditAction.CREATE
    assert entry.actor == sysadmin


def test_the_admin_add_form_requires_a_scope(admin_client_, officer):
    response = _add(admin_client_, officer, scopes=[])
    assert response.status_code == 200
    assert not ApiClient.objects.exists()


def test_the_admin_never_displays_the_token_hash(admin_client_, officer):
    api_client, _ = issue_token(user=officer)
    for url in (
        reverse("admin:api_apiclient_changelist"),
        reverse("admin:api_apiclient_change", args=[api_client.pk]),
    ):
        response = admin_client_.get(url)
        assert response.status_code == 200
        assert api_client.token_hash not in response.content.decode()


def test_an_issued_token_cannot_be_edited_in_the_admin(admin_client_, officer):
    api_client, _ = issue_token(user=officer, name="ERP")
    url = reverse("admin:api_apiclient_change", args=[api_client.pk])
    admin_client_.post(url, {"name": "Renamed", "token_prefix": "00000000"})
    api_client.refresh_from_db()
    assert api_client.name == "ERP"
    assert api_client.token_prefix != "00000000"


def test_the_revoke_action_revokes_through_the_service(admin_client_, officer, sysadmin):
    api_client, _ = issue_token(user=officer)
    admin_client_.post(
        reverse("admin:api_apiclient_changelist"),
        {"action": "revoke", "_selected_action": [api_client.pk]},
    )
    api_client.refresh_from_db()
    assert api_client.revoked_by == sysadmin
    assert AuditEntry.objects.for_object(api_client).filter(action=AuditAction.UPDATE).exists()


def test_an_officer_cannot_open_the_api_client_admin(officer_client):
    response = officer_client.get(reverse(ADD))
    assert response.status_code == 302
    assert not ApiClient.objects.exists()
