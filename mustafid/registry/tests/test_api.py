"""/api/v1/beneficiaries: search, read, register and update over the registry's services
(issue 4 item 10), scoped to the service account's branches (item 9)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from mustafid.api.scopes import Scope
from mustafid.api.tests.factories import bearer, issue_token
from mustafid.core.actors import SYSTEM
from mustafid.core.models import AuditAction, AuditEntry
from mustafid.registry import services
from mustafid.registry.models import BeneficiaryFile, IncomeKind, IncomeSource, Person, Relation
from mustafid.registry.tests.factories import national_id

pytestmark = pytest.mark.django_db

BENEFICIARIES = "/api/v1/beneficiaries"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def file_url(file) -> str:
    return f"{BENEFICIARIES}/{file.number}"


def token_for(user, *scopes) -> dict[str, str]:
    _, token = issue_token(user=user, scopes=scopes or [Scope.REGISTRY_READ])
    return bearer(token)


def register(actor, branch, n=21, **head):
    return services.create_file(
        actor=actor,
        branch=branch,
        channel="visit",
        city="الرياض",
        head={
            "national_id": national_id(n),
            "first_name": "مريم",
            "father_name": "سالم",
            "grandfather_name": "حمد",
            "family_name": "الدوسري",
            "sex": "female",
            **head,
        },
    )


def add_children(actor, file, count, start=100):
    for n in range(count):
        services.add_member(
            actor=actor,
            file=file,
            member={
                "national_id": national_id(start + n),
                "first_name": "خالد",
                "father_name": "سالم",
                "family_name": "الدوسري",
                "sex": "male",
                "relation": Relation.SON,
                "is_dependant": True,
                "disability": "إعاقة حركية",
            },
        )


def new_household(**head) -> dict:
    return {
        "branch": "riyadh",
        "channel": "phone",
        "city": "الرياض",
        "head": {
            "national_id": national_id(31),
            "first_name": "عبدالله",
            "father_name": "محمد",
            "grandfather_name": "ناصر",
            "family_name": "الشهري",
            "sex": "male",
            **head,
        },
    }


@pytest.fixture
def household(officer, branch):
    return register(officer, branch, health_condition="سكري")


def test_the_endpoints_are_at_the_documented_addresses():
    assert reverse("api:beneficiaries") == BENEFICIARIES
    assert reverse("api:beneficiary", args=["B-1447-000001"]) == f"{BENEFICIARIES}/B-1447-000001"
    assert (
        reverse("api:beneficiary-members", args=["B-1447-000001"])
        == f"{BENEFICIARIES}/B-1447-000001/members"
    )


def test_a_read_token_finds_a_person_by_a_misspelled_name(client, officer, household):
    response = client.get(BENEFICIARIES, {"q": "مريم الدوسرى"}, headers=token_for(officer))
    assert response.status_code == 200
    [person] = response.json()["results"]
    assert person["file_number"] == household.number
    assert person["relation"] == "head"
    assert person["national_id"] == national_id(21)
    assert person["full_name"] == "مريم سالم حمد الدوسري"
    assert person["branch"] == "riyadh"


def test_search_finds_a_national_id_typed_in_arabic_indic_digits(client, officer, household):
    query = national_id(21).translate(ARABIC_INDIC)
    response = client.get(BENEFICIARIES, {"q": query}, headers=token_for(officer))
    assert [p["file_number"] for p in response.json()["results"]] == [household.number]


def test_search_returns_at_most_the_limit(client, officer, household):
    add_children(officer, household, 3)
    response = client.get(BENEFICIARIES, {"q": "الدوسري", "limit": 2}, headers=token_for(officer))
    assert len(response.json()["results"]) == 2


def test_search_without_a_query_is_a_400_naming_the_parameter(client, officer):
    response = client.get(BENEFICIARIES, headers=token_for(officer))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "q" in response.json()["details"]


def test_search_does_not_reach_another_branchs_households(client, officer, other_branch):
    register(SYSTEM, other_branch)
    response = client.get(BENEFICIARIES, {"q": "مريم الدوسري"}, headers=token_for(officer))
    assert response.json()["results"] == []


def test_a_read_token_reads_the_file_with_its_household_and_income(client, officer, household):
    IncomeSource.objects.create(
        file=household, kind=IncomeKind.SOCIAL_SECURITY, monthly_amount=Decimal("3000")
    )
    add_children(officer, household, 1)
    response = client.get(file_url(household), headers=token_for(officer))
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == household.number
    assert body["status"] == "applicant"
    assert body["branch"] == "riyadh"
    assert body["category"] is None
    assert body["channel"] == "visit"
    assert body["city"] == "الرياض"
    assert body["incomes"] == [{"kind": "social_security", "monthly_amount": "3000.00", "note": ""}]
    assert body["per_capita_income"] == "1500.00"
    assert body["version"] == 2  # one member added since registration
    assert [m["relation"] for m in body["members"]] == ["head", "son"]


def test_reading_a_file_is_logged_as_an_opening(client, officer, household):
    client.get(file_url(household), headers=token_for(officer))
    opening = AuditEntry.objects.for_object(household).get(action=AuditAction.VIEW)
    assert opening.actor == officer


def test_a_token_without_the_read_scope_gets_403_in_the_error_shape(client, officer, household):
    headers = token_for(officer, Scope.ME_READ)
    for response in (
        client.get(BENEFICIARIES, {"q": "مريم"}, headers=headers),
        client.get(file_url(household), headers=headers),
    ):
        assert response.status_code == 403
        body = response.json()
        assert body["code"] == "permission_denied"
        assert "registry:read" in body["message"]


def test_a_read_token_cannot_write(client, officer, household):
    response = client.post(
        BENEFICIARIES, new_household(), content_type="application/json", headers=token_for(officer)
    )
    assert response.status_code == 403
    assert "registry:write" in response.json()["message"]
    assert not BeneficiaryFile.objects.exclude(pk=household.pk).exists()


def test_an_account_without_the_write_permission_cannot_write_even_with_the_scope(
    client, researcher
):
    headers = token_for(researcher, Scope.REGISTRY_WRITE)
    response = client.post(
        BENEFICIARIES, new_household(), content_type="application/json", headers=headers
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_another_branchs_file_is_a_404_in_the_error_shape(client, officer, other_branch):
    elsewhere = register(SYSTEM, other_branch)
    response = client.get(file_url(elsewhere), headers=token_for(officer))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["message"]


def test_an_unknown_file_number_is_a_404(client, officer):
    response = client.get(f"{BENEFICIARIES}/B-1447-999999", headers=token_for(officer))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_sensitive_fields_are_hidden_from_an_account_without_view_sensitive(
    client, officer, household
):
    add_children(officer, household, 1)
    members = client.get(file_url(household), headers=token_for(officer)).json()["members"]
    assert all("health_condition" not in m and "disability" not in m for m in members)


def test_sensitive_fields_are_shown_to_an_account_that_may_see_them(
    client, researcher, officer, household
):
    add_children(officer, household, 1)
    members = client.get(file_url(household), headers=token_for(researcher)).json()["members"]
    assert [(m["health_condition"], m["disability"]) for m in members] == [
        ("سكري", ""),
        ("", "إعاقة حركية"),
    ]


def test_reading_a_file_takes_as_many_queries_for_one_member_as_for_twenty(
    client, officer, household, django_assert_num_queries, django_assert_max_num_queries
):
    headers = token_for(officer)
    client.get(file_url(household), headers=headers)  # last_used_at written once
    # client+user, group permissions, user permissions, roles, branches, file, members,
    # incomes, the opening's audit entry
    with django_assert_max_num_queries(10) as small:
        client.get(file_url(household), headers=headers)
    add_children(officer, household, 19)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(file_url(household), headers=headers)
    assert len(response.json()["members"]) == 20


def test_search_queries_do_not_grow_with_matches(
    client, officer, household, django_assert_num_queries, django_assert_max_num_queries
):
    headers = token_for(officer, Scope.REGISTRY_READ)
    client.get(BENEFICIARIES, {"q": "الدوسري"}, headers=headers)
    # client+user, group permissions, user permissions, roles, branches, then the
    # search's own few (name variants, candidates, people with their files)
    with django_assert_max_num_queries(10) as one_match:
        client.get(BENEFICIARIES, {"q": "الدوسري", "limit": 50}, headers=headers)
    add_children(officer, household, 20)
    with django_assert_num_queries(len(one_match.captured_queries)):
        response = client.get(BENEFICIARIES, {"q": "الدوسري", "limit": 50}, headers=headers)
    assert len(response.json()["results"]) == 21


def test_registering_stores_normalised_values_and_audits(client, officer):
    payload = new_household(
        national_id=national_id(31).translate(ARABIC_INDIC),
        mobile="050 123 4567",
        birth_date="1980-05-01",
    )
    payload.update(iban="sa03 8000 0000 6080 1016 7519", short_address="ecab 2823")
    headers = token_for(officer, Scope.REGISTRY_WRITE)
    response = client.post(BENEFICIARIES, payload, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.json()
    body = response.json()
    file = BeneficiaryFile.objects.get(number=body["number"])
    head = file.members.get()
    assert (head.national_id, head.mobile) == (national_id(31), "+966501234567")
    assert (file.iban, file.short_address) == ("SA0380000000608010167519", "ECAB2823")
    assert (file.branch.code, file.channel, file.created_by) == ("riyadh", "phone", officer)
    assert body["members"][0]["national_id"] == national_id(31)
    assert body["version"] == 1
    assert AuditEntry.objects.for_object(file).get().action == AuditAction.CREATE
    assert AuditEntry.objects.for_object(head).get().actor == officer


def test_registering_a_known_national_id_is_a_409_and_creates_nothing(client, officer, household):
    payload = new_household(national_id=national_id(21))
    headers = token_for(officer, Scope.REGISTRY_WRITE)
    response = client.post(BENEFICIARIES, payload, content_type="application/json", headers=headers)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate_national_id"
    assert household.number in body["message"]
    assert BeneficiaryFile.objects.count() == 1


def test_invalid_id_mobile_and_a_future_birth_date_are_a_400_on_each_field(client, officer):
    tomorrow = timezone.localdate() + timedelta(days=1)
    payload = new_household(
        national_id="1234567890", mobile="0112345678", birth_date=tomorrow.isoformat()
    )
    payload["mobile"] = "not a phone"
    headers = {**token_for(officer, Scope.REGISTRY_WRITE), "accept-language": "en"}
    response = client.post(BENEFICIARIES, payload, content_type="application/json", headers=headers)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["details"]["head"] == {
        "national_id": [
            "This national ID or iqama number is not valid. Check it for a mistyped digit."
        ],
        "mobile": ["This is a landline or service number. Enter a mobile number starting with 05."],
        "birth_date": ["A date of birth cannot be in the future."],
    }
    assert body["details"]["mobile"] == [
        "Enter a valid Saudi mobile number, for example 0501234567."
    ]
    assert not BeneficiaryFile.objects.exists() and not Person.objects.exists()


def test_field_messages_are_in_arabic_by_default(client, officer):
    payload = new_household(national_id="123")
    headers = token_for(officer, Scope.REGISTRY_WRITE)
    response = client.post(BENEFICIARIES, payload, content_type="application/json", headers=headers)
    [message] = response.json()["details"]["head"]["national_id"]
    assert any("\u0600" <= char <= "\u06ff" for char in message)


def test_registering_in_a_branch_outside_the_account_is_a_404(client, officer, other_branch):
    payload = {**new_household(), "branch": "jeddah"}
    headers = token_for(officer, Scope.REGISTRY_WRITE)
    response = client.post(BENEFICIARIES, payload, content_type="application/json", headers=headers)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not BeneficiaryFile.objects.exists()


def test_a_rent_is_refused_when_the_housing_is_not_rented(client, officer):
    payload = {**new_household(), "housing": "owned", "monthly_rent": "1200"}
    headers = token_for(officer, Scope.REGISTRY_WRITE)
    response = client.post(BENEFICIARIES, payload, content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert list(response.json()["details"]) == ["monthly_rent"]


def test_adding_a_member_answers_with_the_file_and_its_new_version(client, officer, household):
    member = {
        "relation": "daughter",
        "national_id": national_id(41).translate(ARABIC_INDIC),
        "first_name": "نورة",
        "father_name": "سالم",
        "family_name": "الدوسري",
        "sex": "female",
        "birth_date": "2015-02-03",
    }
    headers = token_for(officer, Scope.REGISTRY_WRITE)
    response = client.post(
        f"{file_url(household)}/members", member, content_type="application/json", headers=headers
    )
    assert response.status_code == 201
    body = response.json()
    assert body["version"] == 2
    assert [m["national_id"] for m in body["members"]] == [national_id(21), national_id(41)]
    daughter = household.members.get(relation=Relation.DAUGHTER)
    assert AuditEntry.objects.for_object(daughter).get().action == AuditAction.CREATE


def test_a_member_registered_in_another_household_is_a_409(client, officer, branch, household):
    other = register(officer, branch, n=22)
    member = {
        "relation": "spouse",
        "national_id": national_id(21),
        "first_name": "مريم",
        "father_name": "سالم",
        "family_name": "الدوسري",
        "sex": "female",
    }
    headers = token_for(officer, Scope.REGISTRY_WRITE)
    response = client.post(
        f"{file_url(other)}/members", member, content_type="application/json", headers=headers
    )
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_national_id"
    assert other.members.count() == 1


def test_a_second_head_is_refused(client, officer, household):
    member = {
        "relation": "head",
        "first_name": "سالم",
        "father_name": "حمد",
        "family_name": "الدوسري",
        "sex": "male",
    }
    headers = token_for(officer, Scope.REGISTRY_WRITE)
    response = client.post(
        f"{file_url(household)}/members", member, content_type="application/json", headers=headers
    )
    assert response.status_code == 409
    assert response.json()["code"] == "head_exists"


def test_updating_changes_the_given_fields_and_moves_the_version(client, officer, household):
    headers = token_for(officer, Scope.REGISTRY_WRITE)
    response = client.patch(
        file_url(household),
        {"version": 1, "mobile": "٠٥٠١٢٣٤٥٦٧", "housing": "rented", "monthly_rent": "1500"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    household.refresh_from_db()
    assert (household.mobile, household.monthly_rent) == ("+966501234567", Decimal("1500"))
    assert household.city == "الرياض"  # not sent, not changed
    entry = AuditEntry.objects.for_object(household).get(action=AuditAction.UPDATE)
    assert entry.actor == officer


def test_updating_with_a_stale_version_is_a_409_and_changes_nothing(client, officer, household):
    services.update_file(actor=officer, file=household, version=1, district="الملز")
    headers = token_for(officer, Scope.REGISTRY_WRITE)
    response = client.patch(
        file_url(household),
        {"version": 1, "district": "العليا"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 409
    assert response.json()["code"] == "stale_file"
    household.refresh_from_db()
    assert (household.district, household.version) == ("الملز", 2)


def test_updating_without_a_version_is_a_400(client, officer, household):
    headers = token_for(officer, Scope.REGISTRY_WRITE)
    response = client.patch(
        file_url(household), {"city": "جدة"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 400
    assert "version" in response.json()["details"]


def test_updating_another_branchs_file_is_a_404(client, officer, other_branch):
    elsewhere = register(SYSTEM, other_branch)
    headers = token_for(officer, Scope.REGISTRY_WRITE)
    response = client.patch(
        file_url(elsewhere),
        {"version": 1, "city": "جدة"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.version == 1


def test_a_member_is_updated_through_the_api_with_the_version(client, officer, branch):
    file = register(officer, branch)
    head = file.members.get()
    headers = token_for(officer, Scope.REGISTRY_WRITE)
    url = f"{file_url(file)}/members/{head.pk}"
    response = client.patch(
        url,
        {"version": file.version, "marital_status": "widowed", "mobile": "٠٥٠١٢٣٤٥٦٧"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.json()
    head.refresh_from_db()
    assert head.marital_status == "widowed" and head.mobile == "+966501234567"
    stale = client.patch(
        url,
        {"version": file.version, "first_name": "مريم"},
        content_type="application/json",
        headers=headers,
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale_file"
    missing = client.patch(
        url, {"first_name": "مريم"}, content_type="application/json", headers=headers
    )
    assert missing.status_code == 400 and "version" in missing.json()["details"]


def test_sensitive_member_fields_need_the_permission_through_the_api(client, officer, branch):
    file = register(officer, branch)
    head = file.members.get()
    response = client.patch(
        f"{file_url(file)}/members/{head.pk}",
        {"version": file.version, "disability": "إعاقة"},
        content_type="application/json",
        headers=token_for(officer, Scope.REGISTRY_WRITE),
    )
    assert response.status_code == 403
    head.refresh_from_db()
    assert head.disability == ""


def test_incomes_are_replaced_through_the_api(client, officer, branch):
    file = register(officer, branch)
    response = client.put(
        f"{file_url(file)}/incomes",
        {
            "version": file.version,
            "incomes": [
                {"kind": "social_security", "monthly_amount": "1500.00"},
                {"kind": "citizen_account", "monthly_amount": "500"},
            ],
        },
        content_type="application/json",
        headers=token_for(officer, Scope.REGISTRY_WRITE),
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert Decimal(body["per_capita_income"]) == Decimal("2000.00")
    assert sorted(i["kind"] for i in body["incomes"]) == ["citizen_account", "social_security"]
    bad = client.put(
        f"{file_url(file)}/incomes",
        {"version": body["version"], "incomes": [{"kind": "lottery", "monthly_amount": "-1"}]},
        content_type="application/json",
        headers=token_for(officer, Scope.REGISTRY_WRITE),
    )
    assert bad.status_code == 400
    assert IncomeSource.objects.filter(file=file).count() == 2
