"""The search box and the beneficiary file page (issue 4 items 4, 5, 7, 9)."""

import pytest
from django.urls import reverse

from mustafid.accounts.roles import Role
from mustafid.accounts.tests.factories import StaffFactory
from mustafid.core.models import AuditAction, AuditEntry
from mustafid.registry import services
from mustafid.registry.models import Relation
from mustafid.registry.tests.factories import national_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(officer, branch):
    file = services.create_file(
        actor=officer,
        branch=branch,
        channel="visit",
        city="الرياض",
        head={
            "national_id": national_id(21),
            "first_name": "مريم",
            "father_name": "سالم",
            "grandfather_name": "حمد",
            "family_name": "الدوسري",
            "sex": "female",
            "health_condition": "سكري",
        },
    )
    return file


def add_children(officer, file, count):
    for n in range(count):
        services.add_member(
            actor=officer,
            file=file,
            member={
                "national_id": national_id(100 + n),
                "first_name": "ابن",
                "father_name": "سالم",
                "family_name": "الدوسري",
                "sex": "male",
                "relation": Relation.SON,
                "is_dependant": True,
            },
        )


def test_the_search_page_finds_by_misspelled_name(officer_client, household):
    response = officer_client.get(reverse("registry:search"), {"q": "مريم الدوسرى"})
    assert household.number in response.content.decode()


def test_typing_refreshes_only_the_results(officer_client, household):
    response = officer_client.get(
        reverse("registry:search"), {"q": "مريم"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html and 'id="results"' in html and household.number in html


def test_the_file_page_shows_the_household(officer_client, household):
    html = officer_client.get(household.get_absolute_url()).content.decode()
    assert "مريم سالم حمد الدوسري" in html and household.number in html


def test_opening_a_file_is_logged(officer_client, officer, household):
    officer_client.get(household.get_absolute_url())
    assert (
        AuditEntry.objects.for_object(household)
        .filter(action=AuditAction.VIEW, actor=officer)
        .exists()
    )


def test_another_branchs_file_is_a_404(client, other_branch, household):
    client.force_login(
        StaffFactory(username="j.officer", roles=[Role.RELATIONS_OFFICER], branches=[other_branch])
    )
    assert client.get(household.get_absolute_url()).status_code == 404


def test_health_details_are_hidden_from_a_committee_member(client, committee_member, household):
    client.force_login(committee_member)
    assert "سكري" not in client.get(household.get_absolute_url()).content.decode()


def test_health_details_are_shown_to_the_social_researcher(client, researcher, household):
    client.force_login(researcher)
    assert "سكري" in client.get(household.get_absolute_url()).content.decode()


def test_the_file_page_queries_do_not_grow_with_the_household(
    officer_client, officer, household, django_assert_max_num_queries
):
    add_children(officer, household, 12)
    with django_assert_max_num_queries(15):
        officer_client.get(household.get_absolute_url())


def test_the_search_page_is_closed_to_people_without_the_registry(client, branch):
    client.force_login(StaffFactory(username="nobody", roles=[], branches=[branch]))
    assert client.get(reverse("registry:search")).status_code == 403
