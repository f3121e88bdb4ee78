"""Reads of consent, file openings and retention, always scoped to the actor (PDPL)."""

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from mustafid.accounts.permissions import branch_ids, can
from mustafid.core.flags import Flag
from mustafid.core.models import AuditAction, AuditEntry
from mustafid.privacy.forms import ConsentForm, WithdrawalForm
from mustafid.privacy.models import PURPOSE_WORDING, Consent, Purpose
from mustafid.registry.models import BeneficiaryFile, FileStatus
from mustafid.registry.selectors import file_for, files_visible_to

#: Statuses after which a file's retention period runs.
CLOSED_STATUSES = (FileStatus.CLOSED, FileStatus.DECEASED)
#: At most this many consents are shown on the file page, newest first.
CONSENTS_SHOWN = 40


def has_consent(*, file: BeneficiaryFile, purpose: str) -> bool:
    """Whether the household's consent to ``purpose`` is active now: ask before contacting
    it, sharing its data or surveying it (PDPL Art. 5; P-OBJ-5)."""
    return Consent.objects.filter(file=file, purpose=purpose, withdrawn_at__isnull=True).exists()


@dataclass
class ConsentRow:
    consent: Consent
    #: The form to withdraw it, for an active consent and a user who may.
    withdrawal_form: WithdrawalForm | None = None


@dataclass
class ConsentSection:
    """What the file page's consent section needs."""

    rows: list[ConsentRow]
    #: The form to record a consent, for a user who may.
    consent_form: ConsentForm | None
    can_see_views: bool
    #: The purposes without an active consent, by label.
    missing: list[str] = field(default_factory=list)
    #: Every purpose with the sentence read to the household.
    purposes: list[tuple[str, str]] = field(default_factory=list)
    #: A refusal to show above the table (a withdrawal someone else recorded first).
    alert: str = ""


def file_context(*, actor, file) -> dict:
    """What the file page shows from this app: template variables, and ``flags``.

    One query for the consents (at most ``CONSENTS_SHOWN``), whatever the history.
    """
    # The file page already scoped the file to the actor; reading needs the permission.
    if not actor.has_perm("privacy.view_consent"):
        return {"flags": [], "privacy": None}
    section = consent_section(actor=actor, file=file)
    consents = [row.consent for row in section.rows]
    return {"privacy": section, "flags": consent_flags(file=file, consents=consents)}


def consent_section(
    *,
    actor,
    file,
    consent_form: ConsentForm | None = None,
    withdrawal_form: WithdrawalForm | None = None,
    withdrawing: int | None = None,
    alert: str = "",
) -> ConsentSection:
    """The consents of a file, newest first, with the forms the actor may use; a form
    the actor just submitted (with its errors) replaces the blank one."""
    consents = list(
        Consent.objects.filter(file=file)
        .select_related("person", "recorded_by", "withdrawn_by")
        .order_by("-given_at", "-pk")[:CONSENTS_SHOWN]
    )
    may_withdraw = can(actor, "privacy.change_consent", branch=file.branch)
    rows = []
    for consent in consents:
        form = None
        if consent.is_active and may_withdraw:
            if consent.pk == withdrawing and withdrawal_form is not None:
                form = withdrawal_form
            else:
                form = WithdrawalForm(prefix=withdrawal_prefix(consent))
        rows.append(ConsentRow(consent=consent, withdrawal_form=form))
    if can(actor, "privacy.add_consent", branch=file.branch) and file.anonymised_at is None:
        consent_form = consent_form or ConsentForm(file=file, prefix="consent")
    else:
        consent_form = None
    active = {consent.purpose for consent in consents if consent.is_active}
    return ConsentSection(
        rows=rows,
        consent_form=consent_form,
        can_see_views=actor.has_perm("core.view_auditentry"),
        missing=[purpose.label for purpose in Purpose if purpose not in active],
        purposes=[(purpose.label, PURPOSE_WORDING[purpose]) for purpose in Purpose],
        alert=alert,
    )


def withdrawal_prefix(consent: Consent) -> str:
    """Each active consent's withdrawal form has its own field names and ids."""
    return f"withdraw-{consent.pk}"


def consent_flags(*, file, consents: list[Consent]) -> list[Flag]:
    """ "No consent recorded" (warning); "Consent withdrawn: contact" (danger) for each
    purpose whose latest consent was withdrawn and not given again."""
    url = file.get_absolute_url() + "#consent"
    flags = []
    if file.anonymised_at:
        flags.append(Flag(_("Anonymised"), level="secondary"))
    if not consents:
        if not file.anonymised_at:
            flags.append(Flag(_("No consent recorded"), level="warning", url=url))
        return flags
    latest: dict[str, Consent] = {}
    for consent in consents:  # newest first
        latest.setdefault(consent.purpose, consent)
    for purpose in Purpose:
        consent = latest.get(purpose)
        if consent is not None and not consent.is_active:
            text = _("Consent withdrawn: %(purpose)s") % {"purpose": purpose.label}
            flags.append(Flag(text, level="danger", url=url))
    return flags


def consent_for(*, actor, file: BeneficiaryFile, consent_id: int) -> Consent:
    """One consent of a file the actor may read; 404 otherwise."""
    if not actor.has_perm("privacy.view_consent"):
        raise Http404
    return get_object_or_404(
        Consent.objects.select_related("file__branch"), pk=consent_id, file=file
    )


def file_openings(*, actor, number: str) -> tuple[BeneficiaryFile, QuerySet[AuditEntry]]:
    """Who opened this family's file and its documents, newest first (PDPL; issue 4 item 4).

    Readable with ``core.view_auditentry`` inside the actor's branches; 404 otherwise.
    """
    if not actor.has_perm("core.view_auditentry"):
        raise Http404
    file = file_for(actor=actor, number=number)
    content_type = ContentType.objects.get_for_model(BeneficiaryFile, for_concrete_model=False)
    opened = Q(content_type=content_type, object_id=str(file.pk))
    if documents := _document_ids(file=file):
        content_type, ids = documents
        opened |= Q(content_type=content_type, object_id__in=ids)
    entries = (
        AuditEntry.objects.filter(opened, action=AuditAction.VIEW)
        .select_related("actor", "content_type")
        .order_by("-created_at", "-pk")
    )
    return file, entries


def _document_ids(*, file):
    """The documents app's content type and the ids of this file's documents (a
    subquery), or None while that app has no ``Document`` model."""
    try:
        document = apps.get_model("documents", "Document")
    except LookupError:
        return None
    content_type = ContentType.objects.get_for_model(document, for_concrete_model=False)
    ids = document._base_manager.filter(file=file).values_list(
        Cast("pk", output_field=CharField()), flat=True
    )
    return content_type, ids


# Retention ------------------------------------------------------------------------------


def years_before(moment: dt.datetime, years: int) -> dt.datetime:
    """The same moment ``years`` earlier (28 February for a 29 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def retention_cutoff(*, now: dt.datetime | None = None) -> dt.datetime:
    """Files closed before this moment have outlived ``RETENTION_YEARS`` (PDPL Art. 18)."""
    return years_before(now or timezone.now(), settings.RETENTION_YEARS)


def retention_ends(*, closed_at: dt.datetime) -> dt.datetime:
    """When a file closed at ``closed_at`` may be anonymised."""
    return years_before(closed_at, -settings.RETENTION_YEARS)


def is_due_for_anonymisation(*, file: BeneficiaryFile, now: dt.datetime | None = None) -> bool:
    return (
        file.anonymised_at is None
        and file.status in CLOSED_STATUSES
        and file.closed_at is not None
        and file.closed_at < retention_cutoff(now=now)
    )


def files_due_for_anonymisation(*, actor) -> QuerySet[BeneficiaryFile]:
    """Closed (or deceased) files past the retention period and not yet anonymised,
    longest closed first, of the actor's own branches (where the actor may anonymise);
    404 without ``privacy.view_anonymisation``."""
    if not actor.has_perm("privacy.view_anonymisation"):
        raise Http404
    return (
        files_visible_to(actor=actor)
        .filter(
            branch_id__in=branch_ids(actor),
            status__in=CLOSED_STATUSES,
            closed_at__lt=retention_cutoff(),
            anonymised_at__isnull=True,
        )
        .select_related("branch", "category")
        .order_by("closed_at", "pk")
    )
