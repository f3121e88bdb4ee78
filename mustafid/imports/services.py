"""Importing an existing registry: upload, map, validate, confirm, import (issue 4 item 8;
P-PROC-2: data matched and verified before registration; P-PROC-6: registration).

The pages, the tasks and any future API call these. Each change is permission-checked
(``imports.add_importjob`` in the job's branch; importing also needs
``registry.add_beneficiaryfile`` there, as registering by hand does), moves the job through
``imports.workflow`` and is audited in its transaction.

Imported households follow the rules of hand registration: numbers from the same yearly
sequence (a block taken in one UPDATE), one record per national ID, the same name key and
search postings, an audit entry per file and a timeline event (IMPORTED) per household.
Everything is done in bulk, never a query per row.
"""

import datetime as dt
import gc
import json
import logging
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from uuid import uuid4
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from mustafid.accounts.models import Branch
from mustafid.accounts.permissions import can, ensure_can
from mustafid.core import audit
from mustafid.core.actors import SYSTEM
from mustafid.core.channels import Channel
from mustafid.core.context import current_ip, current_request_id
from mustafid.core.dates import to_hijri
from mustafid.core.errors import Conflict, TransitionNotAllowed
from mustafid.core.models import AuditAction, AuditEntry
from mustafid.imports import bulk, workflow
from mustafid.imports.errors import (
    BadMapping,
    ImportHasFailedRows,
    NothingToImport,
    TooManyRows,
    UnreadableFile,
)
from mustafid.imports.fields import auto_map, mapping_problems
from mustafid.imports.messages import ERROR
from mustafid.imports.models import ImportJob, ImportRow, Mode, Status
from mustafid.imports.reading import check_size, detect_kind, max_rows, open_table, preview
from mustafid.imports.validation import RowResult, validate_rows
from mustafid.registry import search
from mustafid.registry.models import BeneficiaryFile, FileNumberSequence, Person, Relation
from mustafid.timeline.models import EventKind, TimelineEvent

logger = logging.getLogger("mustafid.imports")

#: Report rows read from the database at a time.
BATCH = 2000
#: National IDs looked up per query.
LOOKUP = 5000
#: Fields of the job written to the audit log when it is created (not the sample rows).
AUDITED_FIELDS = ("branch", "channel", "original_name", "kind", "encoding", "size", "headers")


def _enqueue(task_name: str, *, job_id: int) -> None:
    from mustafid.imports import tasks

    getattr(tasks, task_name).enqueue(job_id=job_id)


# Upload and mapping (a person, in a request) -----------------------------------------------


@transaction.atomic
def create_import_job(*, actor, branch: Branch, channel: str, upload: UploadedFile) -> ImportJob:
    """Keep an uploaded XLSX or CSV file for one branch, with its headers, first rows and
    a proposed column mapping. Unsupported, oversized or unreadable files are refused."""
    ensure_can(actor, "imports.add_importjob", branch=branch)
    Channel(channel)
    check_size(upload.size)
    upload.seek(0)
    kind = detect_kind(upload.name, upload.read(8))
    table, sample = preview(upload, kind=kind)
    job = ImportJob(
        branch=branch,
        channel=channel,
        original_name=Path(upload.name).name[:255],
        kind=kind,
        encoding=table.encoding,
        size=upload.size,
        headers=table.headers,
        sample=sample,
        mapping=auto_map(table.headers),
        created_by=actor,
    )
    upload.seek(0)
    job.upload.save(f"{uuid4().hex}.{kind}", upload, save=False)
    try:
        job.save()
        after = audit.snapshot(job, fields=AUDITED_FIELDS)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            target=job,
            changes={name: {"before": None, "after": value} for name, value in after.items()},
        )
    except Exception:
        job.upload.delete(save=False)
        raise
    return job


@transaction.atomic
def map_columns(*, actor, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    """Set which column feeds which field and queue the validation (P-PROC-2)."""
    ensure_can(actor, "imports.add_importjob", branch=job.branch)
    mapping = {str(column): field for column, field in mapping.items() if field}
    if problems := mapping_problems(mapping, columns=len(job.headers)):
        raise BadMapping(problems=" ".join(message for _column, message in problems))
    before = dict(job.mapping)
    workflow.move(
        job=job,
        action="map",
        actor=actor,
        mapping=mapping,
        mode="",
        error={},
        progress_done=0,
        progress_total=0,
    )
    if before != mapping:
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=job,
            changes={"mapping": {"before": before, "after": mapping}},
        )
    transaction.on_commit(partial(_enqueue, "validate_import_job", job_id=job.pk), robust=True)
    return job


@transaction.atomic
def confirm_import(*, actor, job: ImportJob, mode: str) -> ImportJob:
    """Queue the import in the chosen mode: all or nothing (refused while a row failed) or
    valid rows only (households with a failed row skipped whole)."""
    ensure_can(actor, "imports.add_importjob", branch=job.branch)
    ensure_can(actor, "registry.add_beneficiaryfile", branch=job.branch)
    mode = Mode(mode)
    if job.status == Status.VALIDATED:
        if mode == Mode.ALL_OR_NOTHING and job.failed_rows:
            raise ImportHasFailedRows(count=job.failed_rows)
        if not job.valid_households:
            raise NothingToImport()
    workflow.move(job=job, action="confirm", actor=actor, mode=mode, confirmed_by=actor, error={})
    transaction.on_commit(partial(_enqueue, "run_import_job", job_id=job.pk), robust=True)
    return job


# Validation (the task) ------------------------------------------------------------------


def _claim(job: ImportJob, action: str) -> bool:
    """Take the job for this task run; False when another run has it or had it already."""
    try:
        workflow.move(job=job, action=action, actor=SYSTEM, error={})
    except (TransitionNotAllowed, Conflict):
        return False
    return True


def _fail(job: ImportJob, code: str, **params) -> None:
    workflow.move(job=job, action="fail", actor=SYSTEM, error={"code": code, "params": params})


def _progress(job: ImportJob, **fields) -> None:
    # Outside any transaction: the page polling the job sees it at once.
    ImportJob.objects.filter(pk=job.pk).update(**fields)


@contextmanager
def _collector_paused():
    """Pause Python's cycle collector while tens of thousands of rows are held: each of
    its full passes walks every live row (reading an XLSX alone triggers hundreds), and
    rows make no cycles to collect. It resumes, and collects once, afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def validate_job(*, job_id: int) -> str:
    """Validate every row of a queued job and keep the report; safe to run twice."""
    job = ImportJob.objects.select_related("branch", "created_by").get(pk=job_id)
    if not _claim(job, "start_validation"):
        return "skipped"
    if not can(job.created_by, "imports.add_importjob", branch=job.branch):
        _fail(job, "no_permission")
        return "failed"
    try:
        with (
            _collector_paused(),
            job.upload.open("rb") as stored,
            open_table(stored, kind=job.kind) as table,
        ):
            _progress(job, progress_total=table.estimated_rows, progress_done=0)
            results = validate_rows(
                table.rows,
                mapping=job.mapping,
                today=timezone.localdate(),
                default_city=job.branch.city,
                limit=max_rows(),
                on_progress=lambda done: _progress(job, progress_done=done),
            )
    except TooManyRows:
        _fail(job, "too_many_rows", limit=max_rows())
        return "failed"
    except (UnreadableFile, ParseError, BadZipFile, OSError, KeyError) as err:
        logger.warning("import file unreadable", extra={"job_id": job.pk, "error": repr(err)})
        _fail(job, "unreadable")
        return "failed"
    except Exception:
        logger.exception("import validation failed", extra={"job_id": job.pk})
        _fail(job, "unexpected")
        raise
    with _collector_paused():
        save_report(job=job, results=results)
    return "validated"


@transaction.atomic
def save_report(*, job: ImportJob, results: list[RowResult]) -> None:
    """Replace the job's report with these rows and their counts; the job is validated."""
    ImportRow.objects.filter(job=job).delete()
    rows = (
        ImportRow(
            job=job,
            number=result.number,
            household=(result.data.get("household") or "")[:80],
            national_id=(result.data.get("national_id") or result.raw_id)[:20],
            name=result.display_name[:200],
            failed=result.failed,
            has_warnings=result.has_warnings,
            problems=[list(problem) for problem in result.problems],
            data=result.data,
        )
        for result in results
    )
    bulk.insert(list(rows))
    households: dict[str, bool] = {}
    for result in results:
        households[result.household] = households.get(result.household, False) or result.failed
    workflow.move(
        job=job,
        action="finish_validation",
        actor=SYSTEM,
        row_count=len(results),
        failed_rows=sum(result.failed for result in results),
        warning_rows=sum(result.has_warnings and not result.failed for result in results),
        household_count=len(households),
        valid_households=sum(not failed for failed in households.values()),
        progress_done=len(results),
        progress_total=len(results),
        validated_at=timezone.now(),
    )


# Import (the task) ----------------------------------------------------------------------


def import_job(*, job_id: int) -> str:
    """Import a confirmed job in one transaction; safe to run twice (the second run finds
    the job claimed or done and changes nothing)."""
    job = ImportJob.objects.select_related("branch", "confirmed_by").get(pk=job_id)
    if not _claim(job, "start_import"):
        return "skipped"
    actor = job.confirmed_by
    if not (
        can(actor, "imports.add_importjob", branch=job.branch)
        and can(actor, "registry.add_beneficiaryfile", branch=job.branch)
    ):
        _fail(job, "no_permission")
        return "failed"
    try:
        with _collector_paused():
            return write_households(job=job, actor=actor)
    except IntegrityError:
        # An ID registered by hand between our check and our insert: nothing was written.
        workflow.move(
            job=job, action="reopen", actor=SYSTEM, error={"code": "registered_meanwhile"}
        )
        return "reopened"
    except Exception:
        logger.exception("import failed", extra={"job_id": job.pk})
        _fail(job, "unexpected")
        raise


def _households(job: ImportJob) -> dict[str, list[tuple]]:
    """The job's rows grouped by household, in file order: (pk, failed, data, problems)."""
    households: dict[str, list[tuple]] = {}
    rows = ImportRow.objects.filter(job=job).order_by("number")
    for row in rows.values_list("pk", "failed", "data", "problems").iterator(chunk_size=BATCH):
        households.setdefault(row[2]["_household_key"], []).append(row)
    return households


def _registered_meanwhile(ids: list[str]) -> dict[str, str]:
    """IDs registered since the validation, with their file numbers."""
    found: dict[str, int] = {}
    for start in range(0, len(ids), LOOKUP):
        people = Person.objects.filter(national_id__in=ids[start : start + LOOKUP]).order_by()
        found |= dict(people.values_list("national_id", "file_id"))
    if not found:
        return {}
    files = BeneficiaryFile.objects.filter(pk__in=set(found.values())).order_by()
    numbers = dict(files.values_list("pk", "number"))
    return {national_id: numbers[file_id] for national_id, file_id in found.items()}


def _mark_registered(job: ImportJob, households, registered: dict[str, str]) -> set[str]:
    """Fail the rows whose ID was registered meanwhile; the households they are in."""
    changed, keys = [], set()
    for key, members in households.items():
        for pk, _failed, data, problems in members:
            if number := registered.get(data.get("national_id") or ""):
                problem = [ERROR, "national_id", "registered_meanwhile", {"number": number}]
                changed.append(ImportRow(pk=pk, failed=True, problems=[*problems, problem]))
                keys.add(key)
    ImportRow.objects.bulk_update(changed, ["failed", "problems"], batch_size=BATCH)
    failed = ImportRow.objects.filter(job=job, failed=True).count()
    ImportJob.objects.filter(pk=job.pk).update(
        failed_rows=failed,
        valid_households=F("valid_households") - len(keys),
    )
    return keys


def allocate_file_numbers(*, count: int) -> tuple[int, int, int]:
    """A block of ``count`` file numbers of this Hijri year, taken in one UPDATE (the
    numbering of ``registry.services.next_file_number``): (year, first, last)."""
    year = to_hijri(timezone.localdate()).year
    FileNumberSequence.objects.get_or_create(year=year)
    FileNumberSequence.objects.filter(year=year).update(last=F("last") + count)
    last = FileNumberSequence.objects.get(year=year).last
    return year, last - count + 1, last


def file_number(year: int, serial: int) -> str:
    return f"B-{year}-{serial:06d}"


def _person(file: BeneficiaryFile, data: dict) -> Person:
    born = data.get("birth_date")
    return Person(
        file=file,
        relation=data["relation"],
        national_id=data.get("national_id") or None,
        first_name=data["first_name"],
        father_name=data["father_name"],
        grandfather_name=data.get("grandfather_name") or "",
        family_name=data["family_name"],
        latin_name=data.get("latin_name") or "",
        sex=data["sex"],
        birth_date=dt.date.fromisoformat(born) if born else None,
        mobile=data.get("mobile") or "",
        is_dependant=bool(data.get("is_dependant")),
        name_key=data["name_key"],
    )


@transaction.atomic
def write_households(*, job: ImportJob, actor) -> str:
    """Create the job's households in one transaction (P-PROC-6): all of them, or with
    "valid rows only" those without a failed row. IDs registered since the validation are
    checked again: all or nothing then imports nothing and reopens the job."""
    households = _households(job)
    importable = {key: rows for key, rows in households.items() if not any(r[1] for r in rows)}
    if job.mode == Mode.ALL_OR_NOTHING and len(importable) < len(households):
        workflow.move(job=job, action="reopen", actor=SYSTEM)
        return "reopened"
    ids = [r[2]["national_id"] for rows in importable.values() for r in rows if r[2]["national_id"]]
    if registered := _registered_meanwhile(ids):
        failed_keys = _mark_registered(job, importable, registered)
        if job.mode == Mode.ALL_OR_NOTHING:
            workflow.move(
                job=job, action="reopen", actor=SYSTEM, error={"code": "registered_meanwhile"}
            )
            return "reopened"
        importable = {key: rows for key, rows in importable.items() if key not in failed_keys}

    created_by = actor if getattr(actor, "is_authenticated", False) else None
    files, people, heads = [], [], []
    year = first = last = None
    if importable:
        year, first, last = allocate_file_numbers(count=len(importable))
    # As by hand: the category rules wait for the incomes to be recorded (none are
    # imported), so imported households start without a category.
    category = None
    for serial, rows in enumerate(importable.values(), start=first or 0):
        head_data = next(r[2] for r in rows if r[2]["relation"] == Relation.HEAD)
        file = BeneficiaryFile(
            number=file_number(year, serial),
            branch=job.branch,
            channel=job.channel,
            city=head_data["city"],
            district=head_data.get("district") or "",
            short_address=head_data.get("short_address") or "",
            mobile=head_data.get("mobile") or "",
            category=category,
            created_by=created_by,
        )
        files.append(file)
        # The head first, then the members in file order.
        ordered = sorted(rows, key=lambda r: r[2]["relation"] != Relation.HEAD)
        household = [_person(file, r[2]) for r in ordered]
        heads.append(household[0])
        people += household
    bulk.insert(files, with_ids=True)
    bulk.insert(people, with_ids=True)
    search.index_new_people_names(people=people)
    _audit_files(job=job, actor=actor, files=files)
    bulk.insert(
        [
            TimelineEvent(
                file=file,
                person=head,
                kind=EventKind.IMPORTED,
                actor=created_by,
                detail=job.original_name[:255],
                url=job.get_absolute_url(),
            )
            for file, head in zip(files, heads, strict=True)
        ]
    )
    workflow.move(
        job=job,
        action="finish_import",
        actor=actor,
        files_created=len(files),
        people_created=len(people),
        households_skipped=len(households) - len(files),
        number_year=year,
        first_number=first,
        last_number=last,
        imported_at=timezone.now(),
        progress_done=job.row_count,
        progress_total=job.row_count,
    )
    upload = job.upload
    transaction.on_commit(partial(_remove_upload, job_id=job.pk, name=upload.name))
    # Registration by hand queues a duplicate check per file; for thousands of files one
    # sweep of the registry puts the possible duplicates on the worklist (issue 4 item 6).
    if files:
        transaction.on_commit(_queue_duplicate_sweep, robust=True)
    return "imported"


def _queue_duplicate_sweep() -> None:
    from mustafid.registry.tasks import find_duplicates

    find_duplicates.enqueue()


def _audit_files(*, job: ImportJob, actor, files: list[BeneficiaryFile]) -> None:
    """One creation entry per file, written in bulk (the log stays append-only)."""
    content_type = ContentType.objects.get_for_model(BeneficiaryFile, for_concrete_model=False)
    label = actor.get_username()[:150] if actor is not None else "system"
    user = actor if getattr(actor, "is_authenticated", False) else None
    summary = f"import #{job.pk}: {job.original_name}"[:255]
    fields = BeneficiaryFile._meta.concrete_fields
    entries = []
    for file in files:
        # audit.snapshot's values, made JSON-safe in one pass rather than field by field.
        after = {field.name: field.value_from_object(file) for field in fields}
        after = json.loads(json.dumps(after, cls=DjangoJSONEncoder))
        entries.append(
            AuditEntry(
                actor=user,
                actor_label=label,
                action=AuditAction.CREATE,
                content_type=content_type,
                object_id=str(file.pk),
                object_repr=str(file)[:200],
                changes={name: {"before": None, "after": value} for name, value in after.items()},
                summary=summary,
                ip_address=current_ip.get(),
                request_id=current_request_id.get(),
            )
        )
    bulk.insert(entries)


def _remove_upload(*, job_id: int, name: str) -> None:
    """The uploaded copy is no longer needed once imported (PDPL: no extra copies)."""
    ImportJob.objects.filter(pk=job_id).update(upload="")
    if name:
        ImportJob._meta.get_field("upload").storage.delete(name)


def record_report_downloaded(*, actor, job: ImportJob, fmt: str) -> None:
    """Who downloaded a report holding people's names and IDs, and when (PDPL)."""
    audit.record(actor=actor, action=AuditAction.VIEW, target=job, summary=f"report.{fmt}")
