"""Recording changes in the append-only audit log.

Every service that creates, updates or deletes a domain record, or moves it through a
workflow, calls one of these inside its transaction, so the entry exists only if the
change does. Who, when, before/after and the client address are kept.
"""

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from mustafid.core.context import current_ip, current_request_id
from mustafid.core.models import AuditAction, AuditEntry

REDACTED = "••••"
#: Field names whose values are never copied into the log.
SECRET_FIELDS = frozenset({"password", "token_hash", "secret", "otp"})
#: Person fields (PDPL sensitive data) whose logged values only holders of
#: ``registry.view_sensitive`` may read; see ``changes_for``.
SENSITIVE_FIELDS = frozenset({"health_condition", "disability", "family_situation"})


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``instance`` (foreign keys as ids), JSON-safe."""
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in SECRET_FIELDS:
            data[field.name] = REDACTED
            continue
        data[field.name] = _jsonable(field.value_from_object(instance))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Only the fields whose value changed, as {field: {"before": x, "after": y}}."""
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def _actor_label(actor) -> str:
    if actor is None:
        return "system"
    return getattr(actor, "get_username", lambda: str(actor))()


def record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    summary: str = "",
) -> AuditEntry:
    """Append one entry; the client address comes from the current request, if any."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        actor=user,
        actor_label=_actor_label(actor)[:150],
        action=action,
        changes=_jsonable(changes or {}),
        summary=str(summary)[:255],
        ip_address=current_ip.get(),
        request_id=current_request_id.get(),
    )
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:200]
    entry.save()
    return entry


def record_create(*, actor, target: models.Model, summary: str = "") -> AuditEntry:
    after = snapshot(target)
    changes = {name: {"before": None, "after": value} for name, value in after.items()}
    return record(
        actor=actor, action=AuditAction.CREATE, target=target, changes=changes, summary=summary
    )


def record_update(
    *, actor, target: models.Model, before: dict[str, Any], summary: str = ""
) -> AuditEntry | None:
    """Log what changed since ``before`` (a ``snapshot``); nothing changed, nothing logged."""
    changes = diff(before, snapshot(target, fields=before.keys()))
    if not changes:
        return None
    return record(
        actor=actor, action=AuditAction.UPDATE, target=target, changes=changes, summary=summary
    )


def record_delete(*, actor, target: models.Model, summary: str = "") -> AuditEntry:
    before = snapshot(target)
    changes = {name: {"before": value, "after": None} for name, value in before.items()}
    return record(
        actor=actor, action=AuditAction.DELETE, target=target, changes=changes, summary=summary
    )


def record_transition(
    *, actor, target: models.Model, before: str, after: str, summary: str = ""
) -> AuditEntry:
    """A workflow move: the status before and after, and the step's name."""
    return record(
        actor=actor,
        action=AuditAction.TRANSITION,
        target=target,
        changes={"status": {"before": before, "after": after}},
        summary=summary,
    )


def changes_for(entry: AuditEntry, *, actor) -> dict[str, Any]:
    """``entry.changes`` as ``actor`` may read them: sensitive values hidden unless the
    actor holds ``registry.view_sensitive`` (PDPL). For display only; never saved."""
    if actor.has_perm("registry.view_sensitive"):
        return entry.changes

    def hidden(value):
        return value if value in (None, "") else REDACTED

    return {
        name: (
            {side: hidden(value) for side, value in change.items()}
            if isinstance(change, dict)
            else hidden(change)
        )
        if name in SENSITIVE_FIELDS
        else change
        for name, change in entry.changes.items()
    }
