from mustafid.accounts.tests.factories import StaffFactory
from mustafid.api.scopes import SCOPE_PERMISSIONS, Scope
from mustafid.api.tests.factories import bearer, issue_token


def test_a_token_without_the_scope_gets_403_in_the_error_shape(client, officer):
    _, token = issue_token(user=officer, scopes=[Scope.BRANCHES_READ])
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied"
    assert "me:read" in body["message"]


def test_a_scope_does_not_give_an_account_a_permission_it_lacks(client, branch):
    no_roles = StaffFactory(username="norole", branches=[branch])
    _, token = issue_token(user=no_roles, scopes=[Scope.BRANCHES_READ])
    response = client.get("/api/v1/branches", headers=bearer(token))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_signed_in_staff_need_no_scopes(officer_client):
    assert officer_client.get("/api/v1/branches").status_code == 200


def test_signed_in_staff_without_the_permission_are_refused(client, branch):
    no_roles = StaffFactory(username="norole", branches=[branch])
    client.force_login(no_roles)
    assert client.get("/api/v1/branches").status_code == 403


def test_every_scope_names_the_permissions_it_needs():
    assert set(SCOPE_PERMISSIONS) == set(Scope)
