"""The new text of a reply: quoted history and signatures stripped (Indonesian and English).

Built on ``mail-parser-reply`` (maintained, multi-language: it splits a body at the reply
headers mail clients write and finds signatures and disclaimers). It knows no Indonesian, so
TIKet registers one language of its own, ``tiket``, that holds both Indonesian and English,
and uses it alone instead of the library's ``en``, because two of ``en``'s rules lose what a
requester writes:

- its valedictions match at the start of any line, so ``Thanks, sudah saya coba ...`` cut
  the message there; ours are a whole line ("Terima kasih," / "Thanks,") followed by at
  most a few short lines (a name, a position) to the end of the reply;
- its disclaimers start at ``Warning:`` or ``CAUTION:`` in any sentence that mentions
  "mail", which an ICT question quoting an error ("Warning: email gagal dikirim") does.

The English reply headers are the library's own ``en`` patterns. What the library does not
do, this module does (the documented gaps):

- Indonesian headers: Gmail's ``Pada … menulis:``, Outlook's ``Dari: / Dikirim: / Kepada: /
  Subjek:`` block, ``-----Pesan Asli-----``, forward markers in both languages, and the
  phone signatures "Dikirim dari iPhone saya", "Dikirim dari ponsel Samsung …";
- lines quoted with ``>`` are dropped (the library keeps them in the newest reply);
- bottom-posted and inline replies (the quote comes first, the answer below it): the library
  takes only what stands above the first header, so when a reply starts with a quote, the new
  text is every line that is neither quoted nor a reply header.
"""

from __future__ import annotations

import re

from mailparser_reply.constants import MAIL_LANGUAGES, QUOTED_MATCH_INCLUDE  # type: ignore[import-untyped]
from mailparser_reply.parser import EmailMessage  # type: ignore[import-untyped]

LANGUAGE = "tiket"

# Only the text at the top of a long body can be the reply: bound the regex work.
PARSE_WINDOW = 100_000

_Q = QUOTED_MATCH_INCLUDE  # lets a header match inside "> > " quoting too

# Each header pattern has exactly one capturing group, the whole header: the library finds
# headers with findall() over the alternation of all patterns and keeps the non-empty groups.
_WROTE = [
    MAIL_LANGUAGES["en"]["wrote_header"],  # On Mon, 30 Nov 2026 …, Ana <a@b> wrote:
    rf"^({_Q}Pada\s(?:.+?\s?.+?)\s?menulis:)$",  # Pada Sen, 30 Nov 2026 pukul 08.00 … menulis:
    r"^(-{5,} ?Pesan Asli ?-{5,})$",  # -----Pesan Asli----- (Outlook, Samsung)
    r"^(-{5,} ?(?:Forwarded message|Pesan terusan|Pesan yang diteruskan) ?-{5,})$",
    r"^((?:Begin forwarded message|Awal pesan yang diteruskan|Pesan yang diteruskan):)$",
]
_HEADER_FIELDS = (
    "From|Sent|To|Subject|Date|Cc|Organization|"
    "Dari|Dikirim|Kepada|Ke|Subjek|Perihal|Tanggal|Tembusan"
)
# Two or more consecutive "Field: value" lines (Outlook, Samsung), as the library's own.
_FROM_BLOCK = (
    rf"((?:(?:^|\n|\n{_Q})[* ]*(?:{_HEADER_FIELDS}):[ *]*(?:\s{{,2}}).*){{2,}}(?:\n.*){{,1}})"
)
_VALEDICTIONS = (
    "Best regards|Kind regards|Warm regards|Regards|Best|Cheers|Thanks|Thank you|Many thanks|"
    "Salam|Salam hormat|Hormat saya|Hormat kami|Terima kasih|Terimakasih|Makasih|"
    "Wassalam|Wassalamualaikum|Wassalamu'alaikum"
)
# A valediction alone on its line, then at most six short lines that are not sentences (a
# name, a position, a phone number: no closing . ? !) up to the end of the reply. The library
# then cuts from the valediction to the end. "Terima kasih.\nNanti saya kabari." stays whole.
_SIGNATURE = (
    rf"(?:{_VALEDICTIONS})[ \t]*[,.!]?[ \t]*$"
    r"(?=(?:\n[^\n]{0,80}(?<![.?!])){0,6}\s*\Z)"
)

# The library's languages are this module-level table; "tiket" is ours alone. Every key is
# set: a missing one falls back to English, and an empty disclaimer list would match any
# sentence that mentions "mail".
MAIL_LANGUAGES[LANGUAGE] = {
    "wrote_header": _WROTE,
    "from_header": _FROM_BLOCK,
    "disclaimers": [r"Disclaimer:", r"Confidentiality Notice:"],
    "signatures": [_SIGNATURE],
    "sent_from": r"Sent from|Get Outlook for|Dikirim dari|Dapatkan Outlook untuk",
}

_QUOTED = re.compile(r"^[ \t]*>", re.MULTILINE)
_ATTRIBUTION = re.compile("|".join(_WROTE[:2]), re.MULTILINE | re.IGNORECASE)
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """One kind of line break, no invisible or control characters, no trailing spaces,
    at most one blank line in a row, no blank lines around."""
    text = _BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text.replace("\xa0", " "))
    text = _CONTROLS.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


def new_text(body: str) -> str:
    """The text the sender wrote in this reply, without quoted history or signature."""
    text = normalise(body[:PARSE_WINDOW])
    if not text.strip():
        return ""
    message = _read(text)
    first = message.replies[0]
    if first.headers:
        # The reply opens with a header. After an attribution with a '>' quote, the answer
        # is below or between the quoted lines; anything else at the top is all history.
        if not (_ATTRIBUTION.fullmatch(first.headers) and _QUOTED.search(message.text)):
            return ""
        rest = _unquoted(message.text.replace(first.headers, "", 1))
        if not rest.strip():
            return ""
        first = _read(rest).replies[0]
        if first.headers:
            return ""
    return normalise(_unquoted(first.body))


def _read(text: str) -> EmailMessage:
    # A fresh list per message: the library appends to the list it is given.
    message = EmailMessage(
        text=text, languages=[LANGUAGE], include_english=False, keep_hyphen_lists=True
    )
    return message.read()


def _unquoted(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not _QUOTED.match(line))
