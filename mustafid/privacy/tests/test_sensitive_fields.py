"""Health, disability and family situation reach only holders of registry.view_sensitive
(PDPL: sensitive data, field-level access), wherever people are shown."""

import json

import pytest
from django.urls import reverse

from mustafid.api.scopes import Scope
from mustafid.api.tests.factories import bearer, issue_token
from mustafid.privacy.tests.conftest import add_child

pytestmark = pytest.mark.django_db

HEALTH, DISABILITY, CHILD_DISABILITY = "سكري مزمن", "إعاقة بصرية", "إعاقة حركية"
SENSITIVE_VALUES = (HEALTH, DISABILITY, CHILD_DISABILITY, "prisoner_family")


def family_situation_labels() -> tuple[str, ...]:
    return ("Prisoner's family", "أسرة سجين", "أسر السجناء")


def api_headers(user) -> dict[str, str]:
    _, token = issue_token(user=user, scopes=[Scope.REGISTRY_READ])
    return bearer(token)


@pytest.fixture
def family(officer, household):
    add_child(officer, household)
    return household


def leaks(text: str) -> list[str]:
    found = [value for value in SENSITIVE_VALUES if value in text]
    return found + [label for label in family_situation_labels() if label in text]


# The file page -----------------------------------------------------------------------


def test_the_file_page_gives_a_relations_officer_no_sensitive_detail(officer_client, family):
    html = officer_client.get(family.get_absolute_url()).content.decode()
    assert "مريم سالم حمد الدوسري" in html  # the page did render the household
    assert leaks(html) == []


def test_the_file_page_shows_the_social_researcher_health_and_disability(
    client, researcher, family
):
    client.force_login(researcher)
    html = client.get(family.get_absolute_url()).content.decode()
    assert HEALTH in html and DISABILITY in html and CHILD_DISABILITY in html


# The API -----------------------------------------------------------------------------


def test_the_api_gives_a_relations_officers_token_no_sensitive_field(client, officer, family):
    response = client.get(f"/api/v1/beneficiaries/{family.number}", headers=api_headers(officer))
    assert response.status_code == 200
    members = response.json()["members"]
    assert len(members) == 2
    for member in members:
        assert not {"health_condition", "disability", "family_situation"} & set(member)
    assert leaks(response.content.decode("unicode_escape")) == []
    assert leaks(json.dumps(response.json(), ensure_ascii=False)) == []


def test_the_api_gives_the_social_researchers_token_every_sensitive_field(
    client, researcher, family
):
    response = client.get(f"/api/v1/beneficiaries/{family.number}", headers=api_headers(researcher))
    head, child = response.json()["members"]
    assert (head["health_condition"], head["disability"], head["family_situation"]) == (
        HEALTH,
        DISABILITY,
        "prisoner_family",
    )
    assert child["disability"] == CHILD_DISABILITY


# Other places people are shown ---------------------------------------------------------


def test_search_results_carry_no_sensitive_detail(officer_client, family):
    html = officer_client.get(reverse("registry:search"), {"q": "الدوسري"}).content.decode()
    assert family.number in html and leaks(html) == []


def test_api_search_results_carry_no_sensitive_field(client, researcher, family):
    response = client.get(
        "/api/v1/beneficiaries", {"q": "الدوسري"}, headers=api_headers(researcher)
    )
    results = response.json()["results"]
    assert results and all(
        not {"health_condition", "disability", "family_situation"} & set(r) for r in results
    )


def test_the_member_form_gives_a_relations_officer_no_sensitive_detail(officer_client, family):
    head = family.members.get(relation="head")
    url = reverse("registry:edit_member", args=[family.number, head.pk])
    response = officer_client.get(url)
    assert response.status_code == 200 and leaks(response.content.decode()) == []


def test_a_persons_history_hides_sensitive_values_from_an_auditor_without_the_right(
    client, quality_officer, family
):
    head = family.members.get(relation="head")
    client.force_login(quality_officer)
    response = client.get(reverse("core:audit_trail", args=["registry.person", head.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "مريم" in html  # the history is shown
    assert leaks(html) == []


def test_a_persons_history_shows_sensitive_values_to_those_who_may_see_them(
    client, manager, family
):
    head = family.members.get(relation="head")
    client.force_login(manager)
    html = client.get(reverse("core:audit_trail", args=["registry.person", head.pk])).content
    assert HEALTH in html.decode()


def test_the_admin_audit_log_hides_sensitive_values_from_the_system_administrator(
    client, sysadmin, family
):
    from mustafid.core.models import AuditEntry

    head = family.members.get(relation="head")
    entry = AuditEntry.objects.for_object(head).get()
    client.force_login(sysadmin)
    response = client.get(reverse("admin:core_auditentry_change", args=[entry.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "national_id" in html
    assert leaks(html) == []
