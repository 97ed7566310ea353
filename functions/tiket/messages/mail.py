"""Email texts. Emails are written in Bahasa Indonesia (PRODUCT.md §9)."""

_TEXTS = {
    "mail.greeting": "Yth. {name},",
    "mail.footer": "Email ini dikirim otomatis oleh TIKet \u2014 {unit}. "
    "Mohon tidak membalas email ini.",
    "mail.detail.number": "Nomor tiket",
    "mail.detail.status": "Status",
    "mail.detail.subject": "Judul",
    "mail.detail.category": "Kategori",
    "mail.detail.requester": "Pemohon",
    "mail.detail.contact": "Kontak",
    "mail.detail.unit": "Unit kerja",
    "mail.detail.location": "Lokasi",
    "mail.detail.asset": "Nomor aset/BMN",
    "mail.detail.description": "Uraian kendala",
    "mail.detail.created": "Diajukan",
    "mail.detail.diagnosis": "Diagnosa",
    "mail.detail.resolution": "Penyelesaian",
    "mail.detail.reason": "Alasan",
    "mail.detail.assignee": "Penanggung jawab",
    "mail.deadline": "Batas waktu {step}: {deadline} (mutu baku {minutes}).",
    "mail.link.track": "Lacak permohonan Anda",
    "mail.link.survey": "Isi Survei Kepuasan Masyarakat (SKM)",
    "mail.link.ticket": "Lihat tiket di halaman petugas",
    "mail.link.login": "Masuk ke TIKet",
    "mail.subject.prefixed": "[{number}] {prefix}: {subject}",
    "mail.confirmation.intro": "Permohonan layanan penanganan kendala TIK Anda telah kami "
    "terima dengan nomor {number}. Pengelola TIK akan segera menindaklanjutinya. Simpan "
    "tautan di bawah untuk memantau perkembangan permohonan Anda.",
    "mail.new_ticket.intro": "Ada permohonan layanan penanganan kendala TIK baru. Petugas "
    "pertama yang menekan \u201cTerima\u201d menjadi penanggung jawab tiket ini.",
    "mail.acknowledged.prefix": "Diterima oleh {name}",
    "mail.acknowledged.intro": "Permohonan Anda telah diterima oleh {name} (Pengelola TIK) "
    "dan sedang didiagnosa.",
    "mail.next_steps.prefix": "Langkah berikutnya",
    "mail.next_steps.intro": "Status tiket {number} sekarang: {status}. Gunakan tautan di "
    "bawah untuk langkah berikutnya.",
    "mail.next_steps.none": "Tidak ada tindakan lanjutan yang perlu Anda lakukan saat ini.",
    "mail.referral.prefix": "Perbaikan diteruskan",
    "mail.referral.intro": "{name} (Pengelola TIK) meneruskan permohonan ini untuk "
    "pemeliharaan/perbaikan oleh Pengelola Rumah Tangga. Petugas pertama yang menekan "
    "\u201cTerima perbaikan\u201d menjadi penanggung jawab perbaikan.",
    "mail.referred.prefix": "Diteruskan ke Rumah Tangga",
    "mail.referred.intro": "Hasil diagnosa menunjukkan perangkat Anda memerlukan "
    "pemeliharaan/perbaikan. Permohonan Anda telah diteruskan ke Pengelola Rumah Tangga.",
    "mail.repair_accepted.prefix": "Perbaikan diterima",
    "mail.repair_accepted.intro": "{name} (Pengelola Rumah Tangga) menerima perbaikan tiket "
    "ini dengan perkiraan waktu {estimate} kerja.",
    "mail.resolved.prefix": "Selesai",
    "mail.resolved.intro": "Permohonan Anda telah selesai ditangani. Mohon luangkan waktu "
    "sekitar dua menit untuk mengisi Survei Kepuasan Masyarakat (SKM); jawaban Anda "
    "menjadi bahan evaluasi kinerja unit kami. Jika masalahnya belum teratasi, buka tombol "
    "yang sama dan pilih \u201cMasalah belum teratasi\u201d.",
    "mail.repair_done.prefix": "Perbaikan selesai",
    "mail.repair_done.intro": "Perbaikan tiket ini telah diselesaikan oleh {name} "
    "(Pengelola Rumah Tangga).",
    "mail.on_hold.prefix": "Ditunda",
    "mail.on_hold.intro": "Penanganan permohonan Anda ditunda sementara. Waktu penundaan "
    "tidak dihitung dalam waktu penyelesaian.",
    "mail.cancelled.prefix": "Dibatalkan",
    "mail.cancelled.intro": "Permohonan Anda dibatalkan oleh Pengelola TIK.",
    "mail.breach.prefix": "Melewati mutu baku",
    "mail.breach.intro": "Tiket {number} melewati mutu baku pada langkah \u201c{step}\u201d. "
    "Batas waktunya {deadline} ({minutes} kerja).",
    "mail.breach.pool": "Belum ada petugas yang menerima tiket ini.",
    "mail.survey_reminder.prefix": "Mohon isi survei",
    "mail.survey_reminder.intro": "Permohonan Anda telah selesai ditangani pada {resolved}. "
    "Kami belum menerima Survei Kepuasan Masyarakat (SKM) Anda. Survei dapat diisi "
    "sampai {close}; setelah itu tiket ditutup otomatis.",
    "mail.fresh_link.prefix": "Tautan baru",
    "mail.fresh_link.intro": "Berikut tautan baru untuk tindakan \u201c{action}\u201d pada "
    "tiket {number}, sesuai permintaan dari tautan yang kedaluwarsa.",
    "mail.login.subject": "Tautan masuk TIKet",
    "mail.login.intro": "Gunakan tautan berikut untuk masuk ke halaman petugas TIKet. "
    "Tautan berlaku {minutes} dan hanya dapat dipakai sekali. Abaikan email ini "
    "jika Anda tidak memintanya.",
}

ENTRIES: dict[str, dict[str, str]] = {key: {"id": text} for key, text in _TEXTS.items()}
