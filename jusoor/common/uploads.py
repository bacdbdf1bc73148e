"""Uploads are checked by content, never by the name or type the browser sends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from jusoor.common.exceptions import ApplicationError


@dataclass(frozen=True)
class SniffedType:
    content_type: str
    extension: str


# (signature at offset 0, optional second signature at offset 8, type)
_SIGNATURES: list[tuple[bytes, bytes | None, SniffedType]] = [
    (b"%PDF-", None, SniffedType("application/pdf", "pdf")),
    (b"\x89PNG\r\n\x1a\n", None, SniffedType("image/png", "png")),
    (b"\xff\xd8\xff", None, SniffedType("image/jpeg", "jpg")),
    (b"RIFF", b"WEBP", SniffedType("image/webp", "webp")),
]

DOCUMENT_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/webp"})
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})


def sniff(head: bytes) -> SniffedType | None:
    for signature, second, kind in _SIGNATURES:
        if head.startswith(signature) and (second is None or head[8:12] == second):
            return kind
    return None


def check_upload(upload: IO[bytes], *, allowed: frozenset[str], max_bytes: int, size: int) -> SniffedType:
    """Return the real type of `upload`, or raise ApplicationError (code upload_too_large / upload_type)."""
    if size > max_bytes:
        raise ApplicationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            code="upload_too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None or kind.content_type not in allowed:
        raise ApplicationError(
            _("This file is not an accepted document. Upload a PDF, PNG, JPEG or WebP file.")
            if allowed == DOCUMENT_TYPES
            else _("This file is not an accepted image. Upload a PNG, JPEG or WebP file."),
            code="upload_type",
        )
    if kind.content_type in IMAGE_TYPES:
        _check_image(upload)
    return kind


def _check_image(upload: IO[bytes]) -> None:
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415

    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ApplicationError(_("This image is damaged or not an image."), code="upload_type") from exc
    finally:
        upload.seek(0)


class StoredFiles:
    """Files saved to storage inside a `discard_files_on_error()` block: removed again if the block raises, so a
    refused or rolled-back write never leaves an orphan file behind."""

    def __init__(self) -> None:
        self._stored: list[tuple[Any, str]] = []

    def save(self, field_file: Any, name: str, content: Any) -> str:
        """Store `content` under `name` in the field's storage (without saving the model); the stored name."""
        field_file.save(name, content, save=False)
        self._stored.append((field_file.storage, field_file.name))
        return str(field_file.name or "")

    def discard(self) -> None:
        for storage, name in self._stored:
            storage.delete(name)


@contextmanager
def discard_files_on_error() -> Iterator[StoredFiles]:
    files = StoredFiles()
    try:
        yield files
    except BaseException:
        files.discard()
        raise
