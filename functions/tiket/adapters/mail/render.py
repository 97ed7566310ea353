"""Lays an email out as text and HTML from its parts. Wording comes from ``messages``;
the services decide the parts. User text is escaped in HTML by Jinja's autoescape."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from tiket.services.ports import MailContent


class JinjaMailRenderer:
    def __init__(self) -> None:
        self.env = Environment(
            loader=PackageLoader("tiket.adapters.mail", "templates"),
            autoescape=select_autoescape(enabled_extensions=("html",), default=False),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def render(self, content: MailContent) -> tuple[str, str]:
        """(text, html)."""
        text = self.env.get_template("mail.txt").render(c=content)
        html = self.env.get_template("mail.html").render(c=content)
        return text, html
