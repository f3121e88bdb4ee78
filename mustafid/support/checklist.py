"""Is a household's file complete for a type of support request? (P-PROC-2)

The policy asks the officer to make sure the applicant provides all required information,
matched and valid at submission. Each request type names what it requires
(``SupportRequestType.required_items`` and ``required_documents``); this module says what
is missing, or expired, on a given day, so intake shows it and submission refuses it.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.core.dates import format_dual
from mustafid.documents.models import Document, DocumentKind
from mustafid.registry.models import BeneficiaryFile, Housing, Relation
from mustafid.support.models import RequiredItem, SupportRequestType

#: From this age a Saudi citizen carries a national ID (saudi.md §1).
ID_AGE = 15


@dataclass(frozen=True)
class Missing:
    """One thing the file lacks for the request: an item or a document, and why."""

    code: str
    label: str
    reason: str = ""
    is_document: bool = False


def _age(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _item_present(code: str, *, file: BeneficiaryFile, members: list, on: dt.date) -> bool:
    head = next((p for p in members if p.relation == Relation.HEAD), None)
    if code == RequiredItem.MOBILE:
        return bool(file.mobile or (head and head.mobile))
    if code == RequiredItem.NATIONAL_ADDRESS:
        full = file.building_number and file.street and file.postal_code
        return bool(file.short_address or full)
    if code == RequiredItem.IBAN:
        return bool(file.iban)
    if code == RequiredItem.INCOMES:
        return bool(file.incomes.all())
    if code == RequiredItem.HOUSING:
        return bool(file.housing)
    if code == RequiredItem.RENT:
        return file.housing == Housing.RENTED and file.monthly_rent is not None
    if code == RequiredItem.HEAD_ID:
        return bool(head and head.national_id)
    if code == RequiredItem.MEMBER_IDS:
        adults = [p for p in members if (_age(p.birth_date, on) or ID_AGE) >= ID_AGE]
        return all(p.national_id for p in adults)
    if code == RequiredItem.BIRTH_DATES:
        return all(p.birth_date for p in members)
    raise ValueError(f"unknown required item {code!r}")


def missing_items(
    *, request_type: SupportRequestType, file: BeneficiaryFile, on: dt.date | None = None
) -> list[Missing]:
    """What ``file`` lacks for ``request_type`` on day ``on`` (today by default): required
    information absent, required documents absent or expired. Empty: complete.

    Reads the file's members and incomes (prefetched by ``registry.selectors.file_for``)
    and its documents in one query.
    """
    on = on or timezone.localdate()
    members = list(file.members.all())
    missing = [
        Missing(code=code, label=str(RequiredItem(code).label))
        for code in request_type.required_items
        if not _item_present(code, file=file, members=members, on=on)
    ]
    wanted = list(request_type.required_documents)
    if not wanted:
        return missing
    documents = Document.objects.filter(file=file, kind__in=wanted, removed_at__isnull=True)
    by_kind: dict[str, list[Document]] = {}
    for document in documents.order_by().only("kind", "expiry_date"):
        by_kind.setdefault(document.kind, []).append(document)
    for kind in wanted:
        label = str(DocumentKind(kind).label)
        found = by_kind.get(kind, [])
        if any(d.expiry_date is None or d.expiry_date >= on for d in found):
            continue
        if found:
            latest = max(d.expiry_date for d in found)
            reason = _("expired on %(date)s") % {"date": format_dual(latest)}
        else:
            reason = _("not on file")
        missing.append(Missing(code=kind, label=label, reason=reason, is_document=True))
    return missing
