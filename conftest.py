"""Shared fixtures: one staff member per role (like healthchecks' alice/bob/charlie).

CI sets REQUIRE_POSTGRES=1 and REQUIRE_BROWSER=1 so that a suite which would silently
skip PostgreSQL or Chromium fails instead.
"""

import os
import shutil

import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

from mustafid.accounts.roles import Role

# CI machines are slow and shared: property tests judge results, never speed.
hypothesis_settings.register_profile("mustafid", deadline=None, print_blob=True)
hypothesis_settings.load_profile("mustafid")


def pytest_configure(config):
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(
                f"REQUIRE_POSTGRES=1 but DATABASE_URL gives {engine}: point it at PostgreSQL."
            )


@pytest.fixture(autouse=True)
def _arabic_default(settings):
    """Tests run as production does: Arabic first, secure defaults, no debug."""
    settings.LANGUAGE_CODE = "ar"


@pytest.fixture
def branch(db):
    from mustafid.accounts.tests.factories import BranchFactory

    return BranchFactory(code="riyadh", name_ar="فرع الرياض", name_en="Riyadh branch")


@pytest.fixture
def other_branch(db):
    from mustafid.accounts.tests.factories import BranchFactory

    return BranchFactory(code="jeddah", name_ar="فرع جدة", name_en="Jeddah branch", city="جدة")


def _staff(role, branch, username):
    from mustafid.accounts.tests.factories import StaffFactory

    return StaffFactory(username=username, roles=[role], branches=[branch])


@pytest.fixture
def officer(branch):
    return _staff(Role.RELATIONS_OFFICER, branch, "officer")


@pytest.fixture
def researcher(branch):
    return _staff(Role.SOCIAL_RESEARCHER, branch, "researcher")


@pytest.fixture
def committee_member(branch):
    return _staff(Role.COMMITTEE_MEMBER, branch, "member")


@pytest.fixture
def chair(branch):
    return _staff(Role.COMMITTEE_CHAIR, branch, "chair")


@pytest.fixture
def manager(branch):
    return _staff(Role.BRANCH_MANAGER, branch, "manager")


@pytest.fixture
def quality_officer(branch):
    return _staff(Role.QUALITY_OFFICER, branch, "quality")


@pytest.fixture
def sysadmin(branch):
    return _staff(Role.SYSTEM_ADMIN, branch, "sysadmin")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def admin_client_(client, sysadmin):
    client.force_login(sysadmin)
    return client


@pytest.fixture(scope="session")
def chromium_path():
    """Debian's chromium; skipped locally when absent, a failure when CI requires it."""
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(
                "REQUIRE_BROWSER=1 but chromium is not on the PATH (apt-get install chromium)"
            )
        pytest.skip("chromium is not installed")
    return path


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1; Django's SMTP backend is pointed at it."""
    from mustafid.core.testing.smtp import SmtpServer

    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path_factory):
    """Whatever a test uploads (the demo seed too) goes to a temporary folder, never var/."""
    settings.DOCUMENTS_ROOT = tmp_path_factory.mktemp("documents")
    return settings.DOCUMENTS_ROOT


@pytest.fixture(autouse=True)
def _fresh_holidays():
    """The working-day calendar caches holidays per process; a rolled-back test's
    holidays must not leak into the next test."""
    from mustafid.core import workdays

    workdays._forget()  # the in-process copy only: no database, no on_commit
    yield
    workdays._forget()
