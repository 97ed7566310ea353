"""The attachment rules: types, sizes, counts, upload ids and file names."""

from __future__ import annotations

import pytest

from tiket.domain.attachments import (
    MAX_BYTES,
    MAX_DECODED_PIXELS,
    MAX_NAME_CHARS,
    MAX_PER_MESSAGE,
    AttachmentRejected,
    FileType,
    Rejection,
    StoredAttachment,
    check_filename,
    check_pixels,
    check_upload_id,
    check_upload_ids,
    check_upload_request,
    new_upload_id,
    sniff,
)
from tiket.messages.attachments import ENTRIES


def rejected(call, *args) -> AttachmentRejected:
    with pytest.raises(AttachmentRejected) as caught:
        call(*args)
    return caught.value


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("foto proyektor.jpg", "foto proyektor.jpg"),
        ("  layar error.png  ", "layar error.png"),
        ("Surat Permohonan (1).pdf", "Surat Permohonan (1).pdf"),
        ("Cafe\u0301.jpg", "Café.jpg"),  # NFC: one code point, as typed on another system
        ("👨\u200d💻 kerja.png", "👨\u200d💻 kerja.png"),  # joiners shape emoji: kept
        ("a" * MAX_NAME_CHARS, "a" * MAX_NAME_CHARS),
    ],
)
def test_a_plain_name_is_kept(name, expected):
    assert check_filename(name) == expected


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../../etc/passwd", "separator"),
        ("..\\..\\boot.ini", "separator"),
        ("C:\\Users\\x.jpg", "separator"),
        ("foto/../x.jpg", "separator"),
        ("", "empty"),
        ("   ", "empty"),
        ("..", "empty"),
        (None, "empty"),
        (b"foto.jpg", "empty"),
        ("foto\x00.jpg", "control"),
        ("foto\r\nSet-Cookie: x.jpg", "control"),
        ("foto\x1b[31m.jpg", "control"),
        ("foto\x7f.jpg", "control"),
        ("foto\x85.jpg", "control"),  # C1 control (NEL)
        ("invoice\u202egpj.exe", "control"),  # right-to-left override: shows "exe.jpg"
        ("a\u202ab.jpg", "control"),
        ("a\u2066b.jpg", "control"),
        ("a\u2069b.jpg", "control"),
        ("a\u200bb.jpg", "control"),  # zero-width space
        ("a\ufeffb.jpg", "control"),
        ("a\u2028b.jpg", "control"),
        ("a" * 300, "length"),
        ("a" * (MAX_NAME_CHARS + 1), "length"),
    ],
)
def test_a_dangerous_name_is_refused_naming_the_problem(name, reason):
    error = rejected(check_filename, name)
    assert error.code is Rejection.NAME
    assert error.params["reason"] == reason


def test_a_control_character_is_named():
    assert rejected(check_filename, "x\u202ey.jpg").params["char"] == "U+202E"


@pytest.mark.parametrize(
    "content_type", ["image/jpeg", "image/png", "image/webp", "application/pdf"]
)
def test_an_upload_request_of_an_accepted_type_passes(content_type):
    request = check_upload_request("a.bin", content_type, 1234)
    assert request.content_type == content_type
    assert (request.name, request.size) == ("a.bin", 1234)


@pytest.mark.parametrize(
    ("content_type", "size", "code"),
    [
        ("image/gif", 10, Rejection.TYPE),
        ("text/html", 10, Rejection.TYPE),
        ("image/svg+xml", 10, Rejection.TYPE),
        ("IMAGE/JPEG", 10, Rejection.TYPE),
        ("image/jpeg; charset=x", 10, Rejection.TYPE),
        (None, 10, Rejection.TYPE),
        ("image/jpeg", 0, Rejection.EMPTY),
        ("image/jpeg", -1, Rejection.EMPTY),
        ("image/jpeg", MAX_BYTES + 1, Rejection.SIZE),
        ("image/jpeg", "10", Rejection.SIZE),
        ("image/jpeg", True, Rejection.SIZE),
        ("image/jpeg", 1.5, Rejection.SIZE),
    ],
)
def test_an_upload_request_outside_the_rules_is_refused(content_type, size, code):
    assert rejected(check_upload_request, "a.jpg", content_type, size).code is code


def test_the_size_limit_is_ten_mebibytes_inclusive():
    assert MAX_BYTES == 10 * 1024 * 1024
    assert check_upload_request("a.jpg", "image/jpeg", MAX_BYTES).size == MAX_BYTES
    assert rejected(check_upload_request, "a.jpg", "image/jpeg", MAX_BYTES + 1).params == {
        "max_mb": 10,
        "size": MAX_BYTES + 1,
    }


def test_upload_ids_are_random_and_well_formed():
    ids = {new_upload_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(check_upload_id(i) == i for i in ids)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "../uploads/xxxxxxxxxxxxxxxxxx",
        "a" * 21,
        "a" * 23,
        "a" * 21 + "/",
        "a" * 21 + ".",
        "uploads/" + "a" * 22,
        None,
        22,
    ],
)
def test_a_key_the_client_made_up_is_not_an_upload_id(value):
    assert rejected(check_upload_id, value).code is Rejection.UPLOAD_ID


def test_at_most_five_distinct_uploads_per_message():
    ids = [new_upload_id() for _ in range(MAX_PER_MESSAGE + 1)]
    assert check_upload_ids(ids[:MAX_PER_MESSAGE]) == tuple(ids[:MAX_PER_MESSAGE])
    assert check_upload_ids([]) == ()
    error = rejected(check_upload_ids, ids)
    assert (error.code, error.params) == (Rejection.COUNT, {"max": 5, "count": 6})
    assert rejected(check_upload_ids, [ids[0], ids[0]]).code is Rejection.DUPLICATE
    assert rejected(check_upload_ids, [ids[0], "nope"]).code is Rejection.UPLOAD_ID


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", FileType.JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00", FileType.PNG),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", FileType.WEBP),
        (b"%PDF-1.7\n", FileType.PDF),
        (b"GIF89a", None),
        (b"<html><body>", None),
        (b" %PDF-1.7", None),  # junk before the header
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"", None),
    ],
)
def test_the_type_comes_from_the_signature(head, kind):
    assert sniff(head) == kind


def test_pixels_are_capped_before_decoding():
    check_pixels(8000, 6250)  # 50 MP
    error = rejected(check_pixels, 8000, 6251)
    assert (error.code, error.params["max_megapixels"]) == (Rejection.BOMB, 50)
    check_pixels(6000, 4000, MAX_DECODED_PIXELS)
    error = rejected(check_pixels, 6000, 4001, MAX_DECODED_PIXELS)
    assert (error.code, error.params["max_megapixels"]) == (Rejection.BOMB, 24)


def test_a_stored_attachment_knows_whether_it_is_a_picture():
    photo = StoredAttachment("i", "a.jpg", FileType.JPEG, 1, "attachments/T/i", "thumbs/T/i")
    document = StoredAttachment("j", "a.pdf", FileType.PDF, 1, "attachments/T/j")
    assert photo.is_image and not document.is_image
    with pytest.raises(AttributeError):
        photo.size = 2  # type: ignore[misc]


def test_every_rejection_has_text_in_both_languages():
    keys = {f"attachment.{code.value}" for code in Rejection if code is not Rejection.NAME}
    keys |= {f"attachment.name.{r}" for r in ("empty", "separator", "control", "length")}
    assert keys <= set(ENTRIES)
    pages = {key: entry for key, entry in ENTRIES.items() if not key.startswith("attachment.mail.")}
    assert all(set(entry) == {"id", "en"} for entry in pages.values())
    # Emails are Indonesian only.
    assert all(set(ENTRIES[key]) == {"id"} for key in set(ENTRIES) - set(pages))
