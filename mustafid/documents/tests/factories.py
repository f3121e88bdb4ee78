"""Real, tiny files of each accepted type, and a household to keep them on."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from mustafid.registry import services as registry_services
from mustafid.registry.models import Relation
from mustafid.registry.tests.factories import national_id


def pdf_bytes(text: str = "Mustafid") -> bytes:
    """A minimal valid one-page PDF; ``text`` makes each one's bytes different."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n% " + text.encode() + b"\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def image_bytes(kind: str = "PNG", colour=(200, 30, 30), size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=kind)
    return buffer.getvalue()


def jpeg_bytes(colour=(30, 120, 200)) -> bytes:
    return image_bytes("JPEG", colour)


def png_bytes(colour=(200, 30, 30)) -> bytes:
    return image_bytes("PNG", colour)


def upload(content: bytes, name: str = "scan.pdf", content_type: str = "application/pdf"):
    """What the browser sends: a name and a content type that prove nothing."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def register_household(actor, branch, *, n: int = 41):
    """A household with its head and one son, as the registry's services make it."""
    file = registry_services.create_file(
        actor=actor,
        branch=branch,
        channel="visit",
        city="الرياض",
        head={
            "national_id": national_id(n),
            "first_name": "نورة",
            "father_name": "سعد",
            "grandfather_name": "علي",
            "family_name": "الحربي",
            "sex": "female",
        },
    )
    registry_services.add_member(
        actor=actor,
        file=file,
        member={
            "national_id": national_id(n + 500),
            "first_name": "فهد",
            "father_name": "سعد",
            "family_name": "الحربي",
            "sex": "male",
            "relation": Relation.SON,
        },
    )
    return file
