import pytest

from mustafid.accounts.roles import Role
from mustafid.accounts.tests.factories import StaffFactory
from mustafid.documents.tests.factories import register_household


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    """Every test stores its documents in its own temporary folder, never in var/."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


@pytest.fixture
def household(officer, branch):
    return register_household(officer, branch)


@pytest.fixture
def other_officer(other_branch):
    return StaffFactory(
        username="j.officer", roles=[Role.RELATIONS_OFFICER], branches=[other_branch]
    )


@pytest.fixture
def other_household(other_officer, other_branch):
    return register_household(other_officer, other_branch, n=71)
