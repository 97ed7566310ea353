"""The conversation's messages in DynamoDB: one item per message in the ticket's partition,
sorted by time, so a ticket's thread is one Query (key design: ``table.py``). Written only
inside the ticket's change transaction (``DynamoTickets.write``), put only if new."""

from __future__ import annotations

from pynamodb.attributes import ListAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import QueryError
from pynamodb.models import Model

from tiket.adapters.dynamodb.models import TableMeta, utc_key, wrap_error
from tiket.domain.model import Actor, Message
from tiket.domain.vocabulary import Channel, Role

PREFIX = "M#"


class MessageItem(Model):
    class Meta(TableMeta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    id = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    author_email = UnicodeAttribute(null=True)
    author_name = UnicodeAttribute()
    author_role = UnicodeAttribute()
    text = UnicodeAttribute()
    via = UnicodeAttribute()
    attachments = ListAttribute(of=UnicodeAttribute, null=True)


def message_item(number: str, message: Message, revision: int) -> MessageItem:
    """``revision``: the ticket's revision the message's change made; it orders messages of
    one instant as the history orders its entries."""
    return MessageItem(
        f"T#{number}",
        f"{PREFIX}{utc_key(message.at)}#{revision:06d}#{message.id}",
        id=message.id,
        at=message.at,
        author_email=message.author.email,
        author_name=message.author.name,
        author_role=str(message.author.role),
        text=message.text,
        via=str(message.via),
        attachments=list(message.attachments) or None,
    )


def message_from(item: MessageItem) -> Message:
    return Message(
        id=item.id,
        at=item.at,
        author=Actor(email=item.author_email, name=item.author_name, role=Role(item.author_role)),
        text=item.text,
        via=Channel(item.via),
        attachments=tuple(str(a) for a in item.attachments or ()),
    )


def thread(number: str) -> list[Message]:
    """The ticket's messages, oldest first (the sort key starts with the UTC time). Read
    consistently: a repeated post looks its earlier message up right after the race."""
    try:
        items = MessageItem.query(
            f"T#{number}", MessageItem.sk.startswith(PREFIX), consistent_read=True
        )
        return [message_from(item) for item in items]
    except QueryError as error:
        raise wrap_error(error) from error
