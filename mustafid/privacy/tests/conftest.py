import datetime as dt

import pytest
from django.utils import timezone

from mustafid.accounts.roles import Role
from mustafid.accounts.tests.factories import StaffFactory
from mustafid.registry import services as registry
from mustafid.registry.models import BeneficiaryFile, FileStatus, Relation
from mustafid.registry.tests.factories import national_id


def register(actor, branch, n=21, **head):
    """A household through the registry's own service, as the pages would."""
    return registry.create_file(
        actor=actor,
        branch=branch,
        channel="visit",
        city="الرياض",
        district="النسيم",
        mobile="+966501234567",
        email="maryam@example.org",
        iban="SA0380000000608010167519",
        street="شارع الأمير سلطان",
        short_address="RNSA2823",
        best_time_to_call="بعد العصر",
        head={
            "national_id": national_id(n),
            "first_name": "مريم",
            "father_name": "سالم",
            "grandfather_name": "حمد",
            "family_name": "الدوسري",
            "latin_name": "Maryam Salem Aldosari",
            "sex": "female",
            "birth_date": dt.date(1980, 7, 15),
            "mobile": "+966551112233",
            "health_condition": "سكري مزمن",
            "disability": "إعاقة بصرية",
            "family_situation": "prisoner_family",
            **head,
        },
    )


def add_child(actor, file, n=101, first_name="خالد"):
    return registry.add_member(
        actor=actor,
        file=file,
        member={
            "national_id": national_id(n),
            "first_name": first_name,
            "father_name": "سالم",
            "family_name": "الدوسري",
            "sex": "male",
            "birth_date": dt.date(2010, 3, 9),
            "relation": Relation.SON,
            "is_dependant": True,
            "disability": "إعاقة حركية",
        },
    )


def close(file, *, years_ago: float, status=FileStatus.CLOSED):
    """Mark a file closed some years ago, as the lead's status change will."""
    closed_at = timezone.now() - dt.timedelta(days=round(365.25 * years_ago))
    BeneficiaryFile.objects.filter(pk=file.pk).update(status=status, closed_at=closed_at)
    file.refresh_from_db()
    return file


@pytest.fixture
def household(officer, branch):
    return register(officer, branch)


@pytest.fixture
def other_household(officer, other_branch):
    # Registered by the system administrator of all branches, in the other branch.
    admin = StaffFactory(username="root", is_superuser=True, branches=[other_branch])
    return register(admin, other_branch, n=61, first_name="نورة")


@pytest.fixture
def jeddah_officer(other_branch):
    return StaffFactory(
        username="j.officer", roles=[Role.RELATIONS_OFFICER], branches=[other_branch]
    )
