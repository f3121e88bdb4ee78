"""A branch manager reviews a possible duplicate, merges the two files, follows the old
number to the survivor, then reverts the merge (issue 4 item 6; P-CH, P-PROC-2)."""

from datetime import date

import pytest

from mustafid.accounts.roles import Role, sync_role_groups
from mustafid.accounts.tests.factories import PASSWORD, BranchFactory, StaffFactory
from mustafid.registry import services
from mustafid.registry.duplicates import find_duplicate_candidates
from mustafid.registry.tests.factories import national_id

pytestmark = pytest.mark.browser


def register(actor, branch, n, **extra):
    head = {
        "national_id": national_id(n),
        "first_name": "منيرة",
        "father_name": "سعد",
        "grandfather_name": "ناصر",
        "family_name": "الشهري",
        "sex": "female",
        "birth_date": date(1982, 5, 9),
        **extra,
    }
    return services.create_file(actor=actor, branch=branch, channel="visit", city="أبها", head=head)


def test_a_manager_merges_a_duplicate_and_reverts_it(page, live_server, transactional_db):
    sync_role_groups()
    branch = BranchFactory(code="abha", name_ar="فرع أبها", name_en="Abha branch")
    manager = StaffFactory(username="manager", roles=[Role.BRANCH_MANAGER], branches=[branch])
    first = register(manager, branch, 71)
    second = register(manager, branch, 72, national_id=None)  # registered again by phone
    find_duplicate_candidates()
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/registry/duplicates/")
    page.click("[data-testid=duplicate-row] a")
    page.wait_for_selector("[data-testid=comparison]")
    assert page.locator("[data-testid=matched-person]").count() == 2

    page.check("[data-testid=merge-form] input[name=survivor][value=a]")
    page.check("[data-testid=merge-form] input[name=confirm]")
    page.click("[data-testid=merge-form] button[type=submit]")
    page.wait_for_selector("[data-testid=merge-status]")
    assert page.inner_text("[data-testid=target-number]") == first.number

    page.goto(f"{base}/registry/files/{second.number}/")
    page.wait_for_selector("[data-testid=file-number]")
    assert page.inner_text("[data-testid=file-number]") == first.number
    assert page.locator("[data-testid=household] tbody tr").count() == 2

    page.goto(f"{base}/registry/duplicates/?tab=merged")
    page.click("[data-testid=merges] a >> nth=-1")
    page.check("[data-testid=revert-form] input[name=confirm]")
    page.click("[data-testid=revert-form] button[type=submit]")
    page.wait_for_selector("[data-testid=merge-status]")
    assert page.locator("[data-testid=revert-form]").count() == 0

    page.goto(f"{base}/registry/files/{second.number}/")
    page.wait_for_selector("[data-testid=file-number]")
    assert page.inner_text("[data-testid=file-number]") == second.number
    assert page.evaluate("window.__cspViolations") == []
    assert page.console_errors == []
