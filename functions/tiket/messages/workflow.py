"""Texts of the staff workflow (PRODUCT.md §12): acting from the staff pages, return and
reassign, the escalation ladder, estimate presets, and the pages that lead on. Emails are
Indonesian only; pages and the API Indonesian and English."""

_MAIL = {
    "mail.escalation.prefix": "Masih melewati mutu baku",
    "mail.escalation.intro": "Tiket {number} masih tertunda pada langkah \u201c{step}\u201d: "
    "batas waktunya {deadline} (mutu baku {minutes} kerja) sudah lewat lebih dari {late} "
    "kerja. Ini eskalasi tingkat {level} dari {top}.",
    "mail.escalation.admin": "Eskalasi tingkat tertinggi: Admin turut menerima email ini.",
    "mail.returned.prefix": "Dikembalikan oleh Rumah Tangga",
    "mail.returned.intro": "{by} (Pengelola Rumah Tangga) mengembalikan tiket {number} "
    "kepada Anda untuk ditinjau ulang. Alasan: {reason}. Silakan diagnosa ulang; waktu "
    "diagnosa dihitung lagi dari sekarang.",
    "mail.returned_requester.prefix": "Kembali ke Pengelola TIK",
    "mail.returned_requester.intro": "Permohonan Anda dikembalikan dari Pengelola Rumah "
    "Tangga kepada {name} (Pengelola TIK) untuk ditinjau ulang.",
    "mail.reassigned.prefix": "Dialihkan kepada Anda",
    "mail.reassigned.intro": "{by} mengalihkan penanganan tiket {number} kepada Anda "
    "(sebelumnya: {previous}). Batas waktu langkah yang sedang berjalan tidak berubah.",
    "mail.reassigned_away.prefix": "Dialihkan",
    "mail.reassigned_away.intro": "{by} mengalihkan penanganan tiket {number} dari Anda "
    "kepada {to_name}. Tautan tindakan lama Anda untuk tiket ini tidak berlaku lagi.",
    "mail.reassigned_requester.prefix": "Petugas berganti",
    "mail.reassigned_requester.intro": "Permohonan Anda kini ditangani oleh {handler}.",
}

_PAGES: dict[str, dict[str, str]] = {
    "error.cross_site": {
        "id": "Permintaan ini hanya dapat dikirim dari halaman TIKet sendiri. "
        "Buka halaman petugas dan coba lagi.",
        "en": "This request can only be sent from TIKet's own pages. "
        "Open the staff page and try again.",
    },
    "workflow.stale": {
        "id": "Tiket sudah berubah sejak halaman ini dimuat (status sekarang: {status}). "
        "Muat ulang halaman dan periksa kembali sebelum bertindak.",
        "en": "The ticket changed since this page was loaded (status now: {status}). "
        "Reload the page and check again before acting.",
    },
    "workflow.unknown_action": {
        "id": "Tindakan ini tidak dikenal.",
        "en": "Unknown action.",
    },
    "workflow.version": {
        "id": "Sertakan versi tiket (angka bulat dari halaman tiket).",
        "en": "Send the ticket's version (a whole number from the ticket page).",
    },
    "workflow.bad_period": {
        "id": "Periode tidak sah. Gunakan tanggal TTTT-BB-HH, dari tidak setelah sampai, "
        "paling lama {months} bulan.",
        "en": "Invalid period. Use YYYY-MM-DD dates, from not after to, at most {months} months.",
    },
    "workflow.bad_search": {
        "id": "Isian pencarian terlalu panjang (maksimal {max} karakter).",
        "en": "The search text is too long ({max} characters at most).",
    },
    "reassign.unknown": {
        "id": "Tidak ada petugas dengan alamat email ini.",
        "en": "No staff member has this email address.",
    },
    "reassign.inactive": {
        "id": "{name} tidak aktif lagi sebagai petugas. Pilih petugas lain.",
        "en": "{name} is no longer active staff. Choose someone else.",
    },
    "reassign.role": {
        "id": "{name} bukan {role}. Tiket ini hanya dapat dialihkan kepada {role}.",
        "en": "{name} is not {role}. This ticket can only go to {role}.",
    },
    "reassign.same": {
        "id": "Tiket ini sudah dipegang oleh {name}.",
        "en": "{name} already holds this ticket.",
    },
    "reassign.unheld": {
        "id": "Tiket berstatus {status} belum dipegang siapa pun: semua petugas terkait sudah "
        "menerima emailnya dan dapat mengambilnya. Pengalihan hanya untuk tiket yang sudah "
        "dipegang petugas.",
        "en": "A ticket in status {status} is held by nobody yet: all staff concerned got its "
        "email and may take it. Only held tickets can be reassigned.",
    },
    "return.no_referrer": {
        "id": "Tiket ini tidak mencatat Pengelola TIK yang meneruskannya, sehingga tidak dapat "
        "dikembalikan. Hubungi Ketua Tim atau Admin.",
        "en": "This ticket does not record the ICT staff member who referred it, so it cannot "
        "be returned. Contact the supervisor or admin.",
    },
    # --- history notes ---------------------------------------------------------------
    "history.reassign": {
        "id": "Dialihkan dari {from_name} kepada {to_name}.",
        "en": "Reassigned from {from_name} to {to_name}.",
    },
    "history.escalate": {
        "id": "Langkah \u201c{step}\u201d masih melewati mutu baku: eskalasi tingkat {level}.",
        "en": "Step \u201c{step}\u201d is still over its time standard: escalation level {level}.",
    },
    # --- action forms ------------------------------------------------------------------
    "page.action.return": {
        "id": "Kembalikan tiket ini kepada Pengelola TIK yang meneruskannya bila bukan "
        "pekerjaan pemeliharaan/perbaikan. Tuliskan alasannya; ia akan mendiagnosa ulang.",
        "en": "Hand this ticket back to the ICT staff member who referred it if it is not "
        "maintenance or repair work. Give the reason; they will diagnose it again.",
    },
    "page.action.reassign": {
        "id": "Alihkan penanganan kepada petugas aktif lain dengan peran yang sama. Batas waktu "
        "langkah yang berjalan tidak berubah.",
        "en": "Move the handling to another active staff member of the same role. The running "
        "step's deadline does not change.",
    },
    "page.field.email": {"id": "Petugas baru", "en": "New staff member"},
    "page.field.estimate_preset": {"id": "Perkiraan waktu", "en": "Estimated time"},
    "page.estimate.custom": {"id": "Lainnya (isi menit kerja)", "en": "Other (working minutes)"},
    "page.hint.presets": {
        "id": "½ hari = {half}, 1 hari = {day} kerja (hari kerja kantor terpendek). Angka "
        "yang diketik mengalahkan pilihan.",
        "en": "½ day = {half}, 1 day = {day} of working time (the shortest office day). A "
        "typed number wins over a choice.",
    },
    "estimate.min30": {"id": "30 menit", "en": "30 min"},
    "estimate.hour1": {"id": "1 jam", "en": "1 hour"},
    "estimate.half_day": {"id": "½ hari", "en": "½ day"},
    "estimate.day1": {"id": "1 hari", "en": "1 day"},
    "estimate.days2": {"id": "2 hari kerja", "en": "2 working days"},
    # --- pages that lead on ----------------------------------------------------------
    "page.lead.last": {
        "id": "Perubahan terakhir: “{action}” oleh {name} ({role}) pada {at}.",
        "en": "Last change: “{action}” by {name} ({role}) on {at}.",
    },
    "page.lead.staff_page": {
        "id": "Buka tiket di halaman petugas",
        "en": "Open the ticket on the staff page",
    },
    "page.lead.do": {"id": "{action} di halaman petugas", "en": "{action} on the staff page"},
    "page.lead.now": {
        "id": "Yang dapat Anda lakukan sekarang:",
        "en": "What you can do now:",
    },
    "page.lead.nothing": {
        "id": "Tidak ada tindakan lain untuk Anda pada tiket ini saat ini.",
        "en": "There is nothing else for you to do on this ticket now.",
    },
    "page.lead.signin": {
        "id": "Halaman petugas meminta Anda masuk bila belum masuk.",
        "en": "The staff page asks you to sign in if you have not yet.",
    },
    "page.contact.call": {"id": "Telepon", "en": "Call"},
    "page.contact.whatsapp": {"id": "WhatsApp", "en": "WhatsApp"},
    "page.contact.email": {"id": "Kirim email", "en": "Send email"},
}

ENTRIES: dict[str, dict[str, str]] = {
    **{key: {"id": text} for key, text in _MAIL.items()},
    **_PAGES,
}
