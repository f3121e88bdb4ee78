"""A flag on a record's page header: "2 documents expired", "consent withdrawn"."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Flag:
    text: str
    #: A Bootstrap contextual colour: danger, warning, info, secondary.
    level: str = "warning"
    url: str = ""
