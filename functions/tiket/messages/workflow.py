"""Texts of the staff workflow (PRODUCT.md §12): acting from the staff pages, return and
reassign, the escalation ladder, estimate presets, and the pages that lead on."""

ENTRIES: dict[str, dict[str, str]] = {
    "error.cross_site": {
        "id": "Permintaan ini hanya dapat dikirim dari halaman TIKet sendiri. "
        "Buka halaman petugas dan coba lagi.",
        "en": "This request can only be sent from TIKet's own pages. "
        "Open the staff page and try again.",
    },
}
