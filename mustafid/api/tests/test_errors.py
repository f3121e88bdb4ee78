import re

from mustafid.api.errors import exception_handler
from mustafid.core.errors import Conflict

ARABIC = re.compile(r"[\u0600-\u06FF]")


def test_error_messages_are_arabic_by_default(client, db):
    body = client.get("/api/v1/me").json()
    assert body["code"] == "not_authenticated"
    assert ARABIC.search(body["message"])


def test_error_messages_follow_accept_language(client, db):
    body = client.get("/api/v1/me", headers={"accept-language": "en"}).json()
    assert body == {
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
    }


def test_invalid_input_lists_the_fields_in_details(officer_client):
    response = officer_client.get("/api/v1/branches?active=perhaps")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"]
    assert list(body["details"]) == ["active"]
    assert all(isinstance(text, str) and text for text in body["details"]["active"])


def test_an_unknown_api_address_is_a_json_404(client, db):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_a_wrong_method_is_a_405_in_the_error_shape(officer_client):
    response = officer_client.delete("/api/v1/me")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_a_domain_error_keeps_its_code_and_status():
    response = exception_handler(Conflict(), {})
    assert response.status_code == 409
    assert response.data == {"code": "conflict", "message": str(Conflict())}


def test_errors_not_mapped_are_left_to_django():
    assert exception_handler(ZeroDivisionError(), {}) is None


def test_a_page_asked_for_without_its_slash_is_redirected_not_a_404(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 301
    assert response["Location"] == "/api/docs/"


def test_an_endpoint_asked_for_with_a_slash_is_a_404(client, db):
    response = client.get("/api/v1/me/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
