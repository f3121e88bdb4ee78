"""Merging two files of one household and reverting the merge (issue 4 item 6, acceptance
"merge moves everything and is audited"; P-CH "a contact on any channel lands on the same
record", P-PROC-2)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from mustafid.accounts.roles import Role
from mustafid.accounts.tests.factories import StaffFactory
from mustafid.core.errors import PermissionDenied
from mustafid.core.models import AuditEntry
from mustafid.registry import selectors, services
from mustafid.registry.duplicates import (
    candidates_for_worklist,
    find_duplicate_candidates,
    merges_for_worklist,
)
from mustafid.registry.merge import (
    CannotMergeIntoItself,
    FileAlreadyMerged,
    MergeAlreadyReverted,
    RevertConflict,
    file_links,
    merge_files,
    revert_merge,
)
from mustafid.registry.models import (
    BeneficiaryFile,
    DuplicateCandidate,
    DuplicateStatus,
    FileMerge,
    FileStatus,
    IncomeSource,
    Person,
    Relation,
)
from mustafid.registry.tests.factories import national_id
from mustafid.timeline.models import EventKind, TimelineEvent
from mustafid.timeline.services import add_event

pytestmark = pytest.mark.django_db

BORN = date(1979, 6, 2)


def register(actor, branch, n, **head):
    person = {
        "national_id": national_id(n),
        "first_name": "هيا",
        "father_name": "ناصر",
        "grandfather_name": "حمد",
        "family_name": "الدوسري",
        "sex": "female",
        "birth_date": BORN,
        **head,
    }
    return services.create_file(
        actor=actor, branch=branch, channel="visit", city="الرياض", head=person
    )


def add_child(actor, file, n, first_name="سلمان"):
    return services.add_member(
        actor=actor,
        file=file,
        member={
            "national_id": national_id(n),
            "first_name": first_name,
            "father_name": "فهد",
            "family_name": "الدوسري",
            "sex": "male",
            "relation": Relation.SON,
        },
    )


@pytest.fixture
def households(manager, branch):
    """The same widow registered twice: the target at the office, the source by phone,
    each with a child, an income and a timeline of its own."""
    target = register(manager, branch, 1)
    source = register(manager, branch, 2, national_id=None)
    add_child(manager, target, 3)
    child = add_child(manager, source, 4, first_name="تركي")
    IncomeSource.objects.create(file=source, kind="social_security", monthly_amount=1800)
    add_event(file=source, kind=EventKind.NOTE, actor=manager, detail="اتصلت تسأل عن الطلب")
    source.refresh_from_db()
    target.refresh_from_db()
    return {"source": source, "target": target, "child": child}


def test_every_foreign_key_to_a_file_is_found(households):
    """Found through the model's relations, so later apps are covered (documents,
    consents, requests...) without editing the merge."""
    found = {(model._meta.label_lower, field.name) for model, field in file_links()}
    assert {
        ("registry.person", "file"),
        ("registry.incomesource", "file"),
        ("timeline.timelineevent", "file"),
    } <= found
    assert not {label for label, _ in found} & {
        "registry.beneficiaryfile",
        "registry.duplicatecandidate",
        "registry.filemerge",
    }


def test_a_merge_moves_members_incomes_and_timeline_events(manager, households):
    source, target = households["source"], households["target"]
    source_events = set(source.timeline.values_list("pk", flat=True))
    merge = merge_files(actor=manager, source=source, target=target)
    assert not Person.objects.filter(file=source).exists()
    assert target.members.count() == 4
    assert IncomeSource.objects.get().file == target
    assert source_events <= set(target.timeline.values_list("pk", flat=True))
    assert not TimelineEvent.objects.filter(file=source).exists()
    moved = {row["model"]: len(row["pks"]) for row in merge.moved}
    assert moved == {
        "registry.person": 2,
        "registry.incomesource": 1,
        "timeline.timelineevent": len(source_events),
    }


def test_every_related_row_moves_including_those_a_default_manager_would_hide(manager, households):
    """Whatever model points at the file, each row moves (checked generically here)."""
    source, target = households["source"], households["target"]
    before = {
        (model, field.name): model._base_manager.filter(**{field.name: source}).count()
        for model, field in file_links()
    }
    merge_files(actor=manager, source=source, target=target)
    for (model, name), count in before.items():
        assert not model._base_manager.filter(**{name: source}).exists(), model
        if count:
            assert model._base_manager.filter(**{name: target}).count() >= count


def test_a_record_the_survivor_already_holds_stays_with_the_merged_file(manager, households):
    """Both files hold an active registration consent (one per purpose is allowed): the
    merge goes ahead, the source's copy stays as evidence, other consents move."""
    privacy = pytest.importorskip("mustafid.privacy.services")
    source, target = households["source"], households["target"]
    for file in (source, target):
        privacy.record_consent(actor=manager, file=file, purpose="registration", channel="visit")
    contact = privacy.record_consent(actor=manager, file=source, purpose="contact", channel="phone")
    merge = merge_files(actor=manager, source=source, target=target)
    row = next(row for row in merge.moved if row["model"] == "privacy.consent")
    assert row["pks"] == [contact.pk] and len(row["kept"]) == 1
    assert source.consents.get().purpose == "registration"
    assert target.consents.count() == 2
    revert_merge(actor=manager, merge=merge)
    assert set(source.consents.values_list("purpose", flat=True)) == {"registration", "contact"}


def test_the_merged_head_becomes_another_relative_unless_chosen(manager, households):
    source, target = households["source"], households["target"]
    head = source.members.get(relation=Relation.HEAD)
    merge_files(actor=manager, source=source, target=target)
    head.refresh_from_db()
    assert head.relation == Relation.OTHER and head.file == target
    assert target.members.filter(relation=Relation.HEAD).count() == 1


def test_the_user_may_choose_the_merged_heads_relation(manager, households):
    source, target = households["source"], households["target"]
    merge = merge_files(actor=manager, source=source, target=target, head_relation=Relation.SPOUSE)
    assert merge.source_head.relation == Relation.SPOUSE


def test_the_merged_file_is_closed_and_points_to_the_survivor(manager, households):
    source, target = households["source"], households["target"]
    versions = (source.version, target.version)
    merge_files(actor=manager, source=source, target=target)
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.merged_into == target
    assert source.status == FileStatus.CLOSED and source.closed_at is not None
    assert (source.version, target.version) == (versions[0] + 1, versions[1] + 1)


def test_a_merge_is_audited_on_both_files_naming_the_merge_record(manager, households):
    source, target = households["source"], households["target"]
    merge = merge_files(actor=manager, source=source, target=target)
    url = merge.get_absolute_url()
    on_source = AuditEntry.objects.for_object(source).filter(summary__contains=url).get()
    on_target = AuditEntry.objects.for_object(target).filter(summary__contains=url).get()
    assert on_source.actor == on_target.actor == manager
    assert on_source.changes["merged_into"] == {"before": None, "after": target.pk}
    assert on_target.changes["merged_from"]["after"] == source.number
    assert AuditEntry.objects.for_object(merge).get().actor == manager


def test_the_survivors_timeline_shows_the_merge_with_a_link(manager, households):
    source, target = households["source"], households["target"]
    merge = merge_files(actor=manager, source=source, target=target)
    event = target.timeline.get(kind=EventKind.MERGED)
    assert event.detail == source.number and event.url == merge.get_absolute_url()


def test_search_finds_the_merged_person_under_the_surviving_file(manager, households):
    source, target = households["source"], households["target"]
    merge_files(actor=manager, source=source, target=target)
    found = selectors.search_people(actor=manager, query="تركي فهد الدوسري")
    assert [person.file for person in found] == [target]
    assert selectors.search_people(actor=manager, query=source.number) == []


def test_the_merged_files_old_number_leads_to_the_survivor(client, manager, households):
    source, target = households["source"], households["target"]
    merge_files(actor=manager, source=source, target=target)
    client.force_login(manager)
    response = client.get(reverse("registry:file", args=[source.number]))
    assert response.status_code == 302 and response.url == target.get_absolute_url()
    assert selectors.file_for(actor=manager, number=source.number) == target


def test_a_file_cannot_be_merged_into_itself(manager, households):
    with pytest.raises(CannotMergeIntoItself):
        merge_files(actor=manager, source=households["target"], target=households["target"])


def test_a_merged_file_cannot_be_merged_again_nor_receive_a_merge(manager, branch, households):
    source, target = households["source"], households["target"]
    third = register(manager, branch, 9, first_name="منيرة")
    merge_files(actor=manager, source=source, target=target)
    with pytest.raises(FileAlreadyMerged):
        merge_files(actor=manager, source=source, target=third)
    with pytest.raises(FileAlreadyMerged):
        merge_files(actor=manager, source=third, target=source)
    assert not FileMerge.objects.filter(target=third).exists()


def test_an_officer_cannot_merge(officer, households):
    with pytest.raises(PermissionDenied):
        merge_files(actor=officer, source=households["source"], target=households["target"])
    assert households["source"].members.count() == 2
    assert not FileMerge.objects.exists()


def test_files_outside_the_actors_branches_cannot_be_merged(other_branch, households):
    """Managers see every branch's files, but change only their own branches'."""
    jeddah_manager = StaffFactory(
        username="jeddah_manager", roles=[Role.BRANCH_MANAGER], branches=[other_branch]
    )
    with pytest.raises(PermissionDenied):
        merge_files(actor=jeddah_manager, source=households["source"], target=households["target"])


def test_files_of_two_branches_are_merged_by_someone_working_in_both(
    manager, branch, other_branch, households
):
    both = StaffFactory(
        username="regional", roles=[Role.BRANCH_MANAGER], branches=[branch, other_branch]
    )
    jeddah_file = register(both, other_branch, 20)
    with pytest.raises(PermissionDenied):
        merge_files(actor=manager, source=jeddah_file, target=households["target"])
    merge_files(actor=both, source=jeddah_file, target=households["target"])
    assert households["target"].members.filter(national_id=national_id(20)).exists()


# Reverting -----------------------------------------------------------------------------


def test_reverting_puts_every_row_back_and_restores_the_file(manager, households):
    source, target = households["source"], households["target"]
    members = set(source.members.values_list("pk", flat=True))
    events = set(source.timeline.values_list("pk", flat=True))
    fields = {f: getattr(source, f) for f in ("status", "closed_at", "city", "mobile", "number")}
    merge = merge_files(actor=manager, source=source, target=target)
    revert_merge(actor=manager, merge=merge)
    source.refresh_from_db()
    assert set(source.members.values_list("pk", flat=True)) == members
    assert source.members.get(relation=Relation.HEAD).national_id is None
    assert target.members.filter(relation=Relation.HEAD).count() == 1
    assert IncomeSource.objects.get().file == source
    assert Decimal(IncomeSource.objects.get().monthly_amount) == Decimal("1800")
    assert events <= set(source.timeline.values_list("pk", flat=True))
    assert source.merged_into is None
    assert {f: getattr(source, f) for f in fields} == fields
    merge.refresh_from_db()
    assert merge.reverted_by == manager and merge.reverted_at is not None


def test_rows_added_to_the_survivor_after_the_merge_stay_there(manager, households):
    source, target = households["source"], households["target"]
    merge = merge_files(actor=manager, source=source, target=target)
    later = add_event(file=target, kind=EventKind.NOTE, actor=manager, detail="زيارة")
    revert_merge(actor=manager, merge=merge)
    later.refresh_from_db()
    assert later.file == target


def test_a_revert_is_audited_and_on_both_timelines(manager, households):
    source, target = households["source"], households["target"]
    merge = merge_files(actor=manager, source=source, target=target)
    revert_merge(actor=manager, merge=merge)
    url = merge.get_absolute_url()
    assert AuditEntry.objects.for_object(source).filter(summary__contains=url).count() == 2
    assert AuditEntry.objects.for_object(target).filter(summary__contains=url).count() == 2
    assert AuditEntry.objects.for_object(merge).count() == 2
    assert source.timeline.filter(kind=EventKind.MERGE_REVERTED).exists()
    assert target.timeline.filter(kind=EventKind.MERGE_REVERTED).exists()


def test_a_merge_is_reverted_once(manager, households):
    merge = merge_files(actor=manager, source=households["source"], target=households["target"])
    revert_merge(actor=manager, merge=merge)
    with pytest.raises(MergeAlreadyReverted):
        revert_merge(actor=manager, merge=merge)


def test_a_merge_into_a_file_merged_since_is_reverted_after_that_one(manager, branch, households):
    source, target = households["source"], households["target"]
    third = register(manager, branch, 40, first_name="منيرة")
    first = merge_files(actor=manager, source=source, target=target)
    second = merge_files(actor=manager, source=target, target=third)
    with pytest.raises(RevertConflict):
        revert_merge(actor=manager, merge=first)
    revert_merge(actor=manager, merge=second)
    revert_merge(actor=manager, merge=first)
    assert source.members.count() == 2 and target.members.count() == 2


def test_an_officer_cannot_revert(manager, officer, households):
    merge = merge_files(actor=manager, source=households["source"], target=households["target"])
    with pytest.raises(PermissionDenied):
        revert_merge(actor=officer, merge=merge)
    merge.refresh_from_db()
    assert merge.reverted_at is None


def test_after_a_revert_the_old_number_opens_its_own_file_again(client, manager, households):
    source, target = households["source"], households["target"]
    revert_merge(actor=manager, merge=merge_files(actor=manager, source=source, target=target))
    client.force_login(manager)
    assert client.get(reverse("registry:file", args=[source.number])).status_code == 200


# Possible-duplicate pairs around a merge ------------------------------------------------


def _pair(file_1, file_2):
    low, high = sorted([file_1.pk, file_2.pk])
    return DuplicateCandidate.objects.get(file_a_id=low, file_b_id=high)


def test_merging_closes_the_pair_and_reverting_reopens_it(manager, households):
    source, target = households["source"], households["target"]
    find_duplicate_candidates()
    merge = merge_files(actor=manager, source=source, target=target)
    assert _pair(source, target).status == DuplicateStatus.MERGED
    assert merge.candidate == _pair(source, target)
    assert list(candidates_for_worklist(actor=manager)) == []
    revert_merge(actor=manager, merge=merge)
    assert _pair(source, target).status == DuplicateStatus.OPEN


def test_a_pair_of_the_merged_file_with_a_third_follows_the_survivor(manager, branch, households):
    source, target = households["source"], households["target"]
    third = register(manager, branch, 30, first_name="تركي", father_name="فهد", birth_date=None)
    services.add_member(
        actor=manager,
        file=third,
        member={
            "national_id": national_id(31),
            "first_name": "تركي",
            "father_name": "فهد",
            "family_name": "الدوسري",
            "sex": "male",
            "relation": Relation.OTHER,
            "mobile": "+966551112233",
        },
    )
    services.update_file(actor=manager, file=source, version=source.version, mobile="+966551112233")
    find_duplicate_candidates()
    with_third = _pair(source, third)
    merge = merge_files(actor=manager, source=source, target=target)
    with_third.refresh_from_db()
    assert {with_third.file_a_id, with_third.file_b_id} == {target.pk, third.pk}
    assert with_third in candidates_for_worklist(actor=manager)
    revert_merge(actor=manager, merge=merge)
    with_third.refresh_from_db()
    assert {with_third.file_a_id, with_third.file_b_id} == {source.pk, third.pk}


def test_a_merged_file_is_left_out_of_detection(manager, households):
    source, target = households["source"], households["target"]
    merge_files(actor=manager, source=source, target=target)
    find_duplicate_candidates()
    assert not DuplicateCandidate.objects.filter(file_a=source).exists()
    assert not DuplicateCandidate.objects.filter(file_b=source).exists()


# Pages ---------------------------------------------------------------------------------


def test_a_manager_merges_from_the_compare_page(client, manager, households):
    source, target = households["source"], households["target"]
    find_duplicate_candidates()
    candidate = _pair(source, target)
    client.force_login(manager)
    survivor = "a" if candidate.file_a_id == target.pk else "b"
    response = client.post(
        reverse("registry:merge_duplicate", args=[candidate.pk]),
        {"survivor": survivor, "head_relation": Relation.OTHER, "confirm": "on"},
    )
    merge = FileMerge.objects.get()
    assert response.status_code == 302 and response.url == merge.get_absolute_url()
    assert (merge.source, merge.target) == (source, target)
    page = client.get(merge.get_absolute_url()).content.decode()
    assert source.number in page and 'data-testid="revert-form"' in page
    tab = client.get(reverse("registry:duplicates"), {"tab": "merged"}).content.decode()
    assert merge.get_absolute_url() in tab


def test_merging_without_confirming_keeps_the_choice_and_says_why(client, manager, households):
    find_duplicate_candidates()
    candidate = _pair(households["source"], households["target"])
    client.force_login(manager)
    response = client.post(
        reverse("registry:merge_duplicate", args=[candidate.pk]),
        {"survivor": "b", "head_relation": Relation.PARENT},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="parent" selected' in html
    assert not FileMerge.objects.exists()


def test_an_officer_cannot_merge_through_the_page(client, officer, households):
    find_duplicate_candidates()
    candidate = _pair(households["source"], households["target"])
    client.force_login(officer)
    response = client.post(
        reverse("registry:merge_duplicate", args=[candidate.pk]),
        {"survivor": "a", "head_relation": Relation.OTHER, "confirm": "on"},
    )
    assert response.status_code == 403
    assert not FileMerge.objects.exists()


def test_a_manager_reverts_from_the_merge_page(client, manager, households):
    merge = merge_files(actor=manager, source=households["source"], target=households["target"])
    client.force_login(manager)
    response = client.post(reverse("registry:revert_merge", args=[merge.pk]), {"confirm": "on"})
    assert response.status_code == 302
    merge.refresh_from_db()
    assert merge.reverted_at is not None
    page = client.get(merge.get_absolute_url()).content.decode()
    assert 'data-testid="revert-form"' not in page


def test_the_merge_page_of_another_branch_is_not_found(client, other_branch, households, manager):
    merge = merge_files(actor=manager, source=households["source"], target=households["target"])
    jeddah_officer = StaffFactory(
        username="jeddah_officer", roles=[Role.RELATIONS_OFFICER], branches=[other_branch]
    )
    client.force_login(jeddah_officer)
    assert client.get(merge.get_absolute_url()).status_code == 404
    assert list(merges_for_worklist(actor=jeddah_officer)) == []


def test_the_survivors_page_links_to_the_merge_record(client, manager, households):
    merge = merge_files(actor=manager, source=households["source"], target=households["target"])
    client.force_login(manager)
    html = client.get(households["target"].get_absolute_url()).content.decode()
    assert merge.get_absolute_url() in html


def test_files_stay_two_rows_after_a_merge(manager, households):
    """The merged file is kept (closed), so its number and history remain."""
    merge_files(actor=manager, source=households["source"], target=households["target"])
    assert BeneficiaryFile.objects.count() == 2
