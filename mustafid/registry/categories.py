"""The category rules (فئات المستفيدين): which category a household falls in (P-OBJ-1).

Each active ``Category`` carries its rule as a per-capita monthly income ceiling, read in
order: a household belongs to the first category whose ceiling its per-capita income does
not exceed; a category without a ceiling takes everyone left. Until the household's
incomes are recorded it has no category. An administrator edits the
categories and their order in the admin; a manager may set a file's category by hand,
after which the rules leave that file alone until the override is lifted.
"""

from decimal import Decimal

from mustafid.accounts.permissions import sees_every_branch
from mustafid.core import audit
from mustafid.core.errors import PermissionDenied
from mustafid.registry.models import BeneficiaryFile, Category


def can_set_category(actor) -> bool:
    """Setting a category by hand, over the rules, is for branch managers and
    administrators."""
    return sees_every_branch(actor)


def ensure_can_set_category(actor) -> None:
    if not can_set_category(actor):
        raise PermissionDenied()


def category_for_income(*, per_capita: Decimal, categories=None) -> Category | None:
    """The first active category (by order) whose ceiling ``per_capita`` stays within."""
    if categories is None:
        categories = Category.objects.filter(is_active=True).order_by("position", "code")
    for category in categories:
        if category.income_ceiling is None or per_capita <= category.income_ceiling:
            return category
    return None


def apply_category_rules(*, actor, file: BeneficiaryFile) -> Category | None:
    """Set the category the rules give, unless it was set by hand; audited when it moves.

    Called by the services after every change to incomes or members.
    """
    from mustafid.registry.services import per_capita_income
    from mustafid.timeline.models import EventKind
    from mustafid.timeline.services import add_event

    if file.category_is_manual:
        return file.category
    fresh = BeneficiaryFile.objects.prefetch_related("members", "incomes").get(pk=file.pk)
    # No income recorded yet is not "no income": the rules wait until the incomes are
    # entered (a household without any income records one source, "No income", of 0).
    if fresh.incomes.all():
        category = category_for_income(per_capita=per_capita_income(file=fresh))
    else:
        category = None
    if category != fresh.category:
        before = audit.snapshot(fresh, fields=["category"])
        BeneficiaryFile.objects.filter(pk=file.pk).update(category=category)
        fresh.category = category
        audit.record_update(actor=actor, target=fresh, before=before)
        add_event(
            file=fresh, kind=EventKind.CATEGORY_CHANGED, actor=actor, detail=str(category or "—")
        )
    file.category = category
    return category
