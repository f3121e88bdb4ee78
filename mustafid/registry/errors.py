from django.utils.translation import gettext_lazy as _

from mustafid.core.errors import DomainError


class DuplicateNationalId(DomainError):
    code, http_status = "duplicate_national_id", 409
    message = _(
        "This national ID is already registered in file %(number)s. Open that file instead "
        "of creating a second record."
    )


class StaleFile(DomainError):
    code, http_status = "stale_file", 409
    message = _(
        "Someone else saved this file while you were editing it (%(fields)s). Your changes "
        "were not saved: reload the file, check their changes and apply yours again."
    )


class HeadAlreadyExists(DomainError):
    code, http_status = "head_exists", 409
    message = _("This household already has a head. Choose another relation.")


class RentWithoutRenting(DomainError):
    code, http_status = "rent_without_renting", 400
    field = "monthly_rent"
    message = _("A monthly rent is given only when the housing is rented.")


class NotAMember(DomainError):
    code, http_status = "not_a_member", 400
    message = _("This person is not a member of this household.")


class IncomeNotZero(DomainError):
    code, http_status = "no_income_not_zero", 400
    message = _("“No income” is recorded with an amount of 0.")
