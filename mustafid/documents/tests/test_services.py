"""add_document, remove_document, purge_file_documents: checked, audited, on the
timeline (P-PROC-2; PDPL Art. 18)."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from mustafid.core.actors import SYSTEM
from mustafid.core.errors import PermissionDenied
from mustafid.core.models import AuditAction, AuditEntry
from mustafid.documents import errors, services
from mustafid.documents.models import ContentType, Document, DocumentKind
from mustafid.documents.tests.factories import jpeg_bytes, pdf_bytes, png_bytes, upload
from mustafid.timeline.models import EventKind, TimelineEvent

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def add(actor, file, content=None, **extra):
    extra.setdefault("kind", DocumentKind.ID_COPY)
    return services.add_document(
        actor=actor, file=file, uploaded=upload(content or pdf_bytes(), name="هوية.pdf"), **extra
    )


def stored_path(document) -> Path:
    return Path(settings.DOCUMENTS_ROOT) / document.stored.name


def test_a_document_is_stored_outside_the_web_root_under_a_random_name(officer, household):
    document = add(officer, household, issue_date=TODAY() - dt.timedelta(days=10))
    path = stored_path(document)
    assert path.read_bytes() == pdf_bytes()
    assert Path(settings.DOCUMENTS_ROOT).resolve() in path.resolve().parents
    for served in (settings.STATIC_ROOT, settings.MEDIA_ROOT):
        assert Path(served).resolve() not in path.resolve().parents
    assert "هوية" not in document.stored.name and document.stored.name.endswith(".pdf")
    assert path.stat().st_mode & 0o077 == 0  # readable by the application's user only
    assert document.original_name == "هوية.pdf"
    assert (document.content_type, document.size) == (ContentType.PDF, len(pdf_bytes()))


def test_two_uploads_with_the_same_name_get_different_stored_names(officer, household):
    first = add(officer, household, pdf_bytes("one"))
    second = add(officer, household, pdf_bytes("two"))
    assert first.stored.name != second.stored.name


def test_the_stored_file_has_no_public_url(officer, household):
    document = add(officer, household)
    with pytest.raises(ValueError):
        document.stored.url


def test_a_jpeg_and_a_png_are_kept_as_images(officer, household):
    jpeg = add(officer, household, jpeg_bytes(), kind=DocumentKind.FAMILY_RECORD)
    png = add(officer, household, png_bytes(), kind=DocumentKind.LEASE)
    assert (jpeg.content_type, png.content_type) == (ContentType.JPEG, ContentType.PNG)
    assert jpeg.stored.name.endswith(".jpg") and png.stored.name.endswith(".png")


def test_adding_is_audited_and_put_on_the_timeline(officer, household):
    son = household.members.get(first_name="فهد")
    document = add(officer, household, person=son, kind=DocumentKind.MEDICAL_REPORT)
    entry = AuditEntry.objects.for_object(document).get(action=AuditAction.CREATE)
    assert entry.actor == officer and entry.changes["sha256"]["after"] == document.sha256
    event = TimelineEvent.objects.get(file=household, kind=EventKind.DOCUMENT_ADDED)
    assert event.person == son and event.url == document.get_absolute_url()


def test_a_member_of_another_household_is_refused(officer, household, other_household):
    stranger = other_household.members.first()
    with pytest.raises(errors.PersonNotInHousehold):
        add(officer, household, person=stranger)
    assert not Document.objects.exists()


def test_an_issue_date_in_the_future_is_refused(officer, household):
    with pytest.raises(errors.IssuedInFuture):
        add(officer, household, issue_date=TODAY() + dt.timedelta(days=1))


def test_an_expiry_before_the_issue_is_refused(officer, household):
    with pytest.raises(errors.ExpiresBeforeIssue):
        add(
            officer,
            household,
            issue_date=TODAY() - dt.timedelta(days=5),
            expiry_date=TODAY() - dt.timedelta(days=6),
        )


def test_a_disguised_program_is_refused_and_nothing_is_written(officer, household):
    with pytest.raises(errors.ProgramNotDocument):
        add(officer, household, b"MZ" + b"\x00" * 200)
    assert not Document.objects.exists()
    assert not any(Path(settings.DOCUMENTS_ROOT).rglob("*.*"))


def test_the_same_file_twice_on_one_household_is_refused(officer, household):
    add(officer, household)
    with pytest.raises(errors.DuplicateDocument):
        add(officer, household, kind=DocumentKind.OTHER)
    assert Document.objects.count() == 1
    assert len([p for p in Path(settings.DOCUMENTS_ROOT).rglob("*") if p.is_file()]) == 1


def test_the_same_file_on_two_households_is_accepted(
    officer, household, other_officer, other_household
):
    add(officer, household)
    add(other_officer, other_household)
    assert Document.objects.count() == 2


def test_an_officer_of_another_branch_cannot_add(other_officer, household):
    with pytest.raises(PermissionDenied):
        add(other_officer, household)


def test_a_committee_member_cannot_add(committee_member, household):
    with pytest.raises(PermissionDenied):
        add(committee_member, household)


def test_a_researcher_can_add(researcher, household):
    assert add(researcher, household).uploaded_by == researcher


def test_removal_hides_the_document_keeps_the_file_and_is_audited(officer, household):
    document = add(officer, household)
    services.remove_document(actor=officer, document=document, reason="ملف خاطئ")
    document.refresh_from_db()
    assert document.removed_at and document.removed_by == officer
    assert not Document.objects.live().exists()
    assert stored_path(document).exists()
    entry = AuditEntry.objects.for_object(document).get(action=AuditAction.UPDATE)
    assert entry.summary == "ملف خاطئ" and "removed_at" in entry.changes
    assert TimelineEvent.objects.filter(file=household, kind=EventKind.DOCUMENT_REMOVED).exists()


def test_a_removed_document_cannot_be_removed_again(officer, household):
    document = add(officer, household)
    services.remove_document(actor=officer, document=document)
    with pytest.raises(errors.DocumentAlreadyRemoved):
        services.remove_document(actor=officer, document=Document.objects.get(pk=document.pk))


def test_the_same_file_may_be_uploaded_again_after_removal(officer, household):
    document = add(officer, household)
    services.remove_document(actor=officer, document=document)
    assert add(officer, household).pk != document.pk


@pytest.mark.parametrize("role", ["researcher", "committee_member"])
def test_only_holders_of_the_change_permission_remove(request, officer, household, role):
    document = add(officer, household)
    with pytest.raises(PermissionDenied):
        services.remove_document(actor=request.getfixturevalue(role), document=document)
    document.refresh_from_db()
    assert document.removed_at is None


def test_purge_deletes_every_row_and_stored_file_removed_ones_too(
    officer, household, other_officer, other_household, django_capture_on_commit_callbacks
):
    kept = add(other_officer, other_household)
    first = add(officer, household, pdf_bytes("one"))
    second = add(officer, household, png_bytes())
    services.remove_document(actor=officer, document=second)
    paths = [stored_path(first), stored_path(second)]
    with django_capture_on_commit_callbacks(execute=True):
        count = services.purge_file_documents(actor=SYSTEM, file=household)
    assert count == 2
    assert not Document.objects.filter(file=household).exists()
    assert not any(path.exists() for path in paths)
    assert stored_path(kept).exists()
    entry = AuditEntry.objects.for_object(household).get(action=AuditAction.DELETE)
    assert entry.changes["documents"]["before"] == sorted([first.pk, second.pk])
    assert "هوية" not in str(entry.changes) + entry.summary  # no names kept after a purge


def test_purge_keeps_the_files_until_the_transaction_commits(officer, household):
    document = add(officer, household)
    services.purge_file_documents(actor=officer, file=household)
    # The test's transaction never commits: a rolled-back purge must find its files.
    assert stored_path(document).exists()


def test_purge_needs_an_actor(household):
    with pytest.raises(ValueError):
        services.purge_file_documents(actor=None, file=household)


def test_purge_of_a_household_without_documents_is_zero(officer, household):
    assert services.purge_file_documents(actor=officer, file=household) == 0


def test_a_download_is_recorded_as_a_view(officer, household):
    document = add(officer, household)
    services.record_document_viewed(actor=officer, document=document)
    assert (
        AuditEntry.objects.for_object(document)
        .filter(action=AuditAction.VIEW, actor=officer)
        .exists()
    )
