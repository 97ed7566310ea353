"""``make run``'s stack, as a new user meets it: it starts, files a request with a photo
uploaded straight to its S3, writes the emails to var/outbox, and keeps the data and the
files across a restart."""

from __future__ import annotations

import pytest
import requests

from tests.stack import LocalStack
from tests.support import VALID_TICKET
from tests.unit.test_file_inspection import phone_photo

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("stack")]


def test_local_stack_starts_files_and_survives_a_restart(tmp_path):
    stack = LocalStack(tmp_path / "var").start()
    try:
        assert stack.get("/api/health") == {"status": "ok"}
        assert "Permohonan Penanganan Kendala TIK" in stack.text("/")
        photo = phone_photo()
        wanted = {"filename": "foto.jpg", "content_type": "image/jpeg", "size": len(photo)}
        status, upload = stack.request("POST", "/api/uploads", wanted)
        assert status == 201 and upload["upload"]["url"].startswith("http://127.0.0.1:")
        sent = requests.post(
            upload["upload"]["url"],
            data=upload["upload"]["fields"],
            files={"file": ("foto.jpg", photo, "image/jpeg")},
            headers={"Origin": stack.url},  # the bucket's CORS lets the site's origin in
            timeout=30,
        )
        assert sent.status_code == 204
        assert sent.headers["Access-Control-Allow-Origin"] == stack.url
        attached = {**VALID_TICKET, "attachments": [upload["id"]]}
        status, body = stack.request("POST", "/api/tickets", attached)
        assert status == 201 and body["number"] == "TIK-2026-000001"
        track = body["track_url"].split("#", 1)[1]
        emls = sorted(p.name for p in (tmp_path / "var" / "outbox").glob("*.eml"))
        assert len(emls) == 3 and sum("new_ticket" in name for name in emls) == 2
        recipients = sorted(mail["to"] for mail in stack.mails())
        assert recipients == sorted(
            [
                f"{VALID_TICKET['name']} <{VALID_TICKET['email']}>",
                "Andi Pratama <tik1@example.go.id>",
                "Siti Rahmawati <tik2@example.go.id>",
            ]
        )
        assert sorted(mail["subject"] for mail in stack.mails()) == [
            f"[{body['number']}] Permohonan Anda diterima: {VALID_TICKET['subject']}",
            f"[{body['number']}] Permohonan baru dari {VALID_TICKET['name']}: "
            f"{VALID_TICKET['subject']}",
            f"[{body['number']}] Permohonan baru dari {VALID_TICKET['name']}: "
            f"{VALID_TICKET['subject']}",
        ]
        assert stack.request("GET", "/api/track/forged-token")[0] == 404
    finally:
        assert stack.stop() == 0
    assert (tmp_path / "var" / "dynamodb.json").exists()

    # Started as from a background job (SIGINT ignored): Ctrl-C still stops it and saves.
    again = LocalStack(tmp_path / "var").start(interrupt_ignored=True)
    try:
        view = again.get(f"/api/track/{track}")
        assert view["number"] == body["number"] and view["status"] == "new"
        (kept,) = view["attachments"]
        assert requests.get(kept["url"], timeout=30).content[:2] == b"\xff\xd8"
        second = again.request("POST", "/api/tickets", {**VALID_TICKET, "subject": "Lagi"})[1]
        assert second["number"] != body["number"]  # the counter survived too
    finally:
        assert again.stop() == 0
