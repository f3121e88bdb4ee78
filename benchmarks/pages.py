"""Time the foundation's pages and count their queries: prints p50/p95 and queries per page.

    .venv/bin/python benchmarks/pages.py [--requests 200] [--entries 5000]

Runs against a throwaway test database made from DATABASE_URL (SQLite by default;
set DATABASE_URL to PostgreSQL for production figures). Queries must not grow with rows:
the script prints the count with few and with many audit entries.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mustafid.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def measure(client: Client, url: str, count: int) -> tuple[float, float, int]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--entries", type=int, default=5000)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from mustafid.accounts.models import Branch, User
        from mustafid.core.models import AuditAction, AuditEntry

        call_command("seed_demo", stdout=io.StringIO())
        manager = User.objects.get(username="manager")
        branch = Branch.objects.get(code="riyadh")
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(manager)
        anonymous = Client(HTTP_HOST="127.0.0.1")
        pages = {
            "dashboard": (client, "/"),
            "healthz": (anonymous, "/healthz"),
            "audit trail": (client, f"/audit/accounts.branch/{branch.pk}/"),
            "login page": (anonymous, "/accounts/login/"),
        }
        print(f"database: {connection.vendor}; {args.requests} requests per page")
        print(f"{'page':<14} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
        few = {}
        for name, (who, url) in pages.items():
            p50, p95, queries = measure(who, url, args.requests)
            few[name] = queries
            print(f"{name:<14} {p50:>8.1f} {p95:>8.1f} {queries:>8}")
        entries = [
            AuditEntry(
                actor=manager,
                actor_label="manager",
                action=AuditAction.UPDATE,
                content_type_id=AuditEntry.objects.first().content_type_id,
                object_id=str(branch.pk),
                object_repr=str(branch),
                summary=str(n),
            )
            for n in range(args.entries)
        ]
        AuditEntry.objects.bulk_create(entries, batch_size=1000)
        print(f"after adding {args.entries} audit entries:")
        for name, (who, url) in pages.items():
            p50, p95, queries = measure(who, url, args.requests // 2)
            growth = "" if queries == few[name] else f"  (was {few[name]}: GROWS)"
            print(f"{name:<14} {p50:>8.1f} {p95:>8.1f} {queries:>8}{growth}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
