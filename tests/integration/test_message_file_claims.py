"""The once-only claim of an upload across messages and tickets, and the repeat of a message
with files, on every backend (moto's DynamoDB and S3, and in memory): an upload id goes to
one message or ticket only, even when it was checked by two requests before either
committed, and twins of one message (the same Idempotency-Key) make one message whose files
survive the loser's clean-up."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
import requests

from tests.integration.test_unit_of_work import START, TickingClock
from tests.support import VALID_TICKET, MemoryTransport, make_services
from tests.unit.test_file_inspection import phone_photo
from tiket.adapters.memory import memory_stores
from tiket.adapters.memory_blobs import MemoryBlobs
from tiket.domain.attachments import upload_key
from tiket.domain.errors import ValidationFailed
from tiket.domain.model import Actor
from tiket.domain.vocabulary import Channel, Role

WIB = ZoneInfo("Asia/Jakarta")
TIK1 = Actor("tik1@example.go.id", "Andi Pratama", Role.TIK)


@pytest.fixture(params=["moto", "memory"])
def services(request, aws):
    stores = memory_stores(WIB) if request.param == "memory" else None
    return make_services(TickingClock(START), MemoryTransport(), stores=stores)


def uploaded(services, data: bytes, name: str = "foto.jpg") -> str:
    """What the browser does: a presigned POST, then the bytes straight to the bucket."""
    answer = services.attachments.request_upload(
        {"filename": name, "content_type": "image/jpeg", "size": len(data)}
    )
    post = answer["upload"]
    if isinstance(services.blobs, MemoryBlobs):
        assert services.blobs.receive(post["fields"]["key"], data)
    else:
        sent = requests.post(
            post["url"], data=post["fields"], files={"file": (name, data)}, timeout=30
        )
        assert sent.status_code == 204
    return answer["id"]


def stored(services, key: str) -> bool:
    return services.blobs.head(key) is not None


def message(services, number: str, text: str, files, key: str | None = None):
    ticket = services.tickets.get(number)
    return services.conversation.post(ticket, TIK1, text, Channel.WEB, key, files)


@pytest.fixture
def uploads_stay(services, monkeypatch):
    """Uploads are not deleted after a commit: as when two requests checked one upload
    before either committed, the second finds it still there and only the claim stops it."""
    monkeypatch.setattr(services.attachments, "settle", lambda attachments: None)


def first_look_misses(tickets):
    """``has_once`` as a twin request sees it whose first look came before the commit."""
    real = tickets.has_once
    looks = 0

    def has_once(number, once):
        nonlocal looks
        looks += 1
        return looks > 1 and real(number, once)

    return has_once


def holders(services, upload_id: str, *numbers: str) -> list[str]:
    return [
        n for n in numbers if any(a.id == upload_id for a in services.tickets.get(n).attachments)
    ]


def test_an_upload_on_a_message_cannot_go_to_another_message_or_a_new_ticket(
    services, uploads_stay
):
    first = services.intake.file(dict(VALID_TICKET)).number
    second = services.intake.file(dict(VALID_TICKET)).number
    photo = uploaded(services, phone_photo(), "Sekali.jpg")
    assert message(services, first, "Fotonya.", [photo]).created
    kept = services.tickets.get(first).attachments[0]

    with pytest.raises(ValidationFailed) as refused:
        message(services, second, "Foto yang sama.", [photo])
    assert set(refused.value.fields) == {"attachments.0"}
    assert refused.value.msg.params == {"name": "Sekali.jpg"}
    with pytest.raises(ValidationFailed):
        services.intake.file({**VALID_TICKET, "attachments": [photo]})

    assert holders(services, photo, first, second) == [first]
    assert services.tickets.upload_claimed(photo) == first
    assert services.tickets.messages(second) == []
    # The losers' copies are gone; the winner's stay.
    assert stored(services, kept.key) and stored(services, kept.thumbnail_key)
    assert _kept_keys(services) == sorted([kept.key, kept.thumbnail_key])


def test_an_upload_filed_with_a_ticket_cannot_come_with_a_message(services, uploads_stay):
    photo = uploaded(services, phone_photo(), "Awal.jpg")
    filed = services.intake.file({**VALID_TICKET, "attachments": [photo]}).number
    with pytest.raises(ValidationFailed) as refused:
        message(services, filed, "Lagi.", [photo])
    assert set(refused.value.fields) == {"attachments.0"}
    ticket = services.tickets.get(filed)
    assert [(a.id, a.message_id) for a in ticket.attachments] == [(photo, None)]
    assert services.tickets.messages(filed) == []


def test_twins_of_one_message_make_one_and_keep_its_files(services, uploads_stay, monkeypatch):
    """A double click: the second request checked and kept its copies before the first
    committed; it loses on the key's record and answers the first's message."""
    number = services.intake.file(dict(VALID_TICKET)).number
    photo = uploaded(services, phone_photo())
    first = message(services, number, "Fotonya.", [photo], key="k")
    monkeypatch.setattr(services.tickets, "has_once", first_look_misses(services.tickets))
    twin = message(services, number, "Fotonya.", [photo], key="k")
    assert not twin.created and twin.message.id == first.message.id
    (kept,) = services.tickets.get(number).attachments
    assert stored(services, kept.key) and stored(services, kept.thumbnail_key)
    assert [k for k in _kept_keys(services) if photo in k] == sorted([kept.key, kept.thumbnail_key])
    assert len(services.tickets.messages(number)) == 1


def test_a_twin_that_finds_the_uploads_gone_answers_the_first_message(services, monkeypatch):
    number = services.intake.file(dict(VALID_TICKET)).number
    photo = uploaded(services, phone_photo())
    first = message(services, number, "Fotonya.", [photo], key="k")
    assert not stored(services, upload_key(photo))
    monkeypatch.setattr(services.tickets, "has_once", first_look_misses(services.tickets))
    twin = message(services, number, "Fotonya.", [photo], key="k")
    assert not twin.created and twin.message.id == first.message.id


def _kept_keys(services) -> list[str]:
    blobs = services.blobs
    if isinstance(blobs, MemoryBlobs):
        names = list(blobs.objects)
    else:
        s3 = blobs.client
        listed = s3.list_objects_v2(Bucket=blobs.bucket)
        names = [item["Key"] for item in listed.get("Contents", [])]
    return sorted(n for n in names if not n.startswith("uploads/"))
