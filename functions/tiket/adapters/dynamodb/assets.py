"""The device register in DynamoDB (key design: ``table.py``).

| item        | pk              | sk        | index keys                                      |
|-------------|-----------------|-----------|-------------------------------------------------|
| device      | ``ASSET#<tag>`` | ``ASSET`` | list: ``ALOC#<location key>`` while active,     |
|             |                 |           | ``ARETIRED`` once retired; ``list_sk``: the tag |
|             |                 |           | with its NUP zero-padded (register order)       |
| location    | ``ASSETLOC``    | ``<key>`` | (one Query lists them all)                      |
| import lock | ``ASSETLOCK``   | ``LOCK``  | (ttl)                                           |

The tickets of a device are ticket items in the ``asset`` index (``asset_pk`` =
``ASSET#<tag>``, ``asset_sk`` = ``<created-utc>#<number>``), written with the ticket.

The function's role may call GetItem, Query, PutItem and UpdateItem only (infra/tiket.yaml):
an import writes its items in transactions of up to 100 puts (IAM authorises each put as a
PutItem) and lookups of many devices are transactional gets (each a GetItem). Nothing is
ever deleted: a retired device keeps its item and its tickets, an emptied location keeps its
item with 0 devices, the lock is released by clearing its expiry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from itertools import islice
from typing import Any, TypeVar

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import (
    PutError,
    QueryError,
    TransactGetError,
    TransactWriteError,
    UpdateError,
)
from pynamodb.models import Model
from pynamodb.transactions import TransactGet, TransactWrite

from tiket.adapters.dynamodb.convert import ticket_from
from tiket.adapters.dynamodb.models import (
    Table,
    TableMeta,
    TicketItem,
    _index,
    _Keys,
    get_item,
    query,
    ttl_of,
    utc_key,
    wrap_error,
)
from tiket.domain.assets import Asset
from tiket.domain.devices import Device, Location
from tiket.domain.errors import WriteConflict
from tiket.domain.model import Ticket

# DynamoDB's cap on the items of one transaction; moto (the local stack) still holds
# transactional gets to the former 25.
TRANSACTION_ITEMS = 100
TRANSACTION_GETS = 25
LOCATIONS_PK = "ASSETLOC"
RETIRED = "ARETIRED"
LOCK_KEY = ("ASSETLOCK", "LOCK")

T = TypeVar("T")


class AssetItem(_Keys, Model):
    class Meta(TableMeta):
        pass

    list_pk = UnicodeAttribute(null=True)
    list_sk = UnicodeAttribute(null=True)
    list_index = _index("list", "list_pk", "list_sk")()
    tag = UnicodeAttribute()
    kode_barang = UnicodeAttribute()
    nup = NumberAttribute()
    name = UnicodeAttribute()
    brand_type = UnicodeAttribute(null=True)
    location = UnicodeAttribute(null=True)
    holder = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()
    retired_at = UTCDateTimeAttribute(null=True)


class AssetLocationItem(_Keys, Model):
    class Meta(TableMeta):
        pass

    name = UnicodeAttribute(null=True)
    devices = NumberAttribute(default=0)


class AssetLockItem(_Keys, Model):
    class Meta(TableMeta):
        pass

    holder = UnicodeAttribute(null=True)
    until = UTCDateTimeAttribute(null=True)
    ttl = NumberAttribute(null=True)


def device_key(tag: str) -> str:
    return f"ASSET#{tag}"


def register_order(asset: Asset) -> str:
    """``3100102001.000012``: kode barang, then NUP as a number (``.2`` before ``.10``)."""
    return f"{asset.kode_barang}.{asset.nup:06d}"


def _item(device: Device) -> AssetItem:
    asset = device.asset
    return AssetItem(
        device_key(asset.tag),
        "ASSET",
        list_pk=f"ALOC#{device.location_key}" if device.active else RETIRED,
        list_sk=register_order(asset),
        tag=asset.tag,
        kode_barang=asset.kode_barang,
        nup=asset.nup,
        name=asset.name,
        brand_type=asset.brand_type or None,
        location=asset.location or None,
        holder=asset.holder or None,
        updated_at=device.updated_at,
        retired_at=device.retired_at,
    )


def _device(item: AssetItem) -> Device:
    asset = Asset(
        tag=item.tag,
        kode_barang=item.kode_barang,
        nup=int(item.nup),
        name=item.name,
        brand_type=item.brand_type or "",
        location=item.location or "",
        holder=item.holder or "",
    )
    return Device(asset, item.updated_at, item.retired_at)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class DynamoAssets:
    def __init__(self, table: Table):
        self.table = table

    # --- devices and locations ------------------------------------------------------------

    def get(self, tag: str) -> Device | None:
        item = get_item(AssetItem, device_key(tag), "ASSET", consistent=False)
        return None if item is None else _device(item)

    def get_many(self, tags: Iterable[str]) -> dict[str, Device]:
        found: dict[str, Device] = {}
        for chunk in _chunks(sorted(set(tags)), TRANSACTION_GETS):
            try:
                with TransactGet(connection=self.table.connection) as tx:
                    futures = [tx.get(AssetItem, device_key(tag), "ASSET") for tag in chunk]
            except TransactGetError as error:
                raise wrap_error(error) from error
            for future in futures:
                try:
                    device = _device(future.get())
                except AssetItem.DoesNotExist:
                    continue
                found[device.tag] = device
        return found

    def locations(self) -> list[Location]:
        items = query(AssetLocationItem, LOCATIONS_PK)
        return [Location(i.sk, i.name or "", int(i.devices)) for i in items if i.devices]

    def in_location(self, key: str) -> list[Device]:
        return [_device(item) for item in query(AssetItem.list_index, f"ALOC#{key}")]

    def retired(self) -> list[Device]:
        return [_device(item) for item in query(AssetItem.list_index, RETIRED)]

    def write(self, devices: Sequence[Device], locations: Sequence[Location]) -> None:
        items: list[Model] = [_item(device) for device in devices]
        items += [
            AssetLocationItem(LOCATIONS_PK, loc.key, name=loc.name or None, devices=loc.devices)
            for loc in locations
        ]
        for chunk in _chunks(items, TRANSACTION_ITEMS):
            try:
                with TransactWrite(connection=self.table.connection) as tx:
                    for item in chunk:
                        tx.save(item)
            except TransactWriteError as error:
                raise wrap_error(error) from error

    # --- the import lock --------------------------------------------------------------------

    def lock(self, holder: str, now: datetime, until: datetime) -> bool:
        free = (
            AssetLockItem.pk.does_not_exist()
            | AssetLockItem.until.does_not_exist()
            | (AssetLockItem.until < now)
        )
        # The ttl only tidies up a lock nobody released; the condition reads ``until``.
        item = AssetLockItem(
            *LOCK_KEY, holder=holder, until=until, ttl=ttl_of(until + timedelta(days=1))
        )
        try:
            item.save(condition=free)
        except PutError as error:
            problem = wrap_error(error)
            if isinstance(problem, WriteConflict):
                return False
            raise problem from error
        return True

    def unlock(self, holder: str) -> None:
        lock = AssetLockItem(*LOCK_KEY)
        try:
            lock.update(
                actions=[AssetLockItem.until.remove(), AssetLockItem.holder.remove()],
                condition=AssetLockItem.holder == holder,
            )
        except UpdateError as error:
            problem = wrap_error(error)
            if not isinstance(problem, WriteConflict):  # else: it expired and was taken over
                raise problem from error

    # --- tickets of a device ----------------------------------------------------------------

    def tickets_of(
        self, tag: str, *, since: datetime | None = None, limit: int | None = None
    ) -> list[Ticket]:
        # "~" sorts after "#<number>": tickets created at ``since`` itself are not after it.
        condition: Any = None if since is None else TicketItem.asset_sk > utc_key(since) + "~"
        try:
            items = TicketItem.asset_index.query(
                device_key(tag), condition, scan_index_forward=False, limit=limit
            )
            return [ticket_from(item) for item in items]
        except QueryError as error:
            raise wrap_error(error) from error
