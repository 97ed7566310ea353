"""The files of the device register behind small entry points that import their libraries on
first use: openpyxl (``spreadsheets``), reportlab and segno (``labels``) stay out of every
Lambda cold start that only files or tracks tickets."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO

from tiket.domain.assets import Asset, SheetRow

# Labels per sheet of each layout of ``tiket.adapters.labels.LAYOUTS`` (a test holds them
# equal), the first being the default: known without importing reportlab.
PER_PAGE = {"a4-24": 24, "l7160": 21}


def read_sheet(stream: BinaryIO) -> Iterator[SheetRow]:
    from tiket.adapters.spreadsheets import sheet_rows

    return sheet_rows(stream)


class LabelSheets:
    """QR label sheets of devices, their links on ``public_url``, headed by the unit's name."""

    per_page = PER_PAGE

    def __init__(self, public_url: str, unit_name: str):
        self.public_url = public_url
        self.unit_name = unit_name

    def draw(
        self, assets: Sequence[Asset], layout: str, *, caption: str, skip: int, title: str
    ) -> bytes:
        from tiket.adapters.labels import LAYOUTS, labels_pdf

        return labels_pdf(
            assets,
            self.public_url,
            self.unit_name,
            LAYOUTS[layout],
            caption=caption,
            skip=skip,
            title=title,
        )
