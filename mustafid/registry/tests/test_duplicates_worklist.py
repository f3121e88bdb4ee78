"""Finding possible duplicate households and reviewing them (issue 4 item 6; P-CH "a
contact on any channel lands on the same record", P-PROC-2 "data matched and verified")."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from mustafid.accounts.roles import Role
from mustafid.accounts.tests.factories import StaffFactory
from mustafid.core.errors import PermissionDenied
from mustafid.core.models import AuditAction, AuditEntry
from mustafid.registry import services
from mustafid.registry.duplicates import (
    candidates_for_worklist,
    detect_for_file,
    dismiss_candidate,
    file_context,
    find_duplicate_candidates,
)
from mustafid.registry.models import (
    DuplicateCandidate,
    DuplicateReason,
    DuplicateStatus,
    Relation,
)
from mustafid.registry.tasks import find_duplicates
from mustafid.registry.tests.factories import national_id

pytestmark = pytest.mark.django_db

BORN = date(1985, 3, 14)
#: A common four-part name; households below vary it.
NAME = {
    "first_name": "محمد",
    "father_name": "عبدالله",
    "grandfather_name": "سعد",
    "family_name": "العتيبي",
}


def register(actor, branch, n, *, mobile="", iban="", **head):
    person = {
        "national_id": national_id(n),
        **NAME,
        "sex": "male",
        "birth_date": BORN,
        **head,
    }
    profile = {"mobile": mobile} if mobile else {}
    if iban:
        profile["iban"] = iban
    return services.create_file(
        actor=actor, branch=branch, channel="visit", city="الرياض", head=person, **profile
    )


def pair(file_1, file_2) -> DuplicateCandidate:
    low, high = sorted([file_1.pk, file_2.pk])
    return DuplicateCandidate.objects.get(file_a_id=low, file_b_id=high)


def test_the_same_name_and_birth_date_in_two_files_is_a_suspected_pair(officer, branch):
    first = register(officer, branch, 1)
    second = register(officer, branch, 2)
    report = find_duplicate_candidates()
    candidate = pair(first, second)
    assert candidate.reasons == [DuplicateReason.SAME_NAME_BIRTH]
    assert candidate.status == DuplicateStatus.OPEN
    assert {candidate.person_a.file_id, candidate.person_b.file_id} == {first.pk, second.pk}
    assert report.created == 1


def test_a_name_spelled_another_way_is_the_same_name(officer, branch):
    """Hamza and ة/ه variants normalise to one key (P-PROC-2)."""
    first = register(officer, branch, 1, first_name="أسامة")
    second = register(officer, branch, 2, first_name="اسامه")
    find_duplicate_candidates()
    assert pair(first, second).reasons == [DuplicateReason.SAME_NAME_BIRTH]


def test_a_very_similar_name_with_the_same_birth_date_is_a_suspected_pair(officer, branch):
    first = register(officer, branch, 1, grandfather_name="سعد")
    second = register(officer, branch, 2, grandfather_name="سعيد")
    find_duplicate_candidates()
    assert pair(first, second).reasons == [DuplicateReason.SIMILAR_NAME_BIRTH]


def test_a_misspelled_first_name_is_found_through_the_family_name(officer, branch):
    first = register(officer, branch, 1, first_name="عبدالرحمن")
    second = register(officer, branch, 2, first_name="عبدالرحمان")
    find_duplicate_candidates()
    assert pair(first, second).reasons == [DuplicateReason.SIMILAR_NAME_BIRTH]


def test_the_same_mobile_on_a_file_and_on_another_files_member_is_a_suspected_pair(officer, branch):
    """P-CH: a call from that number must land on one household."""
    first = register(officer, branch, 1, mobile="+966501234567")
    second = register(
        officer, branch, 2, first_name="فهد", family_name="الحربي", birth_date=date(1990, 1, 1)
    )
    services.add_member(
        actor=officer,
        file=second,
        member={
            "national_id": national_id(3),
            "first_name": "نورة",
            "father_name": "سالم",
            "family_name": "الحربي",
            "sex": "female",
            "relation": Relation.SPOUSE,
            "mobile": "+966501234567",
        },
    )
    find_duplicate_candidates()
    assert pair(first, second).reasons == [DuplicateReason.SAME_MOBILE]


def test_the_same_iban_is_a_suspected_pair(officer, branch):
    iban = "SA0380000000608010167519"
    first = register(officer, branch, 1, iban=iban)
    second = register(officer, branch, 2, iban=iban, first_name="فهد", family_name="الحربي")
    find_duplicate_candidates()
    assert pair(first, second).reasons == [DuplicateReason.SAME_IBAN]


def test_several_reasons_score_higher_than_one(officer, branch):
    first = register(officer, branch, 1, mobile="+966501234567")
    second = register(officer, branch, 2, mobile="+966501234567")
    third = register(officer, branch, 3, first_name="فهد", family_name="الحربي")
    fourth = register(officer, branch, 4, first_name="فهد", family_name="الحربي")
    find_duplicate_candidates()
    both = pair(first, second)
    assert both.reasons == [DuplicateReason.SAME_NAME_BIRTH, DuplicateReason.SAME_MOBILE]
    assert both.score > pair(third, fourth).score


def _exists(file_1, file_2) -> bool:
    low, high = sorted([file_1.pk, file_2.pk])
    return DuplicateCandidate.objects.filter(file_a_id=low, file_b_id=high).exists()


def test_brothers_born_the_same_day_are_not_similar_names(officer, branch):
    """Only one word differs, but by more than a misspelling."""
    register(officer, branch, 1, first_name="محمد")
    register(officer, branch, 2, first_name="فهد")
    find_duplicate_candidates()
    assert not DuplicateCandidate.objects.exists()


def test_unrelated_people_are_not_paired(officer, branch):
    register(officer, branch, 1)
    register(officer, branch, 2, birth_date=date(1986, 3, 14))  # same name, another day
    register(officer, branch, 3, first_name="خالد", family_name="الغامدي")  # same day
    register(officer, branch, 4, first_name="سارة", father_name="فهد", family_name="الشهري")
    find_duplicate_candidates()
    assert not DuplicateCandidate.objects.exists()


def test_people_of_one_household_are_not_a_duplicate_of_it(officer, branch):
    """Twins with close names live in one file: no pair of a file with itself."""
    file = register(officer, branch, 1)
    services.add_member(
        actor=officer,
        file=file,
        member={**NAME, "national_id": national_id(2), "sex": "male", "birth_date": BORN}
        | {"first_name": "محمود", "relation": Relation.SON},
    )
    find_duplicate_candidates()
    assert not DuplicateCandidate.objects.exists()


def test_running_detection_again_stores_nothing_twice(officer, branch):
    first = register(officer, branch, 1, mobile="+966501234567")
    register(officer, branch, 2, mobile="+966501234567")
    register(officer, branch, 3, first_name="فهد", family_name="الحربي", mobile="+966501234567")
    find_duplicate_candidates()
    count = DuplicateCandidate.objects.count()
    again = find_duplicate_candidates()
    assert DuplicateCandidate.objects.count() == count == 3
    assert again.created == again.updated == 0
    detect_for_file(file=first)
    assert DuplicateCandidate.objects.count() == count


def test_a_dismissed_pair_stays_dismissed(manager, branch):
    first = register(manager, branch, 1)
    second = register(manager, branch, 2, mobile="+966501234567")
    find_duplicate_candidates()
    dismiss_candidate(actor=manager, candidate=pair(first, second))
    # The second file's mobile now matches the first: a new reason, still dismissed.
    services.update_file(actor=manager, file=first, version=1, mobile="+966501234567")
    find_duplicate_candidates()
    detect_for_file(file=first)
    candidate = pair(first, second)
    assert candidate.status == DuplicateStatus.DISMISSED
    assert candidate.reasons == [DuplicateReason.SAME_NAME_BIRTH]


def test_a_new_reason_is_added_to_an_open_pair(officer, branch):
    first = register(officer, branch, 1)
    second = register(officer, branch, 2, mobile="+966501234567")
    find_duplicate_candidates()
    score = pair(first, second).score
    services.update_file(actor=officer, file=first, version=1, mobile="+966501234567")
    report = find_duplicate_candidates()
    assert report.updated == 1
    assert pair(first, second).score > score


def test_detection_for_one_household_finds_its_pairs(officer, branch):
    iban = "SA0380000000608010167519"
    same_name = register(officer, branch, 1)
    similar = register(officer, branch, 2, grandfather_name="سعيد")
    same_mobile = register(
        officer, branch, 3, first_name="فهد", family_name="الحربي", mobile="+966501234567"
    )
    same_iban = register(officer, branch, 4, first_name="خالد", family_name="الشهري", iban=iban)
    unrelated = register(officer, branch, 5, first_name="سارة", family_name="الشمري")
    new = register(officer, branch, 6, mobile="+966501234567", iban=iban)
    report = detect_for_file(file=new)
    assert report.pairs == 4
    assert pair(new, same_name).reasons == [DuplicateReason.SAME_NAME_BIRTH]
    assert pair(new, similar).reasons == [DuplicateReason.SIMILAR_NAME_BIRTH]
    assert pair(new, same_mobile).reasons == [DuplicateReason.SAME_MOBILE]
    assert pair(new, same_iban).reasons == [DuplicateReason.SAME_IBAN]
    assert not _exists(new, unrelated)


def test_the_task_runs_the_sweep(officer, branch):
    register(officer, branch, 1)
    register(officer, branch, 2)
    assert "1 new" in find_duplicates.call()
    assert DuplicateCandidate.objects.count() == 1


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
def test_the_command_can_queue_the_task(officer, branch, capsys):
    register(officer, branch, 1)
    register(officer, branch, 2)
    call_command("registry_find_duplicates", "--enqueue")
    assert "Queued" in capsys.readouterr().out
    assert DuplicateCandidate.objects.count() == 1


def test_the_command_prints_a_summary_and_a_second_run_changes_nothing(officer, branch, capsys):
    register(officer, branch, 1)
    register(officer, branch, 2)
    call_command("registry_find_duplicates")
    assert "1 new" in capsys.readouterr().out
    call_command("registry_find_duplicates")
    assert "0 new" in capsys.readouterr().out
    assert DuplicateCandidate.objects.count() == 1


# Worklist -------------------------------------------------------------------------------


@pytest.fixture
def other_officer(other_branch):
    return StaffFactory(
        username="jeddah_officer", roles=[Role.RELATIONS_OFFICER], branches=[other_branch]
    )


@pytest.fixture
def pairs(officer, branch, other_branch):
    """A pair inside the Riyadh branch and one spanning Riyadh and Jeddah."""
    admin = StaffFactory(username="both", roles=[Role.SYSTEM_ADMIN], branches=[other_branch])
    riyadh_1 = register(officer, branch, 1)
    riyadh_2 = register(officer, branch, 2)
    riyadh_3 = register(
        officer, branch, 3, first_name="فهد", family_name="الحربي", mobile="+966501234567"
    )
    jeddah = register(
        admin, other_branch, 4, first_name="خالد", family_name="الشهري", mobile="+966501234567"
    )
    find_duplicate_candidates()
    return {"inside": pair(riyadh_1, riyadh_2), "across": pair(riyadh_3, jeddah)}


def test_an_officer_sees_the_pairs_of_their_branch_only(officer, pairs):
    assert list(candidates_for_worklist(actor=officer)) == [pairs["inside"]]


def test_an_officer_of_another_branch_sees_neither(other_officer, pairs):
    """A pair spanning branches goes to those who see every branch."""
    assert list(candidates_for_worklist(actor=other_officer)) == []


def test_managers_see_pairs_spanning_branches(manager, pairs):
    assert set(candidates_for_worklist(actor=manager)) == {pairs["inside"], pairs["across"]}


def test_the_worklist_is_ordered_by_score(manager, pairs):
    rows = list(candidates_for_worklist(actor=manager))
    assert [row.score for row in rows] == sorted((row.score for row in rows), reverse=True)


def test_the_worklist_page_lists_open_pairs(officer_client, pairs):
    response = officer_client.get(reverse("registry:duplicates"))
    assert response.status_code == 200
    html = response.content.decode()
    assert pairs["inside"].file_a.number in html
    assert pairs["across"].file_b.number not in html


def test_a_dismissed_pair_leaves_the_open_tab_for_the_dismissed_one(client, manager, pairs):
    dismiss_candidate(actor=manager, candidate=pairs["inside"], note="أخوان")
    client.force_login(manager)
    open_tab = client.get(reverse("registry:duplicates")).content.decode()
    dismissed_tab = client.get(reverse("registry:duplicates"), {"tab": "dismissed"})
    assert pairs["inside"].get_absolute_url() not in open_tab
    assert pairs["inside"].get_absolute_url() in dismissed_tab.content.decode()


def test_the_worklist_queries_do_not_grow_with_rows(
    client, manager, branch, django_assert_max_num_queries
):
    for n in range(0, 30, 2):
        born = date(1980, 1, 1) + timedelta(days=n)
        register(manager, branch, 100 + n, birth_date=born)
        register(manager, branch, 101 + n, birth_date=born)
    find_duplicate_candidates()
    assert DuplicateCandidate.objects.count() == 15
    client.force_login(manager)
    # session, user, groups, permissions, count, page
    with django_assert_max_num_queries(8):
        response = client.get(reverse("registry:duplicates"))
    assert response.content.decode().count('data-testid="duplicate-row"') == 15


def test_the_next_page_of_the_worklist_comes_alone_with_htmx(client, manager, branch):
    for n in range(0, 52, 2):  # 26 pairs: one more than a page
        born = date(1980, 1, 1) + timedelta(days=n)
        register(manager, branch, 100 + n, birth_date=born)
        register(manager, branch, 101 + n, birth_date=born)
    find_duplicate_candidates()
    client.force_login(manager)
    response = client.get(
        reverse("registry:duplicates"), {"page": 2}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.count('data-testid="duplicate-row"') == 1
    assert "<html" not in html


def test_the_worklist_needs_its_permission(client, committee_member, pairs):
    client.force_login(committee_member)
    assert client.get(reverse("registry:duplicates")).status_code == 403


# Comparison and "different people" --------------------------------------------------------


def test_the_compare_page_shows_both_households(client, manager, pairs):
    client.force_login(manager)
    candidate = pairs["inside"]
    response = client.get(candidate.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert candidate.file_a.number in html and candidate.file_b.number in html
    assert html.count('data-testid="matched-person"') == 2
    assert 'data-testid="merge-form"' in html and 'data-testid="dismiss-form"' in html


def test_an_officer_compares_but_may_neither_dismiss_nor_merge(officer_client, pairs):
    response = officer_client.get(pairs["inside"].get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="merge-form"' not in html and 'data-testid="dismiss-form"' not in html


def test_a_pair_outside_the_users_branches_is_not_found(officer_client, other_officer, pairs):
    assert officer_client.get(pairs["across"].get_absolute_url()).status_code == 404


def test_the_compare_page_queries_do_not_grow_with_members(
    client, manager, pairs, django_assert_max_num_queries
):
    candidate = pairs["inside"]
    for n in range(10):
        services.add_member(
            actor=manager,
            file=candidate.file_a,
            member={
                "national_id": national_id(200 + n),
                "first_name": "ابن",
                "father_name": "محمد",
                "family_name": "العتيبي",
                "sex": "male",
                "relation": Relation.SON,
            },
        )
    client.force_login(manager)
    with django_assert_max_num_queries(25):
        client.get(candidate.get_absolute_url())


def test_different_people_is_recorded_with_who_and_when_and_audited(client, manager, pairs):
    candidate = pairs["inside"]
    client.force_login(manager)
    response = client.post(
        reverse("registry:dismiss_duplicate", args=[candidate.pk]), {"note": "أخوان توأم"}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.DISMISSED
    assert candidate.decided_by == manager and candidate.decided_at is not None
    assert candidate.note == "أخوان توأم"
    entry = AuditEntry.objects.for_object(candidate).get()
    assert entry.action == AuditAction.TRANSITION and entry.actor == manager
    assert AuditEntry.objects.for_object(candidate.file_a).filter(actor=manager).exists()


def test_an_officer_cannot_dismiss_a_pair(officer, officer_client, pairs):
    candidate = pairs["inside"]
    with pytest.raises(PermissionDenied):
        dismiss_candidate(actor=officer, candidate=candidate)
    response = officer_client.post(reverse("registry:dismiss_duplicate", args=[candidate.pk]))
    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN


def test_a_pair_decided_once_cannot_be_decided_again(manager, pairs):
    from mustafid.registry.duplicates import PairAlreadyDecided

    dismiss_candidate(actor=manager, candidate=pairs["inside"])
    with pytest.raises(PairAlreadyDecided):
        dismiss_candidate(actor=manager, candidate=pairs["inside"])


# The file page -------------------------------------------------------------------------


def test_the_file_page_flags_a_possible_duplicate_with_a_link(officer_client, officer, pairs):
    candidate = pairs["inside"]
    flags = file_context(actor=officer, file=candidate.file_a)["flags"]
    assert [flag.url for flag in flags] == [candidate.get_absolute_url()]
    assert candidate.file_b.number in flags[0].text
    html = officer_client.get(candidate.file_a.get_absolute_url()).content.decode()
    assert candidate.get_absolute_url() in html


def test_no_flag_once_the_pair_is_dismissed(manager, pairs):
    candidate = pairs["inside"]
    dismiss_candidate(actor=manager, candidate=candidate)
    assert file_context(actor=manager, file=candidate.file_a)["flags"] == []


def test_no_duplicate_flag_without_the_permission(committee_member, pairs):
    assert file_context(actor=committee_member, file=pairs["inside"].file_a) == {"flags": []}
