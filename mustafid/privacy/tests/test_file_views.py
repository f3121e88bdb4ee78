"""Who viewed this family: every opening of the file and its documents (PDPL; issue 4
item 4)."""

import pytest
from django.urls import reverse

from mustafid.accounts.roles import Role
from mustafid.accounts.tests.factories import StaffFactory
from mustafid.core import audit
from mustafid.core.models import AuditAction

pytestmark = pytest.mark.django_db


def views_url(file):
    return reverse("privacy:file_views", args=[file.number])


def new_document(file, n=1):
    from mustafid.documents.models import Document

    return Document.objects.create(
        file=file,
        kind="id_copy",
        stored=f"test/{n}.pdf",
        original_name=f"هوية-{n}.pdf",
        content_type="application/pdf",
        size=10,
        sha256=f"{n:064d}",
    )


def test_the_log_lists_who_opened_the_file_newest_first_with_the_address(
    client, officer, researcher, sysadmin, household
):
    client.force_login(officer)
    client.get(household.get_absolute_url(), REMOTE_ADDR="10.0.0.7")
    client.force_login(researcher)
    client.get(household.get_absolute_url(), REMOTE_ADDR="10.0.0.8")
    client.force_login(sysadmin)
    response = client.get(views_url(household))
    assert response.status_code == 200
    rows = list(response.context["page"])
    assert [(row.actor, row.ip_address) for row in rows] == [
        (researcher, "10.0.0.8"),
        (officer, "10.0.0.7"),
    ]
    html = response.content.decode()
    assert "10.0.0.7" in html and "researcher" in html and "officer" in html


def test_the_log_leaves_out_other_files_and_other_actions(
    client, officer, sysadmin, household, branch
):
    from mustafid.privacy.tests.conftest import register

    neighbour = register(officer, branch, n=71, first_name="هند")
    client.force_login(officer)
    client.get(neighbour.get_absolute_url())
    client.force_login(sysadmin)
    rows = list(client.get(views_url(household)).context["page"])
    assert rows == []  # the registration of household (a CREATE) is not an opening


def test_the_log_includes_the_downloads_of_the_files_documents(
    client, officer, sysadmin, household, branch
):
    from mustafid.documents.services import record_document_viewed
    from mustafid.privacy.tests.conftest import register

    document = new_document(household)
    elsewhere = new_document(register(officer, branch, n=71, first_name="هند"), n=2)
    record_document_viewed(actor=officer, document=document)
    record_document_viewed(actor=officer, document=elsewhere)
    client.force_login(sysadmin)
    rows = list(client.get(views_url(household)).context["page"])
    assert [row.object_id for row in rows] == [str(document.pk)]


def test_the_log_is_a_404_for_a_relations_officer(officer_client, household):
    assert officer_client.get(views_url(household)).status_code == 404


def test_the_log_of_another_branchs_file_is_a_404(client, other_branch, household):
    auditor = StaffFactory(
        username="j.quality", roles=[Role.QUALITY_OFFICER], branches=[other_branch]
    )
    client.force_login(auditor)
    assert client.get(views_url(household)).status_code == 404


def test_the_log_is_paginated_and_its_queries_do_not_grow(
    client, officer, sysadmin, household, django_assert_num_queries, django_assert_max_num_queries
):
    audit.record(actor=officer, action=AuditAction.VIEW, target=household)
    client.force_login(sysadmin)
    client.get(views_url(household))
    with django_assert_max_num_queries(15) as few:
        client.get(views_url(household))
    for _ in range(60):
        audit.record(actor=officer, action=AuditAction.VIEW, target=household)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(views_url(household))
    page = response.context["page"]
    assert len(page) == 50 and page.paginator.count == 61 and page.has_next()
