"""Reads for the beneficiary's file page."""


def file_context(*, actor, file) -> dict:
    """What the file page shows from this app: template variables, and ``flags``."""
    return {"flags": []}
