"""Changes to consent and the anonymisation of closed files (PDPL; P-OBJ-1, P-PROC-2).

Every change is permission-checked inside the file's branch, audited in its transaction,
and shown on the household's timeline. The pages call these; so will the API and tasks.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.accounts.permissions import ensure_can
from mustafid.core import audit
from mustafid.core.channels import Channel
from mustafid.core.dates import format_dual, local_date
from mustafid.core.errors import DomainError
from mustafid.core.models import AuditAction
from mustafid.privacy import selectors
from mustafid.privacy.errors import (
    ConsentAlreadyGiven,
    ConsentAlreadyWithdrawn,
    ConsentGivenInFuture,
    FileAnonymised,
    FileNotClosed,
    PersonNotInHousehold,
    RetentionNotOver,
)
from mustafid.privacy.models import Anonymisation, Consent, Purpose
from mustafid.privacy.selectors import has_consent
from mustafid.registry import search
from mustafid.registry.models import BeneficiaryFile, IncomeSource, Person
from mustafid.timeline.models import EventKind, TimelineEvent
from mustafid.timeline.services import add_event

# Consent --------------------------------------------------------------------------------


def _moment(given_at: dt.datetime | dt.date | None) -> dt.datetime:
    """A consent's time: now, a datetime as given, or noon of a past day."""
    now = timezone.now()
    if given_at is None:
        return now
    if not isinstance(given_at, dt.datetime):
        if given_at == timezone.localdate():
            return now
        given_at = timezone.make_aware(dt.datetime.combine(given_at, dt.time(12)))
    if given_at > now:
        raise ConsentGivenInFuture()
    return given_at


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def record_consent(
    *,
    actor,
    file: BeneficiaryFile,
    purpose: str,
    channel: str,
    person: Person | None = None,
    given_at: dt.datetime | dt.date | None = None,
    note: str = "",
) -> Consent:
    """Record the household's consent to one purpose (PDPL Art. 5); one active consent per
    purpose, so a second is refused until the first is withdrawn."""
    ensure_can(actor, "privacy.add_consent", branch=file.branch)
    purpose, channel = Purpose(purpose), Channel(channel)  # unknown codes are bugs, not data
    if file.anonymised_at is not None:
        raise FileAnonymised(number=file.number)
    if person is not None and person.file_id != file.pk:
        raise PersonNotInHousehold()
    if has_consent(file=file, purpose=purpose):
        raise ConsentAlreadyGiven(purpose=purpose.label)
    consent = Consent(
        file=file,
        person=person,
        purpose=purpose,
        channel=channel,
        given_at=_moment(given_at),
        recorded_by=_user(actor),
        note=note.strip(),
    )
    try:
        with transaction.atomic():
            consent.save()
    except IntegrityError as err:  # the same consent recorded at this very moment elsewhere
        raise ConsentAlreadyGiven(purpose=purpose.label) from err
    audit.record_create(actor=actor, target=consent)
    add_event(
        file=file,
        kind=EventKind.CONSENT_GIVEN,
        actor=actor,
        person=person,
        detail=purpose.label,
        url=file.get_absolute_url() + "#consent",
    )
    return consent


@transaction.atomic
def withdraw_consent(*, actor, consent: Consent, channel: str, reason: str = "") -> Consent:
    """Withdraw a consent (PDPL Art. 5: at any time); it stays on record as evidence."""
    file = consent.file
    ensure_can(actor, "privacy.change_consent", branch=file.branch)
    channel = Channel(channel)
    fields = ["withdrawn_at", "withdrawn_by", "withdrawal_channel", "withdrawal_reason"]
    before = audit.snapshot(consent, fields=fields)
    # Filter on withdrawn_at: two officers may press "withdraw" at once; one wins.
    claimed = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(),
        withdrawn_by=_user(actor),
        withdrawal_channel=channel,
        withdrawal_reason=reason.strip(),
    )
    if not claimed:
        raise ConsentAlreadyWithdrawn()
    consent.refresh_from_db()
    audit.record_update(actor=actor, target=consent, before=before)
    add_event(
        file=file,
        kind=EventKind.CONSENT_WITHDRAWN,
        actor=actor,
        person=consent.person,
        detail=Purpose(consent.purpose).label,
        url=file.get_absolute_url() + "#consent",
    )
    return consent


# Anonymisation --------------------------------------------------------------------------

#: Stored in place of every name: data like the names it replaces, not interface text.
ANONYMOUS_NAME = "مجهول"
#: File fields that identify or reach the household, cleared on anonymisation.
FILE_IDENTITY_FIELDS = (
    "mobile",
    "alternative_mobile",
    "email",
    "iban",
    "street",
    "building_number",
    "additional_number",
    "postal_code",
    "short_address",
    "best_time_to_call",
)
#: Person fields cleared on anonymisation (names, birth date and ID are handled apart).
PERSON_IDENTITY_FIELDS = (
    "latin_name",
    "mobile",
    "health_condition",
    "disability",
    "family_situation",
)
#: Timeline events whose detail is a label or a number, never a person: kept unless it
#: holds one of the household's names or numbers all the same. Other details are blanked.
NEUTRAL_EVENT_KINDS = (
    EventKind.REGISTERED,
    EventKind.STATUS_CHANGED,
    EventKind.CATEGORY_CHANGED,
    EventKind.PROFILE_UPDATED,
    EventKind.CONSENT_GIVEN,
    EventKind.CONSENT_WITHDRAWN,
    EventKind.ANONYMISED,
)


def statistics_of(*, file: BeneficiaryFile, members: list[Person], incomes) -> dict:
    """What anonymisation keeps: nothing that names or reaches a person."""
    total = sum((income.monthly_amount for income in incomes), Decimal("0"))
    return {
        "file_number": file.number,
        "branch": file.branch.code,
        "status": file.status,
        "category": file.category.code if file.category_id else None,
        "channel": file.channel,
        "city": file.city,
        "district": file.district,
        "housing": file.housing,
        "monthly_rent": None if file.monthly_rent is None else str(file.monthly_rent),
        "debts": None if file.debts is None else str(file.debts),
        "registered_on": local_date(file.created_at).isoformat(),
        "closed_on": local_date(file.closed_at).isoformat() if file.closed_at else None,
        "member_count": len(members),
        "members": [
            {
                "relation": person.relation,
                "sex": person.sex,
                "birth_year": person.birth_date.year if person.birth_date else None,
                "nationality": person.nationality,
                "marital_status": person.marital_status,
                "education": person.education,
                "employment": person.employment,
                "is_dependant": person.is_dependant,
            }
            for person in members
        ],
        "incomes": [
            {"kind": income.kind, "monthly_amount": str(income.monthly_amount)}
            for income in incomes
        ],
        "monthly_income": str(total),
    }


def _identity_texts(*, file: BeneficiaryFile, members: list[Person]) -> set[str]:
    """Every name and number of the household, to find them in free-text details."""
    texts = {getattr(file, name) for name in ("mobile", "alternative_mobile", "email", "iban")}
    for person in members:
        texts |= {person.full_name, person.national_id, person.mobile, person.latin_name}
        texts |= {person.first_name, person.father_name, person.grandfather_name}
        texts.add(person.family_name)
    # Very short words ("بن") would match everywhere and say nothing about anyone.
    return {text for text in texts if text and len(text) >= 3}


def _blank_timeline(*, file: BeneficiaryFile, identity: set[str]) -> int:
    """Blank the details of the file's events that may name someone; the events stay."""
    events = TimelineEvent.objects.filter(file=file).exclude(detail="")
    blanked = events.exclude(kind__in=NEUTRAL_EVENT_KINDS).update(detail="")
    naming = [
        pk
        for pk, detail in events.filter(kind__in=NEUTRAL_EVENT_KINDS).values_list("pk", "detail")
        if any(text in detail for text in identity)
    ]
    return blanked + TimelineEvent.objects.filter(pk__in=naming).update(detail="")


def _refuse_unless_due(file: BeneficiaryFile) -> None:
    if file.anonymised_at is not None:
        raise FileAnonymised(number=file.number)
    if file.status not in selectors.CLOSED_STATUSES or file.closed_at is None:
        raise FileNotClosed(number=file.number, status=file.get_status_display())
    if not selectors.is_due_for_anonymisation(file=file):
        raise RetentionNotOver(
            number=file.number,
            closed=format_dual(file.closed_at),
            until=format_dual(selectors.retention_ends(closed_at=file.closed_at)),
        )


@transaction.atomic
def anonymise_file(*, actor, file: BeneficiaryFile) -> Anonymisation:
    """Remove a closed file's identity once its retention period is over (PDPL Art. 18),
    keeping the statistics: IDs, names, contact details, sensitive fields and documents
    go; city, category, status, housing, incomes, sexes and birth years stay."""
    ensure_can(actor, "privacy.add_anonymisation", branch=file.branch)
    # Lock the file: two administrators anonymising it at once; the second is refused.
    file = (
        BeneficiaryFile.objects.select_for_update(of=("self",))
        .select_related("branch", "category")
        .get(pk=file.pk)
    )
    _refuse_unless_due(file)
    now = timezone.now()
    members = list(Person.objects.filter(file=file).order_by("pk"))
    incomes = list(IncomeSource.objects.filter(file=file).order_by("pk"))
    statistics = statistics_of(file=file, members=members, incomes=incomes)
    identity = _identity_texts(file=file, members=members)

    from mustafid.documents.services import purge_file_documents

    purged = purge_file_documents(actor=actor, file=file)

    for person in members:
        person.national_id = None
        person.first_name = ANONYMOUS_NAME
        person.father_name = person.grandfather_name = person.family_name = ""
        person.name_key = ""
        for name in PERSON_IDENTITY_FIELDS:
            setattr(person, name, "")
        if person.birth_date:
            person.birth_date = person.birth_date.replace(month=1, day=1)
        person.save()
        # An empty name: its search postings go, and the word counts follow.
        search.index_person_name(person=person)
    IncomeSource.objects.filter(file=file).exclude(note="").update(note="")
    # Consents stay as evidence (purpose, dates, channels); their free text may name people.
    Consent.objects.filter(file=file).update(note="", withdrawal_reason="")
    _blank_timeline(file=file, identity=identity)
    BeneficiaryFile.objects.filter(pk=file.pk).update(
        **dict.fromkeys(FILE_IDENTITY_FIELDS, ""),
        anonymised_at=now,
        updated_at=now,
        version=F("version") + 1,
    )
    file.refresh_from_db()
    anonymisation = Anonymisation.objects.create(
        file=file,
        anonymised_at=now,
        anonymised_by=_user(actor),
        statistics=statistics,
        documents_purged=purged,
    )
    # The log says what was removed, never the removed values themselves.
    cleared = [*FILE_IDENTITY_FIELDS, "national_id", "names", *PERSON_IDENTITY_FIELDS]
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=file,
        changes={"anonymised_at": {"before": None, "after": now}},
        summary=_(
            "Anonymised after the retention period: %(fields)s cleared for %(people)s "
            "people, %(documents)s documents purged."
        )
        % {"fields": ", ".join(cleared), "people": len(members), "documents": purged},
    )
    audit.record_create(actor=actor, target=anonymisation)
    add_event(file=file, kind=EventKind.ANONYMISED, actor=actor)
    return anonymisation


def anonymise_files(
    *, actor, files: Iterable[BeneficiaryFile]
) -> tuple[list[Anonymisation], list[tuple[BeneficiaryFile, DomainError]]]:
    """Anonymise each file in its own transaction: one refused file leaves the others
    done. Returns what was done and what was refused, with why."""
    done, refused = [], []
    for file in files:
        try:
            done.append(anonymise_file(actor=actor, file=file))
        except DomainError as err:
            refused.append((file, err))
    return done, refused
