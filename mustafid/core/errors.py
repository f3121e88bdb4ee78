"""One tree of domain errors, mapped once to HTTP (API handler, middleware)."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule refused the change. ``message`` is translated and takes named params."""

    code = "domain_error"
    http_status = 400
    message = _("This change is not allowed.")

    def __init__(self, message=None, **params):
        self.params = params
        if message is not None:
            self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


class PermissionDenied(DomainError):
    code, http_status = "permission_denied", 403
    message = _("You do not have permission to do this.")


class NotFound(DomainError):
    code, http_status = "not_found", 404
    message = _("Not found.")


class Conflict(DomainError):
    code, http_status = "conflict", 409
    message = _("Someone else changed this record at the same time. Reload and try again.")


class TransitionNotAllowed(DomainError):
    code, http_status = "transition_not_allowed", 409
    message = _("This step is not allowed while the record is %(status)s.")
