"""What /healthz reports: can we reach the database and the task backend?"""

import time

from django.db import connection
from django_tasks import task_backends


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as err:  # a health check reports every failure, it never raises
        return {"ok": False, "error": err.__class__.__name__}
    result = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result.update(detail)
    return result


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _tasks() -> dict:
    backend = task_backends["default"]
    name = type(backend).__name__
    if name == "DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        queued = DBTaskResult.objects.ready().count()
        return {"backend": "database", "queued": queued}
    if name == "RQBackend":
        import django_rq

        django_rq.get_connection("default").ping()
        return {"backend": "rq"}
    return {"backend": name}


def health() -> dict:
    checks = {"database": _timed(_database), "tasks": _timed(_tasks)}
    return {"status": "ok" if all(c["ok"] for c in checks.values()) else "error", **checks}
