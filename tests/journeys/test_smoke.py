"""Browser smoke test (issue 3 item 16): a relations officer signs in in Arabic, sees the
right-to-left dashboard, switches to English and back, with no console errors and no
CSP violations."""

import pytest

from mustafid.accounts.roles import Role
from mustafid.accounts.tests.factories import PASSWORD, BranchFactory, StaffFactory

pytestmark = pytest.mark.browser


def _assert_clean(page):
    assert page.evaluate("window.__cspViolations") == []
    assert page.console_errors == []


def test_an_officer_signs_in_in_arabic_and_switches_language(page, live_server, transactional_db):
    branch = BranchFactory(code="riyadh", name_ar="فرع الرياض", name_en="Riyadh branch")
    StaffFactory(username="officer", roles=[Role.RELATIONS_OFFICER], branches=[branch])

    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert page.get_attribute("html", "lang") == "ar"
    assert page.get_attribute("html", "dir") == "rtl"
    _assert_clean(page)

    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert "فرع الرياض" in page.inner_text("main")
    assert "هـ" in page.inner_text("[data-testid=today]")  # the Hijri date is shown
    _assert_clean(page)

    page.click("[data-testid=language-switch] button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.get_attribute("html", "dir") == "ltr"
    assert "Riyadh branch" in page.inner_text("main")
    assert "AH" in page.inner_text("[data-testid=today]")
    _assert_clean(page)

    page.click("[data-testid=language-switch] button[value=ar]")
    page.wait_for_selector("html[lang=ar]")
    assert page.get_attribute("html", "dir") == "rtl"
    _assert_clean(page)


def test_the_mobile_menu_opens_under_the_strict_csp(browser, live_server, transactional_db):
    branch = BranchFactory(code="riyadh")
    StaffFactory(username="officer", roles=[Role.RELATIONS_OFFICER], branches=[branch])
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.click(".navbar-toggler")
    page.wait_for_selector("#main-nav.show")
    assert errors == []
    context.close()
