"""What counts as a PDF, JPEG or PNG: the content decides, never the name (P-PROC-2)."""

import datetime as dt

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from mustafid.documents import errors
from mustafid.documents.models import ContentType
from mustafid.documents.tests.factories import jpeg_bytes, pdf_bytes, png_bytes, upload
from mustafid.documents.validation import check_dates, clean_original_name, inspect_upload


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (pdf_bytes(), ContentType.PDF),
        (jpeg_bytes(), ContentType.JPEG),
        (png_bytes(), ContentType.PNG),
    ],
)
def test_a_real_pdf_jpeg_or_png_is_accepted_whatever_it_is_called(content, expected):
    inspected = inspect_upload(upload(content, name="whatever.txt", content_type="text/plain"))
    assert inspected.content_type == expected
    assert inspected.size == len(content) and len(inspected.sha256) == 64


@pytest.mark.parametrize(
    ("content", "refusal"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, errors.ProgramNotDocument),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, errors.ProgramNotDocument),
        (b"#!/bin/sh\nrm -rf /\n", errors.ProgramNotDocument),
        (b"PK\x03\x04" + b"\x00" * 64, errors.ProgramNotDocument),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", errors.WebPageNotDocument),
        (b"\xef\xbb\xbf  <html><body>hi</body></html>", errors.WebPageNotDocument),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', errors.WebPageNotDocument),
        (b'<?xml version="1.0"?><svg/>', errors.WebPageNotDocument),
        (b"hello\n<script>alert(1)</script>", errors.WebPageNotDocument),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", errors.UnsupportedType),
        (b"just some words in a text file", errors.UnsupportedType),
        (b"%PDF-1.4\nthis is not really a pdf at all\n", errors.DamagedPdf),
        (pdf_bytes()[:-40], errors.DamagedPdf),
        (b"\xff\xd8\xff\xe0" + b"not a picture" * 10, errors.DamagedImage),
        (png_bytes()[:40], errors.DamagedImage),
    ],
    ids=[
        "windows-exe",
        "linux-elf",
        "script",
        "zip",
        "html",
        "html-with-bom",
        "svg",
        "xml-svg",
        "markup-after-text",
        "gif",
        "text",
        "pdf-header-only",
        "truncated-pdf",
        "jpeg-magic-only",
        "truncated-png",
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(content, refusal):
    with pytest.raises(refusal):
        inspect_upload(upload(content, name="id-copy.pdf", content_type="application/pdf"))


def test_an_empty_file_is_refused():
    with pytest.raises(errors.EmptyUpload):
        inspect_upload(upload(b"", name="empty.pdf"))


@override_settings(DOCUMENT_MAX_BYTES=1000)
def test_a_file_over_the_limit_is_refused_with_both_sizes():
    with pytest.raises(errors.UploadTooLarge) as refused:
        inspect_upload(upload(pdf_bytes("x" * 2000)))
    assert refused.value.field == "uploaded"
    assert "1000" in str(refused.value) or "1.0" in str(refused.value)


def test_a_file_at_the_limit_is_accepted(settings):
    content = pdf_bytes()
    settings.DOCUMENT_MAX_BYTES = len(content)
    assert inspect_upload(upload(content)).size == len(content)


def test_an_image_with_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr("mustafid.documents.validation.MAX_PIXELS", 10)
    with pytest.raises(errors.ImageTooLarge):
        inspect_upload(upload(png_bytes(), name="big.png"))


def test_the_file_can_be_read_again_after_inspection():
    file = upload(png_bytes(), name="a.png")
    inspect_upload(file)
    assert file.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("هوية الأم.pdf", ContentType.PDF, "هوية الأم.pdf"),
        ("scan.JPEG", ContentType.JPEG, "scan.JPEG"),
        ("id.pdf", ContentType.PNG, "id.png"),
        ("invoice", ContentType.PDF, "invoice.pdf"),
        ("report.exe", ContentType.PDF, "report.exe.pdf"),
        ("../../etc/passwd", ContentType.PDF, "passwd.pdf"),
        ("C:\\Users\\x\\lease.pdf", ContentType.PDF, "lease.pdf"),
        ("photo\u202egpj.exe", ContentType.JPEG, "photogpj.exe.jpg"),
        ("", ContentType.PNG, "document.png"),
    ],
)
def test_the_original_name_is_made_safe_and_honest(name, content_type, expected):
    assert clean_original_name(name, content_type=content_type) == expected


@given(st.text(max_size=400), st.sampled_from(ContentType.values))
def test_a_cleaned_name_never_has_folders_or_hidden_controls_and_ends_as_its_type(
    name, content_type
):
    cleaned = clean_original_name(name, content_type=content_type)
    assert "/" not in cleaned and "\\" not in cleaned and "\u202e" not in cleaned
    assert 0 < len(cleaned) <= 200
    extension = cleaned.rsplit(".", 1)[1].lower()
    assert extension in {"pdf"} | {"jpg", "jpeg", "jpe", "jfif"} | {"png"}
    assert clean_original_name(cleaned, content_type=content_type) == cleaned


TODAY = dt.date(2026, 3, 1)


def test_an_issue_date_in_the_future_is_refused():
    with pytest.raises(errors.IssuedInFuture):
        check_dates(issue_date=TODAY + dt.timedelta(days=1), expiry_date=None, today=TODAY)


def test_an_expiry_before_the_issue_is_refused():
    with pytest.raises(errors.ExpiresBeforeIssue):
        check_dates(issue_date=TODAY, expiry_date=TODAY - dt.timedelta(days=1), today=TODAY)


def test_dates_of_today_and_an_expiry_in_the_past_are_accepted():
    """An expired document is still kept: the officer must see it expired (P-PROC-2)."""
    check_dates(issue_date=TODAY - dt.timedelta(days=900), expiry_date=TODAY, today=TODAY)
    check_dates(issue_date=None, expiry_date=TODAY - dt.timedelta(days=9), today=TODAY)
