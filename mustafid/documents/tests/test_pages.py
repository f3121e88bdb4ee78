"""The upload page, the download, the file page section and the expiry worklist
(issue 4 item 3; P-PROC-2)."""

import datetime as dt
import io
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from mustafid.accounts.roles import Role
from mustafid.accounts.tests.factories import StaffFactory
from mustafid.core.models import AuditAction, AuditEntry
from mustafid.documents import services
from mustafid.documents.models import Document, DocumentKind
from mustafid.documents.tests.factories import (
    pdf_bytes,
    png_bytes,
    register_household,
    upload,
)

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def add(actor, file, content=None, **extra):
    extra.setdefault("kind", DocumentKind.ID_COPY)
    name = extra.pop("name", "هوية الأم.pdf")
    return services.add_document(
        actor=actor, file=file, uploaded=upload(content or pdf_bytes(), name=name), **extra
    )


def post_upload(client, file, content, *, name="scan.pdf", content_type="application/pdf", **data):
    fields = {"kind": DocumentKind.ID_COPY, "note": "نسخة الهوية", **data}
    fields["uploaded"] = upload(content, name=name, content_type=content_type)
    return client.post(reverse("documents:add", args=[file.number]), fields)


# Upload -----------------------------------------------------------------------------------


def test_an_officer_uploads_a_pdf_and_returns_to_the_documents(officer_client, household):
    son = household.members.get(first_name="فهد")
    response = post_upload(
        officer_client,
        household,
        pdf_bytes(),
        person=son.pk,
        issue_date="2024-01-10",
        expiry_date_hijri="1450/01/01",
    )
    assert response.status_code == 302
    assert response["Location"] == f"{household.get_absolute_url()}#documents"
    document = Document.objects.get()
    assert document.person == son and document.note == "نسخة الهوية"
    assert document.expiry_date.year == 2028  # 1 Muharram 1450 AH


@pytest.mark.parametrize(
    ("content", "name", "content_type", "message"),
    [
        (b"MZ" + b"\x00" * 300, "id.pdf", "application/pdf", "program"),
        (b"\x7fELF" + b"\x00" * 300, "id.pdf", "application/pdf", "program"),
        (b"<html><script>alert(1)</script></html>", "id.pdf", "application/pdf", "web page"),
        (b"<svg onload='alert(1)'/>", "photo.png", "image/png", "web page"),
        (b"%PDF-1.7\nnot a pdf", "id.pdf", "application/pdf", "not a complete PDF"),
        (b"GIF89a\x01\x00\x01\x00", "id.gif", "image/gif", "Only PDF, JPEG and PNG"),
        (b"", "empty.pdf", "application/pdf", "empty"),
    ],
    ids=["exe", "elf", "html", "svg", "fake-pdf", "gif", "empty"],
)
def test_a_refused_file_shows_why_on_the_field_and_keeps_the_rest(
    officer_client, household, content, name, content_type, message
):
    officer_client.cookies["mustafid_language"] = "en"
    response = post_upload(
        officer_client,
        household,
        content,
        name=name,
        content_type=content_type,
        kind=DocumentKind.LEASE,
        issue_date="2024-01-10",
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Document.objects.exists()
    assert message in html and "invalid-feedback" in html
    assert 'value="نسخة الهوية"' in html and 'value="2024-01-10"' in html
    assert '<option value="lease" selected>' in html


def test_a_large_scan_streamed_to_disk_is_accepted(officer_client, household):
    """Over 2.5 MB Django spools the upload to a temporary file; it must still be read."""
    noise = Image.frombytes("RGB", (1100, 1100), os.urandom(1100 * 1100 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    assert len(buffer.getvalue()) > 2_621_440
    response = post_upload(
        officer_client, household, buffer.getvalue(), name="scan.png", content_type="image/png"
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.size == len(buffer.getvalue()) and document.stored.size == document.size


def test_a_file_over_the_limit_is_refused_on_the_page(officer_client, household, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    response = post_upload(officer_client, household, pdf_bytes())
    assert response.status_code == 200 and not Document.objects.exists()
    assert 'id="id_uploaded"' in response.content.decode()
    assert response.context["form"].errors["uploaded"]


def test_date_refusals_land_on_their_fields(officer_client, household):
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    response = post_upload(officer_client, household, pdf_bytes(), issue_date=tomorrow)
    assert response.context["form"].errors["issue_date"]
    response = post_upload(
        officer_client, household, pdf_bytes(), issue_date="2024-05-01", expiry_date="2024-04-01"
    )
    assert response.context["form"].errors["expiry_date"]
    assert not Document.objects.exists()


def test_a_person_of_another_household_cannot_be_chosen(officer_client, household, other_household):
    stranger = other_household.members.first()
    response = post_upload(officer_client, household, pdf_bytes(), person=stranger.pk)
    assert response.context["form"].errors["person"] and not Document.objects.exists()


def test_the_same_file_twice_is_refused_on_the_file_field(officer_client, officer, household):
    add(officer, household)
    response = post_upload(officer_client, household, pdf_bytes())
    assert response.context["form"].errors["uploaded"]
    assert Document.objects.count() == 1


def test_the_upload_page_is_a_404_for_a_committee_member(client, committee_member, household):
    client.force_login(committee_member)
    assert client.get(reverse("documents:add", args=[household.number])).status_code == 404


def test_the_upload_page_is_a_404_for_another_branch(client, other_officer, household):
    client.force_login(other_officer)
    assert client.get(reverse("documents:add", args=[household.number])).status_code == 404


# Download ---------------------------------------------------------------------------------


def test_the_right_user_downloads_a_pdf_with_safe_headers(officer_client, officer, household):
    document = add(officer, household)
    response = officer_client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]  # the Arabic name, encoded
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_an_image_opens_in_the_browser(officer_client, officer, household):
    document = add(officer, household, png_bytes(), name="lease.png")
    response = officer_client.get(document.get_absolute_url())
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="lease.png"'


def test_each_download_is_audited(officer_client, officer, household):
    document = add(officer, household)
    officer_client.get(document.get_absolute_url())
    officer_client.get(document.get_absolute_url())
    views = AuditEntry.objects.for_object(document).filter(action=AuditAction.VIEW, actor=officer)
    assert views.count() == 2


def test_another_branchs_user_gets_a_404(client, other_officer, officer, household):
    document = add(officer, household)
    client.force_login(other_officer)
    assert client.get(document.get_absolute_url()).status_code == 404
    assert not AuditEntry.objects.for_object(document).filter(action=AuditAction.VIEW).exists()


def test_a_user_without_the_documents_permission_gets_a_404(
    client, quality_officer, officer, household
):
    """The quality officer sees the file but not its documents (PDPL: need to know)."""
    document = add(officer, household)
    client.force_login(quality_officer)
    assert client.get(document.get_absolute_url()).status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(client, officer, household):
    document = add(officer, household)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_manager_of_any_branch_may_download(client, officer, household, other_branch):
    """Managers see every branch's files (issue 4 item 9), so their documents too."""
    document = add(officer, household)
    client.force_login(
        StaffFactory(username="j.manager", roles=[Role.BRANCH_MANAGER], branches=[other_branch])
    )
    assert client.get(document.get_absolute_url()).status_code == 200


def test_a_removed_document_is_a_404(officer_client, officer, household):
    document = add(officer, household)
    services.remove_document(actor=officer, document=document)
    assert officer_client.get(document.get_absolute_url()).status_code == 404


# The file page section ------------------------------------------------------------------


def test_the_file_page_lists_documents_with_badges_and_flags(officer_client, officer, household):
    add(officer, household, pdf_bytes("a"), expiry_date=today() - dt.timedelta(days=3))
    add(officer, household, pdf_bytes("b"), expiry_date=today() - dt.timedelta(days=1))
    add(officer, household, pdf_bytes("c"), expiry_date=today() + dt.timedelta(days=5))
    add(officer, household, pdf_bytes("d"), expiry_date=today() + dt.timedelta(days=300))
    response = officer_client.get(household.get_absolute_url())
    levels = [flag.level for flag in response.context["flags"] if flag.url == "#documents"]
    assert levels == ["danger", "warning"]
    html = response.content.decode()
    assert 'id="documents"' in html
    assert html.count('data-status="expired"') == 2 and html.count('data-status="expiring"') == 1
    assert reverse("documents:add", args=[household.number]) in html
    assert reverse("documents:expiring") in html


def test_the_flags_count_in_english(officer_client, officer, household):
    add(officer, household, pdf_bytes("a"), expiry_date=today() - dt.timedelta(days=3))
    add(officer, household, pdf_bytes("b"), expiry_date=today() - dt.timedelta(days=1))
    add(officer, household, pdf_bytes("c"), expiry_date=today() + dt.timedelta(days=5))
    officer_client.cookies["mustafid_language"] = "en"
    texts = [
        flag.text for flag in officer_client.get(household.get_absolute_url()).context["flags"]
    ]
    assert "2 documents expired" in texts and "1 document expires soon" in texts


def test_the_expiry_warning_window_comes_from_the_settings(
    officer_client, officer, household, settings
):
    add(officer, household, expiry_date=today() + dt.timedelta(days=50))
    settings.DOCUMENT_EXPIRY_WARNING_DAYS = 60
    response = officer_client.get(household.get_absolute_url())
    assert [flag.level for flag in response.context["flags"] if flag.url == "#documents"] == [
        "warning"
    ]


def test_a_removed_document_is_not_listed(officer_client, officer, household):
    document = add(officer, household, note="للحذف")
    services.remove_document(actor=officer, document=document)
    html = officer_client.get(household.get_absolute_url()).content.decode()
    assert "للحذف" not in html and 'data-testid="document-row"' not in html


def test_a_manager_gets_the_documents_history_link(client, manager, officer, household):
    document = add(officer, household)
    client.force_login(manager)
    html = client.get(household.get_absolute_url()).content.decode()
    assert reverse("core:audit_trail", args=["documents.document", document.pk]) in html


def test_a_committee_member_sees_documents_without_upload_or_remove(
    client, committee_member, officer, household
):
    document = add(officer, household)
    client.force_login(committee_member)
    html = client.get(household.get_absolute_url()).content.decode()
    assert document.get_absolute_url() in html
    assert reverse("documents:add", args=[household.number]) not in html
    assert reverse("documents:remove", args=[document.pk]) not in html
    assert reverse("core:audit_trail", args=["documents.document", document.pk]) not in html


def test_the_quality_officer_sees_no_documents_section(client, quality_officer, officer, household):
    add(officer, household)
    client.force_login(quality_officer)
    assert 'id="documents"' not in client.get(household.get_absolute_url()).content.decode()


def test_the_file_page_queries_do_not_grow_with_documents(
    officer_client, officer, household, django_assert_num_queries, django_assert_max_num_queries
):
    add(officer, household, pdf_bytes("first"), person=household.members.first())
    officer_client.get(household.get_absolute_url())
    with django_assert_max_num_queries(30) as one:
        officer_client.get(household.get_absolute_url())
    for n in range(12):
        add(
            officer,
            household,
            pdf_bytes(f"more {n}"),
            person=household.members.last(),
            expiry_date=today() + dt.timedelta(days=n),
        )
    with django_assert_num_queries(len(one.captured_queries)):
        officer_client.get(household.get_absolute_url())


# Removal ----------------------------------------------------------------------------------


def test_an_officer_removes_a_document_with_a_reason(officer_client, officer, household):
    document = add(officer, household)
    url = reverse("documents:remove", args=[document.pk])
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(url, {"reason": "رُفع إلى ملف آخر"})
    assert response["Location"] == f"{household.get_absolute_url()}#documents"
    document.refresh_from_db()
    assert document.removed_by == officer
    assert AuditEntry.objects.for_object(document).filter(summary="رُفع إلى ملف آخر").exists()


def test_a_researcher_cannot_remove(client, researcher, officer, household):
    document = add(officer, household)
    client.force_login(researcher)
    response = client.post(reverse("documents:remove", args=[document.pk]))
    assert response.status_code == 404
    document.refresh_from_db()
    assert document.removed_at is None


# The expiry worklist --------------------------------------------------------------------


@pytest.fixture
def expiring(officer, household, other_officer, other_household):
    """Riyadh: one expired ID, one lease expiring soon, one valid; Jeddah: one expired."""
    return {
        "expired": add(
            officer, household, pdf_bytes("1"), expiry_date=today() - dt.timedelta(days=2)
        ),
        "soon": add(
            officer,
            household,
            pdf_bytes("2"),
            kind=DocumentKind.LEASE,
            expiry_date=today() + dt.timedelta(days=10),
        ),
        "valid": add(
            officer, household, pdf_bytes("3"), expiry_date=today() + dt.timedelta(days=400)
        ),
        "jeddah": add(
            other_officer,
            other_household,
            pdf_bytes("4"),
            expiry_date=today() - dt.timedelta(days=1),
        ),
    }


def rows(response):
    return [document.pk for document in response.context["page"]]


def test_the_worklist_shows_only_the_users_branch_newest_problem_first(officer_client, expiring):
    response = officer_client.get(reverse("documents:expiring"))
    assert rows(response) == [expiring["soon"].pk, expiring["expired"].pk]
    html = response.content.decode()
    assert expiring["soon"].file.get_absolute_url() + "#documents" in html


def test_the_worklist_filters_by_status_and_kind(officer_client, expiring):
    url = reverse("documents:expiring")
    assert rows(officer_client.get(url, {"status": "expired"})) == [expiring["expired"].pk]
    assert rows(officer_client.get(url, {"status": "expiring"})) == [expiring["soon"].pk]
    assert rows(officer_client.get(url, {"kind": DocumentKind.LEASE})) == [expiring["soon"].pk]
    assert rows(officer_client.get(url, {"status": "nonsense"})) == [
        expiring["soon"].pk,
        expiring["expired"].pk,
    ]


def test_a_manager_sees_every_branch_on_the_worklist(client, expiring, other_branch):
    client.force_login(
        StaffFactory(username="j.manager", roles=[Role.BRANCH_MANAGER], branches=[other_branch])
    )
    assert set(rows(client.get(reverse("documents:expiring")))) == {
        expiring["soon"].pk,
        expiring["expired"].pk,
        expiring["jeddah"].pk,
    }


def test_the_worklist_refreshes_only_its_table_with_htmx(officer_client, expiring):
    response = officer_client.get(
        reverse("documents:expiring"), {"status": "expired"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html and 'id="expiring-table"' in html


def test_the_worklist_is_closed_without_the_documents_permission(client, quality_officer):
    client.force_login(quality_officer)
    assert client.get(reverse("documents:expiring")).status_code == 403


def test_the_worklist_is_paginated_and_its_queries_do_not_grow(
    officer_client, officer, branch, django_assert_num_queries, django_assert_max_num_queries
):
    for n in range(3):
        file = register_household(officer, branch, n=200 + n)
        add(officer, file, pdf_bytes(f"p{n}"), expiry_date=today() - dt.timedelta(days=n))
    officer_client.get(reverse("documents:expiring"))
    # session, user, permissions, roles, branches, count, page, heads of household
    with django_assert_max_num_queries(10) as few:
        officer_client.get(reverse("documents:expiring"))
    for n in range(3, 60):
        file = register_household(officer, branch, n=200 + n)
        add(officer, file, pdf_bytes(f"p{n}"), expiry_date=today() - dt.timedelta(days=n))
    with django_assert_num_queries(len(few.captured_queries)):
        response = officer_client.get(reverse("documents:expiring"))
    assert len(response.context["page"]) == 50 and response.context["page"].has_next()
    assert len(officer_client.get(reverse("documents:expiring"), {"page": 2}).context["page"]) == 10
