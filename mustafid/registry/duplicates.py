"""Possible duplicate households: suggested at registration, found across the registry,
reviewed on a worklist (issue 4 item 6; P-CH "a contact on any channel lands on the same
record", P-PROC-2 "data matched and verified at submission").

The same national ID is refused outright by the services. This module finds the softer
signs that two files hold one household:

- the same normalised name and the same birth date;
- a very similar name (one word misspelled by a letter, or one word missing) and
  the same birth date;
- the same mobile number (a file's mobile or alternative, or a member's);
- the same IBAN.

Each suspected pair of files is one ``DuplicateCandidate`` (stored once, smaller file id
first). ``find_duplicate_candidates`` sweeps the whole registry with GROUP BY queries, so
it reads each table once whatever its size and compares names only inside small groups of
people born the same day; ``detect_for_file`` does the same for one household with indexed
lookups, right after it is registered or edited. Both are incremental: a pair already
stored is never stored twice, gains new reasons while open, and a pair staff dismissed
("different people") or merged is never reopened.
"""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations, islice

from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    F,
    Max,
    Min,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, Left, Reverse, Right, StrIndex, Substr
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from mustafid.accounts.permissions import can, ensure_can, sees_every_branch
from mustafid.core import audit
from mustafid.core.errors import DomainError, PermissionDenied
from mustafid.core.flags import Flag
from mustafid.core.models import AuditAction
from mustafid.registry import search
from mustafid.registry.models import (
    BeneficiaryFile,
    DuplicateCandidate,
    DuplicateReason,
    DuplicateStatus,
    FileMerge,
    Person,
    Relation,
)
from mustafid.registry.selectors import files_visible_to

logger = logging.getLogger("mustafid.registry")

#: How close two normalised names must be to count as "similar" (rapidfuzz ratio).
SIMILAR_NAME = 88
#: How many people born on one day are compared one by one; a day more crowded than this
#: is searched through the name index instead.
BORN_SAME_DAY = 300
#: Points per reason; a pair with several reasons scores its best plus ``EXTRA_REASON``
#: for each other one, at most 100.
REASON_SCORES = {
    DuplicateReason.SAME_NAME_BIRTH: 90,
    DuplicateReason.SAME_IBAN: 80,
    DuplicateReason.SIMILAR_NAME_BIRTH: 75,
    DuplicateReason.SAME_MOBILE: 60,
}
EXTRA_REASON = 5
#: Files sharing one value: up to this many, every pair is suggested; more, each is paired
#: with the oldest only (merging them all into it is the likely fix).
ALL_PAIRS_UP_TO = 5
#: A value shared by more files or people than this (a default birth date, the
#: association's own phone typed for everyone) is not evidence: the group is skipped.
LARGEST_GROUP = 50
#: Rows written or read per query.
CHUNK = 1000
#: Duplicate flags shown on a file page at most (the worklist has them all).
FLAGS = 3


# Suggestions before saving a new person -----------------------------------------------


@dataclass
class Suggestion:
    person: Person
    reasons: list[str] = field(default_factory=list)
    visible: bool = True  # False: another branch's file, shown by number only


def likely_duplicates(*, actor, person: dict, limit: int = 5) -> list[Suggestion]:
    """People who may be the one being registered, most likely first, across branches."""
    # Imported here: the registry services call this module after a registration.
    from mustafid.registry.services import name_key

    key = name_key(
        first_name=person.get("first_name", ""),
        father_name=person.get("father_name", ""),
        grandfather_name=person.get("grandfather_name", ""),
        family_name=person.get("family_name", ""),
    )
    ids = _likely_ids(key=key, birth_date=person.get("birth_date"), mobile=person.get("mobile"))
    candidates = list(
        Person.objects.filter(pk__in=ids, file__merged_into__isnull=True).select_related(
            "file", "file__branch"
        )
    )
    visible = set(
        files_visible_to(actor=actor)
        .filter(pk__in={candidate.file_id for candidate in candidates})
        .values_list("pk", flat=True)
    )
    found = []
    for candidate in candidates:
        reasons = []
        similarity = fuzz.ratio(key, candidate.name_key)
        same_birth = bool(person.get("birth_date")) and candidate.birth_date == person["birth_date"]
        if same_birth and similarity >= SIMILAR_NAME:
            reasons.append(_("similar name and the same date of birth"))
        mobile = person.get("mobile")
        if mobile and mobile in {
            candidate.mobile,
            candidate.file.mobile,
            candidate.file.alternative_mobile,
        }:
            reasons.append(_("the same mobile number"))
        if reasons:
            found.append((similarity, Suggestion(candidate, reasons, candidate.file_id in visible)))
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [suggestion for _score, suggestion in found[:limit]]


def _likely_ids(*, key: str, birth_date, mobile: str, each: int = 50) -> set[int]:
    """Ids of people worth comparing, from indexed lookups only (a few milliseconds at a
    million people): names close to it among those born that day, and whoever shares
    the mobile."""
    ids: set[int] = set()
    if birth_date:
        # A few dozen people share a birth date in a million: the index finds them and
        # their names are compared here, so any close spelling is caught. A crowded day
        # (1 January, 1 Rajab: what papers give when the day is unknown) goes through
        # the exact name key and the search postings instead.
        # No ordering: Person's default (by file) would join and sort every row of the day.
        born_that_day = Person.objects.filter(birth_date=birth_date).order_by()
        born = list(born_that_day.values_list("pk", "name_key")[: BORN_SAME_DAY + 1])
        if len(born) <= BORN_SAME_DAY:
            ids |= {pk for pk, other in born if fuzz.ratio(key, other) >= SIMILAR_NAME}
        elif key:
            from mustafid.registry import search

            same = born_that_day.filter(name_key=key).values_list("pk", flat=True)
            ids |= set(same[:each])
            ids |= {p.pk for p in search.find_people(people=born_that_day, query=key, limit=20)}
    if mobile:
        files = {
            *BeneficiaryFile.objects.filter(mobile=mobile).values_list("pk", flat=True)[:each],
            *BeneficiaryFile.objects.filter(alternative_mobile=mobile).values_list("pk", flat=True)[
                :each
            ],
        }
        unordered = Person.objects.order_by()
        ids |= set(unordered.filter(mobile=mobile).values_list("pk", flat=True)[:each])
        ids |= set(unordered.filter(file_id__in=files).values_list("pk", flat=True)[:each])
    if not birth_date and not mobile and key:
        same = Person.objects.filter(name_key=key).order_by()
        ids |= set(same.values_list("pk", flat=True)[:each])
    return ids


def record_different_person(*, actor, file: BeneficiaryFile, suggestions: list[Suggestion]) -> None:
    """The officer saw similar records and confirmed a different person: keep that choice."""
    numbers = ", ".join(sorted({s.person.file.number for s in suggestions}))
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=file,
        summary=_("Registered as a different person despite similar records: %(files)s")
        % {"files": numbers},
    )


# Detection ----------------------------------------------------------------------------


@dataclass
class Match:
    """What is known about one suspected pair of files: ``file_a`` < ``file_b``."""

    file_a: int
    file_b: int
    reasons: set[str] = field(default_factory=set)
    person_a: int | None = None
    person_b: int | None = None

    @property
    def score(self) -> int:
        return candidate_score(self.reasons)

    def ordered_reasons(self) -> list[str]:
        return sorted(self.reasons, key=lambda code: -REASON_SCORES[code])


@dataclass
class DetectionReport:
    """What a detection run found and stored, by reason; printed by the command."""

    pairs: int = 0
    created: int = 0
    updated: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)
    skipped_groups: int = 0

    def summary(self) -> str:
        reasons = ", ".join(f"{code} {count}" for code, count in sorted(self.by_reason.items()))
        return (
            f"{self.pairs} suspected pairs ({reasons or 'none'}): {self.created} new, "
            f"{self.updated} with new reasons; {self.skipped_groups} oversized groups skipped."
        )


def candidate_score(reasons: Iterable[str]) -> int:
    """0-100: the strongest reason's points, plus a little for each further reason."""
    points = sorted((REASON_SCORES[DuplicateReason(code)] for code in reasons), reverse=True)
    if not points:
        return 0
    return min(100, points[0] + EXTRA_REASON * (len(points) - 1))


class _Found:
    """Matches gathered by one run, one per pair of files."""

    def __init__(self) -> None:
        self.matches: dict[tuple[int, int], Match] = {}
        self.skipped_groups = 0

    def add(self, *, file_1: int, file_2: int, reason: str, person_1=None, person_2=None):
        if file_1 == file_2:
            return
        if file_1 > file_2:
            file_1, file_2, person_1, person_2 = file_2, file_1, person_2, person_1
        match = self.matches.setdefault((file_1, file_2), Match(file_1, file_2))
        match.reasons.add(reason)
        # The people who matched by name tell staff most; for mobile and IBAN, the heads.
        if person_1 and (match.person_a is None or _is_name_reason(reason)):
            match.person_a, match.person_b = person_1, person_2

    def add_group(self, *, file_ids: Iterable[int], reason: str) -> None:
        """Files sharing one value (a mobile, an IBAN): every pair when few, else each
        paired with the oldest; a value shared by very many files is skipped."""
        files = sorted(set(file_ids))
        if len(files) > LARGEST_GROUP:
            self.skipped_groups += 1
            return
        pairs = (
            combinations(files, 2)
            if len(files) <= ALL_PAIRS_UP_TO
            else ((files[0], other) for other in files[1:])
        )
        for file_1, file_2 in pairs:
            self.add(file_1=file_1, file_2=file_2, reason=reason)

    def add_people(self, people: list[tuple[int, int, str]], *, similar: bool) -> None:
        """People born the same day, ``(person id, file id, name key)``: pair those of
        different files whose names are equal (``similar`` False) or very close."""
        if len(people) > LARGEST_GROUP:
            self.skipped_groups += 1
            return
        for (pk_1, file_1, key_1), (pk_2, file_2, key_2) in combinations(people, 2):
            if file_1 == file_2:
                continue
            if not similar and key_1 == key_2:
                reason = DuplicateReason.SAME_NAME_BIRTH
            elif similar and key_1 != key_2 and similar_names(key_1, key_2):
                reason = DuplicateReason.SIMILAR_NAME_BIRTH
            else:
                continue
            self.add(file_1=file_1, file_2=file_2, reason=reason, person_1=pk_1, person_2=pk_2)


def similar_names(key_1: str, key_2: str) -> bool:
    """Whether two normalised names are one name typed differently: the same words but
    one, which differs by one letter (dropped, added, changed, or two swapped), or one
    word left out (the grandfather's name). "محمد" and "فهد" differ by more: two brothers
    are not similar."""
    words_1, words_2 = search.name_tokens(key_1), search.name_tokens(key_2)
    if len(words_1) == len(words_2):
        differing = [(a, b) for a, b in zip(words_1, words_2, strict=True) if a != b]
        return len(differing) <= 1 and all(_close_words(a, b) for a, b in differing)
    shorter, longer = sorted([words_1, words_2], key=len)
    return (
        len(longer) - len(shorter) == 1
        and len(shorter) >= 2
        and any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))
    )


def _close_words(word_1: str, word_2: str) -> bool:
    if min(len(word_1), len(word_2)) < search.MIN_FUZZY_LENGTH:
        return False
    return OSA.distance(word_1, word_2) <= 1


def _is_name_reason(reason: str) -> bool:
    return reason in {DuplicateReason.SAME_NAME_BIRTH, DuplicateReason.SIMILAR_NAME_BIRTH}


class GroupConcat(Aggregate):
    """The values of a group joined by ``separator`` (STRING_AGG on PostgreSQL,
    GROUP_CONCAT on SQLite): one GROUP BY returns the members of each group."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, '%(separator)s')"
    output_field = TextField()

    def __init__(self, expression, *, separator: str = ",", **extra):
        if not separator.isascii() or "'" in separator:
            raise ValueError("a plain separator is needed")
        super().__init__(expression, separator=separator, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra_context)


def _person_row():
    """``id:file_id:name_key``, aggregated per group (names hold no ``:`` or ``|``)."""
    return Concat(
        Cast("pk", CharField()),
        Value(":"),
        Cast("file_id", CharField()),
        Value(":"),
        "name_key",
        output_field=TextField(),
    )


def _parse_people(text: str) -> list[tuple[int, int, str]]:
    people = []
    for row in text.split("|"):
        pk, file_id, key = row.split(":", 2)
        people.append((int(pk), int(file_id), key))
    return people


def _people_by_blocks(block, *, distinct_names: bool) -> Iterator[list[tuple[int, int, str]]]:
    """Groups of people born the same day sharing ``block`` (an expression over the name
    key) that span two files or more, read with one GROUP BY. MIN <> MAX rather than
    COUNT(DISTINCT): the database may then hash the groups instead of sorting them."""
    groups = (
        Person.objects.filter(birth_date__isnull=False)
        .annotate(block=block)
        .values("birth_date", "block")
        .annotate(
            first_file=Min("file_id"),
            last_file=Max("file_id"),
            first_name=Min("name_key"),
            last_name=Max("name_key"),
            people=GroupConcat(_person_row(), separator="|"),
        )
        .filter(first_file__lt=F("last_file"))
        .order_by()
    )
    if distinct_names:
        groups = groups.filter(first_name__lt=F("last_name"))
    for group in groups.values_list("people", flat=True).iterator(chunk_size=5000):
        yield _parse_people(group)


def _same_name_people() -> Iterator[list[tuple[int, int, str]]]:
    return _people_by_blocks(F("name_key"), distinct_names=False)


def _similar_name_people() -> Iterator[list[tuple[int, int, str]]]:
    """Blocks of people born the same day whose names share two of three words: the
    first and second, the first and last, or the second and last. Two names that differ
    in one word (misspelled, or the father's or grandfather's left out) always share one
    of these pairs, and few people share a pair and a birth date, so little is read."""
    # Padded with a space, a name of one word has a space to find too.
    end = Concat(F("name_key"), Value(" "), output_field=CharField())
    first = Left(F("name_key"), StrIndex(end, Value(" ")) - 1)
    rest = Substr(end, StrIndex(end, Value(" ")) + 1)
    second = Left(rest, StrIndex(rest, Value(" ")) - 1)
    start = Concat(Value(" "), F("name_key"), output_field=CharField())
    last = Right(F("name_key"), StrIndex(Reverse(start), Value(" ")) - 1)
    for one, other in ((first, second), (first, last), (second, last)):
        block = Concat(one, Value(" "), other, output_field=CharField())
        yield from _people_by_blocks(block, distinct_names=True)


def _shared_mobiles() -> Iterator[list[int]]:
    """File ids sharing a mobile, as the file's mobile, its alternative or a member's;
    one GROUP BY over the three indexed columns."""
    files = connection.ops.quote_name(BeneficiaryFile._meta.db_table)
    people = connection.ops.quote_name(Person._meta.db_table)
    if connection.vendor == "postgresql":
        ids = "STRING_AGG(CAST(m.file_id AS text), ',')"
    else:
        ids = "GROUP_CONCAT(m.file_id, ',')"
    # UNION (not UNION ALL) counts a file once per mobile, however many times it holds it.
    sql = f"""
        SELECT {ids} FROM (
            SELECT mobile AS mobile, id AS file_id FROM {files}
             WHERE mobile <> '' AND merged_into_id IS NULL
            UNION
            SELECT alternative_mobile, id FROM {files}
             WHERE alternative_mobile <> '' AND merged_into_id IS NULL
            UNION
            SELECT mobile, file_id FROM {people} WHERE mobile <> ''
        ) m
        GROUP BY m.mobile HAVING COUNT(*) > 1
    """  # noqa: S608 (table names from the models, no user input)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(5000):
            for (text,) in rows:
                yield [int(pk) for pk in text.split(",")]


def _shared_ibans() -> Iterator[list[int]]:
    groups = (
        BeneficiaryFile.objects.filter(merged_into__isnull=True)
        .exclude(iban="")
        .values("iban")
        .annotate(files=Count("pk"), ids=GroupConcat(Cast("pk", CharField())))
        .filter(files__gt=1)
        .order_by()
    )
    for text in groups.values_list("ids", flat=True).iterator(chunk_size=5000):
        yield [int(pk) for pk in text.split(",")]


def find_duplicate_candidates() -> DetectionReport:
    """Sweep the whole registry for suspected pairs and store the new ones (issue 4 item 6).

    Each reason is one GROUP BY over indexed columns (name key and birth date, mobiles,
    IBAN); names are compared pairwise only inside groups of people born the same day
    who share a name word. Safe to run again at any time: nothing is stored twice, and a
    dismissed or merged pair is left as it is.
    """
    found = _Found()
    for people in _same_name_people():
        found.add_people(people, similar=False)
    for people in _similar_name_people():
        found.add_people(people, similar=True)
    for file_ids in _shared_mobiles():
        found.add_group(file_ids=file_ids, reason=DuplicateReason.SAME_MOBILE)
    for file_ids in _shared_ibans():
        found.add_group(file_ids=file_ids, reason=DuplicateReason.SAME_IBAN)
    report = _store(found)
    logger.info("duplicate detection: %s", report.summary())
    return report


def detect_for_file(*, file: BeneficiaryFile) -> DetectionReport:
    """Look for duplicates of one household, right after it is registered or edited:
    indexed lookups for its people, mobiles and IBAN (a few queries per member). Call it
    inside the change's transaction; it never raises for what it finds."""
    if file.merged_into_id is not None:
        return DetectionReport()
    found = _Found()
    members = list(Person.objects.filter(file=file).values_list("pk", "name_key", "birth_date"))
    for pk, key, birth_date in members:
        if birth_date is None:
            continue
        born_that_day = Person.objects.filter(birth_date=birth_date).exclude(file=file).order_by()
        for other_pk, other_file, other_key in born_that_day.filter(name_key=key).values_list(
            "pk", "file_id", "name_key"
        )[:LARGEST_GROUP]:
            found.add_people([(pk, file.pk, key), (other_pk, other_file, other_key)], similar=False)
        # Similar names through the search postings: indexed, whatever the registry's size.
        for other in search.find_people(people=born_that_day.exclude(name_key=key), query=key):
            found.add_people(
                [(pk, file.pk, key), (other.pk, other.file_id, other.name_key)], similar=True
            )
    mobiles = {file.mobile, file.alternative_mobile}
    mobiles |= {
        mobile for mobile in Person.objects.filter(file=file).values_list("mobile", flat=True)
    }
    mobiles.discard("")
    if mobiles:
        live = BeneficiaryFile.objects.filter(merged_into__isnull=True).exclude(pk=file.pk)
        others = {
            *live.filter(mobile__in=mobiles).values_list("pk", flat=True)[:LARGEST_GROUP],
            *live.filter(alternative_mobile__in=mobiles).values_list("pk", flat=True)[
                :LARGEST_GROUP
            ],
            *Person.objects.filter(mobile__in=mobiles)
            .exclude(file=file)
            .values_list("file_id", flat=True)[:LARGEST_GROUP],
        }
        for other in others:
            found.add(file_1=file.pk, file_2=other, reason=DuplicateReason.SAME_MOBILE)
    if file.iban:
        same_iban = (
            BeneficiaryFile.objects.filter(iban=file.iban, merged_into__isnull=True)
            .exclude(pk=file.pk)
            .values_list("pk", flat=True)[:LARGEST_GROUP]
        )
        for other in same_iban:
            found.add(file_1=file.pk, file_2=other, reason=DuplicateReason.SAME_IBAN)
    return _store(found)


def _chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _heads(file_ids: set[int]) -> dict[int, int]:
    heads = {}
    for chunk in _chunks(sorted(file_ids)):
        rows = Person.objects.filter(file_id__in=chunk, relation=Relation.HEAD)
        heads |= dict(rows.values_list("file_id", "pk"))
    return heads


def _store(found: _Found) -> DetectionReport:
    """Create the new pairs and add reasons to open ones; dismissed and merged pairs, and
    pairs with a merged file, are left alone."""
    report = DetectionReport(pairs=len(found.matches), skipped_groups=found.skipped_groups)
    for match in found.matches.values():
        for reason in match.reasons:
            report.by_reason[reason] = report.by_reason.get(reason, 0) + 1
    if not found.matches:
        return report
    merged = set()
    file_ids = {pk for pair in found.matches for pk in pair}
    for chunk in _chunks(sorted(file_ids)):
        merged |= set(
            BeneficiaryFile.objects.filter(pk__in=chunk, merged_into__isnull=False).values_list(
                "pk", flat=True
            )
        )
    matches = [m for pair, m in sorted(found.matches.items()) if not set(pair) & merged]
    needs_heads = {pk for m in matches if m.person_a is None for pk in (m.file_a, m.file_b)}
    heads = _heads(needs_heads)
    now = timezone.now()
    for chunk in _chunks(matches):
        existing = {
            (c.file_a_id, c.file_b_id): c
            for c in DuplicateCandidate.objects.filter(
                file_a_id__in={m.file_a for m in chunk}, file_b_id__in={m.file_b for m in chunk}
            )
        }
        new, changed = [], []
        for match in chunk:
            if match.person_a is None:
                match.person_a, match.person_b = heads.get(match.file_a), heads.get(match.file_b)
            candidate = existing.get((match.file_a, match.file_b))
            if candidate is None:
                new.append(
                    DuplicateCandidate(
                        file_a_id=match.file_a,
                        file_b_id=match.file_b,
                        person_a_id=match.person_a,
                        person_b_id=match.person_b,
                        reasons=match.ordered_reasons(),
                        score=match.score,
                        detected_at=now,
                    )
                )
            elif candidate.status == DuplicateStatus.OPEN and not match.reasons <= set(
                candidate.reasons
            ):
                candidate.reasons = sorted(
                    match.reasons | set(candidate.reasons), key=lambda code: -REASON_SCORES[code]
                )
                candidate.score = candidate_score(candidate.reasons)
                if match.person_a and any(_is_name_reason(code) for code in match.reasons):
                    candidate.person_a_id, candidate.person_b_id = match.person_a, match.person_b
                candidate.updated_at = now
                changed.append(candidate)
        # ignore_conflicts: a registration storing the same pair at this moment wins.
        DuplicateCandidate.objects.bulk_create(new, ignore_conflicts=True)
        DuplicateCandidate.objects.bulk_update(
            changed, ["reasons", "score", "person_a", "person_b", "updated_at"]
        )
        report.created += len(new)
        report.updated += len(changed)
    return report


# Reads ---------------------------------------------------------------------------------


def _both_visible(queryset: QuerySet, *, actor, a: str, b: str) -> QuerySet:
    """Rows whose two files ``a`` and ``b`` the actor may both see (P-CH across branches
    goes to those who see every branch)."""
    if not actor.has_perm("registry.view_beneficiaryfile"):
        return queryset.none()
    if sees_every_branch(actor):
        return queryset
    visible = files_visible_to(actor=actor).values("pk")
    return queryset.filter(**{f"{a}__in": visible, f"{b}__in": visible})


def candidates_for_worklist(*, actor, status: str = DuplicateStatus.OPEN) -> QuerySet:
    """Pairs with ``status`` whose two files the actor may see, highest score first; open
    pairs with a merged file are left out (the merge re-points them to the survivor)."""
    if not actor.has_perm("registry.view_duplicatecandidate"):
        return DuplicateCandidate.objects.none()
    candidates = DuplicateCandidate.objects.filter(status=status)
    if status == DuplicateStatus.OPEN:
        candidates = candidates.filter(
            file_a__merged_into__isnull=True, file_b__merged_into__isnull=True
        )
    order = ["-score", "-detected_at", "-pk"]
    if status != DuplicateStatus.OPEN:
        order = ["-decided_at", "-pk"]
    return (
        _both_visible(candidates, actor=actor, a="file_a", b="file_b")
        .select_related(
            "file_a", "file_b", "file_a__branch", "file_b__branch", "person_a", "person_b"
        )
        .order_by(*order)
    )


def candidate_for(*, actor, pk: int) -> DuplicateCandidate:
    """One pair with both households preloaded; 404 unless the actor may see both files."""
    if not actor.has_perm("registry.view_duplicatecandidate"):
        raise Http404
    members = Person.objects.order_by("pk")
    candidates = _both_visible(
        DuplicateCandidate.objects.all(), actor=actor, a="file_a", b="file_b"
    )
    try:
        candidate = candidates.select_related("person_a", "person_b", "decided_by").get(pk=pk)
    except DuplicateCandidate.DoesNotExist:
        raise Http404 from None
    files = (
        BeneficiaryFile.objects.filter(pk__in=[candidate.file_a_id, candidate.file_b_id])
        .select_related("branch", "category", "merged_into")
        .prefetch_related(Prefetch("members", queryset=members), "incomes")
    )
    by_pk = {file.pk: file for file in files}
    candidate.file_a, candidate.file_b = by_pk[candidate.file_a_id], by_pk[candidate.file_b_id]
    return candidate


def merges_for_worklist(*, actor) -> QuerySet[FileMerge]:
    """Merges whose two files the actor may see, newest first."""
    if not actor.has_perm("registry.view_filemerge"):
        return FileMerge.objects.none()
    return (
        _both_visible(FileMerge.objects.all(), actor=actor, a="source", b="target")
        .select_related(
            "source__branch", "target__branch", "merged_by", "reverted_by", "source_head"
        )
        .order_by("-merged_at", "-pk")
    )


def merge_for(*, actor, pk: int) -> FileMerge:
    """One merge record; 404 unless the actor may see both files."""
    try:
        return merges_for_worklist(actor=actor).get(pk=pk)
    except FileMerge.DoesNotExist:
        raise Http404 from None


def file_context(*, actor, file: BeneficiaryFile) -> dict:
    """What the file page shows of suspected duplicates: ``flags`` linking to the compare
    page of each open pair (at most ``FLAGS``), and to the merges into this file. Two
    queries whatever the registry's size."""
    if not actor.has_perm("registry.view_duplicatecandidate"):
        return {"flags": []}
    flags = []
    other_number = Case(
        When(file_a_id=file.pk, then=F("file_b__number")), default=F("file_a__number")
    )
    pairs = (
        candidates_for_worklist(actor=actor)
        .filter(Q(file_a=file) | Q(file_b=file))
        .values_list("pk", other_number)[:FLAGS]
    )
    for pk, other in pairs:
        flags.append(
            Flag(
                text=_("Possible duplicate: %(number)s") % {"number": other},
                level="warning",
                url=reverse("registry:duplicate", args=[pk]),
            )
        )
    if actor.has_perm("registry.view_filemerge"):
        merges = FileMerge.objects.filter(target=file, reverted_at__isnull=True)
        for pk, number in merges.values_list("pk", "source__number")[:FLAGS]:
            flags.append(
                Flag(
                    text=_("Merged from %(number)s") % {"number": number},
                    level="info",
                    url=reverse("registry:merge", args=[pk]),
                )
            )
    return {"flags": flags}


# Decisions -----------------------------------------------------------------------------


class PairAlreadyDecided(DomainError):
    code, http_status = "duplicate_decided", 409
    message = gettext_lazy("This pair was already reviewed: %(status)s.")


@transaction.atomic
def dismiss_candidate(*, actor, candidate: DuplicateCandidate, note: str = "") -> None:
    """Staff checked the pair: different people. The pair stays dismissed for good, with
    who and when (P-PROC-2); detection never reopens it."""
    file_a, file_b = candidate.file_a, candidate.file_b
    # Deciding changes no household: the permission in either file's branch is enough,
    # provided both files are visible to the actor.
    ensure_can(actor, "registry.change_duplicatecandidate")
    if not any(
        can(actor, "registry.change_duplicatecandidate", branch=file.branch)
        for file in (file_a, file_b)
    ):
        raise PermissionDenied()
    if files_visible_to(actor=actor).filter(pk__in=[file_a.pk, file_b.pk]).count() != 2:
        raise PermissionDenied()
    now = timezone.now()
    # Filter on status: two reviewers may decide the same pair at once.
    claimed = DuplicateCandidate.objects.filter(
        pk=candidate.pk, status=DuplicateStatus.OPEN
    ).update(
        status=DuplicateStatus.DISMISSED,
        decided_at=now,
        decided_by=actor,
        note=note[:255],
        updated_at=now,
    )
    if not claimed:
        candidate.refresh_from_db()
        raise PairAlreadyDecided(status=candidate.get_status_display())
    candidate.refresh_from_db()
    audit.record_transition(
        actor=actor,
        target=candidate,
        before=DuplicateStatus.OPEN,
        after=DuplicateStatus.DISMISSED,
        summary=_("%(a)s and %(b)s: different people") % {"a": file_a.number, "b": file_b.number},
    )
    for file, other in ((file_a, file_b), (file_b, file_a)):
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=file,
            summary=_("Not a duplicate of %(other)s: different people") % {"other": other.number},
        )
