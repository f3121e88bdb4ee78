"""Issuing and revoking API tokens, each permission-checked and audited.

The plaintext token leaves ``create_api_client`` once and is never stored or logged; the
audit snapshot redacts ``token_hash``.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.accounts.models import User
from mustafid.accounts.permissions import ensure_can
from mustafid.api import tokens
from mustafid.api.models import ApiClient
from mustafid.api.scopes import Scope
from mustafid.core import audit
from mustafid.core.actors import SYSTEM
from mustafid.core.errors import DomainError, PermissionDenied

#: last_used_at is kept to about this precision, so a busy client does not write per request.
LAST_USED_PRECISION = timedelta(minutes=1)


class NoScopes(DomainError):
    code, http_status = "no_scopes", 400
    message = _("Choose at least one scope for the token.")


class ExpiryInThePast(DomainError):
    code, http_status = "expiry_in_the_past", 400
    message = _("The expiry date must be in the future.")


class InactiveServiceAccount(DomainError):
    code, http_status = "inactive_service_account", 400
    message = _("The account the token acts as is disabled.")


class AlreadyRevoked(DomainError):
    code, http_status = "already_revoked", 409
    message = _("This token has already been revoked.")


def _user_or_none(actor) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def create_api_client(
    *,
    actor,
    name: str,
    user: User,
    scopes: Iterable[str],
    expires_at: datetime | None = None,
) -> tuple[ApiClient, str]:
    """Issue a token acting as ``user``; returns it in plaintext this once, keeps its hash."""
    ensure_can(actor, "api.add_apiclient")
    # A token must not give its maker more power than they hold themselves.
    if user.is_superuser and actor is not SYSTEM and not actor.is_superuser:
        raise PermissionDenied()
    if not user.is_active:
        raise InactiveServiceAccount()
    if expires_at is not None and expires_at <= timezone.now():
        raise ExpiryInThePast()
    scopes = sorted({Scope(scope).value for scope in scopes})
    if not scopes:
        raise NoScopes()
    new = tokens.generate()
    # 32 random bits: a clash is rare, but the column is unique, so draw again.
    while ApiClient.objects.filter(token_prefix=new.prefix).exists():
        new = tokens.generate()
    client = ApiClient.objects.create(
        name=name,
        user=user,
        token_prefix=new.prefix,
        token_hash=tokens.hash_token(new.plaintext),
        scopes=scopes,
        expires_at=expires_at,
        created_by=_user_or_none(actor),
    )
    audit.record_create(actor=actor, target=client)
    return client, new.plaintext


@transaction.atomic
def revoke_api_client(*, actor, client: ApiClient) -> ApiClient:
    """Stop a token working from now on; the row stays for the audit trail."""
    ensure_can(actor, "api.change_apiclient")
    before = audit.snapshot(client, fields=["revoked_at", "revoked_by"])
    now = timezone.now()
    # Filter on revoked_at: two administrators may press "revoke" at once.
    revoked = ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=_user_or_none(actor)
    )
    if not revoked:
        raise AlreadyRevoked()
    client.revoked_at = now
    client.revoked_by = _user_or_none(actor)
    audit.record_update(actor=actor, target=client, before=before)
    return client


def note_api_client_used(*, client: ApiClient, now: datetime | None = None) -> None:
    """Keep ``last_used_at`` to the minute (bookkeeping, not a change: not audited)."""
    now = now or timezone.now()
    if client.last_used_at is not None and now - client.last_used_at < LAST_USED_PRECISION:
        return
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    client.last_used_at = now
