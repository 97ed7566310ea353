"""The one DynamoDB table of TIKet: its keys, its indexes, and which item lives where.

Single-table design. Every access pattern of the product is a GetItem or a Query;
nothing on a request path or in the sweep ever Scans. The PynamoDB models of these items are
in ``models.py``; each kind of item is read and written by one module beside it.

A ticket item carries ``revision``, counted up by every write: each change of a ticket is one
transaction whose ticket update is conditioned on the revision it read (the unit of work,
``tiket.services.unit_of_work``), holding the history entry, the outbox emails and any
once-only record (a link's nonce, a breach per step, an escalation level per step, a
reminder, a message's idempotency key) put only if absent, and a message of the conversation
(``messages.py``; the thread of a ticket is one Query on ``T#<number>`` for ``M#``). A
step's escalation-ladder level rides in its entry of the ticket's ``steps`` list
(``escalation``).

| item            | pk                    | sk                      | index keys (sparse)                      |
|-----------------|-----------------------|-------------------------|------------------------------------------|
| ticket          | ``T#<number>``        | ``META``                | due, list (while open), month, assignee, |
|                 |                       |                         | asset (filed about a device)             |
| history entry   | ``T#<number>``        | ``H#<utc-iso>#<revision>`` |                                       |
| once-only record| ``T#<number>``        | ``O#<kind>#<key>``      | (ttl when it expires)                    |
| message         | ``T#<number>``        | ``M#<utc-iso>#<revision>#<id>`` |                                  |
| tracking token  | ``TRACK#<sha256>``    | ``TRACK``               |                                          |
| upload claim    | ``UPLOAD#<upload id>``| ``UPLOAD``              | (ttl)                                    |
| year counter    | ``COUNTER#<year>``    | ``COUNTER``             |                                          |
| idempotency key | ``IDEM#<sha256>``     | ``IDEM``                | (ttl)                                    |
| sign-in link    | ``LOGIN#<nonce>``     | ``LOGIN``               | (ttl)                                    |
| staff member    | ``STAFF#<email>``     | ``STAFF``               | list (``ROLE#<role>`` while active)      |
| sign-in record  | ``STAFF#<email>``     | ``SIGNIN#<utc-iso>``    |                                          |
| outbox email    | ``MAIL#<id>``         | ``MAIL``                | due (``MAIL`` while pending)             |
| rate window     | ``RATE#<scope>#<key>``| ``W#<window start>``    | (ttl)                                    |
| report counters, month total | ``R#<yyyy-mm>`` | ``total``      |                                          |
| report counters, fresh | ``R#<yyyy-mm>`` | ``f#<utc minute>#<shard>`` | due (``FIGURES``)                 |
| export job      | ``EXPORT#<id>``       | ``EXPORT``              | (ttl)                                    |
| device (BMN)    | ``ASSET#<tag>``       | ``ASSET``               | list (``ALOC#<location>`` / ``ARETIRED``)|
| device location | ``ASSETLOC``          | ``<location key>``      |                                          |
| import lock     | ``ASSETLOCK``         | ``LOCK``                | (ttl)                                    |
| requester look-up | ``RQ#<email key>``  | ``T#<number>``          |                                          |
| retention entry | ``T#<number>``        | ``RETAIN``              | due (``RETAIN``)                         |
| pending erasure | ``RQ#<email key>``    | ``PENDING``             |                                          |
| erasure request | ``ERASURE#<id>``      | ``ERASURE``             | list (``ERASURES`` while it needs work)  |
| access-log entry| ``ACCESS#T#<number>`` / ``ACCESS#S#<email>`` / ``ACCESS#D#<utc day>`` | ``<utc-iso>#<id>`` | (ttl) |

Devices: ``adapters/dynamodb/assets.py`` (the register, its locations and the import lock).

Personal data (PRODUCT.md §14): ``adapters/dynamodb/privacy.py``. ``<email key>`` is the
SHA-256 of the normalised requester address (``domain.privacy.email_key``), never the address.
The look-up entry and the retention entry are written inside the ticket's change transaction
(``TicketWrite.personal``): put when a ticket is filed, the look-up entry removed when its
requester is erased, the retention entry (``due_sk`` = ``<utc-iso>#<number>``: when the sweep
must next erase the files or the personal data of a closed ticket) put when the ticket
closes and removed once nothing personal is left. The sweep reads ``due_pk = RETAIN AND
due_sk <= now`` (a bounded batch per run). An erasure request's pending pointer is put only
if absent, so a second request while one is pending answers the first. Each staff read is
three items (by ticket, by staff member, by day) expiring with the retention period.

Indexes (all project every attribute; all are sparse: an item is in an index only while it
carries that index's keys):

- ``due``: ``due_pk`` = ``TICKET`` | ``MAIL``, ``due_sk`` = ``<utc-iso>#<id>``. For a ticket,
  the next instant the sweep must look at it (its current step's due time, a survey reminder,
  the auto-close); removed while nothing is due (closed, cancelled, on hold, breach already
  recorded). For an email, its next send attempt; removed once sent or failed.
  The sweep reads ``due_pk = X AND due_sk <= now``, so its cost follows what is due.
  ``FIGURES``: a month's fresh report counters (``due_sk`` = ``<utc minute>#<month>#<shard>``),
  which the sweep folds into the month's total once their minute is past (``figures.py``).
- ``list``: ``list_pk`` = ``OPEN`` (open tickets, ``list_sk`` = ``<created-utc>#<number>``, the
  staff queue) | ``ROLE#<role>`` (active staff, ``list_sk`` = email) | ``ALOC#<location key>``
  (active devices of a location, ``list_sk`` = tag in register order) | ``ARETIRED``.
- ``month``: ``month_pk`` = ``M#<yyyy-mm>`` (month of creation in the unit's time zone),
  ``month_sk`` = ``<created-utc>#<number>``. Reports and exports read a period month by month.
- ``assignee``: ``assignee_pk`` = ``A#<email>`` | ``A#POOL#tik`` | ``A#POOL#rt``,
  ``assignee_sk`` = ``<created-utc>#<number>``: the open tickets a staff member holds now, and
  the unclaimed ones of each pool (removed when the ticket leaves the open statuses).
- ``asset``: ``asset_pk`` = ``ASSET#<tag>`` (a ticket filed about a device, its tag in the
  canonical spelling), ``asset_sk`` = ``<created-utc>#<number>``: a device's tickets, newest
  first, and how many fell in the repeat-failure window. Written once, with the ticket.

A ticket's files (PRODUCT.md §11) are a list in its item (``attachments``: name, type, size,
the keys of the file and its thumbnail in the files bucket, the message it came with). The
transaction that attaches an upload also puts its ``UPLOAD#<id>`` claim, only if absent: one
upload becomes one ticket's file, whichever of two concurrent requests wins.

Expiring items carry ``ttl`` (epoch seconds); code checks expiry itself since TTL deletion lags.
"""

INDEXES = {
    "due": ("due_pk", "due_sk"),
    "list": ("list_pk", "list_sk"),
    "month": ("month_pk", "month_sk"),
    "assignee": ("assignee_pk", "assignee_sk"),
    "asset": ("asset_pk", "asset_sk"),
}


def table_definition(table_name: str) -> dict:
    """Keyword arguments for ``CreateTable``; ``infra/`` declares the same (a test compares)."""
    attributes = {"pk", "sk"} | {name for pair in INDEXES.values() for name in pair}
    return {
        "TableName": table_name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in sorted(attributes)
        ],
        "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": index,
                "KeySchema": [
                    {"AttributeName": hash_key, "KeyType": "HASH"},
                    {"AttributeName": range_key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index, (hash_key, range_key) in INDEXES.items()
        ],
    }
