"""Texts of the server-rendered pages (action links, sign-in, survey) and history notes."""

ENTRIES: dict[str, dict[str, str]] = {
    # --- action links ----------------------------------------------------------------
    "action.forged": {
        "id": "Tautan ini tidak sah atau telah diubah. Gunakan tautan asli dari email Anda.",
        "en": "This link is invalid or was altered. Use the original link from your email.",
    },
    "action.wrong_recipient": {
        "id": "Tautan ini tidak dapat digunakan untuk tindakan ini.",
        "en": "This link cannot be used for this action.",
    },
    "action.expired": {
        "id": "Tautan ini sudah kedaluwarsa. Anda dapat meminta tautan baru ke email yang sama.",
        "en": "This link has expired. You can have a fresh one sent to the same address.",
    },
    "action.used": {
        "id": "Tautan ini sudah digunakan. Status tiket saat ini: {status}.",
        "en": "This link was already used. The ticket's current status: {status}.",
    },
    "action.moved_on": {
        "id": "Tiket sudah berpindah ke tahap lain. Status saat ini: {status}.",
        "en": "The ticket has moved on. Current status: {status}.",
    },
    "action.taken_by": {
        "id": "Tiket ini sudah diterima oleh {name}. Status saat ini: {status}.",
        "en": "This ticket was already taken by {name}. Current status: {status}.",
    },
    "action.not_allowed": {
        "id": "Tindakan ini tidak dapat dilakukan pada status {status}.",
        "en": "This action is not possible while the status is {status}.",
    },
    "action.not_holder": {
        "id": "Hanya petugas yang menangani tiket ini yang dapat melakukan tindakan ini.",
        "en": "Only the staff member handling this ticket can do this.",
    },
    "action.role": {
        "id": "Tindakan ini hanya untuk {role}.",
        "en": "This action is for {role} only.",
    },
    "action.done": {
        "id": "Berhasil. Status tiket sekarang: {status}.",
        "en": "Done. The ticket's status is now: {status}.",
    },
    "action.resent": {
        "id": "Tautan baru telah dikirim ke {email}.",
        "en": "A fresh link was sent to {email}.",
    },
    "survey.not_open": {
        "id": "Survei hanya dapat diisi setelah permohonan selesai ditangani.",
        "en": "The survey opens once the request is resolved.",
    },
    "survey.already": {
        "id": "Survei untuk tiket ini sudah diisi. Terima kasih.",
        "en": "The survey for this ticket was already filled. Thank you.",
    },
    "survey.invalid_answer": {
        "id": "Pilih salah satu jawaban 1 sampai 4.",
        "en": "Choose one answer from 1 to 4.",
    },
    "auth.expired": {
        "id": "Tautan masuk sudah kedaluwarsa. Minta tautan baru dari halaman masuk.",
        "en": "This sign-in link has expired. Ask for a new one on the sign-in page.",
    },
    "auth.used": {
        "id": "Tautan masuk ini sudah dipakai. Minta tautan baru dari halaman masuk.",
        "en": "This sign-in link was already used. Ask for a new one on the sign-in page.",
    },
    "auth.sent": {
        "id": "Jika alamat tersebut terdaftar sebagai petugas, tautan masuk dikirim ke sana "
        "dalam satu menit.",
        "en": "If that address belongs to staff, a sign-in link will reach it within a minute.",
    },
    # --- server-rendered pages (action links) ------------------------------------------
    "page.skip": {"id": "Langsung ke isi utama", "en": "Skip to main content"},
    "page.footer": {
        "id": "TIKet — SOP Permohonan Layanan Penanganan Kendala TIK",
        "en": "TIKet — ICT support request SOP",
    },
    "page.confirm.title": {"id": "Konfirmasi: {action}", "en": "Confirm: {action}"},
    "page.confirm.as": {
        "id": "Anda bertindak sebagai {name} ({role}). Tidak ada yang berubah sebelum Anda "
        "menekan tombol di bawah.",
        "en": "You act as {name} ({role}). Nothing changes until you press the button below.",
    },
    "page.action.acknowledge": {
        "id": "Dengan menerima, Anda menjadi penanggung jawab tiket ini dan langkah diagnosa "
        "dimulai (mutu baku 10 menit kerja).",
        "en": "By acknowledging you take this ticket; the diagnosis step starts "
        "(10 working minutes).",
    },
    "page.action.diagnose": {
        "id": "Catat hasil diagnosa, lalu pilih: ditangani langsung (isi perkiraan waktu) "
        "atau diteruskan ke Pengelola Rumah Tangga untuk pemeliharaan/perbaikan.",
        "en": "Record the diagnosis, then handle it yourself (with an estimate) or refer it "
        "to facilities for repair.",
    },
    "page.action.accept": {
        "id": "Dengan menerima, Anda menjadi penanggung jawab perbaikan. Isi perkiraan waktu "
        "perbaikan; perkiraan ini menjadi mutu baku penanganan.",
        "en": "By accepting you take the repair. Your estimate becomes the time standard.",
    },
    "page.action.resolve": {
        "id": "Uraikan penyelesaian. Pemohon akan menerima email berisi tautan survei SKM.",
        "en": "Describe the resolution. The requester gets an email with the SKM survey link.",
    },
    "page.action.hold": {
        "id": "Selama ditunda, waktu penanganan tidak dihitung. Tuliskan alasannya "
        "(mis. menunggu suku cadang).",
        "en": "While on hold the clock stops. Give the reason (e.g. waiting for parts).",
    },
    "page.action.resume": {
        "id": "Lanjutkan penanganan; batas waktu bergeser sebesar waktu kerja selama ditunda.",
        "en": "Resume handling; the deadline moves by the working time spent on hold.",
    },
    "page.action.cancel": {
        "id": "Batalkan permohonan ini (mis. ganda atau bukan kendala TIK). Pemohon diberi tahu "
        "beserta alasannya.",
        "en": "Cancel this request (e.g. a duplicate). The requester is told why.",
    },
    "page.field.diagnosis": {"id": "Hasil diagnosa", "en": "Diagnosis"},
    "page.field.decision": {"id": "Keputusan", "en": "Decision"},
    "page.decision.handle": {
        "id": "Ditangani langsung oleh Pengelola TIK",
        "en": "Handled directly by ICT staff",
    },
    "page.decision.refer": {
        "id": "Diteruskan ke Pengelola Rumah Tangga (pemeliharaan/perbaikan)",
        "en": "Referred to facilities (maintenance/repair)",
    },
    "page.field.estimate": {
        "id": "Perkiraan waktu penanganan (menit kerja)",
        "en": "Estimated handling time (working minutes)",
    },
    "page.hint.estimate": {
        "id": "1 sampai {max} menit kerja (jam kerja kantor saja).",
        "en": "1 to {max} working minutes (office hours only).",
    },
    "page.hint.estimate_diagnose": {
        "id": "Wajib jika ditangani langsung: 1 sampai {max} menit kerja.",
        "en": "Required when handled directly: 1 to {max} working minutes.",
    },
    "page.field.resolution": {"id": "Uraian penyelesaian", "en": "Resolution"},
    "page.field.reason": {"id": "Alasan", "en": "Reason"},
    "page.done.next": {
        "id": "Langkah berikutnya dapat langsung Anda lakukan di bawah ini (tautannya juga "
        "dikirim ke email Anda).",
        "en": "You can take the next step right here (the links are also in your email).",
    },
    "page.resent.title": {"id": "Tautan baru dikirim", "en": "Fresh link sent"},
    "page.error.400": {"id": "Isian belum lengkap", "en": "Incomplete form"},
    "page.error.403": {"id": "Tautan tidak sah", "en": "Invalid link"},
    "page.error.404": {"id": "Tidak ditemukan", "en": "Not found"},
    "page.error.409": {"id": "Tindakan tidak dapat dilakukan", "en": "Action not possible"},
    "page.error.410": {"id": "Tautan kedaluwarsa", "en": "Link expired"},
    "page.error.429": {"id": "Terlalu banyak permintaan", "en": "Too many requests"},
    "page.error.500": {"id": "Terjadi kesalahan", "en": "Something went wrong"},
    "page.error.503": {"id": "Layanan sibuk", "en": "Service busy"},
    "page.error.other": {"id": "Permintaan tidak dapat diproses", "en": "Request not processed"},
    "page.error.current": {"id": "Status tiket saat ini:", "en": "The ticket's current status:"},
    "page.error.resend_hint": {
        "id": "Tautan baru akan dikirim ke alamat email yang sama dengan tautan ini.",
        "en": "A fresh link will be sent to the same address as this one.",
    },
    "page.error.resend": {"id": "Kirim tautan baru", "en": "Send a fresh link"},
    "page.back_home": {"id": "Kembali ke beranda layanan", "en": "Back to the service home"},
    # --- history notes -----------------------------------------------------------------
    "history.breach": {
        "id": "Langkah \u201c{step}\u201d melewati mutu baku ({minutes} kerja).",
        "en": "Step \u201c{step}\u201d exceeded its time standard ({minutes} of working time).",
    },
    "history.accept": {
        "id": "Perkiraan penanganan: {minutes} kerja.",
        "en": "Estimated handling: {minutes} of working time.",
    },
    "history.dispatch": {
        "id": "Notifikasi permohonan terkirim ke Pengelola TIK.",
        "en": "The request notification reached the ICT staff.",
    },
    "history.undelivered": {
        "id": "Email ke alamat Pemohon tidak dapat dikirim.",
        "en": "An email to the requester's address could not be delivered.",
    },
    "history.remind": {
        "id": "Pengingat survei SKM dikirim ke Pemohon.",
        "en": "SKM survey reminder sent to the requester.",
    },
    "history.auto_close": {
        "id": "Ditutup otomatis: survei tidak diisi dalam {days} hari kerja.",
        "en": "Closed automatically: no survey within {days} working days.",
    },
}
