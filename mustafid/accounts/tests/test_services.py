"""Staff and branch changes: permission-checked and audited (issue 3 items 7, 9)."""

import pytest
from django.core.management import call_command

from mustafid.accounts import services
from mustafid.accounts.demo import DEMO_PASSWORD, STAFF
from mustafid.accounts.models import Branch, User
from mustafid.accounts.roles import Role
from mustafid.core.errors import PermissionDenied
from mustafid.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_a_staff_member_with_roles_and_branches(sysadmin, branch):
    user = services.create_staff_user(
        actor=sysadmin,
        username="new.officer",
        password="Qasr-Alhamra-99",
        first_name="منيرة",
        roles=[Role.RELATIONS_OFFICER],
        branches=[branch],
    )
    assert user.has_role(Role.RELATIONS_OFFICER)
    assert list(user.branches.all()) == [branch]
    entry = AuditEntry.objects.for_object(user).get()
    assert entry.action == AuditAction.CREATE and entry.actor == sysadmin
    assert entry.changes["roles"] == {"before": None, "after": ["relations_officer"]}


def test_a_relations_officer_cannot_create_staff(officer):
    with pytest.raises(PermissionDenied):
        services.create_staff_user(actor=officer, username="x", password=None)
    assert not User.objects.filter(username="x").exists()


def test_changing_roles_records_before_and_after(sysadmin, officer, branch, other_branch):
    services.set_staff_access(
        actor=sysadmin, user=officer, roles=[Role.BRANCH_MANAGER], branches=[branch, other_branch]
    )
    entry = AuditEntry.objects.for_object(officer).get(action=AuditAction.UPDATE)
    assert entry.changes["roles"] == {"before": ["relations_officer"], "after": ["branch_manager"]}
    assert entry.changes["branches"]["after"] == ["jeddah", "riyadh"]


def test_a_change_that_changes_nothing_writes_no_entry(sysadmin, officer, branch):
    services.set_staff_access(
        actor=sysadmin, user=officer, roles=[Role.RELATIONS_OFFICER], branches=[branch]
    )
    assert not AuditEntry.objects.for_object(officer).filter(action=AuditAction.UPDATE).exists()


def test_updating_a_branch_records_the_old_and_new_name(sysadmin, branch):
    services.update_branch(actor=sysadmin, branch=branch, name_en="Riyadh head office")
    entry = AuditEntry.objects.for_object(branch).get(action=AuditAction.UPDATE)
    assert entry.changes == {"name_en": {"before": "Riyadh branch", "after": "Riyadh head office"}}


def test_a_branch_manager_cannot_open_a_branch(manager):
    with pytest.raises(PermissionDenied):
        services.create_branch(
            actor=manager, code="abha", name_ar="فرع أبها", name_en="Abha", city="أبها"
        )
    assert not Branch.objects.filter(code="abha").exists()


def test_seeding_the_demo_twice_creates_everything_once(client):
    call_command("seed_demo")
    counts = (User.objects.count(), Branch.objects.count(), AuditEntry.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Branch.objects.count(), AuditEntry.objects.count()) == counts
    for username, _first, _last, role, _branches in STAFF:
        user = User.objects.get(username=username)
        assert user.has_role(role) and user.check_password(DEMO_PASSWORD)


def test_seeding_when_accounts_exist_does_nothing_with_if_empty(officer):
    call_command("seed_demo", if_empty=True)
    assert User.objects.count() == 1


def test_the_demo_fills_the_outbox_with_one_email_and_one_sms(client):
    from mustafid.notifications.models import OutboxMessage

    call_command("seed_demo")
    call_command("seed_demo")
    assert sorted(OutboxMessage.objects.values_list("channel", flat=True)) == ["email", "sms"]


def test_the_demo_households_can_be_found_by_the_riyadh_officer(client):
    from mustafid.registry.selectors import search_people

    call_command("seed_demo")
    call_command("seed_demo")
    officer = User.objects.get(username="officer")
    found = search_people(actor=officer, query="فاطمه الزهراني")
    assert found and found[0].first_name == "فاطمة"
    assert search_people(actor=officer, query="خديجة الغامدي") == []  # a Jeddah household
