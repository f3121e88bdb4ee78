from django.utils.translation import gettext_lazy as _

from mustafid.core.errors import DomainError


class ConsentAlreadyGiven(DomainError):
    code, http_status = "consent_already_given", 409
    message = _(
        "This household already has an active consent for “%(purpose)s”. Withdraw it first "
        "if it must be recorded again."
    )


class ConsentAlreadyWithdrawn(DomainError):
    code, http_status = "consent_already_withdrawn", 409
    message = _("This consent was already withdrawn.")


class ConsentGivenInFuture(DomainError):
    code, http_status = "consent_in_future", 400
    message = _("A consent cannot be dated in the future.")


class PersonNotInHousehold(DomainError):
    code, http_status = "person_not_in_household", 400
    message = _("The person who gave consent must be a member of this household.")


class FileAnonymised(DomainError):
    code, http_status = "file_anonymised", 409
    message = _("File %(number)s is anonymised: nothing can be recorded on it any more.")


class FileNotClosed(DomainError):
    code, http_status = "file_not_closed", 409
    message = _(
        "File %(number)s is %(status)s: only a closed file, or the file of a deceased "
        "beneficiary, can be anonymised."
    )


class RetentionNotOver(DomainError):
    code, http_status = "retention_not_over", 409
    message = _(
        "File %(number)s was closed on %(closed)s: it must be kept until %(until)s, the end "
        "of its retention period."
    )
