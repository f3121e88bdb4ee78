import re

import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

from mustafid.api.tests.factories import bearer

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


def test_the_schema_is_an_openapi_3_document_with_our_endpoints(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/me", "/api/v1/branches"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_the_schema_is_also_served_as_json(client, db):
    response = client.get("/api/schema/?format=json")
    assert response.json()["openapi"].startswith("3.")


def test_the_schema_is_public_even_when_a_stale_token_is_sent(client, db):
    response = client.get("/api/schema/", headers=bearer("mst_00000000_" + "x" * 43))
    assert response.status_code == 200


def test_the_schema_passes_validation_without_warnings(tmp_path, db):
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(tmp_path / "s.yaml"))
    assert yaml.safe_load((tmp_path / "s.yaml").read_text())["openapi"].startswith("3.")


def test_the_docs_page_is_named_for_the_dashboard_link():
    assert reverse("api-docs") == "/api/docs/"


def test_the_docs_page_has_no_inline_script_or_style(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = SCRIPT.findall(html)
    assert scripts, "Swagger UI is loaded"
    assert all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in html and "style=" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(client, db):
    html = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "//" not in "".join(re.findall(r'(?:src|href)="([^"]*)"', html))
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_the_docs_init_script_is_served_as_javascript_pointing_at_the_schema(client, db):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()
