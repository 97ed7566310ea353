"""Staff members, their sign-in records and single-use sign-in links, in DynamoDB."""

from __future__ import annotations

from datetime import datetime

from pynamodb.exceptions import UpdateError

from tiket.adapters.dynamodb.models import (
    OnceItem,
    StaffItem,
    get_item,
    put_item,
    query,
    ttl_of,
    utc_key,
    wrap_error,
)
from tiket.domain.errors import WriteConflict
from tiket.domain.model import Staff
from tiket.domain.vocabulary import Role


def _staff(item: StaffItem) -> Staff:
    return Staff(item.email, item.name, Role(item.role), bool(item.active), item.signed_out_at)


class DynamoStaff:
    def get(self, email: str) -> Staff | None:
        item = get_item(StaffItem, f"STAFF#{email.lower()}", "STAFF", consistent=False)
        return None if item is None else _staff(item)

    def with_role(self, role: Role) -> list[Staff]:
        return [_staff(i) for i in query(StaffItem.list_index, f"ROLE#{role}") if i.active]

    def put(self, staff: Staff) -> None:
        put_item(
            StaffItem(
                f"STAFF#{staff.email}",
                "STAFF",
                email=staff.email,
                name=staff.name,
                role=str(staff.role),
                active=staff.active,
                signed_out_at=staff.signed_out_at,
                list_pk=f"ROLE#{staff.role}" if staff.active else None,
                list_sk=staff.email if staff.active else None,
            )
        )

    def record_signin(self, email: str, at: datetime, ip: str | None) -> None:
        put_item(
            StaffItem(
                f"STAFF#{email}",
                f"SIGNIN#{utc_key(at)}",
                email=email,
                name="",
                role="",
                at=at,
                ip=ip,
            )
        )

    def signins(self, email: str) -> list[datetime]:
        items = query(StaffItem, f"STAFF#{email}", StaffItem.sk.startswith("SIGNIN#"))
        return [item.at for item in items]


class DynamoLoginLinks:
    def create(self, nonce: str, email: str, expires: datetime) -> None:
        put_item(OnceItem(f"LOGIN#{nonce}", "LOGIN", email=email, ttl=ttl_of(expires)))

    def consume(self, nonce: str, now: datetime) -> str | None:
        """The staff email of a valid, unused sign-in link, marking it used; else None."""
        item = OnceItem(f"LOGIN#{nonce}", "LOGIN")
        try:
            item.update(
                actions=[OnceItem.used_at.set(now)],
                condition=OnceItem.pk.exists()
                & OnceItem.used_at.does_not_exist()
                & (OnceItem.ttl >= ttl_of(now)),
            )
        except UpdateError as error:
            wrapped = wrap_error(error)
            if isinstance(wrapped, WriteConflict):
                return None
            raise wrapped from error
        return item.email
