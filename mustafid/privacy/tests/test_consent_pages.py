"""The consent section of the file page: shown, flagged, recorded and withdrawn (PDPL Art. 5;
P-OBJ-1, P-PROC-2)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mustafid.core.dates import format_dual
from mustafid.privacy import services
from mustafid.privacy.models import Consent, Purpose
from mustafid.privacy.selectors import has_consent

pytestmark = pytest.mark.django_db


def record_url(file):
    return reverse("privacy:record_consent", args=[file.number])


def withdraw_url(consent):
    return reverse("privacy:withdraw_consent", args=[consent.file.number, consent.pk])


def give(actor, file, purpose=Purpose.CONTACT, **kwargs):
    return services.record_consent(
        actor=actor, file=file, purpose=purpose, channel="visit", **kwargs
    )


def page(client, file) -> str:
    response = client.get(file.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_file_page_shows_each_consent_with_its_dual_date_channel_and_recorder(
    officer_client, officer, household
):
    day = timezone.localdate() - dt.timedelta(days=10)
    consent = give(officer, household, given_at=day, person=household.members.get())
    html = page(officer_client, household)
    assert 'data-testid="consent-row"' in html
    assert format_dual(consent.given_at) in html  # Hijri and Gregorian
    assert "المقابلة" in html or "In-person interview" in html
    assert officer.get_full_name() in html
    assert "مريم سالم حمد الدوسري" in html


def test_a_withdrawn_consent_shows_when_and_how_it_was_withdrawn(
    officer_client, officer, household
):
    consent = give(officer, household)
    services.withdraw_consent(actor=officer, consent=consent, channel="phone", reason="سبب")
    consent.refresh_from_db()
    html = page(officer_client, household)
    assert 'data-active="false"' in html and format_dual(consent.withdrawn_at) in html
    assert "سبب" in html


def test_a_household_without_consent_is_flagged(officer_client, household):
    response = officer_client.get(household.get_absolute_url())
    texts = [flag.text for flag in response.context["flags"]]
    levels = [flag.level for flag in response.context["flags"]]
    assert "warning" in levels and any("consent" in t or "موافقة" in t for t in texts)


def test_a_withdrawn_contact_consent_is_flagged_as_danger(officer_client, officer, household):
    consent = give(officer, household)
    services.withdraw_consent(actor=officer, consent=consent, channel="phone")
    flags = officer_client.get(household.get_absolute_url()).context["flags"]
    danger = [flag for flag in flags if flag.level == "danger"]
    assert len(danger) == 1 and str(Purpose.CONTACT.label) in danger[0].text


def test_consent_given_again_clears_the_withdrawn_flag(officer_client, officer, household):
    consent = give(officer, household)
    services.withdraw_consent(actor=officer, consent=consent, channel="phone")
    give(officer, household)
    flags = officer_client.get(household.get_absolute_url()).context["flags"]
    assert not [flag for flag in flags if flag.level in ("danger", "warning")]


def test_an_officer_records_a_consent_with_a_plain_post(officer_client, officer, household):
    response = officer_client.post(
        record_url(household),
        {"consent-purpose": "contact", "consent-channel": "phone", "consent-note": "موافقة شفهية"},
    )
    assert response.status_code == 302 and response.url.endswith("#consent")
    consent = Consent.objects.get(file=household)
    assert (consent.channel, consent.recorded_by, consent.note) == (
        "phone",
        officer,
        "موافقة شفهية",
    )


def test_an_officer_records_a_consent_with_htmx_and_gets_the_section_back(
    officer_client, household
):
    response = officer_client.post(
        record_url(household),
        {"consent-purpose": "registration", "consent-channel": "visit"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="consent"' in html
    assert has_consent(file=household, purpose=Purpose.REGISTRATION)


def test_a_consent_dated_in_the_future_is_refused_on_the_field_keeping_what_was_typed(
    officer_client, household
):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = officer_client.post(
        record_url(household),
        {
            "consent-purpose": "contact",
            "consent-channel": "phone",
            "consent-given_on": tomorrow,
            "consent-note": "نموذج 77",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "given_on" in form.errors
    html = response.content.decode()
    assert "نموذج 77" in html and 'aria-invalid="true"' in html
    assert not Consent.objects.exists()


def test_a_second_consent_for_a_purpose_is_explained_on_the_form_not_a_500(
    officer_client, officer, household
):
    give(officer, household)
    response = officer_client.post(
        record_url(household),
        {"consent-purpose": "contact", "consent-channel": "phone", "consent-note": "مرة ثانية"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "alert-danger" in html and "مرة ثانية" in html
    assert Consent.objects.count() == 1


def test_a_person_of_another_household_is_not_a_choice(officer_client, household, other_household):
    stranger = other_household.members.get()
    response = officer_client.post(
        record_url(household),
        {"consent-purpose": "contact", "consent-channel": "phone", "consent-person": stranger.pk},
    )
    assert response.status_code == 200 and "person" in response.context["form"].errors
    assert not Consent.objects.exists()


def test_recording_on_another_branchs_file_is_a_404(client, jeddah_officer, household):
    client.force_login(jeddah_officer)
    response = client.post(
        record_url(household), {"consent-purpose": "contact", "consent-channel": "phone"}
    )
    assert response.status_code == 404 and not Consent.objects.exists()


def test_a_committee_member_is_refused_recording(client, committee_member, household):
    client.force_login(committee_member)
    response = client.post(
        record_url(household), {"consent-purpose": "contact", "consent-channel": "phone"}
    )
    assert response.status_code == 403 and not Consent.objects.exists()


def test_a_committee_member_sees_the_consents_without_forms(
    client, officer, committee_member, household
):
    give(officer, household)
    client.force_login(committee_member)
    html = page(client, household)
    assert 'data-testid="consent-row"' in html
    assert 'data-testid="consent-form"' not in html and 'data-testid="withdrawal-form"' not in html


def test_the_officer_sees_the_forms(officer_client, officer, household):
    give(officer, household)
    html = page(officer_client, household)
    assert 'data-testid="consent-form"' in html and 'data-testid="withdrawal-form"' in html


def test_an_officer_withdraws_a_consent_with_a_plain_post(officer_client, officer, household):
    consent = give(officer, household)
    prefix = f"withdraw-{consent.pk}"
    response = officer_client.post(
        withdraw_url(consent), {f"{prefix}-channel": "letter", f"{prefix}-reason": "طلب خطي"}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert (consent.withdrawal_channel, consent.withdrawal_reason) == ("letter", "طلب خطي")


def test_an_officer_withdraws_a_consent_with_htmx(officer_client, officer, household):
    consent = give(officer, household)
    response = officer_client.post(
        withdraw_url(consent),
        {f"withdraw-{consent.pk}-channel": "phone"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and 'data-active="false"' in response.content.decode()
    assert not has_consent(file=household, purpose=Purpose.CONTACT)


def test_withdrawing_an_already_withdrawn_consent_is_explained(officer_client, officer, household):
    consent = give(officer, household)
    services.withdraw_consent(actor=officer, consent=consent, channel="phone")
    response = officer_client.post(
        withdraw_url(consent), {f"withdraw-{consent.pk}-channel": "phone"}
    )
    assert response.status_code == 200 and "alert-danger" in response.content.decode()


def test_withdrawing_a_consent_of_another_branch_is_a_404(
    client, jeddah_officer, officer, household
):
    consent = give(officer, household)
    client.force_login(jeddah_officer)
    response = client.post(withdraw_url(consent), {f"withdraw-{consent.pk}-channel": "phone"})
    assert response.status_code == 404 and has_consent(file=household, purpose=Purpose.CONTACT)


def test_a_consent_id_of_another_file_is_a_404(officer_client, officer, household, branch):
    from mustafid.privacy.tests.conftest import register

    neighbour = register(officer, branch, n=71, first_name="هند")
    consent = give(officer, neighbour)
    url = reverse("privacy:withdraw_consent", args=[household.number, consent.pk])
    assert officer_client.post(url, {f"withdraw-{consent.pk}-channel": "phone"}).status_code == 404


def test_the_record_form_page_works_without_javascript(officer_client, household):
    response = officer_client.get(record_url(household))
    assert response.status_code == 200 and 'data-testid="consent-form"' in response.content.decode()


def test_the_file_page_queries_do_not_grow_with_the_consents(
    officer_client, officer, household, django_assert_num_queries, django_assert_max_num_queries
):
    give(officer, household, purpose=Purpose.CONTACT)
    officer_client.get(household.get_absolute_url())
    with django_assert_max_num_queries(30) as few:
        officer_client.get(household.get_absolute_url())
    for _round in range(3):
        for purpose in (Purpose.CONTACT, Purpose.REGISTRATION, Purpose.SATISFACTION_SURVEY):
            consent = Consent.objects.filter(file=household, purpose=purpose).first()
            if consent and consent.is_active:
                services.withdraw_consent(actor=officer, consent=consent, channel="phone")
            give(officer, household, purpose=purpose)
    with django_assert_num_queries(len(few.captured_queries)):
        officer_client.get(household.get_absolute_url())


def test_who_viewed_this_file_is_linked_for_those_who_may_read_the_log(client, sysadmin, household):
    client.force_login(sysadmin)
    assert 'data-testid="file-views-link"' in page(client, household)


def test_who_viewed_this_file_is_not_linked_for_an_officer(officer_client, household):
    assert 'data-testid="file-views-link"' not in page(officer_client, household)


def test_a_manager_reads_another_branchs_consents_without_the_forms(
    client, manager, other_household
):
    """Managers read every branch's files (issue 4 item 9) but change only their own."""
    client.force_login(manager)
    html = page(client, other_household)
    assert 'data-testid="consent-section"' in html and 'data-testid="consent-form"' not in html


def test_a_withdrawal_recorded_first_by_someone_else_is_explained_with_htmx(
    officer_client, officer, household
):
    consent = give(officer, household)
    services.withdraw_consent(actor=officer, consent=consent, channel="phone")
    response = officer_client.post(
        withdraw_url(consent),
        {f"withdraw-{consent.pk}-channel": "visit"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" not in html and "alert-danger" in html and 'data-active="false"' in html
