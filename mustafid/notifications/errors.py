"""What queuing a message can refuse (domain errors) and how one send can fail."""

from django.utils.translation import gettext_lazy as _

from mustafid.core.errors import DomainError


class UnknownTemplate(DomainError):
    code, http_status = "unknown_message_template", 400
    message = _("There is no message template named “%(name)s”.")


class UnsupportedChannel(DomainError):
    code, http_status = "unsupported_channel", 400
    message = _("The message “%(name)s” cannot be sent by %(channel)s.")


class MissingTemplateData(DomainError):
    code, http_status = "missing_template_data", 400
    message = _("The message “%(name)s” needs: %(missing)s.")


class InvalidRecipient(DomainError):
    code, http_status = "invalid_recipient", 400
    message = _("“%(recipient)s” is not a valid address for %(channel)s.")


class SendFailure(Exception):
    """One attempt to hand a message to the mail server or SMS gateway failed."""

    temporary = False


class TemporaryFailure(SendFailure):
    """Worth another try later: a timeout, a refused connection, HTTP 5xx or 429."""

    temporary = True


class PermanentFailure(SendFailure):
    """Trying again cannot help: a rejected recipient, bad credentials, HTTP 4xx."""
