"""Texts of the conversation (PRODUCT.md §10): messages both ways, reopening, the estimate
told, lost tracking links. Emails are Indonesian only; pages and the API id + en."""

_MAIL = {
    "mail.footer.reply": "Email ini dikirim otomatis oleh TIKet \u2014 {unit}. Balasan "
    "Anda atas email ini dicatat sebagai pesan pada tiket (tanpa kutipan email sebelumnya).",
    "mail.confirmation.prefix": "Permohonan Anda diterima",
    "mail.new_ticket.prefix": "Permohonan baru dari {requester}",
    "mail.requester_message.prefix": "Pesan dari {author} ({role})",
    "mail.requester_message.intro": "{author} ({role}) mengirim pesan tentang tiket {number}:",
    "mail.requester_message.answer": "Jawab dengan tombol \u201cBalas\u201d di bawah.",
    "mail.staff_message.prefix": "Pesan dari {author} ({role})",
    "mail.staff_message.intro": "{author} ({role}) mengirim pesan tentang permohonan Anda:",
    "mail.staff_message.answer": "Untuk menjawab, buka tautan pelacakan di bawah.",
    "mail.estimate.prefix": "Sedang ditangani",
    "mail.estimate.intro": "Permohonan Anda sedang ditangani, perkiraan selesai {due} "
    "(perkiraan waktu penanganan {estimate} kerja, dihitung dalam jam layanan).",
    "mail.reopened.prefix": "Dibuka kembali oleh Pemohon",
    "mail.reopened.intro": "{requester} (Pemohon) menyatakan masalah pada tiket {number} belum "
    "teratasi. Tiket kembali berstatus {status}; waktu penanganan dihitung ulang dengan "
    "perkiraan yang sama ({estimate} kerja).",
    "mail.track_link.prefix": "Tautan pelacakan",
    "mail.track_link.intro": "Berikut tautan pelacakan permohonan {number} yang diminta dari "
    "halaman pelacakan. Abaikan email ini jika Anda tidak memintanya.",
}

ENTRIES: dict[str, dict[str, str]] = {
    **{key: {"id": text} for key, text in _MAIL.items()},
    # --- errors and field messages ------------------------------------------------------
    "conversation.closed": {
        "id": "Percakapan tiket ini sudah berakhir (status {status}).",
        "en": "This ticket's conversation is over (status {status}).",
    },
    "conversation.idempotency_mismatch": {
        "id": "Kunci Idempotency-Key ini sudah dipakai untuk pesan dengan isi atau lampiran "
        "berbeda.",
        "en": "This Idempotency-Key was already used for a message with a different text or files.",
    },
    "reopen.not_open": {
        "id": "Permohonan hanya dapat dibuka kembali setelah selesai ditangani dan sebelum "
        "survei diisi. Status saat ini: {status}.",
        "en": "A request can be reopened only once resolved and before the survey is "
        "filled. Current status: {status}.",
    },
    "lookup.sent": {
        "id": "Jika nomor tiket dan alamat email cocok, tautan pelacakan dikirim ke alamat "
        "tersebut dalam beberapa menit.",
        "en": "If the ticket number and email address match, the tracking link is sent to "
        "that address within a few minutes.",
    },
    "inbound.media_type": {
        "id": "Kirim email mentah (RFC 5322) sebagai message/rfc822.",
        "en": "Send the raw email (RFC 5322) as message/rfc822.",
    },
    # --- history notes -------------------------------------------------------------------
    "history.message": {"id": "Mengirim pesan.", "en": "Sent a message."},
    # --- server-rendered pages (the reply link) ------------------------------------------
    "page.action.reply": {
        "id": "Tulis pesan untuk Pemohon. Pesan dikirim ke email Pemohon dan tampil di "
        "halaman pelacakannya; status tiket tidak berubah.",
        "en": "Write to the requester. The message is emailed to them and shown on their "
        "tracking page; the ticket's status does not change.",
    },
    "page.field.text": {"id": "Pesan", "en": "Message"},
    "page.hint.text": {"id": "Paling banyak {max} karakter.", "en": "At most {max} characters."},
    "page.thread.title": {"id": "Percakapan", "en": "Conversation"},
    "page.thread.empty": {"id": "Belum ada pesan.", "en": "No message yet."},
    "page.reply.done": {
        "id": "Pesan terkirim ke Pemohon. Tautan ini dapat dipakai lagi untuk pesan berikutnya.",
        "en": "Message sent to the requester. This link can be used again for the next one.",
    },
}
