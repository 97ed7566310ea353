"""Files of reply emails (PRODUCT.md §10 and §11): what a reply carries becomes the files of
its message through the inspection of uploads (real type by the bytes, pictures re-encoded
without EXIF or GPS, a thumbnail, PDFs screened), never trusting a declared type or name.
Unlike an upload, a bad file does not refuse the whole: the mail was sent, the text counts;
a file that is not a picture or PDF, too big, broken, or past the fifth is dropped and its
reason logged by the caller.

The files are then kept by ``AttachmentService.attaching`` like uploads; their ids derive
from the mail's key, so a retried delivery of one mail names the same files (and is the same
message, claiming nothing again).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Sequence

from tiket.domain.attachments import (
    MAX_PER_MESSAGE,
    AttachmentRejected,
    FileType,
    Rejection,
    check_filename,
    check_size,
    sniff,
)
from tiket.services.attachments import Checked, CheckedFile
from tiket.services.inbound_ports import MailFileView
from tiket.services.ports import InspectedFile

Inspector = Callable[[bytes, str], InspectedFile]
_EXTENSIONS = {
    FileType.JPEG: "jpg",
    FileType.PNG: "png",
    FileType.WEBP: "webp",
    FileType.PDF: "pdf",
}


def mail_attachments(
    files: Sequence[MailFileView], seed: str, inspect: Inspector
) -> tuple[Checked, tuple[str, ...]]:
    """The files that may be kept (at most 5, in order) and the reasons the others were
    dropped (``Rejection`` codes). ``seed``: the mail's key."""
    kept: list[CheckedFile] = []
    dropped: list[str] = []
    for index, item in enumerate(files):
        try:
            if len(kept) == MAX_PER_MESSAGE:
                raise AttachmentRejected(Rejection.COUNT, max=MAX_PER_MESSAGE)
            check_size(len(item.data))
            kind = sniff(item.data)
            if kind is None:
                raise AttachmentRejected(Rejection.TYPE, declared="")
            inspected = inspect(item.data, kind)
        except AttachmentRejected as error:
            dropped.append(str(error.code))
            continue
        name = _name(item.name, len(kept) + 1, inspected.content_type)
        kept.append(CheckedFile(_file_id(seed, index), name, inspected))
    return Checked(tuple(kept)), tuple(dropped)


def _name(given: str, place: int, kind: FileType) -> str:
    """The sender's name for the file when it may be shown, else "lampiran-<n>.<ext>"."""
    try:
        return check_filename(given)
    except AttachmentRejected:
        return f"lampiran-{place}.{_EXTENSIONS[kind]}"


def _file_id(seed: str, index: int) -> str:
    """An upload id (22 base64url characters) that only this mail's file ``index`` has."""
    digest = hashlib.sha256(f"mail\n{seed}\n{index}".encode()).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
