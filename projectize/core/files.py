"""Uploads are checked by what the bytes are, not by the name the user gave them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Leading bytes of each accepted format. DOCX and XLSX are ZIP containers; DOC and XLS share the
# OLE2 compound-file header.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "ooxml": (b"PK\x03\x04",),
    "ole2": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}
DOCUMENT_KINDS = frozenset(SIGNATURES)
IMAGE_KINDS = frozenset({"jpeg", "png"})
# Office Open XML packages name their main part; a ZIP without one is not a Word or Excel file.
OOXML_PARTS = (b"word/", b"xl/", b"[Content_Types].xml")


def sniff(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            if kind == "ooxml" and not any(part in head for part in OOXML_PARTS):
                return None
            return kind
    return None


def validate_upload(upload: UploadedFile, kinds: frozenset[str] = DOCUMENT_KINDS) -> str:
    """Return the detected kind, or raise ValidationError with a message for the user."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("文件“%(name)s”太大（%(size)s），上限为 %(limit)s。")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    kind = sniff(upload)
    if kind not in kinds:
        allowed = _("JPEG 或 PNG 图片") if kinds == IMAGE_KINDS else _("PDF、Word、Excel、JPEG 或 PNG")
        raise ValidationError(
            _("文件“%(name)s”不是允许的格式，只接受 %(allowed)s 文件。") % {"name": upload.name, "allowed": allowed}
        )
    return kind
