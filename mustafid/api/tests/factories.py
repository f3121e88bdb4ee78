"""API clients for tests, issued through the service as the system would."""

from mustafid.api.models import ApiClient
from mustafid.api.scopes import Scope
from mustafid.api.services import create_api_client
from mustafid.core.actors import SYSTEM


def issue_token(*, user, scopes=tuple(Scope), name="Integrator", **kwargs) -> tuple[ApiClient, str]:
    """A client acting as ``user`` (every scope by default) and its plaintext token."""
    return create_api_client(actor=SYSTEM, name=name, user=user, scopes=scopes, **kwargs)


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}
