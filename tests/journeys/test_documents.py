"""A relations officer keeps a household's ID copy on its file, sees a disguised program
refused, and finds the expired copy on the worklist (issue 4 item 3; P-PROC-2)."""

import datetime as dt

import pytest
from django.utils import timezone

from mustafid.accounts.roles import Role
from mustafid.accounts.tests.factories import PASSWORD, BranchFactory, StaffFactory
from mustafid.documents.tests.factories import pdf_bytes, register_household

pytestmark = pytest.mark.browser


def test_an_officer_uploads_a_document_and_finds_it_expired(
    page, live_server, transactional_db, settings, tmp_path
):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    branch = BranchFactory(code="riyadh", name_ar="فرع الرياض", name_en="Riyadh branch")
    officer = StaffFactory(username="officer", roles=[Role.RELATIONS_OFFICER], branches=[branch])
    file = register_household(officer, branch)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}{file.get_absolute_url()}")
    page.click("[data-testid=add-document]")
    page.select_option("select[name=kind]", "id_copy")
    page.fill("input[name=note]", "صورة الهوية")
    # A Windows program named like a PDF: refused on the field, the note kept.
    page.set_input_files(
        "input[name=uploaded]",
        files=[{"name": "هوية.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + b"\0" * 64}],
    )
    page.click("[data-testid=document-form] button[type=submit]")
    page.wait_for_selector("#id_uploaded.is-invalid")
    assert page.input_value("input[name=note]") == "صورة الهوية"

    expired = timezone.localdate() - dt.timedelta(days=3)
    page.set_input_files(
        "input[name=uploaded]",
        files=[{"name": "هوية.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.fill("input[name=issue_date]", "2020-01-01")
    page.fill("input[name=expiry_date]", expired.isoformat())
    page.click("[data-testid=document-form] button[type=submit]")
    page.wait_for_selector("[data-testid=document-row][data-status=expired]")
    assert page.locator("[data-testid=file-flags] .text-bg-danger").count() >= 1

    page.click("#documents a[href='/documents/expiring/']")
    page.wait_for_selector("[data-testid=expiring-row][data-status=expired]")
    assert file.number in page.inner_text("[data-testid=expiring]")
    assert page.evaluate("window.__cspViolations") == []
    assert page.console_errors == []
