"""Take the documentation's screenshots from a running `make run` (demo data).

    make run &                       # in another terminal
    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000]

Writes PNG files into docs/screenshots/. Uses Debian's chromium, like the browser tests.
"""

import argparse
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PASSWORD = "Mustafid-demo-2026"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    base = parser.parse_args().base
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), headless=True, args=ARGS
        )
        page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        page.goto(f"{base}/accounts/login/")
        page.screenshot(path=OUT / "login-ar.png")
        sign_in(page, base, "officer")
        page.screenshot(path=OUT / "dashboard-ar.png")
        page.click("[data-testid=language-switch] button[value=en]")
        page.wait_for_selector("html[lang=en]")
        page.screenshot(path=OUT / "dashboard-en.png")
        page.click("[data-testid=language-switch] button[value=ar]")
        page.wait_for_selector("html[lang=ar]")
        # The registry: search as you type, the 360 page, the expiring documents.
        page.goto(f"{base}/registry/?q=فاطمه الزهراني")
        page.screenshot(path=OUT / "registry-search-ar.png")
        page.click("main table a")
        page.wait_for_selector("[data-testid=household]")
        page.screenshot(path=OUT / "file-360-ar.png", full_page=True)
        page.goto(f"{base}/documents/expiring/")
        page.screenshot(path=OUT / "documents-expiring-ar.png")

        manager = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        sign_in(manager, base, "manager")
        manager.goto(f"{base}/notifications/outbox/")
        manager.screenshot(path=OUT / "outbox-ar.png")
        manager.goto(f"{base}/registry/duplicates/")
        manager.screenshot(path=OUT / "duplicates-ar.png")
        manager.goto(f"{base}/imports/new/")
        manager.screenshot(path=OUT / "import-new-ar.png")

        phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        phone.goto(f"{base}/accounts/login/")
        phone.screenshot(path=OUT / "login-phone-ar.png")
        browser.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
