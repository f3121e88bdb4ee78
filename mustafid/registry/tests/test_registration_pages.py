"""Registering a household and its members from the browser (issue 4 items 1, 6;
P-PROC-2: data checked at submission; bad input keeps what was typed)."""

import datetime as dt

import pytest
from django.urls import reverse

from mustafid.core.models import AuditEntry
from mustafid.registry.models import BeneficiaryFile, Person
from mustafid.registry.tests.factories import national_id

pytestmark = pytest.mark.django_db
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def household_form(branch, n=31, **changes):
    data = {
        "branch": branch.pk,
        "channel": "visit",
        "national_id": national_id(n),
        "first_name": "هند",
        "father_name": "سعود",
        "grandfather_name": "فهد",
        "family_name": "الشهري",
        "sex": "female",
        "birth_date": "1985-04-12",
        "mobile": "0551234567",
        "city": "الرياض",
    }
    data.update(changes)
    return data


def test_an_officer_registers_a_household_with_arabic_digits(officer_client, branch):
    data = household_form(branch, national_id=national_id(31).translate(ARABIC_DIGITS))
    response = officer_client.post(reverse("registry:create"), data)
    file = BeneficiaryFile.objects.get()
    assert response.status_code == 302 and response["Location"] == file.get_absolute_url()
    head = file.members.get()
    assert head.national_id == national_id(31) and file.mobile == "+966551234567"


def test_a_hijri_birth_date_is_stored_as_its_gregorian_day(officer_client, branch):
    data = household_form(branch, birth_date="", birth_date_hijri="١٤٤٥/٠٨/٢٤")
    officer_client.post(reverse("registry:create"), data)
    assert Person.objects.get().birth_date == dt.date(2024, 3, 5)


def test_an_invalid_national_id_is_refused_on_its_field_and_nothing_is_lost(officer_client, branch):
    response = officer_client.post(
        reverse("registry:create"), household_form(branch, national_id="1000000000")
    )
    form = response.context["form"]
    assert response.status_code == 200 and form.errors["national_id"]
    assert form["first_name"].value() == "هند" and form["city"].value() == "الرياض"
    assert not BeneficiaryFile.objects.exists()


def test_a_birth_date_in_the_future_is_refused(officer_client, branch):
    response = officer_client.post(
        reverse("registry:create"), household_form(branch, birth_date="2999-01-01")
    )
    assert response.context["form"].errors["birth_date"]


def test_a_registered_national_id_is_refused_on_its_field_with_the_file(officer_client, branch):
    officer_client.post(reverse("registry:create"), household_form(branch))
    existing = BeneficiaryFile.objects.get()
    response = officer_client.post(
        reverse("registry:create"), household_form(branch, first_name="أخرى", mobile="")
    )
    assert existing.number in " ".join(response.context["form"].errors["national_id"])
    assert BeneficiaryFile.objects.count() == 1


def test_a_likely_duplicate_is_shown_before_saving(officer_client, branch):
    officer_client.post(reverse("registry:create"), household_form(branch, n=31))
    response = officer_client.post(
        reverse("registry:create"), household_form(branch, n=32, first_name="هنـد", mobile="")
    )
    assert response.status_code == 200
    assert [s.person.national_id for s in response.context["suggestions"]] == [national_id(31)]
    assert BeneficiaryFile.objects.count() == 1


def test_confirming_a_different_person_registers_and_records_the_choice(officer_client, branch):
    officer_client.post(reverse("registry:create"), household_form(branch, n=31))
    first = BeneficiaryFile.objects.get()
    response = officer_client.post(
        reverse("registry:create"),
        household_form(branch, n=32, mobile="", different_person="on"),
    )
    second = BeneficiaryFile.objects.exclude(pk=first.pk).get()
    assert response["Location"] == second.get_absolute_url()
    assert first.number in AuditEntry.objects.for_object(second).exclude(summary="").get().summary


def test_a_member_is_added_from_the_file_page(officer_client, branch):
    officer_client.post(reverse("registry:create"), household_form(branch))
    file = BeneficiaryFile.objects.get()
    response = officer_client.post(
        reverse("registry:add_member", args=[file.number]),
        {
            "relation": "son",
            "national_id": national_id(40),
            "first_name": "سعد",
            "father_name": "علي",
            "family_name": "الشهري",
            "sex": "male",
            "is_dependant": "on",
        },
    )
    assert response.status_code == 302
    assert file.members.get(relation="son").is_dependant


def test_another_branch_cannot_add_members(client, other_branch, officer_client, branch):
    from mustafid.accounts.roles import Role
    from mustafid.accounts.tests.factories import StaffFactory

    officer_client.post(reverse("registry:create"), household_form(branch))
    file = BeneficiaryFile.objects.get()
    client.force_login(
        StaffFactory(username="j", roles=[Role.RELATIONS_OFFICER], branches=[other_branch])
    )
    assert client.get(reverse("registry:add_member", args=[file.number])).status_code == 404


def test_a_committee_member_cannot_open_the_registration_form(client, committee_member):
    client.force_login(committee_member)
    assert client.get(reverse("registry:create")).status_code == 403
