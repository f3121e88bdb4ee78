"""Is an upload really a PDF, JPEG or PNG? Decided by its content, never by its name.

The name and the browser's content type are whatever the sender says; the first bytes
and, for images, Pillow reading the whole picture are what the file is. A program or a
web page renamed ``.pdf`` is refused with its own message, so the officer knows why.
The form and the services both call ``inspect_upload``: the API and imports get the same
checks as the page (P-PROC-2: data verified at submission).
"""

import datetime as dt
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from PIL import Image

from mustafid.documents import errors
from mustafid.documents.models import EXTENSIONS, ContentType

#: Pixels above which an image is refused: a 600 dpi A4 scan is about 35 million.
MAX_PIXELS = 50_000_000
HEAD = 4096
TAIL = 4096

PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: Executables, scripts and archives, whatever they are named.
PROGRAM_MAGICS = (
    b"MZ",  # Windows .exe/.dll
    b"\x7fELF",  # Linux
    b"\xca\xfe\xba\xbe",  # macOS universal binary, Java class
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",  # macOS Mach-O
    b"#!",  # shell and other scripts
    b"PK\x03\x04",
    b"PK\x05\x06",  # zip: .apk, .jar, .docm
    b"Rar!",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",  # gzip
    b"dex\n",  # Android
    b"\x00asm",  # WebAssembly
)
#: Markup that a browser would run or draw, anywhere near the start of the file.
MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|svg|\?xml|iframe|object|embed)\b", re.I)
BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
#: Name endings that belong to each accepted type.
NAME_EXTENSIONS = {
    ContentType.PDF: {"pdf"},
    ContentType.JPEG: {"jpg", "jpeg", "jpe", "jfif"},
    ContentType.PNG: {"png"},
}
#: Bidirectional overrides and other invisible controls: "gpj.exe" shown as "exe.jpg".
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


@dataclass(frozen=True)
class Inspected:
    content_type: str
    size: int
    sha256: str


def inspect_upload(uploaded) -> Inspected:
    """The upload's (a Django ``File``) real type, size and SHA-256; raises a
    ``DocumentRefused`` otherwise."""
    size = uploaded.size or 0
    if size == 0:
        raise errors.EmptyUpload()
    if size > settings.DOCUMENT_MAX_BYTES:
        raise errors.UploadTooLarge(
            size=filesizeformat(size), limit=filesizeformat(settings.DOCUMENT_MAX_BYTES)
        )
    uploaded.seek(0)
    head = uploaded.read(HEAD)
    content_type = _sniff(head)
    if content_type == ContentType.PDF:
        _check_pdf(uploaded, size)
    else:
        _check_image(uploaded, content_type)
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return Inspected(content_type=content_type, size=size, sha256=digest.hexdigest())


def _sniff(head: bytes) -> str:
    if head.startswith(PROGRAM_MAGICS):
        raise errors.ProgramNotDocument()
    if _looks_like_markup(head):
        raise errors.WebPageNotDocument()
    if PDF_HEADER.match(head):
        return ContentType.PDF
    if head.startswith(JPEG_MAGIC):
        return ContentType.JPEG
    if head.startswith(PNG_MAGIC):
        return ContentType.PNG
    raise errors.UnsupportedType()


def _looks_like_markup(head: bytes) -> bool:
    text = head
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    for bom in BOMS:
        text = text.removeprefix(bom)
    if text.lstrip().startswith(b"<"):
        return True
    # A real PDF, JPEG or PNG starts with its magic; markup further in is only a worry
    # when nothing else claims the file.
    starts_known = PDF_HEADER.match(head) or head.startswith((JPEG_MAGIC, PNG_MAGIC))
    return not starts_known and bool(MARKUP.search(text[:1024]))


def _check_pdf(uploaded, size: int) -> None:
    """A PDF ends with its cross-reference pointer and ``%%EOF``; a renamed file does not."""
    uploaded.seek(max(0, size - TAIL))
    tail = uploaded.read(TAIL)
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise errors.DamagedPdf()


def _check_image(uploaded, content_type: str) -> None:
    """Pillow must recognise the format, check the structure and decode every pixel."""
    pillow_format = "JPEG" if content_type == ContentType.JPEG else "PNG"
    label = ContentType(content_type).label
    try:
        uploaded.seek(0)
        with Image.open(uploaded, formats=[pillow_format]) as image:
            if image.width * image.height > MAX_PIXELS:
                raise errors.ImageTooLarge()
            image.verify()
        # verify() leaves the image unusable; decoding needs a fresh open.
        uploaded.seek(0)
        with Image.open(uploaded, formats=[pillow_format]) as image:
            image.load()
    except Image.DecompressionBombError as err:
        raise errors.ImageTooLarge() from err
    except (OSError, SyntaxError, ValueError, EOFError) as err:
        raise errors.DamagedImage(kind=label) from err


def clean_original_name(name: str, *, content_type: str) -> str:
    """The uploaded name made safe to show and to offer on download: no folders, no
    invisible characters, and ending as the content really is (``id.pdf`` that is a PNG
    becomes ``id.png``)."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch) not in INVISIBLE_CATEGORIES)
    name = " ".join(name.split()).strip(". ")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    known = set().union(*NAME_EXTENSIONS.values())
    if extension.lower() in NAME_EXTENSIONS[content_type]:
        ending = extension
    else:
        if extension.lower() not in known:
            stem = name
        ending = EXTENSIONS[content_type]
    stem = (stem or "document")[: 190 - len(ending)]
    return f"{stem}.{ending}"


def check_dates(*, issue_date: dt.date | None, expiry_date: dt.date | None, today: dt.date):
    """An issue date is not in the future; an expiry date is not before the issue date."""
    if issue_date and issue_date > today:
        raise errors.IssuedInFuture()
    if issue_date and expiry_date and expiry_date < issue_date:
        raise errors.ExpiresBeforeIssue()
