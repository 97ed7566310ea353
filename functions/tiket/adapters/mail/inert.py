"""Text a person typed, made inert for an email body (the header side is ``header_safe``).

- ``clean``: Unicode format characters (category Cf: bidi embeddings and overrides
  U+202A–202E, isolates U+2066–2069, marks U+200E/200F/061C, zero-width characters…) are
  dropped, so text cannot be shown in another order than it is stored ("gpj.exe" tricks)
  nor hide characters; the zero-width joiner stays, as emoji sequences need it. Every kind
  of line break (CR, VT, FF, NEL, U+2028/2029) becomes ``\\n``, so quoting a text line by
  line catches every line a client would show.
- ``quoted``: the text part's fence, every line prefixed with ``> ``.
- ``defanged``: for the HTML part. Mail clients turn URL-looking text into links on their
  own, so a typed "https://evil.example" or "www.evil.example" would become clickable; its
  ``://`` and dots are bracketed (``https[:]//evil[.]example``), the usual way of quoting a
  link without making it one; a typed address's domain likewise (no ``mailto:``). The only
  links in TIKet's HTML are its own buttons.
- ``clean_content``: the whole ``MailContent`` cleaned before it is laid out, so no field,
  present or future, escapes it.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

from tiket.services.ports import MailContent

_KEPT_FORMAT = frozenset({"\u200d"})  # zero-width joiner: emoji sequences
_URL = re.compile(
    r"""(?ix)
    (?:\b[a-z][a-z0-9+.\-]{1,20}:/+[^\s<>"']*)          # scheme://…
    | (?:\bwww\d{0,3}\.[^\s<>"']+)                      # www.…
    | (?:(?<![\w.\-])[a-z0-9][a-z0-9\-]*[a-z0-9]\.(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)*
         [a-z]{2,24}\b(?![@\w\-])(?:/[^\s<>"']*)?)     # host.tld[/path] (an address's too),
                                                        # not a title such as S.Kom or M.Sc
    """
)


def clean(text: str) -> str:
    kept = "".join(ch for ch in text if ch in _KEPT_FORMAT or unicodedata.category(ch) != "Cf")
    return "\n".join(kept.splitlines()) + ("\n" if kept.endswith(("\n", "\r")) else "")


def quoted(text: str) -> str:
    """Each line of ``text`` behind ``> `` (blank lines too), no trailing newline."""
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines() or [""])


def defanged(text: str) -> str:
    return _URL.sub(_defang, text)


def _defang(match: re.Match[str]) -> str:
    url = match.group(0)
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    host, slash, path = rest.partition("/")
    host = host.replace(".", "[.]")
    if scheme:
        return f"{scheme}[:]//{host}{slash}{path}"
    if ":/" in url:  # a scheme with one slash (https:/evil), which clients also follow
        return url.replace(":", "[:]", 1).replace(".", "[.]")
    return f"{host}{slash}{path}"


def clean_content(content: MailContent) -> MailContent:
    """A copy of ``content`` with every string in it cleaned (links' URLs are TIKet's own
    and carry no format characters; they are cleaned all the same)."""
    return dataclasses.replace(
        content,
        **{f.name: _clean_value(getattr(content, f.name)) for f in dataclasses.fields(content)},
    )


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, tuple):
        return tuple(_clean_value(item) for item in value)
    if isinstance(value, list):
        return [_clean_value(item) for item in value]
    return value
