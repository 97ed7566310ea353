"""Lays an email out as text and HTML from its parts. Wording comes from ``messages``;
the services decide the parts.

Order: greeting, TIKet's own words, then its buttons and link, and only after them, fenced
and labelled, what people typed (the ticket's details and ``quotes``): nothing typed can
stand above or look like a TIKet button. Every string is cleaned of format characters
first (``inert.clean``); in HTML, user text is escaped (autoescape) and URL-looking text
defanged (``|inert``), so the only links are TIKet's."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from tiket.adapters.mail.inert import clean_content, defanged, quoted
from tiket.services.ports import MailContent


def _inert_html(value: object) -> Markup:
    return escape(defanged(str(value)))


class JinjaMailRenderer:
    def __init__(self) -> None:
        self.env = Environment(
            loader=PackageLoader("tiket.adapters.mail", "templates"),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["inert"] = _inert_html
        self.env.filters["quoted"] = quoted

    def render(self, content: MailContent) -> tuple[str, str]:
        """(text, html)."""
        content = clean_content(content)
        text = self.env.get_template("mail.txt").render(c=content)
        html = self.env.get_template("mail.html").render(c=content)
        return text, html
