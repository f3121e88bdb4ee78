"""Why a document is refused. ``field`` names the form field the message belongs on."""

from django.utils.translation import gettext_lazy as _

from mustafid.core.errors import DomainError


class DocumentRefused(DomainError):
    code, http_status = "document_refused", 400
    field: str | None = None


class EmptyUpload(DocumentRefused):
    code, field = "empty_file", "uploaded"
    message = _("The file is empty. Choose the scanned document again.")


class UploadTooLarge(DocumentRefused):
    code, field, http_status = "file_too_large", "uploaded", 413
    message = _(
        "The file is %(size)s; the largest accepted is %(limit)s. Scan it at a lower "
        "resolution or split it into several files."
    )


class ProgramNotDocument(DocumentRefused):
    code, field = "executable_file", "uploaded"
    message = _(
        "This file is a program or an archive, not a document, whatever its name says. "
        "It was not saved."
    )


class WebPageNotDocument(DocumentRefused):
    code, field = "markup_file", "uploaded"
    message = _(
        "This file is a web page or a drawing (HTML, SVG or XML), not a document, whatever "
        "its name says. Upload a PDF, JPEG or PNG."
    )


class UnsupportedType(DocumentRefused):
    code, field = "unsupported_type", "uploaded"
    message = _("Only PDF, JPEG and PNG files are accepted. Save the document in one of these.")


class DamagedPdf(DocumentRefused):
    code, field = "damaged_pdf", "uploaded"
    message = _(
        "This file starts like a PDF but is not a complete PDF document. Save or scan it "
        "again and upload the new file."
    )


class DamagedImage(DocumentRefused):
    code, field = "damaged_image", "uploaded"
    message = _(
        "This image cannot be read: it is damaged or is not really a %(kind)s. Save or "
        "photograph it again."
    )


class ImageTooLarge(DocumentRefused):
    code, field = "image_too_large", "uploaded"
    message = _("This image has too many pixels to be shown safely. Scan it at a lower resolution.")


class IssuedInFuture(DocumentRefused):
    code, field = "issued_in_future", "issue_date"
    message = _("The issue date cannot be in the future.")


class ExpiresBeforeIssue(DocumentRefused):
    code, field = "expires_before_issue", "expiry_date"
    message = _("The expiry date cannot be before the issue date.")


class PersonNotInHousehold(DocumentRefused):
    code, field = "person_not_in_household", "person"
    message = _("This person is not a member of this household.")


class DuplicateDocument(DocumentRefused):
    code, field, http_status = "duplicate_document", "uploaded", 409
    message = _(
        "This very file is already among the household's documents (%(kind)s). It was not "
        "saved a second time."
    )


class DocumentAlreadyRemoved(DomainError):
    code, http_status = "document_removed", 409
    message = _("This document was already removed.")
