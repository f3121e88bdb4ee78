"""A request type's checklist against a household's file (P-PROC-2: all required
information, matched and valid at submission; P-TOOL-3, P-TOOL-4)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mustafid.documents.services import add_document
from mustafid.documents.tests.factories import pdf_bytes
from mustafid.registry import selectors, services
from mustafid.registry.models import Relation
from mustafid.registry.tests.factories import national_id
from mustafid.support.checklist import missing_items
from mustafid.support.models import RequiredItem, SupportRequestType

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def rent_support():
    return SupportRequestType.objects.create(
        code="rent",
        name_ar="دعم الإيجار",
        name_en="Rent support",
        guide_ar="يُصرف دعم الإيجار للأسر المستأجرة بعقد موثق في إيجار.",
        required_items=[RequiredItem.IBAN, RequiredItem.RENT, RequiredItem.MEMBER_IDS],
        required_documents=["lease", "id_copy"],
    )


@pytest.fixture
def household(officer, branch):
    file = services.create_file(
        actor=officer,
        branch=branch,
        channel="visit",
        city="الرياض",
        head={
            "national_id": national_id(601),
            "first_name": "سلمى",
            "father_name": "ناصر",
            "family_name": "العنزي",
            "sex": "female",
            "birth_date": dt.date(1980, 3, 1),
        },
    )
    services.add_member(
        actor=officer,
        file=file,
        member={
            "first_name": "ريم",
            "father_name": "خالد",
            "family_name": "العنزي",
            "sex": "female",
            "relation": Relation.DAUGHTER,
            "birth_date": dt.date(2005, 1, 1),  # an adult without an ID yet
        },
    )
    return file


def document(officer, file, kind, expiry):
    upload = SimpleUploadedFile(f"{kind}.pdf", pdf_bytes(f"{kind}{expiry}"), "application/pdf")
    return add_document(actor=officer, file=file, kind=kind, uploaded=upload, expiry_date=expiry)


def codes(missing):
    return sorted(m.code for m in missing)


def test_everything_missing_is_named(officer, household, rent_support):
    file = selectors.file_for(actor=officer, number=household.number)
    missing = missing_items(request_type=rent_support, file=file, on=TODAY)
    assert codes(missing) == ["iban", "id_copy", "lease", "member_ids", "rent"]
    lease = next(m for m in missing if m.code == "lease")
    assert lease.is_document and lease.reason


def test_an_expired_document_blocks_with_its_date(officer, household, rent_support):
    """P-PROC-2: documents valid on the submission date; expired ones say when."""
    document(officer, household, "lease", TODAY - dt.timedelta(days=1))
    document(officer, household, "id_copy", TODAY)  # valid through today
    file = selectors.file_for(actor=officer, number=household.number)
    missing = {m.code: m for m in missing_items(request_type=rent_support, file=file, on=TODAY)}
    assert "id_copy" not in missing
    assert "1448" in missing["lease"].reason and "2026" in missing["lease"].reason


def test_a_complete_file_lacks_nothing(officer, household, rent_support):
    daughter = household.members.get(relation=Relation.DAUGHTER)
    household.refresh_from_db()
    services.update_person(
        actor=officer, person=daughter, version=household.version, national_id=national_id(602)
    )
    household.refresh_from_db()
    services.update_file(
        actor=officer,
        file=household,
        version=household.version,
        iban="SA0380000000608010167519",
        housing="rented",
        monthly_rent=1500,
    )
    document(officer, household, "lease", TODAY + dt.timedelta(days=200))
    document(officer, household, "id_copy", None)
    file = selectors.file_for(actor=officer, number=household.number)
    with CaptureQueriesContext(connection) as queries:
        assert missing_items(request_type=rent_support, file=file, on=TODAY) == []
    assert len(queries) == 1  # the documents; members and incomes were prefetched


def test_a_child_needs_no_id_but_a_date_of_birth_may_be_required(officer, household):
    kind = SupportRequestType.objects.create(
        code="school", name_ar="الحقيبة المدرسية", name_en="School bag",
        required_items=[RequiredItem.MEMBER_IDS, RequiredItem.BIRTH_DATES],
    )  # fmt: skip
    services.add_member(
        actor=officer,
        file=household,
        member={
            "first_name": "سعد", "father_name": "خالد", "family_name": "العنزي", "sex": "male",
            "relation": Relation.SON, "birth_date": dt.date(2018, 5, 5),
        },
    )  # fmt: skip
    file = selectors.file_for(actor=officer, number=household.number)
    assert codes(missing_items(request_type=kind, file=file, on=TODAY)) == ["member_ids"]


def test_a_type_refuses_unknown_checklist_codes():
    kind = SupportRequestType(
        code="x", name_ar="س", name_en="X", required_items=["shoe_size"], required_documents=["x"]
    )
    with pytest.raises(ValidationError) as refused:
        kind.full_clean()
    assert set(refused.value.message_dict) == {"required_items", "required_documents"}


def test_the_guide_follows_the_language(rent_support):
    from django.utils import translation

    with translation.override("en"):
        assert rent_support.guide == rent_support.guide_ar  # no English text: Arabic governs
        assert str(rent_support) == "Rent support"
    with translation.override("ar"):
        assert str(rent_support) == "دعم الإيجار"


def test_an_administrator_ticks_the_checklist_in_the_admin(client, sysadmin):
    """The admin is only for administrators (issue 3); the checklist is ticks, not JSON."""
    client.force_login(sysadmin)
    response = client.post(
        "/admin/support/supportrequesttype/add/",
        {
            "code": "bills", "name_ar": "سداد الفواتير", "name_en": "Bills",
            "required_items": ["iban", "incomes"], "required_documents": ["income_proof"],
            "answer_days": "10", "answer_in_working_days": "on", "appeal_days": "30",
            "position": "0", "is_active": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    bills = SupportRequestType.objects.get(code="bills")
    assert bills.required_items == ["iban", "incomes"]
    assert bills.answer_in_working_days and bills.answer_days == 10


def test_the_demo_types_hold_only_known_checklist_codes():
    from django.core.management import call_command

    call_command("seed_demo")
    kinds = list(SupportRequestType.objects.all())
    assert len(kinds) == 7
    for kind in kinds:
        kind.full_clean()
