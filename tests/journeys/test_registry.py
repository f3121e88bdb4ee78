"""A relations officer registers a household with two members and finds it again by a
misspelled name (issue 4 acceptance; P-PROC-2, P-PROC-6)."""

import pytest

from mustafid.accounts.roles import Role
from mustafid.accounts.tests.factories import PASSWORD, BranchFactory, StaffFactory
from mustafid.registry.tests.factories import national_id

pytestmark = pytest.mark.browser


def sign_in(page, base):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def fill_person(page, *, national, first, father, grandfather, family, sex):
    page.fill("input[name=national_id]", national)
    page.fill("input[name=first_name]", first)
    page.fill("input[name=father_name]", father)
    page.fill("input[name=grandfather_name]", grandfather)
    page.fill("input[name=family_name]", family)
    page.select_option("select[name=sex]", sex)


def test_an_officer_registers_a_household_and_finds_it_by_a_misspelled_name(
    page, live_server, transactional_db
):
    branch = BranchFactory(code="riyadh", name_ar="فرع الرياض", name_en="Riyadh branch")
    StaffFactory(username="officer", roles=[Role.RELATIONS_OFFICER], branches=[branch])
    base = live_server.url
    sign_in(page, base)

    page.click("text=المستفيدون")
    page.click("text=تسجيل أسرة")
    page.select_option("select[name=channel]", "visit")
    # The head's ID typed in Arabic-Indic digits, as staff often do.
    fill_person(
        page,
        national=national_id(61).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        first="أسماء",
        father="عبدالله",
        grandfather="ناصر",
        family="القحطاني",
        sex="female",
    )
    page.fill("input[name=mobile]", "0561234567")
    page.fill("input[name=city]", "الرياض")
    page.click("[data-testid=household-form] button[type=submit]")
    page.wait_for_selector("[data-testid=file-number]")
    number = page.inner_text("[data-testid=file-number]")

    for national, first, sex, relation in [
        (national_id(62), "ريم", "female", "daughter"),
        (national_id(63), "تركي", "male", "son"),
    ]:
        page.click("text=إضافة فرد")
        page.select_option("select[name=relation]", relation)
        fill_person(
            page,
            national=national,
            first=first,
            father="محمد",
            grandfather="عبدالله",
            family="القحطاني",
            sex=sex,
        )
        page.click("[data-testid=member-form] button[type=submit]")
        page.wait_for_selector("[data-testid=file-number]")
    assert page.locator("[data-testid=household] tbody tr").count() == 3

    page.click("text=المستفيدون")
    page.fill("input[name=q]", "اسماء عبد الله القحطانى")  # hamza, spacing and ى misspelled
    page.wait_for_selector(f"[data-testid=search-results] >> text={number}")
    page.click("[data-testid=search-results] a >> nth=0")
    page.wait_for_selector("[data-testid=file-number]")
    assert page.inner_text("[data-testid=file-number]") == number
    assert page.evaluate("window.__cspViolations") == []
    assert page.console_errors == []
