"""One search box: file number, national ID, mobile in any form, Arabic name with its
spelling variants (issue 4 item 5); scoped to the actor's branches (item 9)."""

import pytest
from django.http import Http404

from mustafid.registry import selectors, services
from mustafid.registry.models import Relation
from mustafid.registry.tests.factories import national_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(officer, branch):
    file = services.create_file(
        actor=officer,
        branch=branch,
        channel="phone",
        city="الرياض",
        mobile="+966501234567",
        head={
            "national_id": national_id(11),
            "first_name": "عبدالرحمن",
            "father_name": "إبراهيم",
            "grandfather_name": "مصطفى",
            "family_name": "آل سعيد",
            "sex": "male",
        },
    )
    services.add_member(
        actor=officer,
        file=file,
        member={
            "national_id": national_id(12),
            "first_name": "فاطمة",
            "father_name": "عبدالرحمن",
            "grandfather_name": "إبراهيم",
            "family_name": "آل سعيد",
            "sex": "female",
            "relation": Relation.DAUGHTER,
        },
    )
    return file


def names(people):
    return [p.first_name for p in people]


def test_by_file_number(officer, household):
    assert set(names(selectors.search_people(actor=officer, query=household.number))) == {
        "عبدالرحمن",
        "فاطمة",
    }


def test_by_national_id_in_arabic_indic_digits(officer, household):
    arabic = national_id(12).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert names(selectors.search_people(actor=officer, query=arabic)) == ["فاطمة"]


@pytest.mark.parametrize(
    "phone", ["0501234567", "+966 50 123 4567", "00966501234567", "٠٥٠١٢٣٤٥٦٧"]
)
def test_by_mobile_in_any_form(officer, household, phone):
    assert "عبدالرحمن" in names(selectors.search_people(actor=officer, query=phone))


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("عبد الرحمن ابراهيم", "عبدالرحمن"),  # "عبد ال…" spacing, hamza dropped
        ("فاطمه آل سعيد", "فاطمة"),  # ة typed as ه
        ("فاطمة بنت عبدالرحمن", "فاطمة"),  # connector ignored
        ("فَاطِمَة", "فاطمة"),  # diacritics
        ("فاطمة عبدالرحمن إبراهم", "فاطمة"),  # a dropped letter
    ],
)
def test_by_name_with_one_spelling_variant(officer, household, query, wanted):
    assert names(selectors.search_people(actor=officer, query=query))[0] == wanted


def test_another_branch_finds_nothing(client, other_branch, household):
    from mustafid.accounts.roles import Role
    from mustafid.accounts.tests.factories import StaffFactory

    stranger = StaffFactory(
        username="jeddah", roles=[Role.RELATIONS_OFFICER], branches=[other_branch]
    )
    assert selectors.search_people(actor=stranger, query="فاطمة") == []
    with pytest.raises(Http404):
        selectors.file_for(actor=stranger, number=household.number)


def test_a_branch_manager_sees_every_branch(household, other_branch):
    from mustafid.accounts.roles import Role
    from mustafid.accounts.tests.factories import StaffFactory

    manager = StaffFactory(username="mgr", roles=[Role.BRANCH_MANAGER], branches=[other_branch])
    assert selectors.file_for(actor=manager, number=household.number) == household


def test_an_empty_or_unmatched_query_finds_nothing(officer, household):
    assert selectors.search_people(actor=officer, query="   ") == []
    assert selectors.search_people(actor=officer, query="زيد خالد") == []
