"""Writing and reading the household timeline (issue 4 item 7)."""

from dataclasses import dataclass

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


@dataclass
class TimelinePage:
    """A page of events and whether older ones follow; iterates over the events."""

    events: list[TimelineEvent]
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def timeline_page(*, file, page: int | str | None = 1, per_page: int = PAGE_SIZE) -> TimelinePage:
    """One page of ``file``'s events, newest first: one query whatever the history (one
    event more than the page is read to know whether older ones follow; no COUNT)."""
    try:
        number = max(1, int(page or 1))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    events = list(
        TimelineEvent.objects.filter(file=file)
        .select_related("actor", "person")
        .order_by("-occurred_at", "-pk")[start : start + per_page + 1]
    )
    return TimelinePage(events=events[:per_page], number=number, has_next=len(events) > per_page)
