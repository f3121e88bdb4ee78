"""Changes to the registry: permission-checked, validated, duplicate-checked, audited.

The UI, the API and imports all call these (P-PROC-2: data matched and verified at
submission; P-PROC-6: registration).
"""

from decimal import Decimal
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from mustafid.accounts.models import Branch
from mustafid.accounts.permissions import ensure_can
from mustafid.core import audit
from mustafid.core.arabic import normalise_for_search
from mustafid.core.dates import to_hijri
from mustafid.core.models import AuditAction, AuditEntry
from mustafid.registry import search
from mustafid.registry.categories import apply_category_rules, ensure_can_set_category
from mustafid.registry.errors import (
    DuplicateNationalId,
    HeadAlreadyExists,
    IncomeNotZero,
    NotAMember,
    RentWithoutRenting,
    StaleFile,
)
from mustafid.registry.models import (
    BeneficiaryFile,
    FileNumberSequence,
    FileStatus,
    Housing,
    IncomeKind,
    IncomeSource,
    Person,
    Relation,
)
from mustafid.timeline.models import EventKind
from mustafid.timeline.services import add_event

#: Fields of a file that ``update_file`` may change.
FILE_FIELDS = frozenset(
    {
        "status", "category", "mobile", "alternative_mobile", "email", "preferred_channel",
        "best_time_to_call", "building_number", "street", "district", "city", "postal_code",
        "additional_number", "short_address", "housing", "monthly_rent", "debts", "iban",
        "category_is_manual",
    }
)  # fmt: skip
#: Health, disability and family situation: PDPL-sensitive, ``registry.view_sensitive``.
SENSITIVE_PERSON_FIELDS = frozenset({"health_condition", "disability", "family_situation"})
PERSON_FIELDS = frozenset(
    {
        "relation", "national_id", "first_name", "father_name", "grandfather_name",
        "family_name", "latin_name", "sex", "birth_date", "nationality", "marital_status",
        "education", "employment", "is_dependant", "mobile", "health_condition", "disability", "family_situation",
    }
)  # fmt: skip


def name_key(*, first_name: str, father_name: str, grandfather_name: str, family_name: str) -> str:
    """The search key of a four-part name (one normaliser for UI, API and imports)."""
    return normalise_for_search(" ".join([first_name, father_name, grandfather_name, family_name]))


def next_file_number(*, day=None) -> str:
    """``B-<Hijri year>-<6 digits>``, counted per Hijri year, never reused."""
    year = to_hijri(day or timezone.localdate()).year
    FileNumberSequence.objects.get_or_create(year=year)
    # One UPDATE: two officers registering at once get different numbers.
    FileNumberSequence.objects.filter(year=year).update(last=F("last") + 1)
    last = FileNumberSequence.objects.get(year=year).last
    return f"B-{year}-{last:06d}"


def _refuse_known_national_id(national_id: str | None, *, exclude_pk: int | None = None) -> None:
    if not national_id:
        return
    existing = Person.objects.filter(national_id=national_id).exclude(pk=exclude_pk)
    if person := existing.select_related("file").first():
        raise DuplicateNationalId(number=person.file.number)


def _new_person(*, file: BeneficiaryFile, data: dict) -> Person:
    if unknown := set(data) - PERSON_FIELDS:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    data = {**data, "national_id": data.get("national_id") or None}
    person = Person(file=file, **data)
    person.name_key = name_key(
        first_name=person.first_name,
        father_name=person.father_name,
        grandfather_name=person.grandfather_name,
        family_name=person.family_name,
    )
    return person


@transaction.atomic
def create_file(
    *, actor, branch: Branch, channel: str, head: dict, city: str, **profile
) -> BeneficiaryFile:
    """Register a household with its head (P-PROC-6); one national ID, one record (P-CH)."""
    ensure_can(actor, "registry.add_beneficiaryfile", branch=branch)
    if unknown := set(profile) - FILE_FIELDS:
        raise TypeError(f"unknown file fields: {sorted(unknown)}")
    _check_rent(housing=profile.get("housing", ""), rent=profile.get("monthly_rent"))
    _refuse_known_national_id(head.get("national_id") or None)
    file = BeneficiaryFile.objects.create(
        number=next_file_number(),
        branch=branch,
        channel=channel,
        city=city,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **profile,
    )
    person = _new_person(file=file, data={**head, "relation": Relation.HEAD})
    try:
        with transaction.atomic():
            person.save()
            search.index_person_name(person=person)
    except IntegrityError as err:  # the same ID registered at this very moment elsewhere
        _refuse_known_national_id(person.national_id)
        raise err
    audit.record_create(actor=actor, target=file)
    audit.record_create(actor=actor, target=person)
    add_event(file=file, kind=EventKind.REGISTERED, actor=actor, person=person, detail=file.number)
    apply_category_rules(actor=actor, file=file)
    _look_for_duplicates(file)
    return file


@transaction.atomic
def add_member(*, actor, file: BeneficiaryFile, member: dict) -> Person:
    """Add a household member; an ID registered anywhere else is refused with its file."""
    ensure_can(actor, "registry.change_beneficiaryfile", branch=file.branch)
    if member.get("relation") == Relation.HEAD:
        raise HeadAlreadyExists()
    _refuse_known_national_id(member.get("national_id"))
    person = _new_person(file=file, data=member)
    person.save()
    search.index_person_name(person=person)
    BeneficiaryFile.objects.filter(pk=file.pk).update(version=F("version") + 1)
    audit.record_create(actor=actor, target=person)
    add_event(
        file=file, kind=EventKind.MEMBER_ADDED, actor=actor, person=person, detail=person.full_name
    )
    apply_category_rules(actor=actor, file=file)
    _look_for_duplicates(file)
    return person


@transaction.atomic
def update_file(*, actor, file: BeneficiaryFile, version: int, **changes) -> BeneficiaryFile:
    """Change the file's profile; refused if someone saved it since ``version`` was read."""
    ensure_can(actor, "registry.change_beneficiaryfile", branch=file.branch)
    if unknown := set(changes) - FILE_FIELDS:
        raise TypeError(f"unknown file fields: {sorted(unknown)}")
    stored = BeneficiaryFile.objects.get(pk=file.pk)
    _check_rent(
        housing=changes.get("housing", stored.housing),
        rent=changes.get("monthly_rent", stored.monthly_rent),
    )
    if "category" in changes or "category_is_manual" in changes:
        ensure_can_set_category(actor)
    if "category" in changes and "category_is_manual" not in changes:
        changes["category_is_manual"] = changes["category"] is not None
    if "status" in changes and changes["status"] != stored.status:
        # Retention (PDPL) counts from the day a file is closed.
        ended = changes["status"] in (FileStatus.CLOSED, FileStatus.DECEASED)
        changes["closed_at"] = (stored.closed_at or timezone.now()) if ended else None
    fields = [*changes, "version"]
    before = audit.snapshot(stored, fields=fields)
    # Compare-and-swap on version: of two officers saving, the second is refused.
    claimed = BeneficiaryFile.objects.filter(pk=file.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not claimed:
        raise StaleFile(fields=", ".join(_fields_changed_since(file=file, version=version)) or "—")
    file.refresh_from_db()
    audit.record_update(actor=actor, target=file, before=before)
    _timeline_for_update(actor=actor, file=file, before=before)
    if not file.category_is_manual:
        apply_category_rules(actor=actor, file=file)
    if {"mobile", "alternative_mobile", "iban"} & set(changes):
        _look_for_duplicates(file)
    return file


def _look_for_duplicates(file: BeneficiaryFile) -> None:
    """After the change commits, a task compares the household with the registry and puts
    possible duplicates on the worklist (issue 4 item 6); the save itself stays fast."""
    from mustafid.registry import tasks

    transaction.on_commit(
        partial(tasks.find_duplicates_of_file.enqueue, file_id=file.pk), robust=True
    )


def _check_rent(*, housing: str, rent) -> None:
    """A monthly rent belongs to rented housing only (also a database constraint)."""
    if rent is not None and housing != Housing.RENTED:
        raise RentWithoutRenting()


@transaction.atomic
def update_person(*, actor, person: Person, version: int, **changes) -> Person:
    """Change a member's details; the file's ``version`` guards against lost updates.

    A national ID already registered to someone else is refused with that file; a
    member cannot become a second head. Sensitive fields need ``registry.view_sensitive``.
    """
    file = person.file
    ensure_can(actor, "registry.change_person", branch=file.branch)
    if unknown := set(changes) - PERSON_FIELDS:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    if SENSITIVE_PERSON_FIELDS & set(changes):
        ensure_can(actor, "registry.view_sensitive", branch=file.branch)
    if "national_id" in changes:
        changes["national_id"] = changes["national_id"] or None
        _refuse_known_national_id(changes["national_id"], exclude_pk=person.pk)
    if changes.get("relation") == Relation.HEAD and person.relation != Relation.HEAD:
        raise HeadAlreadyExists()
    if person.relation == Relation.HEAD and changes.get("relation", Relation.HEAD) != Relation.HEAD:
        changes.pop("relation")  # the head stays the head; a new head is chosen by merge/split
    _claim_version(file=file, version=version)
    stored = Person.objects.get(pk=person.pk)
    before = audit.snapshot(stored, fields=[*changes, "name_key"])
    for name, value in changes.items():
        setattr(stored, name, value)
    stored.name_key = name_key(
        first_name=stored.first_name,
        father_name=stored.father_name,
        grandfather_name=stored.grandfather_name,
        family_name=stored.family_name,
    )
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:
        _refuse_known_national_id(stored.national_id, exclude_pk=stored.pk)
        raise
    if before["name_key"] != stored.name_key:
        search.index_person_name(person=stored)
    changes = audit.diff(before, audit.snapshot(stored, fields=before.keys()))
    if changes:
        changes["file_version"] = {"before": version, "after": version + 1}
        audit.record(actor=actor, action=AuditAction.UPDATE, target=stored, changes=changes)
        add_event(
            file=file,
            kind=EventKind.MEMBER_UPDATED,
            actor=actor,
            person=stored,
            detail=stored.full_name,
        )
    apply_category_rules(actor=actor, file=file)
    if {
        "first_name",
        "father_name",
        "grandfather_name",
        "family_name",
        "birth_date",
        "mobile",
    } & set(changes):
        _look_for_duplicates(file)
    return stored


@transaction.atomic
def set_incomes(*, actor, file: BeneficiaryFile, version: int, incomes: list[dict]) -> None:
    """Replace the household's income sources (P-OBJ-1: know each family's need); the
    per-capita income and the category follow."""
    ensure_can(actor, "registry.change_incomesource", branch=file.branch)
    if any(i["kind"] == IncomeKind.NONE and i["monthly_amount"] for i in incomes):
        raise IncomeNotZero()
    _claim_version(file=file, version=version)
    before = {
        "incomes": [
            f"{i.kind}:{i.monthly_amount}:{i.note}" for i in IncomeSource.objects.filter(file=file)
        ]
    }
    IncomeSource.objects.filter(file=file).delete()
    created = IncomeSource.objects.bulk_create(
        IncomeSource(
            file=file,
            kind=item["kind"],
            monthly_amount=item["monthly_amount"],
            note=item.get("note", ""),
        )
        for item in incomes
    )
    after = {"incomes": [f"{i.kind}:{i.monthly_amount}:{i.note}" for i in created]}
    if changes := audit.diff(before, after):
        changes["version"] = {"before": version, "after": version + 1}
        audit.record(actor=actor, action=AuditAction.UPDATE, target=file, changes=changes)
        add_event(
            file=file,
            kind=EventKind.PROFILE_UPDATED,
            actor=actor,
            detail=str(IncomeSource._meta.verbose_name_plural),
        )
    apply_category_rules(actor=actor, file=file)


def _claim_version(*, file: BeneficiaryFile, version: int) -> None:
    """Move the file to the next version, or refuse: someone saved it since ``version``."""
    claimed = BeneficiaryFile.objects.filter(pk=file.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not claimed:
        raise StaleFile(fields=", ".join(_fields_changed_since(file=file, version=version)) or "—")
    file.version = version + 1


def member_of(*, file: BeneficiaryFile, person_id) -> Person:
    """The member ``person_id`` of ``file`` (from its prefetched members), or ``NotAMember``."""
    for person in file.members.all():
        if str(person.pk) == str(person_id):
            return person
    raise NotAMember()


def _timeline_for_update(*, actor, file: BeneficiaryFile, before: dict) -> None:
    after = audit.snapshot(file, fields=before)
    changed = set(audit.diff(before, after)) - {"version"}
    if "status" in changed:
        add_event(
            file=file, kind=EventKind.STATUS_CHANGED, actor=actor, detail=file.get_status_display()
        )
    if "category" in changed:
        add_event(
            file=file,
            kind=EventKind.CATEGORY_CHANGED,
            actor=actor,
            detail=str(file.category or "—"),
        )
    if other := changed - {"status", "category"}:
        names = sorted(str(BeneficiaryFile._meta.get_field(name).verbose_name) for name in other)
        add_event(file=file, kind=EventKind.PROFILE_UPDATED, actor=actor, detail="، ".join(names))


def _fields_changed_since(*, file: BeneficiaryFile, version: int) -> list[str]:
    """The names of what others changed after ``version``, from the audit log: the file's
    fields, its incomes, and its members' fields."""
    names: set[str] = set()
    entries = list(AuditEntry.objects.for_object(file).filter(action=AuditAction.UPDATE)[:50])
    member_ids = [str(pk) for pk in Person.objects.filter(file=file).values_list("pk", flat=True)]
    entries += AuditEntry.objects.filter(
        content_type__app_label="registry",
        content_type__model="person",
        object_id__in=member_ids,
        action=AuditAction.UPDATE,
    )[:50]
    for entry in entries:
        moved = entry.changes.get("version") or entry.changes.get("file_version") or {}
        if (moved.get("before") or 0) >= version:
            names |= set(entry.changes) - {"version", "file_version", "name_key"}
    return sorted({_field_label(name) for name in names})


def _field_label(name: str) -> str:
    if name == "incomes":
        return str(IncomeSource._meta.verbose_name_plural)
    for model in (BeneficiaryFile, Person):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: S112 - not a field of this model: try the next
            continue
    return name


def per_capita_income(*, file: BeneficiaryFile) -> Decimal:
    """Monthly household income divided by the number of members; computed, never typed."""
    total = sum((income.monthly_amount for income in file.incomes.all()), Decimal("0"))
    members = len(file.members.all())
    return (total / members).quantize(Decimal("0.01")) if members else Decimal("0.00")


def record_file_opened(*, actor, file: BeneficiaryFile) -> None:
    """Who viewed this family (PDPL; issue 4 item 4): every opening by staff is logged."""
    audit.record(actor=actor, action=AuditAction.VIEW, target=file)
