"""The household timeline every feature writes to (issue 4 item 7)."""

import pytest

from mustafid.registry.tests.factories import PersonFactory
from mustafid.timeline.models import EventKind, TimelineEvent
from mustafid.timeline.selectors import file_context
from mustafid.timeline.services import add_event, timeline_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def file():
    return PersonFactory().file


def test_events_are_kept_newest_first_and_paged_without_counting(file, django_assert_num_queries):
    for n in range(45):
        add_event(file=file, kind=EventKind.NOTE, detail=f"note {n}")
    with django_assert_num_queries(1):
        first = timeline_page(file=file, page=1)
        assert [e.detail for e in first][:2] == ["note 44", "note 43"]
    assert len(first) == 20 and first.has_next and first.next_page_number == 2
    last = timeline_page(file=file, page=3)
    assert [e.detail for e in last] == [f"note {n}" for n in range(4, -1, -1)]
    assert not last.has_next
    assert timeline_page(file=file, page="junk").number == 1


def test_an_unknown_kind_is_a_programming_error(file):
    with pytest.raises(ValueError):
        add_event(file=file, kind="gossip")
    assert not TimelineEvent.objects.exists()


def test_the_timeline_is_shown_only_to_those_allowed(file, officer, django_user_model):
    add_event(file=file, kind=EventKind.NOTE, actor=officer, detail="x")
    assert file_context(actor=officer, file=file)["timeline"].events[0].actor == officer
    nobody = django_user_model.objects.create_user(username="nobody", password="x")
    assert file_context(actor=nobody, file=file)["timeline"] is None
