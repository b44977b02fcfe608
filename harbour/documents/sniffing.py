"""What a file really is, from its first bytes (and, for DOCX, its parts): never from its name or the
content type the browser sent (security checklist 34)."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from typing import BinaryIO

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", DOCX: "docx"}

# A DOCX is a ZIP: refuse one that would unpack to far more than it weighs (a "zip bomb").
MAX_DOCX_UNPACKED = 100 * 1024 * 1024
MAX_DOCX_PARTS = 2000


class NotAllowed(ValueError):
    pass


def sniff(upload: BinaryIO) -> str:
    """The content type of an allowed file, or NotAllowed."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head == b"\x89PNG\r\n\x1a\n":
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        _check_docx(upload)
        return DOCX
    raise NotAllowed("The selected file must be a PDF, PNG, JPEG or DOCX")


def _check_docx(upload: BinaryIO) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise NotAllowed("The selected file must be a PDF, PNG, JPEG or DOCX") from None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise NotAllowed("The selected file must be a PDF, PNG, JPEG or DOCX")
    if len(parts) > MAX_DOCX_PARTS or sum(part.file_size for part in parts) > MAX_DOCX_UNPACKED:
        raise NotAllowed("The selected file is too complex to check: save it as a PDF and upload that")


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\"\\/:*?<>|]")


def clean_name(name: str, content_type: str) -> str:
    """A name safe to show and to offer on download: no path, no control or direction-changing
    characters, at most 100 characters, and the extension of what the file really is."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch) not in {"Cf", "Cc"})
    base = _UNSAFE.sub("", base).strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[:90].strip(" .") or "document"
    return f"{stem}.{EXTENSIONS[content_type]}"


def as_bytes_io(data: bytes) -> BinaryIO:
    return io.BytesIO(data)
