"""Security headers and a strict CSP (issue 3 item 15); deploy checks pass (acceptance)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)

pytestmark = pytest.mark.django_db


def test_the_csp_forbids_inline_scripts(client):
    policy = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_pages_send_nosniff_and_a_referrer_policy(client):
    response = client.get(reverse("accounts:login"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", ["accounts:login", "accounts:password_reset"])
def test_public_pages_have_no_inline_script_or_event_handler(client, url):
    html = client.get(reverse(url)).content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_HANDLER.search(html)


def test_the_dashboard_has_no_inline_script_or_event_handler(officer_client):
    html = officer_client.get(reverse("core:dashboard")).content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_HANDLER.search(html)


def test_every_form_carries_a_csrf_token(officer_client):
    html = officer_client.get(reverse("core:dashboard")).content.decode()
    forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", html, re.S | re.I)
    assert forms and all("csrfmiddlewaretoken" in form for form in forms)


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-from-the-environment-" + "y" * 20,
        "ALLOWED_HOSTS": "mustafid.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_under_https_cookies_are_secure_and_hsts_is_sent(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    response = client.get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
