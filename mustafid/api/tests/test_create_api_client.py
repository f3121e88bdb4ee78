import hashlib
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from mustafid.accounts.tests.factories import StaffFactory
from mustafid.api.models import ApiClient
from mustafid.api.scopes import Scope
from mustafid.api.services import (
    ExpiryInThePast,
    InactiveServiceAccount,
    NoScopes,
    create_api_client,
)
from mustafid.core.errors import PermissionDenied
from mustafid.core.models import AuditAction, AuditEntry


def test_creating_a_client_returns_the_token_once_and_stores_only_its_hash(sysadmin, officer):
    client, token = create_api_client(
        actor=sysadmin, name="ERP", user=officer, scopes=[Scope.ME_READ]
    )
    stored = ApiClient.objects.get(pk=client.pk)
    assert token.startswith(f"mst_{stored.token_prefix}_")
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = str(ApiClient.objects.filter(pk=client.pk).values().get())
    assert token.rsplit("_", 1)[1] not in row
    assert stored.scopes == ["me:read"]
    assert stored.created_by == sysadmin


def test_two_clients_get_different_tokens(sysadmin, officer):
    _, first = create_api_client(actor=sysadmin, name="A", user=officer, scopes=[Scope.ME_READ])
    _, second = create_api_client(actor=sysadmin, name="B", user=officer, scopes=[Scope.ME_READ])
    assert first != second


def test_creating_a_client_is_audited_without_token_material(sysadmin, officer):
    client, token = create_api_client(
        actor=sysadmin, name="ERP", user=officer, scopes=[Scope.ME_READ]
    )
    entry = AuditEntry.objects.for_object(client).get()
    assert entry.action == AuditAction.CREATE
    assert entry.actor == sysadmin
    logged = json.dumps(entry.changes, ensure_ascii=False) + entry.summary + entry.object_repr
    assert token not in logged
    assert token.rsplit("_", 1)[1] not in logged
    assert client.token_hash not in logged


def test_an_officer_may_not_create_a_client(officer):
    with pytest.raises(PermissionDenied):
        create_api_client(actor=officer, name="ERP", user=officer, scopes=[Scope.ME_READ])
    assert not ApiClient.objects.exists()


def test_an_administrator_may_not_issue_a_token_acting_as_a_superuser(sysadmin):
    root = StaffFactory(username="root", is_superuser=True)
    with pytest.raises(PermissionDenied):
        create_api_client(actor=sysadmin, name="ERP", user=root, scopes=[Scope.ME_READ])


def test_a_token_cannot_act_as_a_disabled_account(sysadmin, officer):
    officer.is_active = False
    officer.save()
    with pytest.raises(InactiveServiceAccount):
        create_api_client(actor=sysadmin, name="ERP", user=officer, scopes=[Scope.ME_READ])


def test_an_expiry_in_the_past_is_refused(sysadmin, officer):
    with pytest.raises(ExpiryInThePast):
        create_api_client(
            actor=sysadmin,
            name="ERP",
            user=officer,
            scopes=[Scope.ME_READ],
            expires_at=timezone.now() - timedelta(minutes=1),
        )


def test_a_token_needs_at_least_one_scope(sysadmin, officer):
    with pytest.raises(NoScopes):
        create_api_client(actor=sysadmin, name="ERP", user=officer, scopes=[])


def test_an_unknown_scope_is_refused(sysadmin, officer):
    with pytest.raises(ValueError):
        create_api_client(actor=sysadmin, name="ERP", user=officer, scopes=["everything:write"])
