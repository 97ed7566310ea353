"""Every URL TIKet puts in an email, built from the configured public URL only (never from
a request's Host header), and the signed tokens inside them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from tiket.domain.model import Ticket
from tiket.domain.vocabulary import Action
from tiket.services.ports import Signer

ACTION_PURPOSE = "tiket.action"
LOGIN_PURPOSE = "tiket.login"


@dataclass(frozen=True)
class ActionClaim:
    """What a verified action token says."""

    number: str
    action: Action
    recipient: str
    version: int
    nonce: str
    expires_at: datetime

    @staticmethod
    def from_payload(payload: dict) -> ActionClaim:
        return ActionClaim(
            number=str(payload["t"]),
            action=Action(str(payload["a"])),
            recipient=str(payload["r"]),
            version=int(payload["v"]),
            nonce=str(payload["n"]),
            expires_at=datetime.fromtimestamp(int(payload["x"])).astimezone(),
        )


class Links:
    def __init__(self, public_url: str, signer: Signer, action_link_hours: int):
        self.base = public_url.rstrip("/")
        self.signer = signer
        self.lifetime = timedelta(hours=action_link_hours)

    def action_token(self, ticket: Ticket, action: str, recipient: str, now: datetime) -> str:
        return self.signer.sign(
            ACTION_PURPOSE,
            {
                "t": ticket.number,
                "a": action,
                "r": recipient,
                "v": ticket.version,
                "n": secrets.token_urlsafe(12),
                "x": int((now + self.lifetime).timestamp()),
            },
        )

    def action(self, ticket: Ticket, action: str, recipient: str, now: datetime) -> str:
        return self.action_url(self.action_token(ticket, action, recipient, now))

    def action_url(self, token: str) -> str:
        return f"{self.base}/actions/{token}"

    def track(self, track_token: str) -> str:
        # The token rides in the fragment: browsers never send it to a server or a Referer.
        return f"{self.base}/track.html#{track_token}"

    def staff_ticket(self, number: str) -> str:
        return f"{self.base}/staff/ticket.html#{number}"

    def login(self, token: str) -> str:
        return f"{self.base}/staff/signin.html#{token}"
