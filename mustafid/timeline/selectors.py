"""Reads of the timeline for the beneficiary's file page (issue 4 item 7)."""

from mustafid.timeline.services import timeline_page


def file_context(*, actor, file, page=1) -> dict:
    """The first (or requested) page of the file's timeline, newest first."""
    if not actor.has_perm("timeline.view_timelineevent"):
        return {"flags": [], "timeline": None}
    return {"flags": [], "timeline": timeline_page(file=file, page=page)}
