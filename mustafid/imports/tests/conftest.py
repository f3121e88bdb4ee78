import pytest

from mustafid.registry.tests.factories import PersonFactory, national_id


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a temporary folder, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def registered(other_branch):
    """A person already in the registry (in another branch): importing their ID fails."""
    return PersonFactory(national_id=national_id(106), file__branch=other_branch)
