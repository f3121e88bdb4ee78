"""Registering households: one record per national ID, audited, never overwritten
silently (issue 4; P-PROC-2, P-PROC-6, P-CH)."""

import re
from decimal import Decimal

import pytest

from mustafid.core.errors import PermissionDenied
from mustafid.core.models import AuditAction, AuditEntry
from mustafid.registry import services
from mustafid.registry.errors import DuplicateNationalId, HeadAlreadyExists, StaleFile
from mustafid.registry.models import BeneficiaryFile, IncomeSource, Person, Relation
from mustafid.registry.tests.factories import national_id

pytestmark = pytest.mark.django_db


def head(n=1, **extra):
    return {
        "national_id": national_id(n),
        "first_name": "فاطمة",
        "father_name": "أحمد",
        "grandfather_name": "علي",
        "family_name": "الزهراني",
        "sex": "female",
        **extra,
    }


def register(officer, branch, n=1, **profile):
    return services.create_file(
        actor=officer, branch=branch, channel="visit", head=head(n), city="الرياض", **profile
    )


def test_a_new_household_gets_a_hijri_year_file_number_and_its_head(officer, branch):
    file = register(officer, branch)
    assert re.fullmatch(r"B-14\d\d-000001", file.number)
    person = file.members.get()
    assert person.relation == Relation.HEAD
    assert person.name_key == "فاطمه احمد علي الزهراني"


def test_file_numbers_follow_each_other(officer, branch):
    first, second = register(officer, branch, 1), register(officer, branch, 2)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_registering_is_audited_for_the_file_and_the_person(officer, branch):
    file = register(officer, branch)
    assert AuditEntry.objects.for_object(file).get().action == AuditAction.CREATE
    assert AuditEntry.objects.for_object(file.members.get()).get().actor == officer


def test_a_national_id_already_registered_is_refused_with_its_file(officer, branch):
    first = register(officer, branch, 1)
    with pytest.raises(DuplicateNationalId) as refused:
        register(officer, branch, 1)
    assert first.number in str(refused.value)
    assert BeneficiaryFile.objects.count() == 1


def test_a_member_of_another_household_cannot_be_registered_again(officer, branch):
    first = register(officer, branch, 1)
    services.add_member(
        actor=officer,
        file=first,
        member={**head(7), "first_name": "سارة", "relation": Relation.DAUGHTER},
    )
    second = register(officer, branch, 2)
    with pytest.raises(DuplicateNationalId):
        services.add_member(
            actor=officer, file=second, member={**head(7), "relation": Relation.SPOUSE}
        )
    assert Person.objects.filter(national_id=national_id(7)).get().file == first


def test_a_second_head_is_refused(officer, branch):
    file = register(officer, branch)
    with pytest.raises(HeadAlreadyExists):
        services.add_member(actor=officer, file=file, member={**head(2), "relation": Relation.HEAD})


def test_a_member_without_a_national_id_yet_may_be_listed(officer, branch):
    file = register(officer, branch)
    for _ in range(2):
        services.add_member(
            actor=officer,
            file=file,
            member={**head(0), "national_id": "", "first_name": "رضيع", "relation": Relation.SON},
        )
    assert file.members.filter(national_id__isnull=True).count() == 2


def test_a_committee_member_cannot_register_households(committee_member, branch):
    with pytest.raises(PermissionDenied):
        register(committee_member, branch)


def test_an_officer_cannot_register_into_another_branch(officer, other_branch):
    with pytest.raises(PermissionDenied):
        register(officer, other_branch)


def test_an_update_records_before_and_after(officer, branch):
    file = register(officer, branch)
    services.update_file(actor=officer, file=file, version=file.version, district="النسيم")
    entry = AuditEntry.objects.for_object(file).get(action=AuditAction.UPDATE)
    assert entry.changes["district"] == {"before": "", "after": "النسيم"}


def test_the_second_of_two_concurrent_saves_is_refused_naming_what_changed(officer, branch):
    file = register(officer, branch)
    seen = file.version
    services.update_file(actor=officer, file=file, version=seen, district="النسيم")
    with pytest.raises(StaleFile) as refused:
        services.update_file(actor=officer, file=file, version=seen, street="شارع الملك فهد")
    assert "district" in str(refused.value) or "الحي" in str(refused.value)
    file.refresh_from_db()
    assert file.street == "" and file.district == "النسيم"


def test_per_capita_income_is_computed_from_incomes_and_members(officer, branch):
    file = register(officer, branch)
    services.add_member(
        actor=officer,
        file=file,
        member={**head(3), "first_name": "نورة", "relation": Relation.DAUGHTER},
    )
    IncomeSource.objects.create(file=file, kind="social_security", monthly_amount=Decimal("2000"))
    IncomeSource.objects.create(file=file, kind="citizen_account", monthly_amount=Decimal("1001"))
    assert services.per_capita_income(file=file) == Decimal("1500.50")
