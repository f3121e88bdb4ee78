"""One structured log line per request, with duration and query count (issue 3 item 13)."""

import json
import logging

import pytest

from mustafid.core.logformat import JsonFormatter


@pytest.mark.django_db
def test_each_request_logs_one_line_with_status_duration_and_queries(officer_client, caplog):
    with caplog.at_level(logging.INFO, logger="mustafid.request"):
        officer_client.get("/", REMOTE_ADDR="10.4.4.4")
    (record,) = [r for r in caplog.records if r.name == "mustafid.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/" and line["status"] == 200 and line["method"] == "GET"
    assert line["queries"] >= 1 and line["duration_ms"] >= 0
    assert line["ip"] == "10.4.4.4" and line["user_id"] is not None
    assert len(line["request_id"]) == 32


@pytest.mark.django_db
def test_a_well_formed_request_id_from_the_proxy_is_kept(client):
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123-def-456"})
    assert response["X-Request-ID"] == "abc-123-def-456"
