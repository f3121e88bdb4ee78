import json

import pytest

from mustafid.api.services import AlreadyRevoked, revoke_api_client
from mustafid.api.tests.factories import issue_token
from mustafid.core.errors import PermissionDenied
from mustafid.core.models import AuditAction, AuditEntry


def test_revoking_a_client_records_when_and_by_whom(sysadmin, officer):
    client, _ = issue_token(user=officer)
    revoke_api_client(actor=sysadmin, client=client)
    client.refresh_from_db()
    assert client.revoked_at is not None
    assert client.revoked_by == sysadmin


def test_revoking_is_audited_without_token_material(sysadmin, officer):
    client, token = issue_token(user=officer)
    revoke_api_client(actor=sysadmin, client=client)
    entry = AuditEntry.objects.for_object(client).get(action=AuditAction.UPDATE)
    assert entry.actor == sysadmin
    assert set(entry.changes) == {"revoked_at", "revoked_by"}
    logged = json.dumps(entry.changes)
    assert token not in logged and client.token_hash not in logged


def test_a_revoked_client_cannot_be_revoked_again(sysadmin, officer):
    client, _ = issue_token(user=officer)
    revoke_api_client(actor=sysadmin, client=client)
    with pytest.raises(AlreadyRevoked):
        revoke_api_client(actor=sysadmin, client=client)


def test_an_officer_may_not_revoke_a_client(officer):
    client, _ = issue_token(user=officer)
    with pytest.raises(PermissionDenied):
        revoke_api_client(actor=officer, client=client)
    client.refresh_from_db()
    assert client.revoked_at is None
