"""Typed text made inert for email bodies: format characters dropped, every line break one
``\\n``, typed links defanged for HTML (and nothing else changed)."""

from __future__ import annotations

import pytest

from tiket.adapters.mail.inert import clean, clean_content, defanged, quoted
from tiket.services.ports import MailContent


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("https://evil.example/a?b=c", "https[:]//evil[.]example/a?b=c"),
        ("HTTP://EVIL.EXAMPLE", "HTTP[:]//EVIL[.]EXAMPLE"),
        ("javascript://x.example%0aalert(1)", "javascript[:]//x[.]example%0aalert(1)"),
        ("https:/evil.example", "https[:]/evil[.]example"),
        ("lihat www.evil.example/ok.", "lihat www[.]evil[.]example/ok."),
        ("buka evil.co.id/login", "buka evil[.]co[.]id/login"),
        ("tanya kepala@evil.example", "tanya kepala@evil[.]example"),
        # Not links: titles, versions, numbers, plain sentences stay as typed.
        ("Dr. Sri, S.Kom., M.Sc., Ph.D.", "Dr. Sri, S.Kom., M.Sc., Ph.D."),
        ("versi 1.5.2, IP 10.0.0.1", "versi 1.5.2, IP 10.0.0.1"),
        ("Printer macet. Tolong dicek", "Printer macet. Tolong dicek"),
    ],
)
def test_typed_links_are_defanged(typed, shown):
    assert defanged(typed) == shown


def test_format_characters_go_and_every_line_break_is_one():
    typed = "a\u202eb\u202c\u2066c\u2069\u200e\u200f\u061c\u200b\ufeffd\u2028e\r\nf\x0bg\x85h"
    assert clean(typed) == "abcd\ne\nf\ng\nh"
    assert clean("\U0001f469\u200d\U0001f4bb") == "\U0001f469\u200d\U0001f4bb"  # emoji ZWJ


def test_quoted_marks_every_line():
    assert quoted("a\n\nb") == "> a\n>\n> b"
    assert quoted("") == ">"


def test_every_field_of_the_content_is_cleaned():
    dirty = "x\u202ey"
    content = MailContent(
        greeting=dirty,
        paragraphs=[dirty],
        details=[(dirty, dirty)],
        deadline=dirty,
        actions=[(dirty, "https://t.example/a")],
        link=(dirty, "https://t.example/b"),
        footer=dirty,
        quotes=[(dirty, dirty)],
        typed_note=dirty,
    )
    assert "\u202e" not in repr(clean_content(content))
    assert clean_content(content).quotes == [("xy", "xy")]
