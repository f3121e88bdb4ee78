"""The intake's first step: what a household lacks for a kind of support (P-PROC-2,
P-TOOL-3), scoped to the officer's branches (issue 4 item 9)."""

import pytest
from django.urls import reverse

from mustafid.registry import services
from mustafid.registry.tests.factories import national_id
from mustafid.support.models import RequiredItem, SupportRequestType

pytestmark = pytest.mark.django_db


@pytest.fixture
def food():
    return SupportRequestType.objects.create(
        code="food",
        name_ar="السلة الغذائية",
        name_en="Food basket",
        guide_ar="تُسلم السلة الغذائية شهريًا للأسر المستحقة.",
        required_items=[RequiredItem.IBAN, RequiredItem.MOBILE],
        answer_days=10,
        answer_in_working_days=True,
    )


def register(actor, branch, n):
    return services.create_file(
        actor=actor,
        branch=branch,
        channel="phone",
        city="الرياض",
        mobile="+966501234567",
        head={
            "national_id": national_id(n),
            "first_name": "منى",
            "father_name": "سعد",
            "family_name": "الحربي",
            "sex": "female",
        },
    )


def test_the_officer_sees_the_guide_and_what_is_missing(officer_client, officer, branch, food):
    file = register(officer, branch, 701)
    url = reverse("support:checklist", args=[file.number])
    page = officer_client.get(url, {"type": "food"}).content.decode()
    assert "تُسلم السلة الغذائية شهريًا" in page
    assert 'data-code="iban"' in page and 'data-code="mobile"' not in page
    partial = officer_client.get(url, {"type": "food"}, headers={"HX-Request": "true"})
    assert 'data-testid="missing"' in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_a_complete_file_is_said_to_be_complete(officer_client, officer, branch, food):
    file = register(officer, branch, 702)
    services.update_file(
        actor=officer, file=file, version=file.version, iban="SA0380000000608010167519"
    )
    page = officer_client.get(
        reverse("support:checklist", args=[file.number]), {"type": "food"}
    ).content.decode()
    assert 'data-testid="complete"' in page


def test_another_branchs_household_is_not_acknowledged(
    officer_client, sysadmin, other_branch, food
):
    sysadmin.branches.add(other_branch)
    file = register(sysadmin, other_branch, 703)
    response = officer_client.get(reverse("support:checklist", args=[file.number]))
    assert response.status_code == 404


def test_an_unknown_type_shows_only_the_choice(officer_client, officer, branch, food):
    file = register(officer, branch, 704)
    response = officer_client.get(
        reverse("support:checklist", args=[file.number]), {"type": "nonsense"}
    )
    assert response.status_code == 200
    assert 'data-testid="checklist"' not in response.content.decode()
