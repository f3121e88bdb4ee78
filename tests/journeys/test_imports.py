"""A branch manager imports an old Excel register with a bad row: uploads it, checks the
proposed column mapping, follows the validation, reads why the row failed, imports the
valid households and opens one of the new files (issue 4 item 8; P-PROC-2, P-PROC-6)."""

import pytest
from django.core.management import call_command

from mustafid.accounts.roles import Role
from mustafid.accounts.tests.factories import PASSWORD, BranchFactory, StaffFactory
from mustafid.imports.tests.helpers import valid_rows, xlsx_bytes

pytestmark = pytest.mark.browser


def test_a_manager_imports_a_register_and_skips_the_bad_household(
    page, live_server, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    branch = BranchFactory(code="riyadh", name_ar="فرع الرياض", name_en="Riyadh branch")
    StaffFactory(username="manager", roles=[Role.BRANCH_MANAGER], branches=[branch])
    rows = valid_rows()
    rows[3][2] = "1000000000"  # household B's head: a wrong check digit
    register = tmp_path / "السجل القديم.xlsx"
    register.write_bytes(xlsx_bytes(rows))
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.click("a[href='/imports/']")  # the dashboard's tool link
    page.click("a[href='/imports/new/']")
    page.select_option("select[name=channel]", "branch_representative")
    page.set_input_files("input[name=upload]", str(register))
    page.click("[data-testid=upload-form] button[type=submit]")

    # Every column was recognised from its Arabic header.
    page.wait_for_selector("[data-testid=mapping-form]")
    assert page.input_value("select[name=column_2]") == "national_id"
    page.click("[data-testid=mapping-form] button[type=submit]")
    page.wait_for_selector("[data-testid=job-progress]")
    call_command("db_worker", batch=True, interval=0)
    # htmx polls the progress and reloads the page once the task is done.
    page.wait_for_selector("[data-testid=report]", timeout=15_000)
    assert page.inner_text("[data-testid=failed-rows]") == "1"
    assert "رقم الهوية" in page.inner_text('[data-row="4"]')

    page.check("input[name=mode][value=valid_only]")
    page.click("[data-testid=confirm-form] button[type=submit]")
    page.wait_for_selector("[data-testid=job-progress]")
    call_command("db_worker", batch=True, interval=0)
    page.wait_for_selector("[data-testid=import-result]", timeout=15_000)
    assert page.locator("[data-testid=imported-files] tbody tr").count() == 1

    page.click("[data-testid=imported-files] a >> nth=0")
    page.wait_for_selector("[data-testid=household]")
    assert page.locator("[data-testid=household] tbody tr").count() == 2
    assert page.evaluate("window.__cspViolations") == []
    assert page.console_errors == []
