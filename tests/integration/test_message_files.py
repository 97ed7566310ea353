"""Messages carry files (PRODUCT.md §10 and §11), over HTTP on moto's S3 and DynamoDB: the
requester's message, the staff ticket page's and the reply link's (JSON) take upload ids,
each checked as at filing, kept on the ticket with the message's id, shown under their
message with signed links, counted (never carried) in the emails; a bad file is a 400
naming it with nothing stored; a repeat with the same key claims nothing again."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from tests.integration.test_files_api import PDF, fetch, keys, upload
from tests.support import VALID_TICKET, follow, latest, sign_in, token_for, track_token
from tests.unit.test_file_inspection import GPS_IFD, HTML, phone_photo

JSON = {"Accept": "application/json"}
REQUESTER = VALID_TICKET["email"]
TIK1 = "tik1@example.go.id"
NUMBER = "TIK-2026-000001"


@pytest.fixture
def token(client, services, transport):
    """A filed ticket taken by tik1; its tracking token."""
    assert client.post("/api/tickets", json=VALID_TICKET).status_code == 201
    token = track_token(latest(transport, REQUESTER, "confirmation"))
    follow(services, transport, TIK1, "new_ticket", "acknowledge")
    return token


def post(client, token, text, files, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    body = {"text": text, "attachments": files}
    return client.post(f"/api/track/{token}/messages", json=body, headers=headers)


def test_a_requester_photo_comes_with_the_message_without_gps_and_the_email_counts_it(
    client, services, transport, token
):
    photo = phone_photo()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(GPS_IFD)
    photo_id = upload(client, photo, "Layar biru.jpg")
    pdf_id = upload(client, PDF, "Pesan error.pdf", "application/pdf")
    transport.clear()
    answer = post(client, token, "Ini fotonya.", [photo_id, pdf_id])
    assert answer.status_code == 201
    posted = answer.get_json()
    photo_view, pdf_view = posted["attachments"]
    assert set(photo_view) == {"id", "name", "content_type", "size", "url", "thumbnail_url"}
    assert (photo_view["id"], photo_view["name"]) == (photo_id, "Layar biru.jpg")
    assert set(pdf_view) == {"id", "name", "content_type", "size", "url"}

    # Kept under the ticket, marked with the message; the uploads (with GPS) are gone.
    ticket = services.tickets.get(NUMBER)
    assert [(a.id, a.message_id) for a in ticket.attachments] == [
        (photo_id, posted["id"]),
        (pdf_id, posted["id"]),
    ]
    photo_kept, pdf_kept = ticket.attachments
    assert re.fullmatch(rf"attachments/{NUMBER}/{photo_id}-[0-9a-f]{{8}}", photo_kept.key)
    assert photo_kept.thumbnail_key == photo_kept.key.replace("attachments/", "thumbs/")
    assert pdf_kept.thumbnail_key is None
    assert keys() == sorted([photo_kept.key, photo_kept.thumbnail_key, pdf_kept.key])
    (message,) = services.tickets.messages(NUMBER)
    assert message.attachments == (photo_id, pdf_id)
    kept = fetch(photo_view["url"])
    assert kept.status_code == 200 and b"GPS" not in kept.content
    assert len(Image.open(io.BytesIO(kept.content)).getexif()) == 0

    # The holder's email says how many and links to the ticket page; no file, no file link.
    (mail,) = transport.sent
    assert mail.kind == "requester_message"
    assert "Pesan ini disertai 2 lampiran" in mail.text and "2 lampiran" in mail.html
    assert f"/staff/ticket.html#{NUMBER}" in mail.text
    assert "amazonaws.com" not in mail.text and "X-Amz-Signature" not in mail.html

    # Shown under the message, once: the ticket-level list keeps the filing's files.
    view = client.get(f"/api/track/{token}").get_json()
    assert view["attachments"] == []
    assert [f["id"] for f in view["messages"][0]["attachments"]] == [photo_id, pdf_id]
    assert fetch(view["messages"][0]["attachments"][0]["thumbnail_url"]).status_code == 200
    sign_in(client, transport, TIK1)
    staff = client.get(f"/api/staff/tickets/{NUMBER}").get_json()
    assert staff["attachments"] == []
    assert [f["name"] for f in staff["messages"][0]["attachments"]] == [
        "Layar biru.jpg",
        "Pesan error.pdf",
    ]


def test_a_message_without_files_is_unchanged(client, services, token):
    answer = post(client, token, "Tanpa lampiran.", [])
    assert answer.status_code == 201 and answer.get_json()["attachments"] == []
    assert services.tickets.get(NUMBER).attachments == ()


def test_the_text_stays_required_with_files(client, services, token):
    photo_id = upload(client, phone_photo())
    answer = post(client, token, "", [photo_id])
    assert answer.status_code == 400 and "text" in answer.get_json()["fields"]
    assert services.tickets.messages(NUMBER) == [] and keys() == [f"uploads/{photo_id}"]


def test_a_staff_message_from_the_ticket_page_carries_a_file_to_the_requester(
    client, services, transport, token
):
    sign_in(client, transport, TIK1)
    photo_id = upload(client, phone_photo(), "Kabel yang benar.jpg")
    transport.clear()
    answer = client.post(
        f"/api/staff/tickets/{NUMBER}/messages",
        json={"text": "Pakai kabel ini.", "attachments": [photo_id]},
        headers={"Idempotency-Key": "staff-1"},
    )
    assert answer.status_code == 201
    assert [f["name"] for f in answer.get_json()["attachments"]] == ["Kabel yang benar.jpg"]
    (mail,) = transport.sent
    assert mail.kind == "staff_message" and mail.to == REQUESTER
    assert "Pesan ini disertai 1 lampiran" in mail.text and f"/track.html#{token}" in mail.text
    view = client.get(f"/api/track/{token}").get_json()
    (message,) = view["messages"]
    assert message["from"] == "staff" and message["attachments"][0]["id"] == photo_id


def test_a_reply_link_takes_files_as_json_and_shows_them_in_its_page(
    client, services, transport, token
):
    reply = token_for(services, latest(transport, TIK1, "new_ticket"), "reply")
    page = client.get(f"/actions/{reply}").get_data(as_text=True)
    # The page works without a script: files are sent from the staff ticket page.
    assert f"/staff/ticket.html#{NUMBER}" in page and 'type="file"' not in page
    photo_id = upload(client, phone_photo(), "Ruang server.jpg")
    answer = client.post(
        f"/actions/{reply}",
        json={"text": "Lihat foto.", "attachments": [photo_id]},
        headers={**JSON, "Idempotency-Key": "r-1"},
    )
    assert answer.status_code == 200
    done = answer.get_json()
    assert [f["id"] for f in done["message"]["attachments"]] == [photo_id]
    assert done["ticket"]["attachments"] == []  # the filing's files only
    shown = client.get(f"/actions/{reply}", headers=JSON).get_json()
    assert [f["name"] for f in shown["messages"][0]["attachments"]] == ["Ruang server.jpg"]
    html = client.get(f"/actions/{reply}").get_data(as_text=True)
    thread = html[html.index('class="thread"') :]
    assert 'class="file-thumb" src="' in thread and "Ruang server.jpg" in thread


def test_the_reply_form_page_still_posts_text_only(client, services, transport, token):
    reply = token_for(services, latest(transport, TIK1, "new_ticket"), "reply")
    page = client.get(f"/actions/{reply}").get_data(as_text=True)
    (key,) = re.findall(r'name="idempotency_key" value="([^"]+)"', page)
    answer = client.post(f"/actions/{reply}", data={"text": "Siap.", "idempotency_key": key})
    assert answer.status_code == 200
    assert [m.text for m in services.tickets.messages(NUMBER)] == ["Siap."]


def test_a_bad_file_is_a_400_naming_it_and_nothing_is_stored(client, services, transport, token):
    good = upload(client, phone_photo(), "Bagus.jpg")
    lying = upload(client, HTML, "Bukan foto.jpg")  # declared image/jpeg, bytes are HTML
    before = services.tickets.get(NUMBER)
    transport.clear()
    answer = post(client, token, "Dua berkas.", [good, lying])
    assert answer.status_code == 400
    error = answer.get_json()
    assert "Bukan foto.jpg" in error["message"] and set(error["fields"]) == {"attachments.1"}
    # Nothing kept, nothing claimed, nothing sent; both uploads stay for a corrected retry.
    assert services.tickets.get(NUMBER) == before
    assert services.tickets.messages(NUMBER) == [] and transport.sent == []
    assert keys() == sorted([f"uploads/{good}", f"uploads/{lying}"])
    assert services.tickets.upload_claimed(good) is None
    assert post(client, token, "Satu berkas.", [good]).status_code == 201


@pytest.mark.parametrize(
    ("files", "field"),
    [
        (["bukan-id"], "attachments.0"),
        (["A" * 22, "A" * 22], "attachments.1"),
        (["A" * 21 + str(n) for n in range(6)], "attachments"),
        ("A" * 22, "attachments"),
        (["A" * 22], "attachments.0"),  # well formed, never uploaded
    ],
)
def test_bad_attachment_lists_are_400(client, services, token, files, field):
    answer = post(client, token, "x", files)
    assert answer.status_code == 400 and field in answer.get_json()["fields"]
    assert services.tickets.messages(NUMBER) == []


def test_a_repeat_with_the_same_key_is_the_same_message_and_claims_nothing_again(
    client, services, transport, token
):
    photo_id = upload(client, phone_photo())
    transport.clear()
    first = post(client, token, "Fotonya.", [photo_id], key="k-1")
    assert first.status_code == 201
    again = post(client, token, "Fotonya.", [photo_id], key="k-1")
    assert again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json()["attachments"][0]["id"] == photo_id
    assert len(services.tickets.messages(NUMBER)) == 1
    assert [a.id for a in services.tickets.get(NUMBER).attachments] == [photo_id]
    assert len(transport.sent) == 1
    other = upload(client, phone_photo())
    assert post(client, token, "Fotonya.", [other], key="k-1").status_code == 422
    assert post(client, token, "Fotonya.", [], key="k-1").status_code == 422
    assert keys(f"uploads/{other}")  # the refused repeat left the other upload alone


def test_an_attached_upload_cannot_come_with_another_message(client, services, token):
    photo_id = upload(client, phone_photo(), "Sekali.jpg")
    assert post(client, token, "Pertama.", [photo_id]).status_code == 201
    again = post(client, token, "Kedua.", [photo_id])
    assert again.status_code == 400 and set(again.get_json()["fields"]) == {"attachments.0"}
    assert len(services.tickets.messages(NUMBER)) == 1


def test_a_ticket_holds_at_most_its_file_limit(client, services, token, monkeypatch):
    monkeypatch.setattr("tiket.domain.conversation.MAX_FILES_PER_TICKET", 2)
    first = [upload(client, phone_photo()), upload(client, PDF, "a.pdf", "application/pdf")]
    assert post(client, token, "Dua.", first).status_code == 201
    extra = upload(client, phone_photo())
    answer = post(client, token, "Satu lagi.", [extra])
    assert answer.status_code == 400 and "attachments" in answer.get_json()["fields"]
    assert len(services.tickets.get(NUMBER).attachments) == 2
    assert keys(f"uploads/{extra}")


def test_files_on_a_cancelled_ticket_are_409_and_left_alone(client, services, transport, token):
    follow(services, transport, TIK1, "next_steps", "cancel", reason="Ganda")
    photo_id = upload(client, phone_photo())
    answer = post(client, token, "Masih ada?", [photo_id])
    assert answer.status_code == 409
    assert services.tickets.get(NUMBER).attachments == ()
    assert keys() == [f"uploads/{photo_id}"]
