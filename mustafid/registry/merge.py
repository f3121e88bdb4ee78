"""Merging two files of one household, and reverting a merge (issue 4 item 6; P-CH "a
contact on any channel lands on the same record", P-PROC-2).

``merge_files`` moves everything that belongs to the source household into the target:
its members and incomes, and the rows of every other model with a foreign key to
``BeneficiaryFile`` (documents, consents, timeline events today; support requests and
whatever comes later), found through the model's relations, so a new app is covered
without editing this module. The ``FileMerge`` record keeps exactly which rows of which
model moved and the source file as it was, so ``revert_merge`` can put everything back.
"""

import json

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mustafid.accounts.permissions import ensure_can
from mustafid.core import audit
from mustafid.core.errors import DomainError, PermissionDenied
from mustafid.core.models import AuditAction
from mustafid.registry.models import (
    BeneficiaryFile,
    DuplicateCandidate,
    DuplicateStatus,
    FileMerge,
    FileStatus,
    Person,
    Relation,
)
from mustafid.registry.selectors import files_visible_to
from mustafid.timeline.models import EventKind
from mustafid.timeline.services import add_event

#: Models that keep the books of duplicates and merges themselves: never moved.
BOOKKEEPING = (BeneficiaryFile, DuplicateCandidate, FileMerge)
#: Source file fields a revert leaves as they are now (identity and bookkeeping).
NOT_RESTORED = frozenset({"id", "number", "version", "created_at", "created_by", "updated_at"})
#: Rows moved per UPDATE (SQLite caps the parameters of one statement).
BATCH = 500


class CannotMergeIntoItself(DomainError):
    code, http_status = "merge_into_itself", 409
    message = gettext_lazy("A file cannot be merged into itself.")


class FileAlreadyMerged(DomainError):
    code, http_status = "file_already_merged", 409
    message = gettext_lazy("File %(number)s was already merged into another file.")


class FileAnonymised(DomainError):
    code, http_status = "file_anonymised", 409
    message = gettext_lazy("File %(number)s is anonymised: it can no longer be merged.")


class MergeAlreadyReverted(DomainError):
    code, http_status = "merge_already_reverted", 409
    message = gettext_lazy("This merge was already reverted.")


class RevertConflict(DomainError):
    code, http_status = "revert_conflict", 409
    message = gettext_lazy(
        "The merge cannot be reverted: %(reason)s. Settle that first, then try again."
    )


def file_links() -> list[tuple[type[models.Model], models.ForeignKey]]:
    """Every foreign key to ``BeneficiaryFile`` on another model, as (model, field).

    From ``BeneficiaryFile._meta``'s reverse relations, hidden ones included (a foreign
    key declared with ``related_name="+"``, the tables behind many-to-many fields), so a
    model added by a later app is moved without editing the merge. Sorted for a stable
    order of updates (two merges lock rows in the same order).
    """
    links = []
    for relation in BeneficiaryFile._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete):
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue  # a many-to-many is moved through its table's own foreign key
        model = relation.related_model
        if issubclass(model, BOOKKEEPING) or model._meta.proxy:
            continue
        links.append((model, relation.field))
    return sorted(links, key=lambda link: (link[0]._meta.label_lower, link[1].name))


def _jsonable(pks: list) -> list:
    """Primary keys as the JSON record keeps them (UUIDs as text, composite keys as lists)."""
    return json.loads(json.dumps(pks, cls=DjangoJSONEncoder))


def _pk_value(value):
    """A primary key from the JSON record: composite keys come back as lists."""
    return tuple(value) if isinstance(value, list) else value


def _move(*, model, field: str, pks: list, to: BeneficiaryFile) -> tuple[list, list]:
    """Point the rows ``pks`` of ``model`` at ``to``; returns (moved, kept). A row the
    database refuses (the same active consent or document is already on ``to``) stays
    where it is, and is listed as kept, rather than refusing the whole merge."""
    manager = model._base_manager  # rows a default manager hides (removed documents) too
    moved, kept = [], []
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        try:
            with transaction.atomic():
                manager.filter(pk__in=[_pk_value(pk) for pk in batch]).update(**{field: to})
            moved += batch
        except IntegrityError:
            for pk in batch:  # one by one, to find the rows that clash
                try:
                    with transaction.atomic():
                        manager.filter(pk=_pk_value(pk)).update(**{field: to})
                    moved.append(pk)
                except IntegrityError:
                    kept.append(pk)
    return moved, kept


def _lock(*files: BeneficiaryFile) -> dict[int, BeneficiaryFile]:
    """Both files, locked in id order (two merges of the same files wait for each other)."""
    pks = sorted({file.pk for file in files})
    locked = BeneficiaryFile.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    return {file.pk: file for file in locked.select_related("branch")}


def _ensure_in_scope(*, actor, perm: str, files: list[BeneficiaryFile]) -> None:
    for file in files:
        ensure_can(actor, perm, branch=file.branch)
    pks = {file.pk for file in files}
    if files_visible_to(actor=actor).filter(pk__in=pks).count() != len(pks):
        raise PermissionDenied()


@transaction.atomic
def merge_files(
    *,
    actor,
    source: BeneficiaryFile,
    target: BeneficiaryFile,
    head_relation: str = Relation.OTHER,
) -> FileMerge:
    """Merge ``source`` into ``target`` (P-CH: one household, one record), in one
    transaction: every row that belongs to the source household moves, the source is
    closed and points to the survivor, both files are audited and their versions bumped.

    The source's head joins the target as ``head_relation`` (default "other relative").
    Needs ``registry.add_filemerge`` in both files' branches.
    """
    if source.pk == target.pk:
        raise CannotMergeIntoItself()
    if head_relation == Relation.HEAD or head_relation not in Relation.values:
        raise ValueError(f"not a relation for a merged head: {head_relation!r}")
    _ensure_in_scope(actor=actor, perm="registry.add_filemerge", files=[source, target])
    locked = _lock(source, target)
    source, target = locked[source.pk], locked[target.pk]
    for file in (source, target):
        if file.merged_into_id is not None:
            raise FileAlreadyMerged(number=file.number)
        if file.anonymised_at is not None:
            raise FileAnonymised(number=file.number)

    before = audit.snapshot(source)
    head = source.members.filter(relation=Relation.HEAD).first()
    low, high = sorted([source.pk, target.pk])
    merge = FileMerge.objects.create(
        source=source,
        target=target,
        candidate=DuplicateCandidate.objects.filter(file_a_id=low, file_b_id=high).first(),
        source_head=head,
        head_relation=head_relation if head else "",
        source_snapshot=before,
        merged_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if head is not None:
        # First: the target keeps its own head (one head per household).
        Person.objects.filter(pk=head.pk).update(relation=head_relation)
        head.relation = head_relation

    moved = []
    for model, field in file_links():
        pks = list(
            model._base_manager.filter(**{field.name: source})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not pks:
            continue
        done, kept = _move(model=model, field=field.name, pks=_jsonable(pks), to=target)
        moved.append(
            {"model": model._meta.label_lower, "field": field.name, "pks": done, "kept": kept}
        )
    merge.moved = moved
    merge.candidates = _repoint_candidates(source=source, target=target, actor=actor)
    merge.save(update_fields=["moved", "candidates"])

    now = timezone.now()
    BeneficiaryFile.objects.filter(pk=source.pk).update(
        merged_into=target,
        status=FileStatus.CLOSED,
        closed_at=now,
        version=F("version") + 1,
        updated_at=now,
    )
    BeneficiaryFile.objects.filter(pk=target.pk).update(version=F("version") + 1, updated_at=now)
    source.refresh_from_db()
    target.refresh_from_db()

    url = merge.get_absolute_url()
    audit.record_create(
        actor=actor,
        target=merge,
        summary=_("%(source)s merged into %(target)s")
        % {"source": source.number, "target": target.number},
    )
    audit.record_update(
        actor=actor,
        target=source,
        before=before,
        summary=_("Merged into %(target)s (merge record %(url)s)")
        % {"target": target.number, "url": url},
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=target,
        changes={"merged_from": {"before": None, "after": source.number}},
        summary=_("%(source)s merged into this file (merge record %(url)s)")
        % {"source": source.number, "url": url},
    )
    add_event(
        file=target,
        kind=EventKind.MERGED,
        actor=actor,
        person=head,
        detail=source.number,
        url=url,
    )
    return merge


def _candidate_row(candidate: DuplicateCandidate) -> dict:
    return {
        "pk": candidate.pk,
        "file_a": candidate.file_a_id,
        "file_b": candidate.file_b_id,
        "person_a": candidate.person_a_id,
        "person_b": candidate.person_b_id,
        "status": candidate.status,
    }


def _repoint_candidates(*, source, target, actor) -> list[dict]:
    """The source's possible-duplicate pairs after the merge: its pair with the target is
    merged; an open pair with a third file now concerns the target (its people moved
    there), unless the target already has a pair with that file. Returns the pairs as
    they were, for the revert."""
    changed = []
    now = timezone.now()
    pairs = DuplicateCandidate.objects.filter(Q(file_a=source) | Q(file_b=source)).order_by("pk")
    for candidate in pairs.select_for_update():
        other = candidate.file_b_id if candidate.file_a_id == source.pk else candidate.file_a_id
        if other == target.pk:
            if candidate.status != DuplicateStatus.OPEN:
                continue
            changed.append(_candidate_row(candidate))
            DuplicateCandidate.objects.filter(pk=candidate.pk).update(
                status=DuplicateStatus.MERGED, decided_at=now, decided_by=actor, updated_at=now
            )
            continue
        if candidate.status != DuplicateStatus.OPEN:
            continue
        low, high = sorted([other, target.pk])
        if DuplicateCandidate.objects.filter(file_a_id=low, file_b_id=high).exists():
            continue  # stays with the merged file, out of the worklist
        people = {
            candidate.file_a_id: candidate.person_a_id,
            candidate.file_b_id: candidate.person_b_id,
        }
        people[target.pk] = people.pop(source.pk)
        changed.append(_candidate_row(candidate))
        DuplicateCandidate.objects.filter(pk=candidate.pk).update(
            file_a_id=low,
            file_b_id=high,
            person_a_id=people[low],
            person_b_id=people[high],
            updated_at=now,
        )
    return changed


@transaction.atomic
def revert_merge(*, actor, merge: FileMerge) -> FileMerge:
    """Undo a merge: every recorded row moves back to the source file, whose fields,
    status and head are restored from the merge record; audited on both files. Rows added
    to the survivor since the merge stay there. Needs ``registry.revert_filemerge`` in
    both files' branches; a merge is reverted once."""
    source = BeneficiaryFile.objects.select_related("branch").get(pk=merge.source_id)
    target = BeneficiaryFile.objects.select_related("branch").get(pk=merge.target_id)
    _ensure_in_scope(actor=actor, perm="registry.revert_filemerge", files=[source, target])
    locked = _lock(source, target)
    source, target = locked[source.pk], locked[target.pk]
    now = timezone.now()
    # Filter on reverted_at: two people may press "revert" at once.
    claimed = FileMerge.objects.filter(pk=merge.pk, reverted_at__isnull=True).update(
        reverted_at=now, reverted_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    if not claimed:
        raise MergeAlreadyReverted()
    if source.merged_into_id != target.pk:
        raise RevertConflict(reason=_("the merged file no longer points to the surviving file"))
    if target.merged_into_id is not None:
        raise RevertConflict(
            reason=_("the surviving file was merged into another file since; revert that first")
        )
    merge.refresh_from_db()

    before = audit.snapshot(source)
    for row in merge.moved:
        model = _model(row["model"])
        field = row["field"]
        still_there = []
        for start in range(0, len(row["pks"]), BATCH):
            batch = [_pk_value(pk) for pk in row["pks"][start : start + BATCH]]
            rows = model._base_manager.filter(pk__in=batch, **{field: target})
            still_there += rows.order_by("pk").values_list("pk", flat=True)
        _done, clashing = _move(model=model, field=field, pks=_jsonable(still_there), to=source)
        if clashing:
            raise RevertConflict(
                reason=_("some %(records)s of the merged file clash with records added since")
                % {"records": model._meta.verbose_name_plural}
            )
    if merge.source_head_id is not None:
        try:
            with transaction.atomic():
                Person.objects.filter(pk=merge.source_head_id, file=source).update(
                    relation=Relation.HEAD
                )
        except IntegrityError as err:
            raise RevertConflict(
                reason=_("the merged file has another head of household now")
            ) from err
    for row in merge.candidates:
        fields = {key: row[key] for key in ("file_a", "file_b", "person_a", "person_b")}
        update = {f"{key}_id": value for key, value in fields.items()}
        if row["status"] == DuplicateStatus.OPEN:
            # Reopened: the pair is for staff to decide again, now that it was undone.
            update |= {"status": DuplicateStatus.OPEN, "decided_at": None, "decided_by": None}
        DuplicateCandidate.objects.filter(pk=row["pk"]).update(**update, updated_at=now)

    restored = _restorable(merge.source_snapshot)
    BeneficiaryFile.objects.filter(pk=source.pk).update(
        **restored, version=F("version") + 1, updated_at=now
    )
    BeneficiaryFile.objects.filter(pk=target.pk).update(version=F("version") + 1, updated_at=now)
    source.refresh_from_db()
    target.refresh_from_db()

    url = merge.get_absolute_url()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=merge,
        changes={"reverted_at": {"before": None, "after": merge.reverted_at}},
        summary=_("Merge reverted"),
    )
    audit.record_update(
        actor=actor,
        target=source,
        before=before,
        summary=_("Merge into %(target)s reverted (merge record %(url)s)")
        % {"target": target.number, "url": url},
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=target,
        changes={"merged_from": {"before": source.number, "after": None}},
        summary=_("Merge of %(source)s reverted (merge record %(url)s)")
        % {"source": source.number, "url": url},
    )
    for file, other in ((target, source), (source, target)):
        add_event(
            file=file, kind=EventKind.MERGE_REVERTED, actor=actor, detail=other.number, url=url
        )
    return merge


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def _restorable(snapshot: dict) -> dict:
    """The snapshot's values as model attributes, for one UPDATE of the source file."""
    values = {}
    for field in BeneficiaryFile._meta.concrete_fields:
        if field.name in NOT_RESTORED or field.name not in snapshot:
            continue
        value = snapshot[field.name]
        values[field.attname] = None if value is None else field.to_python(value)
    return values


def moved_counts(merge: FileMerge) -> list[tuple[str, int, int]]:
    """What the merge moved, as (records' name, how many moved, how many stayed with the
    merged file because the survivor already had the same), for its page."""
    return [
        (
            str(_model(row["model"])._meta.verbose_name_plural),
            len(row["pks"]),
            len(row.get("kept", [])),
        )
        for row in merge.moved
    ]
