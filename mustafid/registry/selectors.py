"""Reads of the registry, always scoped to the actor's branches (issue 4 item 9)."""

import logging
import re

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from mustafid.accounts.permissions import branch_ids, sees_every_branch
from mustafid.core.arabic import to_ascii_digits
from mustafid.core.validators import normalise_mobile
from mustafid.registry import search
from mustafid.registry.models import BeneficiaryFile, Person, Relation

logger = logging.getLogger("mustafid.registry")

FILE_NUMBER = re.compile(r"^B-\d{4}-\d{1,6}$", re.IGNORECASE)


def files_visible_to(*, actor) -> QuerySet[BeneficiaryFile]:
    """Files of the actor's branches; administrators and managers see all; none without
    the view permission."""
    if not actor.has_perm("registry.view_beneficiaryfile"):
        return BeneficiaryFile.objects.none()
    if sees_every_branch(actor):
        return BeneficiaryFile.objects.all()
    return BeneficiaryFile.objects.filter(branch_id__in=branch_ids(actor))


def file_for(*, actor, number: str) -> BeneficiaryFile:
    """One file with its household preloaded; 404 outside the actor's scope, and logged.
    The number of a file merged into another gives the surviving file."""
    members = Person.objects.order_by("pk")
    queryset = (
        files_visible_to(actor=actor)
        .select_related("branch", "category")
        .prefetch_related(Prefetch("members", queryset=members), "incomes")
    )
    try:
        file = queryset.get(number=number)
    except BeneficiaryFile.DoesNotExist:
        if BeneficiaryFile.objects.filter(number=number).exists():
            logger.warning(
                "file outside scope",
                extra={"user_id": getattr(actor, "pk", None), "file_number": number},
            )
        raise Http404 from None
    if file.merged_into_id is not None:  # merged (registry.merge): the survivor answers
        survivor = BeneficiaryFile.objects.filter(pk=file.merged_into_id).values("number")
        return file_for(actor=actor, number=survivor.get()["number"])
    return file


def head_of(file: BeneficiaryFile) -> Person | None:
    """The head among the (prefetched) members."""
    return next((p for p in file.members.all() if p.relation == Relation.HEAD), None)


def search_people(*, actor, query: str, limit: int = 10) -> list[Person]:
    """Find people by file number, national ID, mobile (any form) or Arabic name.

    Names go through ``registry.search``: words of the normalised key matched against
    the name vocabulary (one misspelled word tolerated), candidates from the postings of
    the rarest word pairs, ranked by closeness.
    """
    text = to_ascii_digits(query or "").strip()
    if not text:
        return []
    people = Person.objects.filter(file__in=files_visible_to(actor=actor)).select_related(
        "file", "file__branch"
    )
    if FILE_NUMBER.match(text):
        return list(people.filter(file__number__iexact=text).order_by("pk")[:limit])
    digits = re.sub(r"[\s-]", "", text)
    if digits.isdigit() and len(digits) == 10 and digits[0] in "12":
        return list(people.filter(national_id=digits)[:limit])
    if re.fullmatch(r"\+?\d{9,14}", digits):
        try:
            mobile = normalise_mobile(digits)
        except Exception:  # not a mobile number: nothing else to match digits on
            return []
        # Three indexed lookups, not one OR across a join (a full scan at 1M people).
        file_ids = BeneficiaryFile.objects.filter(mobile=mobile).values_list("pk", flat=True)
        alt_ids = BeneficiaryFile.objects.filter(alternative_mobile=mobile).values_list(
            "pk", flat=True
        )
        files = {*file_ids, *alt_ids}
        person_ids = set(Person.objects.filter(mobile=mobile).values_list("pk", flat=True))
        return list(
            people.filter(Q(pk__in=person_ids) | Q(file_id__in=files)).order_by("file", "pk")[
                :limit
            ]
        )
    return search.find_people(people=people, query=text, limit=limit)
