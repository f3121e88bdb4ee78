"""Retention and anonymisation of closed files (PDPL Art. 18: destroy when the purpose ends;
anonymised data may stay)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from mustafid.core.errors import PermissionDenied
from mustafid.core.models import AuditAction, AuditEntry
from mustafid.privacy import services
from mustafid.privacy.errors import FileAnonymised, FileNotClosed, RetentionNotOver
from mustafid.privacy.models import Anonymisation, Consent, Purpose
from mustafid.privacy.tests.conftest import add_child, close, register
from mustafid.registry.models import (
    BeneficiaryFile,
    Category,
    FileStatus,
    IncomeSource,
    Person,
    PersonNameKey,
)
from mustafid.registry.selectors import search_people
from mustafid.registry.tests.factories import national_id
from mustafid.timeline.models import EventKind, TimelineEvent

pytestmark = pytest.mark.django_db

RETENTION = reverse("privacy:retention")
ANONYMISE = reverse("privacy:anonymise")


@pytest.fixture
def old_file(officer, household):
    """A household with a child, incomes and a category, closed eleven years ago."""
    add_child(officer, household)
    category = Category.objects.create(code="B", name_ar="ب", name_en="B")
    BeneficiaryFile.objects.filter(pk=household.pk).update(
        category=category, housing="rented", monthly_rent=Decimal("1500")
    )
    IncomeSource.objects.create(
        file=household, kind="social_security", monthly_amount=Decimal("2200"), note="مريم"
    )
    return close(household, years_ago=11)


def anonymise(actor, file):
    return services.anonymise_file(actor=actor, file=file)


# The review list ---------------------------------------------------------------------


def test_the_list_shows_only_closed_files_past_the_retention_period(
    admin_client_, sysadmin, officer, branch
):
    due = close(register(officer, branch, n=1), years_ago=11)
    deceased = close(register(officer, branch, n=2), years_ago=10.5, status=FileStatus.DECEASED)
    close(register(officer, branch, n=3), years_ago=9)  # inside the period
    reopened = close(register(officer, branch, n=4), years_ago=12)
    BeneficiaryFile.objects.filter(pk=reopened.pk).update(status=FileStatus.ACTIVE)
    register(officer, branch, n=5)  # open, never closed
    done = close(register(officer, branch, n=6), years_ago=12)
    anonymise(sysadmin, done)
    response = admin_client_.get(RETENTION)
    assert response.status_code == 200
    assert [file.number for file in response.context["page"]] == [due.number, deceased.number]
    html = response.content.decode()
    assert due.number in html and deceased.number in html and done.number not in html
    assert response.context["page"].paginator.count == 2


def test_the_list_shows_each_files_closing_date_branch_and_category(
    admin_client_, old_file, branch
):
    from mustafid.core.dates import format_dual

    html = admin_client_.get(RETENTION).content.decode()
    assert format_dual(old_file.closed_at) in html and str(branch) in html and "ب" in html


def test_the_retention_period_comes_from_the_settings(admin_client_, officer, branch, settings):
    file = close(register(officer, branch, n=1), years_ago=3)
    assert file.number not in admin_client_.get(RETENTION).content.decode()
    settings.RETENTION_YEARS = 2
    assert file.number in admin_client_.get(RETENTION).content.decode()


def test_the_list_is_a_404_for_a_relations_officer(officer_client, old_file):
    assert officer_client.get(RETENTION).status_code == 404


def test_the_list_is_paginated_and_its_queries_do_not_grow(
    admin_client_, officer, branch, django_assert_num_queries, django_assert_max_num_queries
):
    close(register(officer, branch, n=1), years_ago=11)
    admin_client_.get(RETENTION)
    with django_assert_max_num_queries(12) as few:
        admin_client_.get(RETENTION)
    for n in range(2, 56):
        close(register(officer, branch, n=n), years_ago=11)
    with django_assert_num_queries(len(few.captured_queries)):
        response = admin_client_.get(RETENTION)
    assert len(response.context["page"]) == 50 and response.context["page"].paginator.count == 55


# Anonymisation: what goes ------------------------------------------------------------


def test_anonymisation_removes_every_persons_identity(sysadmin, old_file):
    anonymise(sysadmin, old_file)
    head, child = Person.objects.filter(file=old_file).order_by("pk")
    for person in (head, child):
        assert person.national_id is None
        assert person.full_name == services.ANONYMOUS_NAME and person.name_key == ""
        assert (person.latin_name, person.mobile) == ("", "")
        assert (person.health_condition, person.disability, person.family_situation) == (
            "",
            "",
            "",
        )
    assert (head.birth_date, child.birth_date) == (dt.date(1980, 1, 1), dt.date(2010, 1, 1))


def test_anonymisation_removes_the_households_contact_details(sysadmin, old_file):
    anonymise(sysadmin, old_file)
    file = BeneficiaryFile.objects.get(pk=old_file.pk)
    for name in services.FILE_IDENTITY_FIELDS:
        assert getattr(file, name) == "", name
    assert file.anonymised_at is not None


def test_after_anonymisation_the_old_name_id_and_mobile_find_nobody(sysadmin, old_file):
    assert search_people(actor=sysadmin, query="مريم سالم الدوسري")  # found before
    anonymise(sysadmin, old_file)
    assert search_people(actor=sysadmin, query="مريم سالم الدوسري") == []
    assert search_people(actor=sysadmin, query="خالد الدوسري") == []
    assert search_people(actor=sysadmin, query=national_id(21)) == []
    assert search_people(actor=sysadmin, query="0501234567") == []
    assert search_people(actor=sysadmin, query="0551112233") == []
    assert not PersonNameKey.objects.filter(person__file=old_file).exists()


def test_after_anonymisation_the_old_national_id_may_be_registered_again(
    sysadmin, officer, branch, old_file
):
    anonymise(sysadmin, old_file)
    again = register(officer, branch, n=21)
    assert again.members.get().national_id == national_id(21)


def test_timeline_details_that_name_people_are_blanked(sysadmin, old_file):
    assert TimelineEvent.objects.filter(file=old_file, detail__contains="خالد").exists()
    anonymise(sysadmin, old_file)
    events = TimelineEvent.objects.filter(file=old_file)
    assert not events.filter(detail__contains="خالد").exists()
    assert not events.filter(detail__contains="الدوسري").exists()
    # The events themselves stay, and details that name nobody too.
    assert events.filter(kind=EventKind.MEMBER_ADDED).exists()
    assert events.get(kind=EventKind.REGISTERED).detail == old_file.number


def test_consents_are_kept_as_evidence_without_their_free_text(officer, sysadmin, household):
    consent = services.record_consent(
        actor=officer, file=household, purpose=Purpose.CONTACT, channel="visit", note="مريم"
    )
    services.withdraw_consent(actor=officer, consent=consent, channel="phone", reason="ابنها")
    anonymise(sysadmin, close(household, years_ago=11))
    consent = Consent.objects.get(file=household)
    assert (consent.purpose, consent.withdrawal_channel) == (Purpose.CONTACT, "phone")
    assert consent.withdrawn_at is not None
    assert (consent.note, consent.withdrawal_reason) == ("", "")


def test_income_notes_are_cleared_and_amounts_kept(sysadmin, old_file):
    anonymise(sysadmin, old_file)
    income = IncomeSource.objects.get(file=old_file)
    assert (income.kind, income.monthly_amount, income.note) == (
        "social_security",
        Decimal("2200.00"),
        "",
    )


def test_the_households_documents_are_purged(sysadmin, old_file):
    from mustafid.documents.models import Document

    Document.objects.create(
        file=old_file,
        kind="id_copy",
        stored="test/purged.pdf",
        original_name="هوية مريم.pdf",
        content_type="application/pdf",
        size=10,
        sha256="1" * 64,
    )
    anonymisation = anonymise(sysadmin, old_file)
    assert not Document.objects.filter(file=old_file).exists()
    assert anonymisation.documents_purged == 1


# Anonymisation: what stays -----------------------------------------------------------


def test_anonymisation_keeps_the_statistics(sysadmin, old_file):
    anonymise(sysadmin, old_file)
    file = BeneficiaryFile.objects.select_related("category").get(pk=old_file.pk)
    assert (file.city, file.district, file.category.code, file.status, file.housing) == (
        "الرياض",
        "النسيم",
        "B",
        FileStatus.CLOSED,
        "rented",
    )
    people = Person.objects.filter(file=file).order_by("pk")
    assert [(p.relation, p.sex, p.birth_date.year) for p in people] == [
        ("head", "female", 1980),
        ("son", "male", 2010),
    ]


def test_the_anonymisation_records_who_when_and_the_kept_statistics(sysadmin, old_file):
    anonymisation = anonymise(sysadmin, old_file)
    anonymisation.refresh_from_db()
    stats = anonymisation.statistics
    assert anonymisation.anonymised_by == sysadmin and anonymisation.file_id == old_file.pk
    assert stats["member_count"] == 2 and stats["category"] == "B"
    assert [m["birth_year"] for m in stats["members"]] == [1980, 2010]
    assert stats["incomes"] == [{"kind": "social_security", "monthly_amount": "2200.00"}]
    text = str(stats)
    assert "مريم" not in text and "الدوسري" not in text and national_id(21) not in text


def test_anonymisation_is_audited_without_copying_the_removed_values(sysadmin, old_file):
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    anonymisation = anonymise(sysadmin, old_file)
    entries = AuditEntry.objects.exclude(pk__in=before)
    assert entries.filter(
        action=AuditAction.UPDATE, object_id=str(old_file.pk), actor=sysadmin
    ).exists()
    assert AuditEntry.objects.for_object(anonymisation).filter(action=AuditAction.CREATE).exists()
    for entry in entries:
        text = f"{entry.changes} {entry.summary} {entry.object_repr}"
        assert "مريم" not in text and "خالد" not in text and national_id(21) not in text


def test_anonymisation_is_on_the_timeline(sysadmin, old_file):
    anonymise(sysadmin, old_file)
    assert TimelineEvent.objects.filter(
        file=old_file, kind=EventKind.ANONYMISED, actor=sysadmin
    ).exists()


# Anonymisation: refusals -------------------------------------------------------------


def test_an_open_file_cannot_be_anonymised(sysadmin, household):
    with pytest.raises(FileNotClosed):
        anonymise(sysadmin, household)
    assert household.members.get().national_id == national_id(21)


def test_a_file_reopened_after_closing_cannot_be_anonymised(sysadmin, old_file):
    BeneficiaryFile.objects.filter(pk=old_file.pk).update(status=FileStatus.ACTIVE)
    with pytest.raises(FileNotClosed):
        anonymise(sysadmin, old_file)


def test_a_file_inside_its_retention_period_cannot_be_anonymised(sysadmin, household):
    close(household, years_ago=9)
    with pytest.raises(RetentionNotOver):
        anonymise(sysadmin, household)
    assert not Anonymisation.objects.exists()
    assert household.members.get().first_name == "مريم"


def test_a_file_cannot_be_anonymised_twice(sysadmin, old_file):
    anonymise(sysadmin, old_file)
    with pytest.raises(FileAnonymised):
        anonymise(sysadmin, old_file)
    assert Anonymisation.objects.count() == 1


def test_a_branch_manager_may_not_anonymise(manager, old_file):
    with pytest.raises(PermissionDenied):
        anonymise(manager, old_file)
    assert BeneficiaryFile.objects.get(pk=old_file.pk).anonymised_at is None


def test_no_consent_can_be_recorded_on_an_anonymised_file(sysadmin, officer, old_file):
    anonymise(sysadmin, old_file)
    old_file.refresh_from_db()
    with pytest.raises(FileAnonymised):
        services.record_consent(
            actor=officer, file=old_file, purpose=Purpose.CONTACT, channel="visit"
        )


# The pages ---------------------------------------------------------------------------


def test_anonymising_from_the_list_asks_for_confirmation_first(admin_client_, old_file):
    response = admin_client_.post(ANONYMISE, {"numbers": [old_file.number]})
    assert (
        response.status_code == 200 and 'data-testid="anonymise-form"' in response.content.decode()
    )
    assert BeneficiaryFile.objects.get(pk=old_file.pk).anonymised_at is None


def test_confirming_without_ticking_the_box_changes_nothing(admin_client_, old_file):
    response = admin_client_.post(ANONYMISE, {"numbers": [old_file.number], "confirming": "1"})
    assert response.status_code == 200 and "confirm" in response.context["form"].errors
    assert BeneficiaryFile.objects.get(pk=old_file.pk).anonymised_at is None


def test_confirmed_anonymisation_of_the_chosen_files(admin_client_, officer, branch, old_file):
    second = close(register(officer, branch, n=2), years_ago=12)
    response = admin_client_.post(
        ANONYMISE, {"numbers": [old_file.number, second.number], "confirm": "on"}
    )
    assert response.status_code == 302 and response.url == RETENTION
    assert Anonymisation.objects.count() == 2


def test_a_refused_file_in_a_batch_leaves_the_others_done_and_is_explained(
    admin_client_, officer, branch, old_file
):
    recent = close(register(officer, branch, n=2), years_ago=1)
    response = admin_client_.post(
        ANONYMISE, {"numbers": [old_file.number, recent.number], "confirm": "on"}, follow=True
    )
    assert BeneficiaryFile.objects.get(pk=old_file.pk).anonymised_at is not None
    assert BeneficiaryFile.objects.get(pk=recent.pk).anonymised_at is None
    texts = [str(message) for message in response.context["messages"]]
    assert any(recent.number in text for text in texts)


def test_a_relations_officer_cannot_anonymise_through_the_page(officer_client, old_file):
    response = officer_client.post(ANONYMISE, {"numbers": [old_file.number], "confirm": "on"})
    assert response.status_code == 404
    assert BeneficiaryFile.objects.get(pk=old_file.pk).anonymised_at is None


def test_the_anonymised_file_page_still_opens(admin_client_, sysadmin, old_file):
    anonymise(sysadmin, old_file)
    response = admin_client_.get(old_file.get_absolute_url())
    assert response.status_code == 200 and "مريم" not in response.content.decode()


def test_the_dashboard_links_the_review_list_for_the_administrator(client, sysadmin, officer):
    client.force_login(sysadmin)
    assert RETENTION in [link["url"] for link in client.get("/").context["tool_links"]]
    client.force_login(officer)
    assert RETENTION not in [link["url"] for link in client.get("/").context["tool_links"]]


def test_the_list_leaves_out_branches_where_the_administrator_may_not_anonymise(
    admin_client_, other_household
):
    close(other_household, years_ago=11)
    response = admin_client_.get(RETENTION)
    assert other_household.number not in response.content.decode()


def test_another_branchs_file_is_refused_with_its_reason(admin_client_, other_household):
    close(other_household, years_ago=11)
    response = admin_client_.post(
        ANONYMISE, {"numbers": [other_household.number], "confirm": "on"}, follow=True
    )
    assert BeneficiaryFile.objects.get(pk=other_household.pk).anonymised_at is None
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
