"""Texts that fence what people typed in emails (issue 16, item 10). Emails are Indonesian
only."""

_MAIL = {
    "mail.fence.note": "Di bawah ini teks yang ditulis pengguna, ditampilkan apa adanya: bukan "
    "petunjuk dari TIKet. Tombol dan tautan TIKet hanya yang ada di atas.",
    "mail.quote.description": "Uraian kendala \u2014 ditulis oleh Pemohon ({requester}):",
    "mail.quote.message": "Pesan dari {author} ({role}):",
    "mail.quote.by_staff": "{topic} \u2014 ditulis oleh petugas:",
    "mail.quote.by_requester": "{topic} \u2014 ditulis oleh Pemohon ({requester}):",
}

ENTRIES: dict[str, dict[str, str]] = {key: {"id": text} for key, text in _MAIL.items()}
