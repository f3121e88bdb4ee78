from django.utils.translation import gettext_lazy as _

from mustafid.core.errors import DomainError


class UnsupportedFile(DomainError):
    code, http_status = "unsupported_file", 400
    message = _(
        "Upload an Excel workbook (.xlsx) or a CSV file. Old Excel files (.xls) must first be "
        "saved as .xlsx."
    )


class FileTooLarge(DomainError):
    code, http_status = "file_too_large", 400
    message = _("The file is larger than %(limit)s MB. Split it into smaller files.")


class UnreadableFile(DomainError):
    code, http_status = "unreadable_file", 400
    message = _("The file could not be read: %(reason)s")


class TooManyRows(DomainError):
    code, http_status = "too_many_rows", 400
    message = _("The file has more than %(limit)d rows. Split it into smaller files.")


class BadMapping(DomainError):
    code, http_status = "bad_mapping", 400
    message = _("The column mapping is not complete: %(problems)s")


class ImportHasFailedRows(DomainError):
    code, http_status = "import_has_failed_rows", 409
    message = _(
        "%(count)d rows failed, so “all or nothing” would import nothing. Correct the file and "
        "upload it again, or choose “valid rows only”."
    )


class NothingToImport(DomainError):
    code, http_status = "nothing_to_import", 409
    message = _("Every household has a failed row: there is nothing to import.")
