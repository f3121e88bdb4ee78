"""Document metadata in GET /api/v1/beneficiaries/<number> (issue 4 items 3, 10)."""

import datetime as dt

import pytest
from django.utils import timezone

from mustafid.accounts.roles import Role
from mustafid.accounts.tests.factories import StaffFactory
from mustafid.api.scopes import Scope
from mustafid.api.tests.factories import bearer, issue_token
from mustafid.documents import services
from mustafid.documents.models import DocumentKind
from mustafid.documents.tests.factories import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def read(client, user, file):
    _, token = issue_token(user=user, scopes=[Scope.REGISTRY_READ])
    return client.get(f"/api/v1/beneficiaries/{file.number}", headers=bearer(token))


def test_the_file_shows_its_documents_metadata_without_the_file(client, officer, household):
    son = household.members.get(first_name="فهد")
    expiry = timezone.localdate() + dt.timedelta(days=3)
    document = services.add_document(
        actor=officer,
        file=household,
        kind=DocumentKind.MEDICAL_REPORT,
        uploaded=upload(png_bytes(), name="report.png", content_type="image/png"),
        person=son,
        expiry_date=expiry,
    )
    data = read(client, officer, household).json()
    assert data["documents"] == [
        {
            "id": document.pk,
            "kind": "medical_report",
            "person": son.pk,
            "original_name": "report.png",
            "content_type": "image/png",
            "size": len(png_bytes()),
            "sha256": document.sha256,
            "issue_date": None,
            "expiry_date": expiry.isoformat(),
            "expiry_status": "expiring",
            "note": "",
            "uploaded_at": data["documents"][0]["uploaded_at"],
        }
    ]


def test_removed_documents_are_not_in_the_api(client, officer, household):
    document = services.add_document(
        actor=officer, file=household, kind=DocumentKind.LEASE, uploaded=upload(pdf_bytes())
    )
    services.remove_document(actor=officer, document=document)
    assert read(client, officer, household).json()["documents"] == []


def test_an_account_without_the_documents_permission_gets_none(client, officer, household, branch):
    services.add_document(
        actor=officer, file=household, kind=DocumentKind.LEASE, uploaded=upload(pdf_bytes())
    )
    quality = StaffFactory(username="q.api", roles=[Role.QUALITY_OFFICER], branches=[branch])
    response = read(client, quality, household)
    assert response.status_code == 200 and response.json()["documents"] == []
