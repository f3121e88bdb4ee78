"""Likely duplicates, shown to the officer before a new person is saved (issue 4 item 6).

The same national ID is refused outright by the services. This module finds the softer
signs that a person may already be registered: the same or a very similar normalised
name with the same birth date, or the same mobile. The officer then opens the existing
file or confirms that this is a different person, and that choice is audited.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from mustafid.core import audit
from mustafid.core.models import AuditAction
from mustafid.registry.models import BeneficiaryFile, Person
from mustafid.registry.selectors import files_visible_to
from mustafid.registry.services import name_key

#: How close two normalised names must be to count as "similar" (rapidfuzz ratio).
SIMILAR_NAME = 88


@dataclass
class Suggestion:
    person: Person
    reasons: list[str] = field(default_factory=list)
    visible: bool = True  # False: another branch's file, shown by number only


def likely_duplicates(*, actor, person: dict, limit: int = 5) -> list[Suggestion]:
    """People who may be the one being registered, most likely first, across branches."""
    key = name_key(
        first_name=person.get("first_name", ""),
        father_name=person.get("father_name", ""),
        grandfather_name=person.get("grandfather_name", ""),
        family_name=person.get("family_name", ""),
    )
    condition = Q()
    if person.get("birth_date"):
        condition |= Q(birth_date=person["birth_date"])
    if person.get("mobile"):
        mobile = person["mobile"]
        condition |= Q(mobile=mobile) | Q(file__mobile=mobile) | Q(file__alternative_mobile=mobile)
    if not condition:
        condition = Q(name_key=key)
    candidates = Person.objects.filter(condition).select_related("file", "file__branch")[:200]
    visible = set(files_visible_to(actor=actor).values_list("pk", flat=True))
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


def file_context(*, actor, file: BeneficiaryFile) -> dict:
    """What the file page shows of suspected duplicates: template variables, and ``flags``."""
    return {"flags": []}
