"""A relations officer records a household's consent to be contacted, then its withdrawal,
on the file page in Arabic (PDPL Art. 5; P-OBJ-1, P-PROC-2)."""

import pytest

from mustafid.accounts.roles import Role
from mustafid.accounts.tests.factories import PASSWORD, BranchFactory, StaffFactory
from mustafid.registry import services
from mustafid.registry.tests.factories import national_id

pytestmark = pytest.mark.browser


def test_an_officer_records_and_withdraws_a_consent_on_the_file_page(
    page, live_server, transactional_db
):
    branch = BranchFactory(code="riyadh", name_ar="فرع الرياض", name_en="Riyadh branch")
    officer = StaffFactory(username="officer", roles=[Role.RELATIONS_OFFICER], branches=[branch])
    file = services.create_file(
        actor=officer,
        branch=branch,
        channel="visit",
        city="الرياض",
        head={
            "national_id": national_id(81),
            "first_name": "لطيفة",
            "father_name": "سعد",
            "family_name": "الحربي",
            "sex": "female",
        },
    )
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}{file.get_absolute_url()}")
    assert page.locator("[data-testid=file-flags] .text-bg-warning").count() == 1

    page.click("#consent summary.btn")
    page.select_option("select[name=consent-purpose]", "contact")
    page.select_option("select[name=consent-channel]", "phone")
    page.fill("input[name=consent-note]", "موافقة هاتفية")
    page.click("[data-testid=consent-form] button[type=submit]")
    row = page.locator("[data-testid=consent-row][data-purpose=contact]")
    row.wait_for()
    assert row.get_attribute("data-active") == "true"
    assert "هـ" in row.inner_text()  # the Hijri date beside the Gregorian

    row.locator("summary").click()
    row.locator("select").select_option("letter")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=consent-row][data-purpose=contact][data-active=false]")

    page.reload()
    assert page.locator("[data-testid=file-flags] .text-bg-danger").count() == 1
    assert page.evaluate("window.__cspViolations") == []
    assert page.console_errors == []
