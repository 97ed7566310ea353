"""Every text a page marks for translation has its English words in ``site/js/i18n*.js``
(the conversation's own in ``i18n-conversation.js``): a page switched to English never shows
a key or keeps an Indonesian line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SITE = Path(__file__).resolve().parents[2] / "site"
ENGLISH = {
    key
    for catalogue in (SITE / "js").glob("i18n*.js")
    for key in re.findall(r"^\s*'([^']+)':", catalogue.read_text(), re.M)
}
PAGES = sorted(SITE.rglob("*.html"))


def keys_of(page: Path) -> set[str]:
    html = page.read_text()
    keys = set(re.findall(r'data-i18n="([^"]+)"', html))
    for pairs in re.findall(r'data-i18n-attr="([^"]+)"', html):
        keys |= {pair.split(":", 1)[1].strip() for pair in pairs.split(";") if ":" in pair}
    return keys


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(SITE)) for p in PAGES])
def test_every_marked_text_has_english(page):
    assert keys_of(page) - ENGLISH == set()
