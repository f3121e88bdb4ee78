"""Where document files live: a folder outside the web root, with no URL.

Files are reached only through ``documents:download``, which checks who is asking and
logs the download (PDPL: access to personal data is limited and recorded). The folder is
read from ``settings.DOCUMENTS_ROOT`` each time, so tests can point it at a temporary
directory with ``override_settings``.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="mustafid.documents.storage.DocumentStorage")
class DocumentStorage(FileSystemStorage):
    """``settings.DOCUMENTS_ROOT``, readable by the application's user only, never served."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return str(settings.DOCUMENTS_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        # No URL: ``url()`` raises instead of pointing at a file without an access check.
        return None


document_storage = DocumentStorage()
