"""What one channel reports after handing over a message (failures live in errors.py)."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SendResult:
    """The provider accepted the message."""

    provider_message_id: str
    #: Billed SMS parts; None for email.
    segments: int | None = None
    #: The provider's answer, for the log.
    raw: Any = field(default=None, repr=False)
