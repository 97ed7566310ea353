"""The outbox in DynamoDB: emails waiting to be sent, each sent only by the holder of its
lease (a conditional write), so a request and a sweep, or two sweeps, never both send it.

A sent email keeps what operators need (to, kind, subject, times, attempts) and loses its
bodies, which hold live sign-in and action links. A failed one stays whole, listed under
``due_pk = MAILFAILED`` until re-driven (``tiket mail redrive``) or expired."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import UpdateError

from tiket.adapters.dynamodb.models import (
    MailItem,
    get_item,
    put_item,
    query,
    ttl_of,
    utc_key,
    wrap_error,
)
from tiket.domain.errors import WriteConflict
from tiket.services.ports import MailRecord, OutgoingMail

MAIL_RETENTION = timedelta(days=90)
FAILED = "MAILFAILED"
DECOY_KEPT = timedelta(days=1)


def mail_item(mail: OutgoingMail, first_attempt: datetime) -> MailItem:
    return MailItem(
        f"MAIL#{mail.id}",
        "MAIL",
        id=mail.id,
        ticket=mail.ticket,
        kind=mail.kind,
        to=mail.to,
        to_name=mail.to_name,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        created_at=mail.created_at,
        status="pending",
        attempts=0,
        next_attempt_at=first_attempt,
        due_pk="MAIL",
        due_sk=f"{utc_key(first_attempt)}#{mail.id}",
    )


def _record(item: MailItem) -> MailRecord:
    return MailRecord(
        mail=OutgoingMail(
            id=item.id,
            ticket=item.ticket,
            kind=item.kind,
            to=item.to,
            to_name=item.to_name,
            subject=item.subject,
            text=item.text or "",
            html=item.html or "",
            created_at=item.created_at,
        ),
        status=item.status,
        attempts=int(item.attempts or 0),
        next_attempt_at=item.next_attempt_at,
        last_error=item.last_error,
        sent_at=item.sent_at,
    )


class DynamoOutbox:
    def add(self, mail: OutgoingMail, first_attempt: datetime | None) -> None:
        """An email that belongs to no ticket change (sign-in link, fresh action link)."""
        if first_attempt is not None:
            put_item(mail_item(mail, first_attempt))
            return
        decoy = mail_item(replace(mail, to="", to_name="", text="", html=""), mail.created_at)
        decoy.status, decoy.due_pk, decoy.due_sk = "decoy", None, None
        decoy.next_attempt_at = None
        decoy.ttl = ttl_of(mail.created_at + DECOY_KEPT)
        put_item(decoy)

    def due(self, now: datetime, limit: int = 100) -> list[str]:
        condition = MailItem.due_sk <= utc_key(now) + "~"
        return [i.id for i in query(MailItem.due_index, "MAIL", condition, limit=limit)]

    def get(self, mail_id: str) -> MailRecord | None:
        item = get_item(MailItem, f"MAIL#{mail_id}", "MAIL")
        return None if item is None else _record(item)

    def claim(self, mail_id: str, now: datetime, lease: timedelta) -> MailRecord | None:
        """Take the right to send a due email for ``lease``; None when it is not due any
        more (sent, failed, or taken by another sender whose lease still runs)."""
        item = MailItem(f"MAIL#{mail_id}", "MAIL")
        until = now + lease
        try:
            item.update(
                actions=[
                    MailItem.status.set("sending"),
                    MailItem.next_attempt_at.set(until),
                    MailItem.due_sk.set(f"{utc_key(until)}#{mail_id}"),
                ],
                condition=MailItem.status.is_in("pending", "sending")
                & (MailItem.next_attempt_at <= now),
            )
        except UpdateError as error:
            wrapped = wrap_error(error)
            if isinstance(wrapped, WriteConflict):
                return None
            raise wrapped from error
        return _record(item)

    def sent(self, mail_id: str, now: datetime, holder: str) -> None:
        """``holder``: "pending" for the request that created the email and sends it before
        its first scheduled attempt, "sending" for a sweep holding the lease."""
        self._update(
            mail_id,
            holder,
            [
                MailItem.status.set("sent"),
                MailItem.attempts.add(1),
                MailItem.sent_at.set(now),
                MailItem.text.remove(),
                MailItem.html.remove(),
                MailItem.last_error.remove(),
                MailItem.next_attempt_at.remove(),
                MailItem.due_pk.remove(),
                MailItem.due_sk.remove(),
                MailItem.ttl.set(ttl_of(now + MAIL_RETENTION)),
            ],
        )

    def retry(self, mail_id: str, at: datetime, error: str, holder: str) -> None:
        self._update(
            mail_id,
            holder,
            [
                MailItem.status.set("pending"),
                MailItem.attempts.add(1),
                MailItem.last_error.set(error[:500]),
                MailItem.next_attempt_at.set(at),
                MailItem.due_sk.set(f"{utc_key(at)}#{mail_id}"),
            ],
        )

    def failed(self, mail_id: str, now: datetime, error: str, holder: str) -> None:
        self._update(
            mail_id,
            holder,
            [
                MailItem.status.set("failed"),
                MailItem.attempts.add(1),
                MailItem.last_error.set(error[:500]),
                MailItem.next_attempt_at.remove(),
                MailItem.due_pk.set(FAILED),
                MailItem.due_sk.set(f"{utc_key(now)}#{mail_id}"),
                MailItem.ttl.set(ttl_of(now + MAIL_RETENTION)),
            ],
        )

    def failed_ids(self, limit: int = 100) -> list[str]:
        return [i.id for i in query(MailItem.due_index, FAILED, limit=limit)]

    def redrive(self, mail_id: str, now: datetime) -> None:
        self._update(
            mail_id,
            "failed",
            [
                MailItem.status.set("pending"),
                MailItem.next_attempt_at.set(now),
                MailItem.due_pk.set("MAIL"),
                MailItem.due_sk.set(f"{utc_key(now)}#{mail_id}"),
                MailItem.ttl.remove(),
            ],
        )

    @staticmethod
    def _update(mail_id: str, holder: str, actions: list[Any]) -> None:
        try:
            MailItem(f"MAIL#{mail_id}", "MAIL").update(
                actions=actions, condition=MailItem.status == holder
            )
        except UpdateError as error:
            wrapped = wrap_error(error)
            if not isinstance(wrapped, WriteConflict):  # lease lost: the other sender owns it
                raise wrapped from error
