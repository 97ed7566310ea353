"""Printable sheets of QR labels for devices (PRODUCT.md §15): one PDF, A4 sticker sheets.

Each label carries the QR of ``<public_url>/request.html?asset=<tag>`` (the request form opens
with the device filled in), the device's name and brand/type, its tag, its location and the
unit's name. segno makes the QR matrix (pure Python, standard-conformant, no dependencies);
reportlab draws it as vector squares, so it stays sharp on any printer, and measures the
text with the fonts' metrics, so every line is wrapped or ellipsized to its box.

Nothing is drawn outside a label: the worst case of the text block (every line at its
maximum) is checked against each layout when the layout is made, every line is fitted to the
text column's width, and each label is clipped to its cell as a last guard.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

import segno
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.pdfgen.canvas import Canvas

from tiket.domain.assets import KODE_DIGITS, NUP_MAX, Asset

ELLIPSIS = "…"
# A phone camera at arm's length reads modules of a third of a millimetre reliably.
MIN_MODULE_MM = 0.33
QR_GAP_MM = 1.5  # between the QR's quiet zone and the text column
QR_SHARE = 0.42  # of the label's inner width: the text column keeps the rest
TAG_MAX_CHARS = KODE_DIGITS + 1 + len(str(NUP_MAX))


class Line(NamedTuple):
    """One block of the text column: font, size, leading (points) and how many lines at most."""

    font: str
    size: float
    leading: float
    max_lines: int


# Top to bottom. The tag is never shortened: its size shrinks to fit, down to TAG_MIN_SIZE.
UNIT = Line("Helvetica", 5.5, 6.5, 2)
NAME = Line("Helvetica-Bold", 8, 9.2, 2)
BRAND = Line("Helvetica", 7, 8.2, 2)
LOCATION = Line("Helvetica", 7, 8.2, 2)
TAG = Line("Courier-Bold", 8, 9.5, 1)
CAPTION = Line("Helvetica-Oblique", 5.5, 6.5, 1)
TAG_MIN_SIZE = 5.0
BLOCKS = (UNIT, NAME, BRAND, LOCATION, TAG, CAPTION)


@dataclass(frozen=True)
class SheetLayout:
    """A sticker sheet, in millimetres: its page, its grid of labels and where the grid starts.
    The paddings keep ink off the die cut and out of the printer's unprintable margin."""

    name: str
    columns: int
    rows: int
    label_width: float
    label_height: float
    left: float  # page edge to the first column
    top: float  # page edge to the first row
    pitch_x: float  # from one label's left edge to the next one's
    pitch_y: float
    padding_x: float
    padding_y: float
    page_width: float = 210.0  # A4
    page_height: float = 297.0

    def __post_init__(self) -> None:
        right = self.left + (self.columns - 1) * self.pitch_x + self.label_width
        bottom = self.top + (self.rows - 1) * self.pitch_y + self.label_height
        if right > self.page_width + 0.01 or bottom > self.page_height + 0.01:
            raise ValueError(f"{self.name}: the labels do not fit on the page")
        if self.pitch_x < self.label_width or self.pitch_y < self.label_height:
            raise ValueError(f"{self.name}: the labels overlap")
        box = self.text_box_mm()
        worst = sum(block.leading * block.max_lines for block in BLOCKS)
        tag = stringWidth("0" * TAG_MAX_CHARS, TAG.font, TAG_MIN_SIZE)
        if worst > box[1] * mm or tag > box[0] * mm:
            raise ValueError(f"{self.name}: the label is too small for its text")
        for block in BLOCKS:
            ascent, descent = getAscentDescent(block.font, block.size)
            if ascent - descent > block.leading:
                raise ValueError(f"{block.font} {block.size} pt: leading below the glyphs' height")

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def inner_mm(self) -> tuple[float, float]:
        return self.label_width - 2 * self.padding_x, self.label_height - 2 * self.padding_y

    def qr_side_mm(self) -> float:
        inner_w, inner_h = self.inner_mm()
        return min(inner_h, inner_w * QR_SHARE)

    def text_box_mm(self) -> tuple[float, float]:
        inner_w, inner_h = self.inner_mm()
        return inner_w - self.qr_side_mm() - QR_GAP_MM, inner_h

    def cell(self, index: int) -> tuple[float, float, float, float]:
        """``(x, y, width, height)`` in points, PDF coordinates (origin at the page's bottom
        left), of position ``index`` on a page, counted row by row from the top left."""
        row, column = divmod(index % self.per_page, self.columns)
        x = self.left + column * self.pitch_x
        y = self.page_height - self.top - row * self.pitch_y - self.label_height
        return x * mm, y * mm, self.label_width * mm, self.label_height * mm


# 24 labels of 70 × 37 mm, edge to edge (Avery 3474, Herma 4453 and local brands). The sheet
# has no margin and printers leave about 4.2 mm unprinted, hence the wider padding.
A4_24_70X37 = SheetLayout(
    name="A4 24 (3 × 8), 70 × 37 mm",
    columns=3,
    rows=8,
    label_width=70,
    label_height=37,
    left=0,
    top=0.5,
    pitch_x=70,
    pitch_y=37,
    padding_x=4.5,
    padding_y=4,
)
# Avery L7160: 21 labels of 63.5 × 38.1 mm, 2.5 mm between columns.
AVERY_L7160 = SheetLayout(
    name="Avery L7160, 21 (3 × 7), 63.5 × 38.1 mm",
    columns=3,
    rows=7,
    label_width=63.5,
    label_height=38.1,
    left=7.25,
    top=15.15,
    pitch_x=66,
    pitch_y=38.1,
    padding_x=3,
    padding_y=3,
)
LAYOUTS = {"a4-24": A4_24_70X37, "l7160": AVERY_L7160}


def asset_url(public_url: str, tag: str) -> str:
    parts = urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
        raise ValueError("public_url must be an absolute http(s) URL without a query")
    return f"{public_url.rstrip('/')}/request.html?{urlencode({'asset': tag})}"


def labels_pdf(
    assets: Sequence[Asset],
    public_url: str,
    unit_name: str,
    layout: SheetLayout = A4_24_70X37,
    *,
    caption: str = "",
    skip: int = 0,
    title: str = "",
) -> bytes:
    """One label per asset, in the given order, ``layout.per_page`` to a page. ``skip``
    leaves the first positions of the first sheet empty (a sheet already partly used)."""
    if not assets:
        raise ValueError("no assets to label")
    if not 0 <= skip < layout.per_page:
        raise ValueError(f"skip must be from 0 to {layout.per_page - 1}")
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=(layout.page_width * mm, layout.page_height * mm), invariant=True)
    pdf.setTitle(title or unit_name)
    pdf.setCreator("TIKet")
    for n, asset in enumerate(assets, start=skip):
        if n > skip and n % layout.per_page == 0:
            pdf.showPage()
        _label(pdf, layout, layout.cell(n), asset, public_url, unit_name, caption)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _label(
    pdf: Canvas,
    layout: SheetLayout,
    cell: tuple[float, float, float, float],
    asset: Asset,
    public_url: str,
    unit_name: str,
    caption: str,
) -> None:
    x, y, width, height = cell
    pad_x, pad_y = layout.padding_x * mm, layout.padding_y * mm
    pdf.saveState()
    clip = pdf.beginPath()
    clip.rect(x, y, width, height)
    pdf.clipPath(clip, stroke=0, fill=0)
    side = layout.qr_side_mm() * mm
    _qr(pdf, asset_url(public_url, asset.tag), x + pad_x, y + (height - side) / 2, side)
    text_w = layout.text_box_mm()[0] * mm
    left = x + pad_x + side + QR_GAP_MM * mm
    top = y + height - pad_y
    blocks = [
        (UNIT, unit_name),
        (NAME, asset.name),
        (BRAND, asset.brand_type),
        (LOCATION, asset.location),
    ]
    for block, text in blocks:
        lines = fit_lines(text, block.font, block.size, text_w, block.max_lines)
        top = _block(pdf, block, lines, left, top)
    size = fit_size(asset.tag, TAG.font, TAG.size, TAG_MIN_SIZE, text_w)
    top = _block(pdf, TAG._replace(size=size), [asset.tag], left, top)
    if caption:
        lines = fit_lines(caption, CAPTION.font, CAPTION.size, text_w, CAPTION.max_lines)
        _block(pdf, CAPTION, lines, left, y + pad_y + CAPTION.leading * len(lines))
    pdf.restoreState()


def _block(pdf: Canvas, block: Line, lines: Sequence[str], left: float, top: float) -> float:
    """Draw lines downwards from ``top``, each within its leading (the layout checked that
    ascent and descent fit in it); returns the top of what follows."""
    pdf.setFont(block.font, block.size)
    descent = getAscentDescent(block.font, block.size)[1]  # negative
    for line in lines:
        top -= block.leading
        pdf.drawString(left, top - descent, line)
    return top


def _qr(pdf: Canvas, data: str, x: float, y: float, side: float) -> None:
    """The QR with its 4-module quiet zone as a ``side``-wide square at (x, y): each run of
    dark modules in a row is one rectangle of one path."""
    code = segno.make(data, error="m", boost_error=True, micro=False)
    matrix = list(code.matrix_iter(scale=1, border=4))
    module = side / len(matrix)
    if module < MIN_MODULE_MM * mm:
        raise ValueError("the URL is too long for a QR code on this label")
    path = pdf.beginPath()
    for r, row in enumerate(matrix):
        bottom = y + side - (r + 1) * module
        column = 0
        for dark, run in groupby(row):
            width = sum(1 for _ in run)
            if dark:
                path.rect(x + column * module, bottom, width * module, module)
            column += width
    pdf.drawPath(path, stroke=0, fill=1)


def printable(text: str) -> str:
    """One line of text the PDF's standard fonts can show (Windows-1252): other characters
    become their closest compatibility form, else "?"."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return text.encode("cp1252", errors="replace").decode("cp1252")


def fit_lines(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """``text`` wrapped at spaces into at most ``max_lines`` lines no wider than ``width``
    points; a word wider than a line is cut; text left over ends the last line with "…"."""
    words = printable(text).split()
    lines: list[str] = []
    current = ""
    while words:
        word = words[0]
        candidate = f"{current} {word}" if current else word
        if stringWidth(candidate, font, size) <= width:
            current = candidate
            words.pop(0)
            continue
        if not current:  # a single word wider than the line: cut it
            cut = _prefix(word, font, size, width)
            lines.append(word[:cut])
            words[0] = word[cut:]
        else:
            lines.append(current)
            current = ""
        if len(lines) == max_lines:
            break
    if current and len(lines) < max_lines:
        lines.append(current)
        current = ""
    if words or current:
        lines[-1] = _ellipsized(lines[-1], font, size, width)
    return lines


def fit_size(text: str, font: str, size: float, min_size: float, width: float) -> float:
    """The largest size, from ``size`` down to ``min_size`` by half points, at which ``text``
    fits ``width``."""
    while size > min_size and stringWidth(text, font, size) > width:
        size -= 0.5
    return max(size, min_size)


def _prefix(word: str, font: str, size: float, width: float) -> int:
    n = 1
    while n < len(word) and stringWidth(word[: n + 1], font, size) <= width:
        n += 1
    return n


def _ellipsized(line: str, font: str, size: float, width: float) -> str:
    while line and stringWidth(line.rstrip() + ELLIPSIS, font, size) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS
