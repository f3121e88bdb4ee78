"""Editing a household: profile, members, incomes, category rules, the 360 page
(issue 4 items 1, 2, 7; P-OBJ-1 know each beneficiary's needs and category, P-PROC-2)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mustafid.core.errors import PermissionDenied
from mustafid.core.models import AuditAction, AuditEntry
from mustafid.registry import services
from mustafid.registry.categories import category_for_income
from mustafid.registry.errors import DuplicateNationalId, RentWithoutRenting, StaleFile
from mustafid.registry.models import (
    BeneficiaryFile,
    Category,
    FileStatus,
    IncomeKind,
    Person,
    Relation,
)
from mustafid.registry.selectors import search_people
from mustafid.registry.tests.factories import national_id
from mustafid.timeline.models import EventKind, TimelineEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(officer, branch):
    return services.create_file(
        actor=officer,
        branch=branch,
        channel="phone",
        city="جدة",
        head={
            "national_id": national_id(301),
            "first_name": "نورة",
            "father_name": "فهد",
            "grandfather_name": "ناصر",
            "family_name": "القحطاني",
            "sex": "female",
        },
    )


@pytest.fixture
def categories():
    return [
        Category.objects.create(code="A", name_ar="أ", name_en="A", income_ceiling=500, position=1),
        Category.objects.create(
            code="B", name_ar="ب", name_en="B", income_ceiling=1500, position=2
        ),
        Category.objects.create(code="C", name_ar="ج", name_en="C", position=3),
    ]


def profile_post(file, **changes):
    data = {
        "status": file.status,
        "preferred_channel": file.preferred_channel,
        "city": file.city,
        "version": file.version,
        "mobile": "",
        "housing": "",
    }
    data.update(changes)
    return data


def test_rent_is_refused_unless_rented_in_the_service(officer, household):
    with pytest.raises(RentWithoutRenting):
        services.update_file(
            actor=officer, file=household, version=household.version, monthly_rent=Decimal("900")
        )
    services.update_file(
        actor=officer,
        file=household,
        version=household.version,
        housing="rented",
        monthly_rent=Decimal("900"),
    )
    assert household.monthly_rent == Decimal("900")


def test_the_profile_page_saves_and_keeps_what_was_typed_on_errors(officer_client, household):
    url = reverse("registry:edit_profile", args=[household.number])
    bad = profile_post(household, iban="SA00 1234", street="شارع التحلية", monthly_rent="700")
    response = officer_client.post(url, bad)
    assert response.status_code == 200
    page = response.content.decode()
    assert "شارع التحلية" in page  # nothing typed is lost
    assert 'name="iban"' in page and "is-invalid" in page
    good = profile_post(
        household,
        iban="SA03 8000 0000 6080 1016 7519",
        street="شارع التحلية",
        housing="rented",
        monthly_rent="٧٠٠",
        mobile="0501234567",
    )
    response = officer_client.post(url, good)
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.iban == "SA0380000000608010167519"
    assert household.monthly_rent == Decimal("700")
    assert household.mobile == "+966501234567"
    assert TimelineEvent.objects.filter(file=household, kind=EventKind.PROFILE_UPDATED).exists()


def test_the_second_of_two_concurrent_saves_is_refused_and_says_what_changed(
    officer_client, officer, household
):
    """Optimistic locking: nothing is silently overwritten (issue 4, bad input)."""
    read_version = household.version
    services.update_file(actor=officer, file=household, version=read_version, district="الروضة")
    url = reverse("registry:edit_profile", args=[household.number])
    response = officer_client.post(
        url, profile_post(household, version=read_version, street="شارع فلسطين")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "District" in page or "الحي" in page
    assert "شارع فلسطين" in page
    household.refresh_from_db()
    assert household.street == "" and household.district == "الروضة"


def test_a_member_edit_against_an_old_version_is_refused(officer, household):
    head = household.members.get()
    version = household.version
    services.set_incomes(
        actor=officer,
        file=household,
        version=version,
        incomes=[{"kind": IncomeKind.SALARY, "monthly_amount": Decimal("3000")}],
    )
    with pytest.raises(StaleFile) as refused:
        services.update_person(actor=officer, person=head, version=version, first_name="نوره")
    assert "income" in str(refused.value).lower() or "الدخل" in str(refused.value)


def test_editing_a_member_reindexes_the_name_and_refuses_a_known_id(officer, household, branch):
    head = household.members.get()
    other = services.create_file(
        actor=officer,
        branch=branch,
        channel="visit",
        city="جدة",
        head={
            "national_id": national_id(302),
            "first_name": "سعد",
            "father_name": "علي",
            "family_name": "الشهري",
            "sex": "male",
        },
    )
    with pytest.raises(DuplicateNationalId):
        services.update_person(
            actor=officer,
            person=head,
            version=household.version,
            national_id=other.members.get().national_id,
        )
    household.refresh_from_db()
    services.update_person(
        actor=officer, person=head, version=household.version, family_name="العمري"
    )
    assert [p.pk for p in search_people(actor=officer, query="نوره فهد العمري")] == [head.pk]
    assert [p.pk for p in search_people(actor=officer, query="العمري")] == [head.pk]
    assert TimelineEvent.objects.filter(file=household, kind=EventKind.MEMBER_UPDATED).exists()


def test_sensitive_fields_need_the_permission(officer, researcher, household):
    head = household.members.get()
    with pytest.raises(PermissionDenied):
        services.update_person(
            actor=officer, person=head, version=household.version, disability="إعاقة حركية"
        )


def test_the_member_page_hides_sensitive_fields_from_an_officer(officer_client, household):
    head = household.members.get()
    url = reverse("registry:edit_member", args=[household.number, head.pk])
    page = officer_client.get(url).content.decode()
    assert 'name="first_name"' in page
    assert 'name="health_condition"' not in page and 'name="family_situation"' not in page


def test_a_member_of_another_file_is_not_editable_through_this_one(
    officer_client, officer, household, branch
):
    other = services.create_file(
        actor=officer,
        branch=branch,
        channel="visit",
        city="جدة",
        head={"first_name": "سعد", "father_name": "علي", "family_name": "الشهري", "sex": "male"},
    )
    url = reverse("registry:edit_member", args=[household.number, other.members.get().pk])
    assert officer_client.get(url).status_code == 404


def test_incomes_give_the_per_capita_income_and_the_category(officer, household, categories):
    services.add_member(
        actor=officer,
        file=household,
        member={
            "first_name": "سارة",
            "father_name": "فهد",
            "family_name": "القحطاني",
            "sex": "female",
            "relation": Relation.DAUGHTER,
        },
    )
    household.refresh_from_db()
    services.set_incomes(
        actor=officer,
        file=household,
        version=household.version,
        incomes=[
            {"kind": IncomeKind.SOCIAL_SECURITY, "monthly_amount": Decimal("1200")},
            {"kind": IncomeKind.CITIZEN_ACCOUNT, "monthly_amount": Decimal("600")},
        ],
    )
    household.refresh_from_db()
    fresh = BeneficiaryFile.objects.prefetch_related("members", "incomes").get(pk=household.pk)
    assert services.per_capita_income(file=fresh) == Decimal("900.00")
    assert household.category.code == "B"
    assert AuditEntry.objects.for_object(household).filter(action=AuditAction.UPDATE).exists()
    assert TimelineEvent.objects.filter(file=household, kind=EventKind.CATEGORY_CHANGED).exists()


def test_the_rules_pick_the_first_category_whose_ceiling_holds(categories):
    assert category_for_income(per_capita=Decimal("0")).code == "A"
    assert category_for_income(per_capita=Decimal("500")).code == "A"
    assert category_for_income(per_capita=Decimal("500.01")).code == "B"
    assert category_for_income(per_capita=Decimal("99999")).code == "C"


def test_a_category_set_by_hand_is_for_managers_and_stays(officer, manager, household, categories):
    with pytest.raises(PermissionDenied):
        services.update_file(
            actor=officer, file=household, version=household.version, category=categories[2]
        )
    manager.branches.add(household.branch)
    services.update_file(
        actor=manager, file=household, version=household.version, category=categories[2]
    )
    assert household.category_is_manual
    services.set_incomes(
        actor=officer,
        file=household,
        version=household.version,
        incomes=[{"kind": IncomeKind.OTHER, "monthly_amount": Decimal("10")}],
    )
    household.refresh_from_db()
    assert household.category.code == "C"


def test_closing_a_file_starts_the_retention_clock(officer, household):
    services.update_file(
        actor=officer, file=household, version=household.version, status=FileStatus.CLOSED
    )
    assert household.closed_at is not None
    services.update_file(
        actor=officer, file=household, version=household.version, status=FileStatus.ACTIVE
    )
    assert household.closed_at is None


def test_the_360_page_shows_the_timeline_newest_first_and_pages_it(
    officer_client, officer, household
):
    for n in range(25):
        services.update_file(
            actor=officer, file=household, version=household.version, best_time_to_call=f"{n}"
        )
    url = reverse("registry:file", args=[household.number])
    page = officer_client.get(url).content.decode()
    assert 'data-testid="timeline"' in page
    # 25 changes and the registration: the newest 20 first, the registration on page 2.
    assert page.count('data-kind="profile_updated"') == 20
    assert 'data-kind="registered"' not in page
    more = officer_client.get(url, {"timeline": 2}, headers={"HX-Request": "true"})
    assert more.status_code == 200
    older = more.content.decode()
    assert older.count('data-kind="profile_updated"') == 5
    assert 'data-kind="registered"' in older
    assert "<html" not in older


def test_the_360_page_queries_do_not_grow_with_the_household(officer_client, officer, household):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert (
                officer_client.get(reverse("registry:file", args=[household.number])).status_code
                == 200
            )
        return len(queries)

    small = count()
    for n in range(8):
        services.add_member(
            actor=officer,
            file=household,
            member={
                "national_id": national_id(400 + n),
                "first_name": "ولد",
                "father_name": "فهد",
                "family_name": "القحطاني",
                "sex": "male",
                "relation": Relation.SON,
            },
        )
    assert count() == small
    assert Person.objects.filter(file=household).count() == 9


def test_a_registration_puts_its_possible_duplicates_on_the_worklist(
    officer, branch, django_capture_on_commit_callbacks
):
    """Same mobile as an existing household: after the save commits, a task compares the
    new household with the registry (issue 4 item 6)."""
    from django_tasks_db.models import DBTaskResult

    from mustafid.registry import tasks
    from mustafid.registry.models import DuplicateCandidate

    head = {"first_name": "هند", "father_name": "سعد", "family_name": "المطيري", "sex": "female"}
    first = services.create_file(
        actor=officer, branch=branch, channel="visit", city="جدة", mobile="+966551234567",
        head={**head, "national_id": national_id(501)},
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        second = services.create_file(
            actor=officer, branch=branch, channel="phone", city="جدة", mobile="+966551234567",
            head={**head, "first_name": "هنادي", "national_id": national_id(502)},
        )  # fmt: skip
    queued = [r.args_kwargs["kwargs"] for r in DBTaskResult.objects.all()]
    assert {"file_id": second.pk} in queued
    tasks.find_duplicates_of_file.call(file_id=second.pk)
    pair = DuplicateCandidate.objects.get()
    assert {pair.file_a_id, pair.file_b_id} == {first.pk, second.pk}


def test_no_income_recorded_is_not_no_income(officer, household, categories):
    """The rules wait for the incomes; "No income" is recorded explicitly, at 0."""
    from mustafid.registry.errors import IncomeNotZero

    household.refresh_from_db()
    assert household.category is None
    with pytest.raises(IncomeNotZero):
        services.set_incomes(
            actor=officer,
            file=household,
            version=household.version,
            incomes=[{"kind": IncomeKind.NONE, "monthly_amount": Decimal("100")}],
        )
    services.set_incomes(
        actor=officer,
        file=household,
        version=household.version,
        incomes=[{"kind": IncomeKind.NONE, "monthly_amount": Decimal("0")}],
    )
    household.refresh_from_db()
    assert household.category.code == "A"


def test_a_rent_without_rented_housing_is_refused_on_its_field(officer_client, household):
    url = reverse("registry:edit_profile", args=[household.number])
    response = officer_client.post(
        url, profile_post(household, housing="owned", monthly_rent="800")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["monthly_rent"]
    household.refresh_from_db()
    assert household.monthly_rent is None
