"""/api/: version 1 of the API, its OpenAPI schema and its documentation.

Resource URLs have no trailing slash (``/api/v1/me``), so GET answers without an
APPEND_SLASH redirect; the schema and documentation pages end in a slash. The schema and
docs names carry no namespace: the dashboard links to ``reverse("api-docs")``.
"""

from django.urls import include, path, re_path

from mustafid.accounts.api import BranchListApi, MeApi
from mustafid.api.views import DocsPage, NotFoundApi, SchemaApi
from mustafid.registry.api import (
    BeneficiaryApi,
    BeneficiaryIncomesApi,
    BeneficiaryListApi,
    BeneficiaryMemberApi,
    BeneficiaryMemberDetailApi,
)

v1 = (
    [
        path("me", MeApi.as_view(), name="me"),
        path("branches", BranchListApi.as_view(), name="branches"),
        path("beneficiaries", BeneficiaryListApi.as_view(), name="beneficiaries"),
        path("beneficiaries/<str:number>", BeneficiaryApi.as_view(), name="beneficiary"),
        path(
            "beneficiaries/<str:number>/members",
            BeneficiaryMemberApi.as_view(),
            name="beneficiary-members",
        ),
        path(
            "beneficiaries/<str:number>/members/<int:person_id>",
            BeneficiaryMemberDetailApi.as_view(),
            name="beneficiary-member",
        ),
        path(
            "beneficiaries/<str:number>/incomes",
            BeneficiaryIncomesApi.as_view(),
            name="beneficiary-incomes",
        ),
    ],
    "api",
)

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SchemaApi.as_view(), name="api-schema"),
    path("docs/", DocsPage.as_view(), name="api-docs"),
    # Last: whatever else starts with /api/ is a JSON 404, not the HTML page.
    re_path(r"^", NotFoundApi.as_view(), name="api-not-found"),
]
