"""GET /api/v1/me and GET /api/v1/branches."""

from mustafid.accounts.tests.factories import BranchFactory
from mustafid.api.scopes import Scope
from mustafid.api.tests.factories import bearer, issue_token

ME = "/api/v1/me"
BRANCHES = "/api/v1/branches"


def _codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


def test_me_shows_the_service_accounts_roles_and_branches(client, officer, branch):
    _, token = issue_token(user=officer, name="ERP", scopes=[Scope.ME_READ])
    body = client.get(ME, headers=bearer(token)).json()
    assert body["id"] == officer.pk
    assert body["username"] == "officer"
    assert body["full_name"] == "سارة القحطاني"
    assert body["email"] == "officer@example.org"
    assert [role["code"] for role in body["roles"]] == ["relations_officer"]
    assert all(role["label"] for role in body["roles"])
    assert body["branches"] == [
        {
            "id": branch.pk,
            "code": "riyadh",
            "name_ar": "فرع الرياض",
            "name_en": "Riyadh branch",
            "city": branch.city,
        }
    ]
    assert body["client"] == {"name": "ERP", "scopes": ["me:read"]}


def test_me_in_the_browser_has_no_client(officer_client):
    body = officer_client.get(ME).json()
    assert body["username"] == "officer"
    assert body["client"] is None


def test_role_labels_follow_the_language(client, officer):
    _, token = issue_token(user=officer)
    body = client.get(ME, headers={**bearer(token), "accept-language": "en"}).json()
    assert body["roles"] == [{"code": "relations_officer", "label": "Relations officer"}]


def test_an_officer_sees_only_their_own_branch(client, officer, other_branch):
    _, token = issue_token(user=officer, scopes=[Scope.BRANCHES_READ])
    response = client.get(BRANCHES, headers=bearer(token))
    assert response.status_code == 200
    assert _codes(response) == ["riyadh"]
    assert response.json()["count"] == 1


def test_a_system_administrator_sees_every_branch(client, sysadmin, other_branch):
    _, token = issue_token(user=sysadmin, scopes=[Scope.BRANCHES_READ])
    assert _codes(client.get(BRANCHES, headers=bearer(token))) == ["jeddah", "riyadh"]


def test_the_active_filter_leaves_out_closed_branches(client, sysadmin, other_branch):
    other_branch.is_active = False
    other_branch.save()
    _, token = issue_token(user=sysadmin, scopes=[Scope.BRANCHES_READ])
    assert _codes(client.get(f"{BRANCHES}?active=true", headers=bearer(token))) == ["riyadh"]
    assert _codes(client.get(f"{BRANCHES}?active=false", headers=bearer(token))) == ["jeddah"]
    assert _codes(client.get(BRANCHES, headers=bearer(token))) == ["jeddah", "riyadh"]


def test_branches_are_paginated_by_limit_and_offset(client, sysadmin, other_branch):
    _, token = issue_token(user=sysadmin, scopes=[Scope.BRANCHES_READ])
    body = client.get(f"{BRANCHES}?limit=1&offset=1", headers=bearer(token)).json()
    assert body["count"] == 2
    assert [row["code"] for row in body["results"]] == ["riyadh"]
    assert body["previous"] is not None and body["next"] is None


def test_branch_list_queries_do_not_grow_with_rows(client, sysadmin, django_assert_max_num_queries):
    BranchFactory.create_batch(30)
    _, token = issue_token(user=sysadmin, scopes=[Scope.BRANCHES_READ])
    client.get(BRANCHES, headers=bearer(token))  # last_used_at written once
    # client+user, group permissions, user permissions, roles, count, page
    with django_assert_max_num_queries(6):
        response = client.get(BRANCHES, headers=bearer(token))
    assert response.json()["count"] == 31


def test_me_queries_do_not_grow_with_branches(client, officer, django_assert_max_num_queries):
    officer.branches.add(*BranchFactory.create_batch(10))
    _, token = issue_token(user=officer, scopes=[Scope.ME_READ])
    client.get(ME, headers=bearer(token))
    # client+user, roles, branches
    with django_assert_max_num_queries(3):
        assert len(client.get(ME, headers=bearer(token)).json()["branches"]) == 11
