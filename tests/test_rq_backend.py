"""The documented scale-out setting: background tasks on Redis/RQ (issue 3 item 11).

Runs a real Django process with TASKS_BACKEND=rq against Redis on 127.0.0.1, queues a
message through the outbox and lets a real `rqworker --burst` send it. Skipped when
Redis is not running, a failure when CI sets REQUIRE_REDIS=1.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REDIS_DB = 15  # a database of its own, emptied before the test


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def rq_env(tmp_path):
    if not _redis_up():
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but Redis is not answering on 127.0.0.1:6379")
        pytest.skip("Redis is not running")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mustafid.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TASKS_BACKEND": "rq",
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "SMS_BACKEND": "console",
        "LOG_LEVEL": "WARNING",
    }
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()
    return env


def _run(env, *args, code=None):
    command = [sys.executable, *(["-c", code] if code else ["manage.py", *args])]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result.stdout


def test_a_message_queued_on_rq_is_sent_by_an_rq_worker(rq_env):
    _run(rq_env, "migrate", "--noinput", "-v0")
    queued = _run(
        rq_env,
        code=(
            "import django; django.setup()\n"
            "from django.db import transaction\n"
            "from mustafid.notifications.services import notify\n"
            "with transaction.atomic():\n"
            "    m = notify(recipient='0501234567', template='test_message',"
            " context={'sender': 'CI'}, channel='sms')\n"
            "print(m.pk)\n"
        ),
    )
    message_id = int(queued.split()[-1])
    _run(rq_env, "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default")
    status = _run(
        rq_env,
        code=(
            "import django; django.setup()\n"
            "from mustafid.notifications.models import OutboxMessage\n"
            f"print(OutboxMessage.objects.get(pk={message_id}).status)\n"
        ),
    )
    assert status.split()[-1] == "sent"
