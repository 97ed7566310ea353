"""Minimisation (PRODUCT.md §14): what facilities staff (``rt``) see of a requester on the
ticket referred to them: name, unit, location and phone (to reach the person and the device
for the repair), never the email address or the NIP. Their messages and the requester go
through TIKet's conversation, which needs no address."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from tiket.domain.model import Ticket
from tiket.domain.vocabulary import Role

Page = TypeVar("Page")


def minimised(page: Page, role: Role) -> Page:
    """The staff ticket view for ``role``: unchanged but for ``rt``."""
    if role != Role.RT:
        return page
    view: dict[str, Any] = dict(page)  # type: ignore[call-overload]
    if "requester_email" in view:
        view["requester_email"] = ""
        view["requester_nip"] = None
    if "contact" in view:
        view["contact"] = {**view["contact"], "mailto": None}
    if "history" in view:
        view["history"] = [
            {**e, "actor_email": None} if e.get("actor_role") == Role.REQUESTER else e
            for e in view["history"]
        ]
    if "messages" in view:
        view["messages"] = [
            {**m, "email": None} if m.get("from") == "requester" else m for m in view["messages"]
        ]
    return view  # type: ignore[return-value]


def shown_ticket(ticket: Ticket, role: Role) -> Ticket:
    """The ticket as a page (the email links' pages) may show it to ``role``."""
    if role != Role.RT:
        return ticket
    return replace(ticket, requester=replace(ticket.requester, email="", nip=None))
