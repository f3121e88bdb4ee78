"""The audit log: who, when, before/after, from where; append-only (issue 3 item 9)."""

import pytest
from django.urls import reverse

from mustafid.accounts.models import Branch
from mustafid.core import audit
from mustafid.core.models import AuditAction, AuditEntry, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


def test_creating_a_branch_in_the_admin_records_who_what_and_from_where(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(
        reverse("admin:accounts_branch_add"),
        {
            "code": "abha",
            "name_ar": "فرع أبها",
            "name_en": "Abha branch",
            "city": "أبها",
            "is_active": "on",
        },
        REMOTE_ADDR="10.20.30.40",
    )
    assert response.status_code == 302
    branch = Branch.objects.get(code="abha")
    entry = AuditEntry.objects.for_object(branch).get()
    assert entry.action == AuditAction.CREATE
    assert entry.actor == sysadmin
    assert entry.ip_address == "10.20.30.40"
    assert entry.changes["name_ar"] == {"before": None, "after": "فرع أبها"}
    assert entry.request_id


def test_updating_a_branch_in_the_admin_records_before_and_after(client, sysadmin, branch):
    client.force_login(sysadmin)
    client.post(
        reverse("admin:accounts_branch_change", args=[branch.pk]),
        {
            "code": branch.code,
            "name_ar": branch.name_ar,
            "name_en": "Riyadh HQ",
            "city": "الرياض",
            "is_active": "on",
        },
    )
    entry = AuditEntry.objects.for_object(branch).get(action=AuditAction.UPDATE)
    assert entry.changes == {"name_en": {"before": "Riyadh branch", "after": "Riyadh HQ"}}


def test_an_entry_cannot_be_edited(sysadmin, branch):
    entry = audit.record_create(actor=sysadmin, target=branch)
    entry.summary = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()


def test_an_entry_cannot_be_deleted_one_by_one_or_in_bulk(sysadmin, branch):
    entry = audit.record_create(actor=sysadmin, target=branch)
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.update(summary="x")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_workflow_move_records_the_status_before_and_after(sysadmin, branch):
    entry = audit.record_transition(
        actor=sysadmin, target=branch, before="draft", after="submitted"
    )
    assert entry.action == AuditAction.TRANSITION
    assert entry.changes == {"status": {"before": "draft", "after": "submitted"}}


def test_secret_fields_never_reach_the_log(sysadmin):
    entry = audit.record_create(actor=sysadmin, target=sysadmin)
    assert entry.changes["password"]["after"] == audit.REDACTED


def test_a_branch_manager_reads_the_history_of_a_record(client, manager, sysadmin, branch):
    audit.record_create(actor=sysadmin, target=branch)
    client.force_login(manager)
    response = client.get(reverse("core:audit_trail", args=["accounts.branch", branch.pk]))
    assert response.status_code == 200
    assert response.context["page"].object_list[0].actor == sysadmin


def test_the_history_is_hidden_from_a_relations_officer(officer_client, branch):
    response = officer_client.get(reverse("core:audit_trail", args=["accounts.branch", branch.pk]))
    assert response.status_code == 404


def test_an_unknown_model_is_a_404_not_an_error(client, manager):
    client.force_login(manager)
    assert client.get(reverse("core:audit_trail", args=["nothing.here", "1"])).status_code == 404


def test_the_history_page_queries_do_not_grow_with_entries(
    client, manager, sysadmin, branch, django_assert_max_num_queries
):
    for number in range(30):
        audit.record(actor=sysadmin, action=AuditAction.UPDATE, target=branch, summary=str(number))
    client.force_login(manager)
    with django_assert_max_num_queries(8):
        client.get(reverse("core:audit_trail", args=["accounts.branch", branch.pk]))


def test_older_entries_load_as_an_htmx_partial(client, manager, sysadmin, branch):
    for number in range(30):
        audit.record(actor=sysadmin, action=AuditAction.UPDATE, target=branch, summary=str(number))
    client.force_login(manager)
    response = client.get(
        reverse("core:audit_trail", args=["accounts.branch", branch.pk]) + "?page=2",
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" not in html and html.count('data-testid="audit-entry"') == 5


def test_the_admin_history_button_opens_the_audit_trail(client, sysadmin, branch):
    audit.record_create(actor=sysadmin, target=branch)
    client.force_login(sysadmin)
    response = client.get(reverse("admin:accounts_branch_history", args=[branch.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "core:audit_trail", args=["accounts.branch", branch.pk]
    )
    assert response.context["page"].object_list[0].action == AuditAction.CREATE


def test_a_family_history_is_read_only_within_ones_branches(
    client, quality_officer, officer, branch, other_branch
):
    """Issue 4 item 9: another branch's family is not acknowledged, not even its history."""
    from mustafid.accounts.roles import Role
    from mustafid.accounts.tests.factories import StaffFactory
    from mustafid.registry.tests.factories import PersonFactory

    ours = PersonFactory(file__branch=branch)
    theirs = PersonFactory(file__branch=other_branch)
    for person in (ours, theirs):
        audit.record_create(actor=officer, target=person)
    client.force_login(quality_officer)
    url = "core:audit_trail"
    assert client.get(reverse(url, args=["registry.person", ours.pk])).status_code == 200
    assert client.get(reverse(url, args=["registry.person", theirs.pk])).status_code == 404
    assert (
        client.get(reverse(url, args=["registry.beneficiaryfile", theirs.file_id])).status_code
        == 404
    )
    manager = StaffFactory(roles=[Role.BRANCH_MANAGER], branches=[branch])
    client.force_login(manager)
    assert client.get(reverse(url, args=["registry.person", theirs.pk])).status_code == 200
