"""QR label sheets: rendered to pixels as a printer would, their QR codes decoded, their ink
checked to stay inside each label."""

from __future__ import annotations

import io
from dataclasses import replace

import pypdfium2 as pdfium
import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from tests.fixtures.bmn import files
from tiket.adapters.labels import (
    A4_24_70X37,
    AVERY_L7160,
    ELLIPSIS,
    LAYOUTS,
    SheetLayout,
    asset_url,
    fit_lines,
    labels_pdf,
)
from tiket.adapters.spreadsheets import sheet_rows
from tiket.domain.assets import Asset, read_assets

PUBLIC = "https://helpdesk.example.go.id/tik/"
UNIT = "Biro Umum dan Teknologi Informasi"
DPI = 200
SCALE = DPI / 72  # pixels per point


@pytest.fixture(scope="module")
def sample() -> tuple[Asset, ...]:
    return read_assets(sheet_rows(files.SAMPLE_CSV.open("rb"))).assets


def worst_case(count: int) -> list[Asset]:
    """Devices whose every text is too long for a label, the longest tag included."""
    name = "Printer Multifungsi Laser Berwarna Dengan Pindai Dua Sisi Otomatis Dan Wi-Fi Direct"
    return [
        Asset(
            tag=f"3100203003.{999_999 - n}",
            kode_barang="3100203003",
            nup=999_999 - n,
            name=name if n % 2 else "X" * 80,  # a word wider than the line
            brand_type="HP Color LaserJet Enterprise Flow MFP M880z+ NFC/Wireless Direct",
            location="Ruang Rapat Utama Lantai 3 Gedung A Sayap Barat Dekat Lift Barang",
        )
        for n in range(count)
    ]


def pages(pdf: bytes) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    return [page.render(scale=SCALE).to_pil().convert("L") for page in document]


def pixel_box(layout: SheetLayout, index: int, inset_mm: tuple[float, float] = (0, 0)):
    """The label's rectangle in image pixels (origin top left), shrunk by ``inset_mm``."""
    x, y, width, height = layout.cell(index)
    dx, dy = inset_mm[0] * mm, inset_mm[1] * mm
    top = layout.page_height * mm - (y + height)
    return (
        (x + dx) * SCALE,
        (top + dy) * SCALE,
        (x + width - dx) * SCALE,
        (top + height - dy) * SCALE,
    )


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_each_label_opens_the_form_for_its_own_device(sample, layout):
    pdf = labels_pdf(sample, PUBLIC, UNIT, layout, skip=2)
    decoded = {}
    for page_number, image in enumerate(pages(pdf)):
        for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            corners = [code.position.top_left, code.position.bottom_right]
            cx = sum(point.x for point in corners) / 2
            cy = sum(point.y for point in corners) / 2
            (index,) = [
                i for i in range(layout.per_page) if _inside((cx, cy), pixel_box(layout, i))
            ]
            decoded[page_number * layout.per_page + index] = code.text
    assert decoded == {
        n + 2: f"https://helpdesk.example.go.id/tik/request.html?asset={asset.tag}"
        for n, asset in enumerate(sample)
    }


def _inside(point, box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_nothing_is_drawn_outside_the_labels_even_for_the_longest_texts(layout):
    count = layout.per_page
    caption = "Pindai kode QR dengan kamera ponsel, tulis kendalanya. " * 4  # descenders: p, g, j
    pdf = labels_pdf(worst_case(count), PUBLIC, f"{UNIT} " * 3, layout, caption=caption)
    (image,) = pages(pdf)
    ink = image.point(lambda value: 255 if value < 160 else 0)
    for index in range(count):
        inner = pixel_box(layout, index, (layout.padding_x, layout.padding_y))
        assert ink.crop(tuple(round(v) for v in inner)).getbbox() is not None  # drawn
        ImageDraw.Draw(ink).rectangle(_grown(inner, 1), fill=0)
    assert ink.getbbox() is None  # no ink left outside the labels' inner areas


def _grown(box, pixels: int):
    """One pixel of anti-aliasing either side."""
    return (box[0] - pixels, box[1] - pixels, box[2] + pixels, box[3] + pixels)


def test_each_label_shows_its_device_tag_location_and_unit(sample):
    pdf = labels_pdf(sample, PUBLIC, UNIT, A4_24_70X37)
    page = pdfium.PdfDocument(pdf)[0]
    text = page.get_textpage()
    for index, asset in enumerate(sample):
        x, y, width, height = A4_24_70X37.cell(index)
        shown = " ".join(text.get_text_bounded(x, y, x + width, y + height).split())
        assert asset.tag in shown
        assert UNIT in shown
        assert asset.name.split()[0] in shown
        if len(asset.location) < 25:
            assert asset.location in shown


def test_long_texts_wrap_then_end_with_an_ellipsis():
    lines = fit_lines("Ruang Rapat Utama Lantai 3 Gedung A Sayap Barat", "Helvetica", 7, 80, 2)
    assert lines == ["Ruang Rapat Utama", "Lantai 3 Gedung A…"]
    assert fit_lines("Ruang TU", "Helvetica", 7, 80, 2) == ["Ruang TU"]
    assert fit_lines("", "Helvetica", 7, 80, 2) == []
    assert fit_lines("ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 3, "Helvetica", 7, 50, 2)[-1].endswith(ELLIPSIS)


@settings(max_examples=200)
@given(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200),
    st.floats(min_value=20, max_value=200),
    st.integers(min_value=1, max_value=3),
)
def test_no_fitted_line_is_wider_than_its_box(text, width, max_lines):
    lines = fit_lines(text, "Helvetica-Bold", 8, width, max_lines)
    assert len(lines) <= max_lines
    assert all(stringWidth(line, "Helvetica-Bold", 8) <= width for line in lines)
    if text.split():
        assert lines


def test_labels_flow_onto_more_sheets_and_skip_used_positions(sample):
    assets = list(sample) * 2  # 36 labels
    assert len(pages(labels_pdf(assets, PUBLIC, UNIT, A4_24_70X37))) == 2
    assert len(pages(labels_pdf(assets[:3], PUBLIC, UNIT, A4_24_70X37, skip=22))) == 2
    assert len(pages(labels_pdf(assets[:21], PUBLIC, UNIT, AVERY_L7160))) == 1


def test_the_same_sheet_gives_the_same_bytes(sample):
    assert labels_pdf(sample, PUBLIC, UNIT) == labels_pdf(sample, PUBLIC, UNIT)


def test_characters_outside_the_fonts_are_replaced_not_dropped(sample):
    device = replace(sample[0], name="Proyektor 投影机 ™")
    page = pdfium.PdfDocument(labels_pdf([device], PUBLIC, UNIT))[0]
    assert "Proyektor ??? TM" in page.get_textpage().get_text_range()  # NFKC: ™ is TM


def test_the_link_is_built_from_the_public_url_and_encoded():
    assert (
        asset_url("https://tiket.example.go.id", "A&B C")
        == "https://tiket.example.go.id/request.html?asset=A%26B+C"
    )
    for bad in ("tiket.example.go.id", "javascript:alert(1)", "https://x.go.id/?a=1", ""):
        with pytest.raises(ValueError):
            asset_url(bad, "3100102001.1")


def test_bad_requests_for_a_sheet_are_refused(sample):
    with pytest.raises(ValueError):
        labels_pdf([], PUBLIC, UNIT)
    with pytest.raises(ValueError):
        labels_pdf(sample, PUBLIC, UNIT, skip=A4_24_70X37.per_page)
    with pytest.raises(ValueError, match="too long"):
        labels_pdf(sample, PUBLIC + "x" * 400, UNIT)


@pytest.mark.parametrize(
    "change",
    [
        {"columns": 4},  # off the page
        {"pitch_y": 30},  # rows overlapping
        {"label_height": 20, "pitch_y": 20},  # too small for its text
        {"label_width": 40, "pitch_x": 40},
    ],
)
def test_a_layout_that_cannot_hold_the_labels_is_refused(change):
    with pytest.raises(ValueError):
        replace(A4_24_70X37, **change)


def test_a_pdf_page_is_a4(sample):
    page = pdfium.PdfDocument(io.BytesIO(labels_pdf(sample, PUBLIC, UNIT)))[0]
    assert (round(page.get_width() / mm), round(page.get_height() / mm)) == (210, 297)
