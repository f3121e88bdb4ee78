"""The one state machine of an import job: nothing else sets ``ImportJob.status``.

    uploaded ─map→ validation_queued ─start→ validating ─finish→ validated
    validated ─map→ validation_queued (mapping changed)      validating ─fail→ failed
    validated ─confirm→ import_queued ─start→ importing ─finish→ imported
    importing ─reopen→ validated (the registry changed meanwhile; nothing imported)
    importing ─fail→ failed ─map→ validation_queued

Each move is a compare-and-swap on the status, so a task run twice, or two people pressing
"import" at once, moves the job once; the loser gets ``Conflict``.
"""

from mustafid.core import audit
from mustafid.core.errors import Conflict, TransitionNotAllowed
from mustafid.imports.models import ImportJob
from mustafid.imports.models import Status as S

MOVES = {  # action: (from, to)
    "map": ({S.UPLOADED, S.VALIDATED, S.FAILED}, S.VALIDATION_QUEUED),
    "start_validation": ({S.VALIDATION_QUEUED}, S.VALIDATING),
    "finish_validation": ({S.VALIDATING}, S.VALIDATED),
    "confirm": ({S.VALIDATED}, S.IMPORT_QUEUED),
    "start_import": ({S.IMPORT_QUEUED}, S.IMPORTING),
    "finish_import": ({S.IMPORTING}, S.IMPORTED),
    "reopen": ({S.IMPORTING}, S.VALIDATED),
    "fail": ({S.VALIDATION_QUEUED, S.VALIDATING, S.IMPORT_QUEUED, S.IMPORTING}, S.FAILED),
}


def can_move(job: ImportJob, action: str) -> bool:
    return job.status in MOVES[action][0]


def move(*, job: ImportJob, action: str, actor, **fields) -> None:
    """Move ``job`` by ``action``, saving ``fields`` with it in the same UPDATE."""
    sources, target = MOVES[action]
    old = job.status
    if old not in sources:
        raise TransitionNotAllowed(status=job.get_status_display())
    claimed = ImportJob.objects.filter(pk=job.pk, status=old).update(status=target, **fields)
    if not claimed:
        raise Conflict()
    audit.record_transition(actor=actor, target=job, before=old, after=target, summary=action)
    job.status = target
    for name, value in fields.items():
        setattr(job, name, value)
