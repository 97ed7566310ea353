"""The attachment service as messages and replies will use it (``tiket.services.attachments``),
in memory; and the store's half of the guarantee, on every backend: a ticket's files are
kept in its item, and an upload id is claimed once for all tickets.

- ``attaching`` keeps copies for the block; a block that raises leaves no copy (and the
  uploads stay, for a retry); one that ends deletes the uploads (their EXIF with them).
- A commit that lost the claim on an upload id becomes a 400 naming that file.
"""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from tests.integration.test_unit_of_work import START, TickingClock, backend, filed  # noqa: F401
from tests.support import VALID_TICKET, MemoryTransport, make_services
from tests.unit.test_file_inspection import encoded, phone_photo, two_halves
from tiket.adapters.memory import memory_stores
from tiket.adapters.memory_blobs import MemoryBlobs
from tiket.domain import lifecycle
from tiket.domain.attachments import FileType, StoredAttachment, new_upload_id, upload_key
from tiket.domain.errors import Unavailable, ValidationFailed, WriteConflict
from tiket.domain.model import Actor
from tiket.domain.vocabulary import Action, Role

WIB = ZoneInfo("Asia/Jakarta")
TIK1 = Actor("tik1@example.go.id", "Andi Pratama", Role.TIK)


@pytest.fixture
def blobs() -> MemoryBlobs:
    return MemoryBlobs()


@pytest.fixture
def services(blobs):
    return make_services(TickingClock(START), MemoryTransport(), memory_stores(WIB), blobs)


def uploaded(services, blobs, data: bytes, name: str = "foto.jpg", kind="image/jpeg") -> str:
    answer = services.attachments.request_upload(
        {"filename": name, "content_type": kind, "size": len(data)}
    )
    assert blobs.receive(answer["upload"]["fields"]["key"], data)
    return answer["id"]


def kept_keys(blobs: MemoryBlobs) -> list[str]:
    return sorted(k for k in blobs.objects if not k.startswith("uploads/"))


def test_a_block_that_raises_leaves_no_copy_and_keeps_the_uploads(services, blobs):
    photo = uploaded(services, blobs, phone_photo())
    with pytest.raises(RuntimeError), services.attachments.attaching("TIK-2026-000009", [photo]):
        assert kept_keys(blobs) == [
            f"attachments/TIK-2026-000009/{photo}",
            f"thumbs/TIK-2026-000009/{photo}",
        ]
        raise RuntimeError("the commit failed")
    assert kept_keys(blobs) == [] and upload_key(photo) in blobs.objects


def test_an_abandoned_batch_leaves_no_copy_and_keeps_the_uploads(services, blobs):
    photo = uploaded(services, blobs, phone_photo())
    with services.attachments.attaching("TIK-2026-000009", [photo]) as batch:
        batch.abandon()
    assert kept_keys(blobs) == [] and upload_key(photo) in blobs.objects


def test_a_message_attaches_with_one_block_and_its_files_show_apart(services, blobs):
    """What issue 11's messages do: the same path as filing, with the message's id."""
    number = services.intake.file(VALID_TICKET).number
    ticket = services.tickets.get(number)
    photo = uploaded(services, blobs, phone_photo(), "layar.jpg")
    outcome = lifecycle.apply(ticket, Action.ACKNOWLEDGE, TIK1, {}, START, services.step_clock)
    with services.attachments.attaching(number, [photo], message_id="m1") as batch:
        files = ticket.attachments + batch.attachments
        services.uow.commit(
            ticket, replace(outcome, ticket=replace(outcome.ticket, attachments=files))
        )
    stored = services.tickets.get(number)
    assert [(a.name, a.message_id) for a in stored.attachments] == [("layar.jpg", "m1")]
    assert upload_key(photo) not in blobs.objects  # the original, EXIF and all, is gone
    assert services.attachments.views(stored) == []  # none filed with the ticket itself
    (shown,) = services.attachments.views(stored, message_id="m1")
    data, kind = blobs.fetch(shown["url"])
    assert kind == "image/jpeg" and b"GPS" not in data
    assert blobs.fetch(shown["thumbnail_url"])[1] == "image/jpeg"


def test_a_lost_claim_becomes_a_400_naming_the_file(services, blobs):
    photo = uploaded(services, blobs, phone_photo(), "proyektor.jpg")
    checked = services.attachments.check([photo])
    assert services.intake.file({**VALID_TICKET, "attachments": [photo]}).created
    attaching = services.attachments.attaching("TIK-2026-000042", checked)
    with pytest.raises(ValidationFailed) as caught, attaching:
        raise WriteConflict(["ConditionalCheckFailed"])
    assert caught.value.msg.params == {"name": "proyektor.jpg"}
    assert caught.value.fields["attachments.0"].key == "attachment.missing"
    assert kept_keys(blobs) == [
        f"attachments/TIK-2026-000001/{photo}",
        f"thumbs/TIK-2026-000001/{photo}",
    ]


def test_any_other_conflict_is_left_to_the_caller(services, blobs):
    photo = uploaded(services, blobs, encoded(two_halves(), "PNG"), "a.png", "image/png")
    attaching = services.attachments.attaching("TIK-2026-000042", [photo])
    with pytest.raises(WriteConflict), attaching:
        raise WriteConflict(["ConditionalCheckFailed"])
    assert kept_keys(blobs) == []


def test_claim_settle_and_discard_for_callers_that_commit_on_their_own(services, blobs):
    first = uploaded(services, blobs, phone_photo())
    second = uploaded(services, blobs, b"%PDF-1.4 broken", "a.pdf", "application/pdf")
    with pytest.raises(ValidationFailed) as caught:
        services.attachments.claim("TIK-2026-000042", [first, second])
    assert caught.value.msg.params == {"name": "a.pdf"} and kept_keys(blobs) == []
    kept = services.attachments.claim("TIK-2026-000042", [first])
    assert [a.key for a in kept] == [f"attachments/TIK-2026-000042/{first}"]
    services.attachments.discard(kept)
    assert kept_keys(blobs) == [] and upload_key(first) in blobs.objects
    services.attachments.settle(services.attachments.claim("TIK-2026-000042", [first]))
    assert upload_key(first) not in blobs.objects


def test_a_stage_without_a_files_bucket_takes_no_files_but_tickets_still():
    services = make_services(TickingClock(START), MemoryTransport(), memory_stores(WIB))
    services.attachments.blobs = None
    assert services.attachments.rules() is None and services.attachments.origin() is None
    with pytest.raises(Unavailable):
        services.attachments.request_upload(
            {"filename": "a.jpg", "content_type": "image/jpeg", "size": 5}
        )
    with pytest.raises(Unavailable):
        services.attachments.check([new_upload_id()])
    assert services.intake.file(VALID_TICKET).created


# --- the store, on every backend ------------------------------------------------------------


def test_files_are_kept_in_the_ticket_and_an_upload_is_claimed_once_for_all(backend):  # noqa: F811
    number = filed(backend)
    ticket = backend.tickets.get(number)
    upload_id = new_upload_id()
    kept = StoredAttachment(
        upload_id,
        "Foto “rusak” ✓.jpg",
        FileType.JPEG,
        1234,
        f"attachments/{number}/{upload_id}",
        f"thumbs/{number}/{upload_id}",
        message_id=None,
    )
    outcome = lifecycle.apply(ticket, Action.ACKNOWLEDGE, TIK1, {}, START, backend.step_clock)
    with_file = replace(outcome, ticket=replace(outcome.ticket, attachments=(kept,)))
    backend.uow.commit(ticket, with_file, actor=TIK1)
    assert backend.tickets.get(number).attachments == (kept,)
    assert backend.tickets.upload_claimed(upload_id) == number
    assert backend.tickets.upload_claimed(new_upload_id()) is None

    # The same upload on a second ticket: that whole change is refused, nothing written.
    other = backend.tickets.get(filed(backend))
    again = lifecycle.apply(other, Action.ACKNOWLEDGE, TIK1, {}, START, backend.step_clock)
    taken = replace(again, ticket=replace(again.ticket, attachments=(kept,)))
    with pytest.raises(WriteConflict):
        backend.uow.commit(other, taken, actor=TIK1)
    assert backend.tickets.get(other.number) == other
    assert backend.tickets.upload_claimed(upload_id) == number

    # A later change of the first ticket keeps its files and claims nothing again.
    current = backend.tickets.get(number)
    later = lifecycle.apply(
        current,
        Action.DIAGNOSE,
        TIK1,
        {"diagnosis": "Lampu putus", "decision": "handle", "estimate_minutes": 30},
        START,
        backend.step_clock,
    )
    backend.uow.commit(current, later, actor=TIK1)
    assert backend.tickets.get(number).attachments == (kept,)
