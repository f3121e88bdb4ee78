"""/healthz and the friendly 503 when the database is down (issue 3 items 13, bad input)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mustafid.core.testing.smtp import free_port

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_healthz_answers_200_with_json_naming_each_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["tasks"]["ok"]
    assert body["tasks"]["backend"] == "database"


def _run_with_unreachable_database(code: str) -> subprocess.CompletedProcess:
    """Run Django in a child process whose database points at a closed port."""
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/nowhere",
        "DJANGO_SETTINGS_MODULE": "mustafid.settings",
        "LOG_LEVEL": "CRITICAL",
    }
    script = "import django; django.setup()\nfrom django.test import Client\n" + code
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_stopped_database_gives_a_friendly_503_page_not_a_traceback():
    result = _run_with_unreachable_database(
        "c = Client(raise_request_exception=False, HTTP_HOST='127.0.0.1')\n"
        "c.cookies['sessionid'] = 'a-signed-in-staff-member'\n"  # loading the session needs the database
        "r = c.get('/', HTTP_ACCEPT_LANGUAGE='ar')\n"
        "print(r.status_code, r.get('Retry-After'))\n"
        "print(r.content.decode())"
    )
    status_line, _, html = result.stdout.partition("\n")
    assert status_line == "503 30", result.stderr[-2000:]
    assert 'dir="rtl"' in html
    assert "Traceback" not in html and "OperationalError" not in html


def test_healthz_reports_the_stopped_database_as_503_json():
    result = _run_with_unreachable_database(
        "import json\nr = Client(raise_request_exception=False, HTTP_HOST='127.0.0.1').get('/healthz')\n"
        "print(r.status_code); print(json.dumps(r.json()))"
    )
    status_line, _, body = result.stdout.partition("\n")
    assert status_line == "503", result.stderr[-2000:]
    assert '"database": {"ok": false' in body
