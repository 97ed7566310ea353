"""Texts of files sent with messages (PRODUCT.md §10 and §11). Emails are Indonesian only;
pages and the API id + en."""

ENTRIES: dict[str, dict[str, str]] = {
    # A message's email says how many files came with it; it never carries them.
    "mail.message.files": {
        "id": "Pesan ini disertai {count} lampiran (foto/dokumen); lihat melalui tautan di bawah.",
    },
    "attachment.ticket_full": {
        "id": "Tiket ini sudah memuat batas {max} lampiran; sisa {left}. Kirim pesan tanpa "
        "lampiran atau dengan lebih sedikit lampiran.",
        "en": "This ticket holds at most {max} files; {left} left. Send the message without "
        "files or with fewer.",
    },
    # The reply link's page works without a script; uploads need the staff page's.
    "page.reply.files": {
        "id": "Untuk melampirkan foto atau berkas, tulis pesan dari halaman tiket staf.",
        "en": "To attach photos or files, write the message from the staff ticket page.",
    },
}
