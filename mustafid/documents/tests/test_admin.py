"""The admin lists documents read-only and never links to the stored file directly."""

import pytest
from django.urls import reverse

from mustafid.documents import services
from mustafid.documents.models import DocumentKind
from mustafid.documents.tests.factories import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(officer, household):
    return services.add_document(
        actor=officer, file=household, kind=DocumentKind.LEASE, uploaded=upload(pdf_bytes())
    )


def test_the_admin_lists_documents(admin_client_, document):
    response = admin_client_.get(reverse("admin:documents_document_changelist"))
    assert response.status_code == 200 and document.file.number in response.content.decode()


def test_the_admin_page_links_only_to_the_checked_download(admin_client_, document):
    html = admin_client_.get(
        reverse("admin:documents_document_change", args=[document.pk])
    ).content.decode()
    assert document.get_absolute_url() in html
    assert document.stored.name not in html
    assert 'name="kind"' not in html  # read-only


def test_the_admin_cannot_add_or_delete(admin_client_, document):
    assert admin_client_.get(reverse("admin:documents_document_add")).status_code == 403
    delete = reverse("admin:documents_document_delete", args=[document.pk])
    assert admin_client_.get(delete).status_code == 403
