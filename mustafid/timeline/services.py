"""Writing and reading the household timeline (issue 4 item 7)."""

from django.core.paginator import Page, Paginator
from django.utils import timezone

from mustafid.timeline.models import EventKind, TimelineEvent

PAGE_SIZE = 20


def add_event(
    *,
    file,
    kind: str,
    actor=None,
    person=None,
    detail: str = "",
    url: str = "",
    occurred_at=None,
) -> TimelineEvent:
    """Append an event to ``file``'s timeline; call it inside the change's transaction."""
    EventKind(kind)  # an unknown kind is a programming error, not data
    return TimelineEvent.objects.create(
        file=file,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        person=person,
        detail=str(detail)[:255],
        url=url[:200],
        occurred_at=occurred_at or timezone.now(),
    )


def timeline_page(*, file, page: int | str | None = 1, per_page: int = PAGE_SIZE) -> Page:
    """One page of ``file``'s events, newest first (two queries whatever the history)."""
    events = TimelineEvent.objects.filter(file=file).select_related("actor", "person")
    return Paginator(events.order_by("-occurred_at", "-pk"), per_page).get_page(page)
