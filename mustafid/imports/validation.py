"""Validating a whole file: each row cleaned (``imports.cleaning``), checked against the
registry in chunks, then against the rest of the file (P-PROC-2: data matched and verified
before it is registered).

Refused (the row fails): a national ID already registered (with its file number), the same
ID twice in the file (both rows), a household with two heads, a member without a relation.
Reported as warnings, for a person to look at: likely duplicates (the same normalised name
and date of birth, or the same mobile) in the registry or elsewhere in the file.

The registry is read a chunk of rows at a time with ``__in`` lookups on indexed columns,
never once per row, so a 50,000-row file is about 150 queries.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from mustafid.core.arabic import to_ascii_digits
from mustafid.imports.cleaning import Problem, clean_row
from mustafid.imports.errors import TooManyRows
from mustafid.imports.fields import FULL_NAME, HOUSEHOLD, NAME_PARTS
from mustafid.imports.messages import ERROR, WARNING
from mustafid.registry.models import BeneficiaryFile, Person, Relation

#: Rows cleaned and checked against the registry at a time.
CHUNK = 2000
#: Row numbers named in one message at most ("also in rows 4, 9, 12, …").
ROWS_NAMED = 5


@dataclass
class RowResult:
    number: int
    data: dict
    problems: list[Problem] = field(default_factory=list)
    raw_name: str = ""
    raw_id: str = ""

    @property
    def failed(self) -> bool:
        return any(level == ERROR for level, *_rest in self.problems)

    @property
    def has_warnings(self) -> bool:
        return any(level == WARNING for level, *_rest in self.problems)

    @property
    def household(self) -> str:
        return self.data["_household_key"]

    @property
    def display_name(self) -> str:
        name = " ".join(self.data.get(part) or "" for part in NAME_PARTS)
        return " ".join(name.split()) or self.raw_name

    def add(self, level: str, field_name: str, code: str, **params) -> None:
        self.problems.append((level, field_name, code, params))


def _rows_text(numbers: Iterable[int]) -> dict:
    numbers = sorted(numbers)
    shown = ", ".join(str(n) for n in numbers[:ROWS_NAMED])
    return {"rows": shown + ("…" if len(numbers) > ROWS_NAMED else ""), "count": len(numbers)}


def validate_rows(
    rows: Iterable[tuple[int, list]],
    *,
    mapping: dict[str, str],
    today: dt.date,
    default_city: str,
    limit: int,
    on_progress: Callable[[int], None] = lambda done: None,
) -> list[RowResult]:
    """Every row of the file cleaned and checked; ``on_progress`` is told the rows done."""
    columns = [(int(column), name) for column, name in mapping.items()]
    results: list[RowResult] = []
    chunk: list[RowResult] = []
    for number, cells in rows:
        if len(results) + len(chunk) >= limit:
            raise TooManyRows(limit=limit)
        values = {name: cells[column] for column, name in columns}
        data, problems = clean_row(values, today=today, default_city=default_city)
        chunk.append(
            RowResult(
                number,
                data,
                problems,
                raw_name=str(values.get(FULL_NAME, ""))[:200],
                raw_id=str(values.get("national_id", ""))[:20],
            )
        )
        if len(chunk) == CHUNK:
            check_against_registry(chunk)
            results += chunk
            chunk = []
            on_progress(len(results))
    check_against_registry(chunk)
    results += chunk
    on_progress(len(results))
    check_within_file(results, grouped=HOUSEHOLD in mapping.values())
    return results


def check_against_registry(chunk: list[RowResult]) -> None:
    """IDs already registered fail; the same name and birth date, or the same mobile, as a
    registered person are warnings. Six indexed queries per chunk, whatever its size, none
    joining the files table (its numbers are read last, for the few rows that matched)."""
    ids = {row.data["national_id"] for row in chunk if row.data.get("national_id")}
    registered = dict(
        Person.objects.filter(national_id__in=ids).order_by().values_list("national_id", "file_id")
    )
    candidates = [row for row in chunk if row.data.get("national_id") not in registered]

    pairs = {
        (row.data["name_key"], row.data["birth_date"])
        for row in candidates
        if row.data.get("birth_date") and row.data.get("name_key")
    }
    same_person: dict[tuple[str, str], int] = {}
    if pairs:
        # By name key (indexed, and rarely shared); the birth date is compared here.
        found = (
            Person.objects.filter(
                name_key__in={key for key, _born in pairs}, birth_date__isnull=False
            )
            .order_by()
            .values_list("name_key", "birth_date", "file_id")
        )
        for key, born, file_id in found:
            if (key, born.isoformat()) in pairs:
                same_person.setdefault((key, born.isoformat()), file_id)

    mobiles = {row.data["mobile"] for row in candidates if row.data.get("mobile")}
    on_mobile: dict[str, int] = {}
    if mobiles:
        lookups = [
            Person.objects.filter(mobile__in=mobiles).values_list("mobile", "file_id"),
            BeneficiaryFile.objects.filter(mobile__in=mobiles).values_list("mobile", "pk"),
            BeneficiaryFile.objects.filter(alternative_mobile__in=mobiles).values_list(
                "alternative_mobile", "pk"
            ),
        ]
        # Unordered: the models' default orderings would join and sort for nothing.
        lookups = [lookup.order_by() for lookup in lookups]
        for lookup in lookups:
            for mobile, file_id in lookup:
                on_mobile.setdefault(mobile, file_id)

    file_ids = {*registered.values(), *same_person.values(), *on_mobile.values()}
    numbers = (
        dict(BeneficiaryFile.objects.filter(pk__in=file_ids).order_by().values_list("pk", "number"))
        if file_ids
        else {}
    )
    for row in chunk:
        if file_id := registered.get(row.data.get("national_id")):
            row.add(ERROR, "national_id", "id_in_registry", number=numbers[file_id])
    for row in candidates:
        if file_id := same_person.get((row.data.get("name_key"), row.data.get("birth_date"))):
            row.add(WARNING, "birth_date", "likely_name_birth_registry", number=numbers[file_id])
        if file_id := on_mobile.get(row.data.get("mobile")):
            row.add(WARNING, "mobile", "likely_mobile_registry", number=numbers[file_id])


def check_within_file(results: list[RowResult], *, grouped: bool) -> None:
    """Rows against each other: repeated IDs, households and their heads, likely
    duplicates; last, the rows skipped with their household under "valid rows only"."""
    households: dict[str, list[RowResult]] = defaultdict(list)
    for row in results:
        reference = " ".join(to_ascii_digits(row.data.get(HOUSEHOLD) or "").split())
        if grouped and not reference:
            row.add(ERROR, HOUSEHOLD, "household_missing")
        # A row without a household is a household of its own.
        row.data["_alone"] = not (grouped and reference)
        row.data["_household_key"] = f"row {row.number}" if row.data["_alone"] else reference
        households[row.household].append(row)

    by_id: dict[str, list[RowResult]] = defaultdict(list)
    by_person: dict[tuple, list[RowResult]] = defaultdict(list)
    by_mobile: dict[str, list[RowResult]] = defaultdict(list)
    for row in results:
        if row.data.get("national_id"):
            by_id[row.data["national_id"]].append(row)
        if row.data.get("birth_date") and row.data.get("name_key"):
            by_person[(row.data["name_key"], row.data["birth_date"])].append(row)
        if row.data.get("mobile"):
            by_mobile[row.data["mobile"]].append(row)
    for same in by_id.values():
        for row in same if len(same) > 1 else ():
            others = [other.number for other in same if other is not row]
            row.add(ERROR, "national_id", "id_repeated", **_rows_text(others))
    for same in by_person.values():
        for row in same if len(same) > 1 else ():
            others = [other.number for other in same if other is not row]
            row.add(WARNING, "birth_date", "likely_name_birth_file", **_rows_text(others))
    for same in by_mobile.values():
        for row in same:
            others = [other.number for other in same if other.household != row.household]
            if others:
                row.add(WARNING, "mobile", "likely_mobile_file", **_rows_text(others))

    for reference, members in households.items():
        _choose_head(reference, members)
    for members in households.values():
        failed = [row.number for row in members if row.failed]
        for row in members if failed else ():
            if not row.failed:
                row.add(WARNING, HOUSEHOLD, "household_has_failed_row", **_rows_text(failed))


def _choose_head(reference: str, members: list[RowResult]) -> None:
    """The row marked head, else the first row, heads the household; a second head and a
    member without a relation fail. A row alone is the head of its own household."""
    if members[0].data["_alone"]:
        members[0].data["relation"] = Relation.HEAD
        return
    heads = [row for row in members if row.data.get("relation") == Relation.HEAD]
    if not heads:
        members[0].add(WARNING, "relation", "head_assumed", household=reference)
        members[0].data["relation"] = Relation.HEAD
        heads = [members[0]]
    for row in heads[1:]:
        row.add(ERROR, "relation", "head_repeated", household=reference, rows=heads[0].number)
    for row in members:
        if row is not heads[0] and not row.data.get("relation"):
            row.add(ERROR, "relation", "relation_missing")
