"""Who and where the current request comes from, for the audit log and request logs.

Set by ``AuditContextMiddleware``; empty in tasks and commands (the system acts).
"""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")
