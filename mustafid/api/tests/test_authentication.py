from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mustafid.api.services import revoke_api_client
from mustafid.api.tests.factories import bearer, issue_token

ME = "/api/v1/me"


def _assert_rejected(response, code="authentication_failed"):
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["code"] == code
    assert body["message"]


def test_me_is_at_the_documented_address_without_a_trailing_slash():
    assert reverse("api:me") == ME
    assert reverse("api:branches") == "/api/v1/branches"


def test_a_token_authenticates_as_its_service_account(client, officer):
    _, token = issue_token(user=officer)
    response = client.get(ME, headers=bearer(token))
    assert response.status_code == 200
    assert response.json()["username"] == "officer"


def test_the_token_keyword_works_like_bearer(client, officer):
    _, token = issue_token(user=officer)
    response = client.get(ME, headers={"authorization": f"Token {token}"})
    assert response.status_code == 200


def test_a_bad_token_gets_401_in_the_error_shape(client, officer):
    _, token = issue_token(user=officer)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    _assert_rejected(client.get(ME, headers=bearer(forged)))


def test_a_malformed_token_gets_401(client, db):
    _assert_rejected(client.get(ME, headers=bearer("not-a-token")))


def test_an_authorization_header_with_extra_words_gets_401(client, db):
    _assert_rejected(client.get(ME, headers={"authorization": "Bearer one two"}))


def test_a_revoked_token_gets_401(client, officer, sysadmin):
    api_client, token = issue_token(user=officer)
    revoke_api_client(actor=sysadmin, client=api_client)
    _assert_rejected(client.get(ME, headers=bearer(token)))


def test_an_expired_token_gets_401(client, officer):
    api_client, token = issue_token(user=officer, expires_at=timezone.now() + timedelta(days=1))
    api_client.expires_at = timezone.now() - timedelta(seconds=1)
    api_client.save(update_fields=["expires_at"])  # time passing, not a change
    _assert_rejected(client.get(ME, headers=bearer(token)))


def test_a_token_stops_working_when_its_account_is_disabled(client, officer):
    _, token = issue_token(user=officer)
    officer.is_active = False
    officer.save()
    _assert_rejected(client.get(ME, headers=bearer(token)))


def test_no_credentials_get_401_not_authenticated(client, db):
    _assert_rejected(client.get(ME), code="not_authenticated")


def test_a_bad_token_is_refused_even_with_a_signed_in_session(officer_client):
    _assert_rejected(officer_client.get(ME, headers=bearer("mst_00000000_" + "x" * 43)))


def test_using_a_token_records_when_it_was_last_used(client, officer):
    api_client, token = issue_token(user=officer)
    client.get(ME, headers=bearer(token))
    api_client.refresh_from_db()
    assert api_client.last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(client, officer):
    api_client, token = issue_token(user=officer)
    client.get(ME, headers=bearer(token))
    api_client.refresh_from_db()
    first_use = api_client.last_used_at
    client.get(ME, headers=bearer(token))
    api_client.refresh_from_db()
    assert api_client.last_used_at == first_use


def test_last_used_moves_on_after_a_minute(client, officer):
    api_client, token = issue_token(user=officer)
    long_ago = timezone.now() - timedelta(minutes=2)
    api_client.last_used_at = long_ago
    api_client.save(update_fields=["last_used_at"])
    client.get(ME, headers=bearer(token))
    api_client.refresh_from_db()
    assert api_client.last_used_at > long_ago
