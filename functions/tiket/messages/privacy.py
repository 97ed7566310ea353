"""Texts of personal-data handling (PRODUCT.md §14): the requester's own page, erasure
requests and their emails, the access log. Emails are Indonesian only."""

_MAIL = {
    "mail.me_login.subject": "Tautan halaman Permohonan Saya",
    "mail.me_login.intro": "Anda (atau seseorang dengan alamat email Anda) meminta tautan ke "
    "halaman \u201cPermohonan Saya\u201d di TIKet. Tautan berlaku {minutes} dan hanya dapat "
    "dipakai sekali. Jika Anda tidak memintanya, abaikan email ini.",
    "mail.me_login.link": "Buka Permohonan Saya",
    "mail.erasure_request.subject": "Permohonan penghapusan data pribadi",
    "mail.erasure_request.intro": "Seorang pemohon meminta penghapusan data pribadinya "
    "(UU 27/2022 tentang Pelindungan Data Pribadi). Mohon putuskan dalam {days} hari kerja: "
    "setujui, atau tolak dengan alasan.",
    "mail.erasure_escalated.subject": "Belum diputuskan: permohonan penghapusan data pribadi",
    "mail.erasure_escalated.intro": "Permohonan penghapusan data pribadi berikut belum "
    "diputuskan lebih dari {days} hari kerja sejak diajukan. Mohon segera ditindaklanjuti.",
    "mail.erasure.detail.email": "Email pemohon",
    "mail.erasure.detail.tickets": "Jumlah tiket",
    "mail.erasure.detail.reason": "Alasan pemohon",
    "mail.erasure.detail.requested": "Diajukan",
    "mail.erasure.approve": "Setujui penghapusan",
    "mail.erasure.refuse": "Tolak (dengan alasan)",
    "mail.erasure_approved.subject": "Data pribadi Anda dihapus",
    "mail.erasure_approved.intro": "Permohonan penghapusan data pribadi Anda disetujui. Nama, "
    "email, NIP, nomor telepon, dan berkas Anda pada {tickets} tiket dihapus dan diganti "
    "dengan \u201c[dihapus]\u201d. Angka statistik layanan (jumlah tiket, waktu, survei) tetap "
    "disimpan tanpa identitas Anda. Ini email terakhir kami ke alamat ini.",
    "mail.erasure_refused.subject": "Permohonan penghapusan data pribadi ditolak",
    "mail.erasure_refused.intro": "Permohonan penghapusan data pribadi Anda tidak dapat "
    "disetujui. Alasan: {reason}. Anda dapat mengajukan keberatan kepada pimpinan unit.",
}

ENTRIES = {
    **{key: {"id": text} for key, text in _MAIL.items()},
    "me.sent": {
        "id": "Jika alamat itu pernah mengajukan permohonan, tautan ke halaman Permohonan Saya "
        "telah dikirim ke email tersebut.",
        "en": "If that address has filed requests, a link to My requests has been sent to it.",
    },
    "me.expired": {
        "id": "Tautan ini sudah kedaluwarsa. Minta tautan baru dari halaman Permohonan Saya.",
        "en": "This link has expired. Ask for a new one on the My requests page.",
    },
    "me.used": {
        "id": "Tautan ini sudah dipakai. Minta tautan baru dari halaman Permohonan Saya.",
        "en": "This link was used already. Ask for a new one on the My requests page.",
    },
    "me.forged": {
        "id": "Tautan ini tidak sah. Minta tautan baru dari halaman Permohonan Saya.",
        "en": "This link is not valid. Ask for a new one on the My requests page.",
    },
    "me.erasure_sent": {
        "id": "Permohonan penghapusan data Anda diterima dan diteruskan ke Admin. Keputusan "
        "dikirim ke email Anda.",
        "en": "Your erasure request was received and sent to the admin. The decision will be "
        "emailed to you.",
    },
    "erasure.decided": {
        "id": "Permohonan ini sudah diputuskan ({status}).",
        "en": "This request has been decided already ({status}).",
    },
    "erasure.busy": {
        "id": "Tiket sedang diubah petugas berkali-kali; penghapusan dicoba lagi oleh sistem.",
        "en": "The ticket kept changing under staff work; the system will try the erasure again.",
    },
    "erasure.not_found": {
        "id": "Permohonan penghapusan tidak ditemukan.",
        "en": "Erasure request not found.",
    },
    "erasure.expired": {
        "id": "Tautan keputusan ini sudah kedaluwarsa. Putuskan dari halaman Admin.",
        "en": "This decision link has expired. Decide from the admin page.",
    },
    "erasure.forged": {"id": "Tautan keputusan tidak sah.", "en": "Invalid decision link."},
    "erasure.not_admin": {
        "id": "Hanya Admin yang aktif yang dapat memutuskan permohonan ini.",
        "en": "Only an active admin can decide this request.",
    },
    "erasure.reason_required": {
        "id": "Tuliskan alasan penolakan (1\u2013500 karakter).",
        "en": "Write the reason for refusing (1\u2013500 characters).",
    },
    "erasure.status.pending": {"id": "menunggu keputusan", "en": "pending"},
    "erasure.status.approved": {"id": "disetujui", "en": "approved"},
    "erasure.status.refused": {"id": "ditolak", "en": "refused"},
    "erasure.page.title": {
        "id": "Permohonan penghapusan data pribadi",
        "en": "Personal data erasure request",
    },
    "erasure.page.intro": {
        "id": "Menyetujui akan mengganti nama, email, NIP, dan telepon pemohon pada semua "
        "tiketnya dengan \u201c[dihapus]\u201d dan menghapus berkasnya. Angka laporan dan SKM "
        "tidak berubah. Tindakan ini tidak dapat dibatalkan.",
        "en": "Approving replaces the requester's name, email, NIP and phone on all their "
        "tickets with \u201c[dihapus]\u201d and deletes their files. Report and SKM figures do "
        "not change. This cannot be undone.",
    },
    "erasure.page.approve": {"id": "Setujui dan hapus", "en": "Approve and erase"},
    "erasure.page.refuse": {"id": "Tolak", "en": "Refuse"},
    "erasure.page.refusal": {"id": "Alasan penolakan", "en": "Reason for refusing"},
    "erasure.page.done.approved": {
        "id": "Disetujui. Data pribadi pemohon telah dihapus dari {tickets} tiket dan pemohon "
        "telah diberi tahu.",
        "en": "Approved. The requester's personal data was erased from {tickets} tickets and "
        "they were told.",
    },
    "erasure.page.done.refused": {
        "id": "Ditolak. Pemohon telah diberi tahu alasannya.",
        "en": "Refused. The requester was told why.",
    },
    "history.erase": {
        "id": "Data pribadi pemohon dihapus ({fields} isian identitas, {entries} catatan atas "
        "nama pemohon, {files} berkas).",
        "en": "The requester's personal data was erased ({fields} identity fields, {entries} "
        "entries in their name, {files} files).",
    },
    "access.date": {"id": "Tanggal berformat YYYY-MM-DD.", "en": "A date as YYYY-MM-DD."},
    "access.period": {
        "id": "Rentang tanggal terbalik atau lebih dari {days} hari (tanpa tiket atau petugas).",
        "en": "Dates out of order, or over {days} days (without a ticket or staff member).",
    },
    "access.view.staff_ticket": {"id": "Halaman tiket petugas", "en": "Staff ticket page"},
    "access.view.action_page": {"id": "Halaman tautan email", "en": "Email link page"},
    "access.view.device_history": {"id": "Riwayat perangkat", "en": "Device history"},
    "access.view.export": {"id": "Ekspor daftar tiket", "en": "Ticket list export"},
    "access.csv.header": {
        "id": "waktu;petugas;peran;tiket;tampilan",
        "en": "time;staff;role;ticket;view",
    },
}
