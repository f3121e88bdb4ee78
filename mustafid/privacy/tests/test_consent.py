"""Recording and withdrawing consent (PDPL Art. 5; P-OBJ-1, P-PROC-2)."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from mustafid.core.errors import PermissionDenied
from mustafid.core.models import AuditAction, AuditEntry
from mustafid.privacy import services
from mustafid.privacy.errors import (
    ConsentAlreadyGiven,
    ConsentAlreadyWithdrawn,
    ConsentGivenInFuture,
    PersonNotInHousehold,
)
from mustafid.privacy.models import Consent, Purpose
from mustafid.privacy.selectors import has_consent
from mustafid.timeline.models import EventKind, TimelineEvent

pytestmark = pytest.mark.django_db


def give(actor, file, purpose=Purpose.CONTACT, **kwargs):
    return services.record_consent(
        actor=actor, file=file, purpose=purpose, channel="visit", **kwargs
    )


def test_recording_a_consent_keeps_who_when_and_where(officer, household):
    head = household.members.get()
    consent = give(officer, household, person=head, note="نموذج رقم 15")
    consent.refresh_from_db()
    assert (consent.purpose, consent.channel, consent.person, consent.recorded_by) == (
        Purpose.CONTACT,
        "visit",
        head,
        officer,
    )
    assert consent.note == "نموذج رقم 15" and consent.withdrawn_at is None
    assert abs(consent.given_at - timezone.now()) < dt.timedelta(minutes=1)


def test_recording_a_consent_is_audited(officer, household):
    consent = give(officer, household)
    entry = AuditEntry.objects.for_object(consent).get()
    assert (entry.action, entry.actor) == (AuditAction.CREATE, officer)
    assert entry.changes["purpose"]["after"] == "contact"


def test_recording_a_consent_is_on_the_household_timeline(officer, household):
    give(officer, household)
    event = TimelineEvent.objects.get(file=household, kind=EventKind.CONSENT_GIVEN)
    assert event.actor == officer and event.detail == str(Purpose.CONTACT.label)


def test_a_consent_given_on_an_earlier_day_keeps_that_day(officer, household):
    day = timezone.localdate() - dt.timedelta(days=3)
    consent = give(officer, household, given_at=day)
    assert timezone.localtime(consent.given_at).date() == day


def test_a_consent_cannot_be_dated_in_the_future(officer, household):
    with pytest.raises(ConsentGivenInFuture):
        give(officer, household, given_at=timezone.localdate() + dt.timedelta(days=1))
    assert not Consent.objects.exists()


def test_a_second_active_consent_for_the_same_purpose_is_refused(officer, household):
    give(officer, household)
    with pytest.raises(ConsentAlreadyGiven):
        give(officer, household)
    assert Consent.objects.filter(file=household).count() == 1


def test_consents_for_different_purposes_live_side_by_side(officer, household):
    give(officer, household, purpose=Purpose.CONTACT)
    give(officer, household, purpose=Purpose.REGISTRATION)
    assert Consent.objects.filter(file=household, withdrawn_at__isnull=True).count() == 2


def test_the_database_keeps_one_active_consent_per_purpose(officer, household):
    give(officer, household)
    with pytest.raises(IntegrityError):
        Consent.objects.create(
            file=household, purpose=Purpose.CONTACT, channel="phone", given_at=timezone.now()
        )


def test_a_withdrawn_consent_may_be_given_again(officer, household):
    first = give(officer, household)
    services.withdraw_consent(actor=officer, consent=first, channel="phone")
    again = give(officer, household)
    assert again.pk != first.pk and has_consent(file=household, purpose=Purpose.CONTACT)


def test_has_consent_follows_recording_and_withdrawal(officer, household):
    assert not has_consent(file=household, purpose=Purpose.CONTACT)
    consent = give(officer, household)
    assert has_consent(file=household, purpose=Purpose.CONTACT)
    assert not has_consent(file=household, purpose=Purpose.SATISFACTION_SURVEY)
    services.withdraw_consent(actor=officer, consent=consent, channel="phone")
    assert not has_consent(file=household, purpose=Purpose.CONTACT)


def test_has_consent_is_also_importable_from_the_services():
    assert services.has_consent is has_consent


def test_withdrawing_keeps_the_consent_with_who_when_where_and_why(officer, household):
    consent = give(officer, household)
    services.withdraw_consent(
        actor=officer, consent=consent, channel="phone", reason="لا ترغب في الرسائل"
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == officer
    assert (consent.withdrawal_channel, consent.withdrawal_reason) == (
        "phone",
        "لا ترغب في الرسائل",
    )


def test_withdrawing_is_audited_and_on_the_timeline(officer, household):
    consent = give(officer, household)
    services.withdraw_consent(actor=officer, consent=consent, channel="phone")
    entry = AuditEntry.objects.for_object(consent).get(action=AuditAction.UPDATE)
    assert entry.actor == officer and entry.changes["withdrawal_channel"]["after"] == "phone"
    assert TimelineEvent.objects.filter(
        file=household, kind=EventKind.CONSENT_WITHDRAWN, actor=officer
    ).exists()


def test_withdrawing_twice_is_refused(officer, household):
    consent = give(officer, household)
    services.withdraw_consent(actor=officer, consent=consent, channel="phone")
    stale = Consent.objects.get(pk=consent.pk)
    stale.withdrawn_at = None  # as read by a second officer before the first pressed
    with pytest.raises(ConsentAlreadyWithdrawn):
        services.withdraw_consent(actor=officer, consent=stale, channel="visit")
    assert AuditEntry.objects.for_object(consent).filter(action=AuditAction.UPDATE).count() == 1


def test_the_person_who_consents_must_belong_to_the_household(officer, household, other_household):
    stranger = other_household.members.get()
    with pytest.raises(PersonNotInHousehold):
        give(officer, household, person=stranger)


def test_a_committee_member_cannot_record_a_consent(committee_member, household):
    with pytest.raises(PermissionDenied):
        give(committee_member, household)
    assert not Consent.objects.exists()


def test_a_committee_member_cannot_withdraw_a_consent(officer, committee_member, household):
    consent = give(officer, household)
    with pytest.raises(PermissionDenied):
        services.withdraw_consent(actor=committee_member, consent=consent, channel="phone")
    assert has_consent(file=household, purpose=Purpose.CONTACT)


def test_an_officer_cannot_record_a_consent_in_another_branch(jeddah_officer, household):
    with pytest.raises(PermissionDenied):
        give(jeddah_officer, household)
    assert not Consent.objects.exists()
