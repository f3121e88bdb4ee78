"""Roles as groups with permissions (issue 3 item 7); admin for administrators only."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from mustafid.accounts.roles import ROLE_PERMISSIONS, Role, sync_role_groups
from mustafid.accounts.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


def test_each_role_holds_exactly_its_permissions():
    for role, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        held = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert held == set(perms), role


def test_syncing_the_roles_twice_changes_nothing():
    sync_role_groups()
    assert sync_role_groups() == 0


def test_syncing_restores_a_permission_removed_by_hand():
    group = Group.objects.get(name=Role.BRANCH_MANAGER)
    group.permissions.clear()
    assert sync_role_groups() == 1
    assert group.permissions.filter(codename="view_auditentry").exists()


def test_a_relations_officer_cannot_read_the_audit_log(officer):
    assert not officer.has_perm("core.view_auditentry")


def test_a_branch_manager_can_read_the_audit_log(manager):
    assert manager.has_perm("core.view_auditentry")


def test_a_user_with_two_roles_holds_both_roles_permissions(branch):
    user = StaffFactory(roles=[Role.RELATIONS_OFFICER, Role.QUALITY_OFFICER], branches=[branch])
    assert user.has_role(Role.RELATIONS_OFFICER) and user.has_role(Role.QUALITY_OFFICER)
    assert user.has_perm("core.view_auditentry")


def test_a_deactivated_user_holds_no_role(officer):
    officer.is_active = False
    assert not officer.has_role(Role.RELATIONS_OFFICER)


@pytest.mark.parametrize(
    "role",
    [
        Role.RELATIONS_OFFICER,
        Role.SOCIAL_RESEARCHER,
        Role.COMMITTEE_MEMBER,
        Role.COMMITTEE_CHAIR,
        Role.BRANCH_MANAGER,
        Role.QUALITY_OFFICER,
    ],
)
def test_the_admin_is_closed_to_every_role_but_the_administrator(client, branch, role):
    client.force_login(StaffFactory(roles=[role], branches=[branch], is_staff=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_system_administrator_opens_the_admin(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_administrator_manages_staff_in_the_admin(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_branch_add")).status_code == 200
