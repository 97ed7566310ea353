"""Photos and files (PRODUCT.md §11): uploads straight to the files bucket, checked and
kept when a ticket, a message or a staff reply attaches them, shown through links signed
for at most 15 minutes.

The browser asks ``request_upload`` for a presigned POST and sends the bytes to S3 itself
(never through the function). Attaching then takes two calls, for a new ticket, a message
and a reply alike::

    checked = files.check(ids)      # 400 naming the first bad file; reads only
    with files.attaching(number, checked, message_id=...) as batch:
        ticket = replace(ticket, attachments=ticket.attachments + batch.attachments)
        uow.commit(before, Outcome(ticket, ...))   # claims each upload id, once for all

``check`` fetches each upload and holds what may be kept in memory (pictures re-encoded
without EXIF, a thumbnail): nothing is written. ``attaching`` writes the kept copies under
the ticket's number and yields them; if the block raises, the copies are deleted again
(nothing is left behind) and a lost claim on an upload id becomes a 400 naming the file;
if it ends normally, the uploaded originals (EXIF, GPS and all) are deleted. ``attaching``
also takes the raw ids and checks them itself, when nothing needs doing in between.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Any, NotRequired

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict  # pydantic reads it on Python 3.11

from tiket.domain.attachments import (
    MAX_BYTES,
    MAX_DOWNLOAD_SECONDS,
    MAX_NAME_CHARS,
    MAX_PER_MESSAGE,
    UPLOAD_POST_SECONDS,
    AttachmentRejected,
    FileType,
    Rejection,
    StoredAttachment,
    attachment_key,
    check_filename,
    check_size,
    check_upload_ids,
    check_upload_request,
    new_copy_id,
    new_upload_id,
    thumbnail_key,
    upload_key,
)
from tiket.domain.errors import Unavailable, ValidationFailed, WriteConflict
from tiket.domain.model import Ticket
from tiket.domain.text import Msg
from tiket.log import log_event
from tiket.services.forms import parse
from tiket.services.ports import (
    BlobMissing,
    BlobStore,
    BlobTooLarge,
    InspectedFile,
    Metrics,
    UploadClaims,
)

Inspector = Callable[[bytes, str], InspectedFile]
THUMBNAIL_NAME = "thumbnail.jpg"
# Which field of POST /api/uploads a rejection is about.
_UPLOAD_FIELDS = {Rejection.NAME: "filename", Rejection.TYPE: "content_type"}


class UploadForm(BaseModel):
    """Body of ``POST /api/uploads``: what the browser is about to send. The values are
    checked by the rules of ``tiket.domain.attachments`` (whose messages say what is wrong);
    the schema here describes them for the OpenAPI document."""

    model_config = ConfigDict(extra="ignore")

    filename: Annotated[
        Any,
        Field(json_schema_extra={"type": "string", "minLength": 1, "maxLength": MAX_NAME_CHARS}),
    ]
    content_type: Annotated[
        Any, Field(json_schema_extra={"type": "string", "enum": [t.value for t in FileType]})
    ]
    size: Annotated[
        Any, Field(json_schema_extra={"type": "integer", "minimum": 1, "maximum": MAX_BYTES})
    ]


class PresignedPost(TypedDict):
    url: str
    fields: dict[str, str]


class UploadView(TypedDict):
    """``POST /api/uploads`` → 201: a multipart POST of ``fields`` plus ``file`` to ``url``."""

    id: str
    upload: PresignedPost


class AttachmentView(TypedDict):
    id: str
    name: str
    content_type: FileType
    size: int
    url: str  # signed, short-lived; the file itself (pictures shown inline)
    thumbnail_url: NotRequired[str]  # pictures only, signed like ``url``


class AttachmentRules(TypedDict):
    """What the request form tells people before they pick a file (``/api/options``)."""

    types: list[FileType]
    max_bytes: int
    max_files: int


@dataclass(frozen=True)
class CheckedFile:
    upload_id: str
    name: str
    kept: InspectedFile


@dataclass(frozen=True)
class Checked:
    """Uploads that passed ``check``, in the order given, ready to be kept."""

    files: tuple[CheckedFile, ...] = ()


@dataclass
class Attaching:
    """The kept copies of one attach (``AttachmentService.attaching``)."""

    attachments: tuple[StoredAttachment, ...]
    abandoned: bool = False

    def abandon(self) -> None:
        """The change will not be made after all (an earlier twin request answers): the
        copies are deleted when the block ends, the uploads stay."""
        self.abandoned = True


def rejection_msg(error: AttachmentRejected) -> Msg:
    """What the catalogue (``tiket.messages.attachments``) says about a rejection."""
    if error.code is Rejection.NAME:
        return Msg(f"attachment.name.{error.params.get('reason', 'empty')}", error.params)
    return Msg(f"attachment.{error.code}", error.params)


def _refused(index: int, name: str | None, error: AttachmentRejected) -> ValidationFailed:
    """A 400 naming the file (by its name, or its place in the list when unknown)."""
    title = (
        Msg("attachment.rejected", {"name": name})
        if name
        else Msg("attachment.rejected_nth", {"n": index + 1})
    )
    return ValidationFailed({f"attachments.{index}": rejection_msg(error)}, title)


class AttachmentService:
    def __init__(
        self,
        blobs: BlobStore | None,
        claims: UploadClaims,
        inspect: Inspector,
        metrics: Metrics,
    ):
        self.blobs = blobs  # None: this stage has no files bucket
        self.claims = claims
        self.inspect = inspect
        self.metrics = metrics

    def _store(self) -> BlobStore:
        if self.blobs is None:
            raise Unavailable()
        return self.blobs

    def rules(self) -> AttachmentRules | None:
        if self.blobs is None:
            return None
        return {"types": list(FileType), "max_bytes": MAX_BYTES, "max_files": MAX_PER_MESSAGE}

    def origin(self) -> str | None:
        """Where browsers reach the bucket (the pages' CSP allows it)."""
        return None if self.blobs is None else self.blobs.origin()

    # --- upload -----------------------------------------------------------------------------

    def request_upload(self, body: Any) -> UploadView:
        form = parse(UploadForm, body)
        try:
            wanted = check_upload_request(form.filename, form.content_type, form.size)
        except AttachmentRejected as error:
            field_name = _UPLOAD_FIELDS.get(error.code, "size")
            raise ValidationFailed({field_name: rejection_msg(error)}) from None
        upload_id = new_upload_id()
        post = self._store().presigned_post(
            upload_key(upload_id),
            wanted.content_type,
            MAX_BYTES,
            UPLOAD_POST_SECONDS,
            metadata={"name": wanted.name},
        )
        self.metrics.count("UploadsRequested", content_type=wanted.content_type)
        return {"id": upload_id, "upload": {"url": post["url"], "fields": post["fields"]}}

    # --- attach -----------------------------------------------------------------------------

    def check(self, values: Sequence[object]) -> Checked:
        """Each upload as it may be kept, or ``ValidationFailed`` naming the first bad one;
        reads only."""
        try:
            ids = check_upload_ids(values)
        except AttachmentRejected as error:
            index = error.params.get("index")
            if isinstance(index, int):
                raise _refused(index, None, error) from None
            raise ValidationFailed({"attachments": rejection_msg(error)}) from None
        files = tuple(self._check_one(index, upload_id) for index, upload_id in enumerate(ids))
        return Checked(files)

    def _check_one(self, index: int, upload_id: str) -> CheckedFile:
        blobs = self._store()
        key = upload_key(upload_id)
        info = blobs.head(key)
        if info is None:
            raise self._rejected(index, None, AttachmentRejected(Rejection.MISSING))
        shown = info.metadata.get("name")
        try:
            # The name was checked and bound into the upload's policy; checked again all
            # the same, as it is about to be shown to people.
            name = check_filename(shown)
            check_size(info.size)
            data = blobs.get(key, MAX_BYTES)
            kept = self.inspect(data, info.content_type)
        except AttachmentRejected as error:
            raise self._rejected(index, shown, error) from None
        except BlobMissing:
            raise self._rejected(index, shown, AttachmentRejected(Rejection.MISSING)) from None
        except BlobTooLarge as error:
            too_large = AttachmentRejected(
                Rejection.SIZE, max_mb=MAX_BYTES // 2**20, size=error.size
            )
            raise self._rejected(index, shown, too_large) from None
        return CheckedFile(upload_id, name, kept)

    def _rejected(
        self, index: int, name: str | None, error: AttachmentRejected
    ) -> ValidationFailed:
        self.metrics.count("AttachmentsRejected", code=error.code)
        log_event("attachment rejected", action="attach", code=str(error.code))
        try:
            shown = check_filename(name) if name else None
        except AttachmentRejected:
            shown = None  # a name that may not be shown is not repeated in the answer
        return _refused(index, shown, error)

    @contextmanager
    def attaching(
        self,
        number: str,
        files: Checked | Sequence[object],
        message_id: str | None = None,
    ) -> Iterator[Attaching]:
        """Keeps ``files`` (checked, or upload ids to check first) under ticket ``number``
        for the block, whose commit must carry them; see the module's docstring."""
        checked = files if isinstance(files, Checked) else self.check(files)
        batch = Attaching(self._keep(number, checked, message_id))
        try:
            yield batch
        except WriteConflict:
            self.discard(batch.attachments)
            taken = self._taken(checked)
            if taken is not None:
                raise taken from None
            raise
        except BaseException:
            self.discard(batch.attachments)
            raise
        if batch.abandoned:
            self.discard(batch.attachments)
        else:
            self.settle(batch.attachments)

    def claim(
        self, number: str, ids: Sequence[object], message_id: str | None = None
    ) -> list[StoredAttachment]:
        """Checks ``ids`` and keeps the files under ``number``, for a caller that commits
        and then calls ``settle`` (or ``discard`` when its commit fails) itself."""
        return list(self._keep(number, self.check(ids), message_id))

    def _keep(
        self, number: str, checked: Checked, message_id: str | None
    ) -> tuple[StoredAttachment, ...]:
        if not checked.files:
            return ()
        blobs = self._store()
        written: list[str] = []
        kept: list[StoredAttachment] = []
        # A ticket's number is new at each filing; a message's twin shares it and the ids.
        copy = new_copy_id() if message_id is not None else None
        try:
            for item in checked.files:
                key = attachment_key(number, item.upload_id, copy)
                written.append(key)
                blobs.put(key, item.kept.data, item.kept.content_type)
                thumb = None
                if item.kept.thumbnail is not None and item.kept.thumbnail_type is not None:
                    thumb = thumbnail_key(number, item.upload_id, copy)
                    written.append(thumb)
                    blobs.put(thumb, item.kept.thumbnail, item.kept.thumbnail_type)
                kept.append(
                    StoredAttachment(
                        id=item.upload_id,
                        name=item.name,
                        content_type=item.kept.content_type,
                        size=len(item.kept.data),
                        key=key,
                        thumbnail_key=thumb,
                        message_id=message_id,
                    )
                )
        except BaseException:
            self._delete(written, "attachment copies left behind", number)
            raise
        return tuple(kept)

    def discard(self, attachments: Sequence[StoredAttachment]) -> None:
        """Deletes the kept copies of a change that was not made."""
        keys = [k for a in attachments for k in (a.key, a.thumbnail_key) if k is not None]
        self._delete(keys, "attachment copies left behind")

    def settle(self, attachments: Sequence[StoredAttachment]) -> None:
        """After the commit: the uploads themselves (the originals, with their EXIF) go."""
        self._delete([upload_key(a.id) for a in attachments], "uploads left to the lifecycle")
        if attachments:
            self.metrics.count("AttachmentsStored", value=len(attachments))

    def _delete(self, keys: Sequence[str], failure: str, number: str | None = None) -> None:
        if not keys:
            return
        try:
            self._store().delete(keys)
        except Exception as error:  # noqa: BLE001 - the change's own outcome matters more
            # Never-attached uploads expire after a day; copies left behind would stay until
            # the retention lifecycle: logged, with their keys (no personal data in them).
            log_event(failure, logging.WARNING, ticket=number, keys=list(keys), error=repr(error))

    def _taken(self, checked: Checked) -> ValidationFailed | None:
        """A 400 for the first upload that another change attached first, if any."""
        for index, item in enumerate(checked.files):
            if self.claims.upload_claimed(item.upload_id) is not None:
                return self._rejected(index, item.name, AttachmentRejected(Rejection.MISSING))
        return None

    # --- show -------------------------------------------------------------------------------

    def views(self, ticket: Ticket, message_id: str | None = None) -> list[AttachmentView]:
        """The files of ``ticket`` that came with ``message_id`` (None: filed with the
        ticket), each with freshly signed links."""
        return [self.view(a) for a in ticket.attachments if a.message_id == message_id]

    def by_message(self, ticket: Ticket) -> dict[str, list[AttachmentView]]:
        """The files of ``ticket``'s messages, by message id, each with freshly signed
        links (the thread shows them under their message)."""
        shown: dict[str, list[AttachmentView]] = {}
        for attachment in ticket.attachments:
            if attachment.message_id is not None:
                shown.setdefault(attachment.message_id, []).append(self.view(attachment))
        return shown

    def view(self, attachment: StoredAttachment) -> AttachmentView:
        blobs = self._store()
        shown: AttachmentView = {
            "id": attachment.id,
            "name": attachment.name,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "url": blobs.signed_get_url(
                attachment.key,
                attachment.name,
                attachment.content_type,
                MAX_DOWNLOAD_SECONDS,
                inline=True,
            ),
        }
        if attachment.thumbnail_key is not None:
            shown["thumbnail_url"] = blobs.signed_get_url(
                attachment.thumbnail_key,
                THUMBNAIL_NAME,
                FileType.JPEG,
                MAX_DOWNLOAD_SECONDS,
                inline=True,
            )
        return shown
