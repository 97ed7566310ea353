"""Every user-facing text of the server side, Bahasa Indonesia first, English second.

Code refers to texts by key; the web layer and the mail renderer turn keys into text in the
reader's language. Domain code builds ``Msg`` values (key + parameters) so that it stays free
of any language choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"


@dataclass(frozen=True)
class Msg:
    """A text to be rendered later, in the reader's language."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(self.key, lang, **self.params)


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    entry = CATALOGUE[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text


def pick_language(accept_language: str | None, explicit: str | None = None) -> str:
    """``?lang=`` wins, then the first supported tag of Accept-Language, else Indonesian."""
    if explicit in LANGUAGES:
        return explicit
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


STATUS = {
    "new": ("Baru", "New"),
    "acknowledged": ("Diterima", "Acknowledged"),
    "in_progress": ("Dalam Penanganan", "In progress"),
    "referred": ("Diteruskan ke Rumah Tangga", "Referred to facilities"),
    "in_repair": ("Dalam Perbaikan", "In repair"),
    "on_hold": ("Ditunda", "On hold"),
    "resolved": ("Selesai", "Resolved"),
    "closed": ("Ditutup", "Closed"),
    "cancelled": ("Dibatalkan", "Cancelled"),
}

STEPS = {
    "notify": ("Notifikasi ke Pengelola TIK", "Notification to ICT staff"),
    "acknowledge": ("Tindak lanjut oleh Pengelola TIK", "Acknowledged by ICT staff"),
    "diagnose": ("Diagnosa", "Diagnosis"),
    "rt_accept": ("Diterima Pengelola Rumah Tangga", "Accepted by facilities"),
    "handle": ("Penanganan / perbaikan", "Handling / repair"),
}

ACTIONS = {
    "acknowledge": ("Terima dan tindak lanjuti", "Acknowledge"),
    "diagnose": ("Diagnosa", "Diagnose"),
    "accept": ("Terima perbaikan", "Accept repair"),
    "resolve": ("Selesaikan", "Resolve"),
    "hold": ("Tunda", "Put on hold"),
    "resume": ("Lanjutkan", "Resume"),
    "cancel": ("Batalkan", "Cancel"),
    "survey": ("Isi survei", "Fill the survey"),
    "auto_close": ("Ditutup otomatis", "Closed automatically"),
    "breach": ("Melewati mutu baku", "Time standard exceeded"),
    "create": ("Permohonan diajukan", "Request filed"),
}

ROLES = {
    "requester": ("Pemohon", "Requester"),
    "tik": ("Pengelola TIK", "ICT staff"),
    "rt": ("Pengelola Rumah Tangga", "Facilities staff"),
    "supervisor": ("Ketua Tim / Kepala", "Supervisor"),
    "admin": ("Admin", "Admin"),
    "system": ("Sistem", "System"),
}

# Default categories of ICT problems (configurable; see config.py).
CATEGORIES = {
    "hardware": ("Perangkat keras (komputer, laptop, printer)", "Hardware (PC, laptop, printer)"),
    "network": ("Jaringan dan internet", "Network and internet"),
    "email_account": ("Email dan akun", "Email and accounts"),
    "application": ("Aplikasi dan sistem informasi", "Applications and information systems"),
    "software": ("Perangkat lunak dan instalasi", "Software and installation"),
    "meeting_av": ("Perangkat rapat / presentasi", "Meeting and presentation equipment"),
    "other": ("Lainnya", "Other"),
}

# SKM unsur, PermenPANRB 14/2017: name, then the four answer labels from 1 to 4.
SKM_UNSUR = {
    "u1": ("Persyaratan", ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    "u2": (
        "Sistem, Mekanisme, dan Prosedur",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    "u3": ("Waktu Penyelesaian", ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    "u4": ("Biaya/Tarif", ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    "u5": (
        "Produk Spesifikasi Jenis Pelayanan",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    "u6": (
        "Kompetensi Pelaksana",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    "u7": (
        "Perilaku Pelaksana",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    "u8": (
        "Penanganan Pengaduan, Saran dan Masukan",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
    "u9": ("Sarana dan Prasarana", ("Buruk", "Cukup", "Baik", "Sangat Baik")),
}

SKM_QUESTIONS = {
    "u1": "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
    "u2": "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    "u3": "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    "u4": "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    "u5": "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?",
    "u6": "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
    "u7": "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
    "u8": "Bagaimana pendapat Saudara tentang penanganan pengaduan, saran dan masukan?",
    "u9": "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
}

SKM_CATEGORIES = {
    "A": ("Sangat Baik", "Very good"),
    "B": ("Baik", "Good"),
    "C": ("Kurang Baik", "Fair"),
    "D": ("Tidak Baik", "Poor"),
}

MONITORING = {
    "good": ("Berjalan dengan baik", "Running well"),
    "bad": ("Tidak berjalan dengan baik", "Not running well"),
}


def label(table: dict[str, tuple[str, str]], code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    pair = table.get(code)
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]


CATALOGUE: dict[str, dict[str, str]] = {
    # --- errors (HTTP) -----------------------------------------------------------------
    "error.validation": {
        "id": "Periksa kembali isian yang ditandai.",
        "en": "Please check the marked fields.",
    },
    "error.invalid_json": {
        "id": "Isi permintaan bukan JSON yang sah.",
        "en": "The request body is not valid JSON.",
    },
    "error.bad_request": {
        "id": "Permintaan tidak dapat diproses. Periksa kembali alamat dan isinya.",
        "en": "The request cannot be processed. Check its address and content.",
    },
    "error.idempotency_key": {
        "id": "Header Idempotency-Key harus berupa teks biasa, paling panjang {max} karakter.",
        "en": "The Idempotency-Key header must be plain text of at most {max} characters.",
    },
    "error.invalid_time": {
        "id": "Waktu tidak sah. Gunakan format ISO 8601, mis. 2026-11-30T08:06:00+07:00.",
        "en": "Invalid time. Use ISO 8601, e.g. 2026-11-30T08:06:00+07:00.",
    },
    "page.dev_mail.title": {"id": "Outbox (lokal)", "en": "Outbox (local)"},
    "page.dev_mail.intro": {
        "id": "Email yang dikirim oleh stack lokal, terbaru di atas. Salinan .eml ada di",
        "en": "Emails sent by the local stack, newest first. Their .eml copies are in",
    },
    "page.dev_mail.empty": {"id": "Belum ada email.", "en": "No email yet."},
    "page.dev_mail.to": {"id": "kepada", "en": "to"},
    "page.dev_mail.html": {"id": "tampilan HTML", "en": "HTML view"},
    "error.unsupported_media_type": {
        "id": "Permintaan harus dikirim sebagai application/json.",
        "en": "The request must be sent as application/json.",
    },
    "error.too_large": {
        "id": "Isi permintaan terlalu besar (maksimal 64 KiB).",
        "en": "The request body is too large (64 KiB at most).",
    },
    "error.not_found": {
        "id": "Halaman atau data yang diminta tidak ditemukan.",
        "en": "The requested page or record was not found.",
    },
    "error.track_not_found": {
        "id": "Tautan pelacakan tidak dikenal. Periksa kembali tautan di email konfirmasi.",
        "en": "Unknown tracking link. Please check the link in your confirmation email.",
    },
    "error.method_not_allowed": {
        "id": "Metode permintaan ini tidak didukung di alamat ini.",
        "en": "This request method is not supported here.",
    },
    "error.idempotency_mismatch": {
        "id": "Kunci Idempotency-Key ini sudah dipakai untuk permohonan dengan isi berbeda.",
        "en": "This Idempotency-Key was already used for a request with a different body.",
    },
    "error.filing_conflict": {
        "id": "Permohonan bertabrakan dengan permintaan lain dan belum tersimpan. Silakan kirim ulang.",
        "en": "The request clashed with another one and was not saved. Please send it again.",
    },
    "error.unavailable": {
        "id": "Layanan sedang sibuk. Silakan coba lagi sebentar lagi.",
        "en": "The service is busy. Please try again shortly.",
    },
    "error.rate_limited": {
        "id": "Terlalu banyak permintaan dari alamat Anda. Coba lagi dalam {seconds} detik.",
        "en": "Too many requests from your address. Try again in {seconds} seconds.",
    },
    "error.internal": {
        "id": "Terjadi kesalahan pada sistem. Kode permintaan: {request_id}. "
        "Silakan coba lagi atau hubungi Pengelola TIK.",
        "en": "Something went wrong. Request id: {request_id}. "
        "Please try again or contact the ICT staff.",
    },
    "error.origin": {
        "id": "Asal permintaan tidak diizinkan.",
        "en": "Request origin not allowed.",
    },
    "error.unauthenticated": {
        "id": "Silakan masuk sebagai petugas terlebih dahulu.",
        "en": "Please sign in as staff first.",
    },
    "error.forbidden_role": {
        "id": "Peran Anda tidak memiliki akses ke halaman ini.",
        "en": "Your role has no access to this page.",
    },
    # --- field validation ------------------------------------------------------------
    "field.required": {"id": "Wajib diisi.", "en": "Required."},
    "field.text": {"id": "Harus berupa teks.", "en": "Must be text."},
    "field.too_long": {
        "id": "Maksimal {max} karakter.",
        "en": "At most {max} characters.",
    },
    "field.control_chars": {
        "id": "Mengandung karakter yang tidak diizinkan.",
        "en": "Contains characters that are not allowed.",
    },
    "field.email": {
        "id": "Alamat email tidak valid.",
        "en": "Not a valid email address.",
    },
    "field.nip": {
        "id": "NIP harus 18 digit angka.",
        "en": "NIP must be 18 digits.",
    },
    "field.phone": {
        "id": "Nomor telepon hanya boleh berisi angka, tanda +, dan spasi.",
        "en": "Phone numbers may contain only digits, + and spaces.",
    },
    "field.category": {
        "id": "Pilih salah satu kategori yang tersedia.",
        "en": "Choose one of the available categories.",
    },
    "field.integer_range": {
        "id": "Harus bilangan bulat antara {min} dan {max}.",
        "en": "Must be a whole number between {min} and {max}.",
    },
    "field.choice": {
        "id": "Pilih salah satu: {choices}.",
        "en": "Choose one of: {choices}.",
    },
    "field.object": {
        "id": "Harus berupa objek JSON.",
        "en": "Must be a JSON object.",
    },
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
        "id": "Jika alamat tersebut terdaftar sebagai petugas, tautan masuk telah dikirim.",
        "en": "If that address belongs to staff, a sign-in link is on its way.",
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
        "id": "Langkah \u201c{step}\u201d melewati mutu baku ({minutes} menit kerja).",
        "en": "Step \u201c{step}\u201d exceeded its time standard ({minutes} working minutes).",
    },
    "history.estimate": {
        "id": "Perkiraan penanganan: {minutes} menit kerja.",
        "en": "Estimated handling: {minutes} working minutes.",
    },
    "history.auto_close": {
        "id": "Ditutup otomatis: survei tidak diisi dalam {days} hari kerja.",
        "en": "Closed automatically: no survey within {days} working days.",
    },
}

DAY_NAMES = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTH_NAMES = {
    "id": (
        "Januari", "Februari", "Maret", "April", "Mei", "Juni",
        "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip


def format_datetime(instant, lang: str = DEFAULT_LANGUAGE, zone: str = "Asia/Jakarta") -> str:
    """``Jumat, 27 November 2026 16.28 WIB`` (Indonesian style: a dot between hour and minute)."""
    from zoneinfo import ZoneInfo

    local = instant.astimezone(ZoneInfo(zone))
    names = DAY_NAMES.get(lang, DAY_NAMES["id"])
    months = MONTH_NAMES.get(lang, MONTH_NAMES["id"])
    clock = f"{local:%H.%M}" if lang == "id" else f"{local:%H:%M}"
    suffix = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(
        zone, zone
    )
    return f"{names[local.weekday()]}, {local.day} {months[local.month - 1]} {local.year} {clock} {suffix}"


def format_minutes(minutes: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """Working minutes for people: ``95`` → ``1 jam 35 menit``."""
    total = round(minutes)
    hours, rest = divmod(total, 60)
    words = ("jam", "menit") if lang == "id" else ("h", "min")
    if hours and rest:
        return f"{hours} {words[0]} {rest} {words[1]}"
    if hours:
        return f"{hours} {words[0]}"
    return f"{rest} {words[1]}"


def _id_only(entries: dict[str, str]) -> dict[str, dict[str, str]]:
    return {key: {"id": text} for key, text in entries.items()}


# Emails are written in Bahasa Indonesia (PRODUCT.md §9).
CATALOGUE.update(
    _id_only(
        {
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
            "mail.subject": "[{number}] {subject}",
            "mail.subject.prefixed": "[{number}] {prefix}: {subject}",
            "mail.confirmation.intro": "Permohonan layanan penanganan kendala TIK Anda telah kami "
            "terima dengan nomor {number}. Pengelola TIK akan segera menindaklanjutinya. Simpan "
            "tautan di bawah untuk memantau perkembangan permohonan Anda.",
            "mail.new_ticket.intro": "Ada permohonan layanan penanganan kendala TIK baru. Petugas "
            "pertama yang menekan \u201cTerima\u201d menjadi penanggung jawab tiket ini.",
            "mail.acknowledged.prefix": "Diterima",
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
            "menjadi bahan evaluasi kinerja unit kami.",
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
            "Tautan berlaku {minutes} menit dan hanya dapat dipakai sekali. Abaikan email ini "
            "jika Anda tidak memintanya.",
        }
    )
)


# --- reports (PRODUCT.md §6) --------------------------------------------------------------

PATHS = {
    "tik": ("Ditangani langsung Pengelola TIK", "Handled by ICT staff"),
    "rt": ("Diteruskan ke Pengelola Rumah Tangga", "Referred to facilities"),
    "none": ("Belum didiagnosa", "Not diagnosed yet"),
}

AGE_BUCKETS = {
    "d0": ("Kurang dari 1 hari kerja", "Under 1 working day"),
    "d1_2": ("1\u20132 hari kerja", "1\u20132 working days"),
    "d3_5": ("3\u20135 hari kerja", "3\u20135 working days"),
    "d6_10": ("6\u201310 hari kerja", "6\u201310 working days"),
    "d11": ("Lebih dari 10 hari kerja", "Over 10 working days"),
}

DURATIONS = {
    "acknowledge": ("Waktu hingga ditindaklanjuti", "Time to acknowledge"),
    "diagnose": ("Waktu diagnosa", "Time to diagnose"),
    "resolve": ("Waktu hingga selesai", "Time to resolve"),
}

# The PROSEDUR column of the SOP, as the monitoring sheet lists it.
SOP_PROCEDURES = {
    "1": ("Membuka dashboard", "Open the dashboard"),
    "2": (
        "Memilih aplikasi permohonan penanganan kendala TIK",
        "Choose the ICT support request application",
    ),
    "3": (
        "Mengisi informasi data penanganan kendala TIK (informasi, notifikasi email)",
        "Fill in the request (information, email notification)",
    ),
    "4": (
        "Menerima notifikasi permohonan layanan dan menindaklanjuti",
        "Receive the request notification and follow up",
    ),
    "5": (
        "Melakukan diagnosa penanganan masalah TIK (ditangani langsung atau diteruskan ke "
        "Pengelola Rumah Tangga)",
        "Diagnose the ICT problem (handle directly or refer to facilities)",
    ),
    "6": (
        "Melakukan penanganan masalah sesuai kendala",
        "Handle the problem (ICT staff or facilities repair)",
    ),
    "7": ("Selesai: pengisian Form SKM", "Done: the SKM survey form"),
}

REPORT_CHARTS = {
    "category": ("Jumlah permohonan per kategori", "Requests by category"),
    "compliance": (
        "Langkah selesai dalam mutu baku waktu (%)",
        "Steps done within the time standard (%)",
    ),
    "skm": ("Nilai rata-rata (NRR) per unsur SKM", "Average score (NRR) per SKM element"),
}


def format_number(value, lang: str = DEFAULT_LANGUAGE, places: int = 1) -> str:
    """``85.714`` → ``85,7`` (Indonesian decimal comma) or ``85.7``; thousands grouped."""
    text = f"{value:,.{places}f}"
    if lang == "en":
        return text
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


CATALOGUE.update(
    {
        "report.period.invalid": {
            "id": "Gunakan format 2026-11 (bulan), 2026-Q4 (triwulan), 2026-S2 (semester) "
            "atau 2026 (tahun).",
            "en": "Use 2026-11 (month), 2026-Q4 (quarter), 2026-S2 (half year) or 2026 (year).",
        },
        "report.period.date": {
            "id": "Tanggal tidak valid; gunakan format TTTT-BB-HH (mis. 2026-11-30).",
            "en": "Not a valid date; use YYYY-MM-DD (e.g. 2026-11-30).",
        },
        "report.period.one_kind": {
            "id": "Pilih periode atau rentang tanggal, tidak keduanya.",
            "en": "Give either a period or a date range, not both.",
        },
        "report.period.order": {
            "id": "Tanggal akhir tidak boleh sebelum tanggal awal.",
            "en": "The end date cannot be before the start date.",
        },
        "report.period.too_long": {
            "id": "Rentang tanggal paling lama {years} tahun.",
            "en": "The date range can span {years} years at most.",
        },
        "report.period.month": {"id": "{month} {year}", "en": "{month} {year}"},
        "report.period.quarter": {"id": "Triwulan {roman} {year}", "en": "Q{number} {year}"},
        "report.period.semester": {"id": "Semester {roman} {year}", "en": "H{number} {year}"},
        "report.period.year": {"id": "Tahun {year}", "en": "Year {year}"},
        "report.period.range": {"id": "{start} s.d. {end}", "en": "{start} to {end}"},
        "report.yes": {"id": "Ya", "en": "Yes"},
        "report.no": {"id": "Tidak", "en": "No"},
        # --- SOP monitoring sheet (PermenPANRB 35/2012, Tabel 7) ----------------------------
        "monitoring.title": {
            "id": "Formulir Monitoring Pelaksanaan SOP",
            "en": "SOP implementation monitoring form",
        },
        "monitoring.sop_name": {"id": "Nama SOP", "en": "SOP"},
        "monitoring.sop": {
            "id": "Permohonan Layanan Penanganan Kendala TIK",
            "en": "ICT support requests (Permohonan Layanan Penanganan Kendala TIK)",
        },
        "monitoring.unit": {"id": "Unit kerja", "en": "Work unit"},
        "monitoring.period": {"id": "Periode", "en": "Period"},
        "monitoring.rule": {
            "id": "Penilaian dari data TIKet: \u201cBerjalan dengan baik\u201d bila sekurang-"
            "kurangnya {percent}% langkah selesai dalam mutu baku waktu; langkah 7 bila jumlah "
            "responden SKM mencapai sampel minimal Krejcie\u2013Morgan.",
            "en": "Assessed from TIKet data: \u201cRunning well\u201d when at least {percent}% of "
            "the steps were done within the time standard; step 7 when the SKM respondents "
            "reach the Krejcie\u2013Morgan minimum sample.",
        },
        "monitoring.generated": {
            "id": "Dibuat oleh TIKet pada {at}.",
            "en": "Produced by TIKet on {at}.",
        },
        "monitoring.col.no": {"id": "No", "en": "No"},
        "monitoring.col.procedure": {"id": "Prosedur", "en": "Procedure"},
        "monitoring.col.assessment": {
            "id": "Penilaian terhadap Penerapan",
            "en": "Assessment of the implementation",
        },
        "monitoring.col.note": {"id": "Catatan Hasil Penilaian", "en": "Notes on the assessment"},
        "monitoring.col.action": {
            "id": "Tindakan yang Harus Diambil",
            "en": "Action to take",
        },
        "monitoring.col.initials": {"id": "Paraf", "en": "Initials"},
        "monitoring.note.not_measured": {
            "id": "Tidak dapat diukur oleh TIKet: langkah ini dilakukan Pemohon di peramban "
            "sebelum permohonan tercatat.",
            "en": "Not measurable by TIKet: the requester does this in the browser before the "
            "request is recorded.",
        },
        "monitoring.note.no_data": {
            "id": "Belum ada data pada periode ini.",
            "en": "No data in this period yet.",
        },
        "monitoring.note.none_done": {
            "id": "Belum ada langkah yang selesai.",
            "en": "No step completed yet.",
        },
        "monitoring.note.steps": {
            "id": "{on_time} dari {total} langkah tepat waktu ({percent}%).",
            "en": "{on_time} of {total} steps on time ({percent}%).",
        },
        "monitoring.note.open_overdue": {
            "id": "{count} langkah masih terbuka melewati batas waktu.",
            "en": "{count} steps still open past their due time.",
        },
        "monitoring.note.skm": {
            "id": "{respondents} responden SKM; sampel minimal {sample} (Krejcie\u2013Morgan, "
            "N = {population} permohonan selesai).",
            "en": "{respondents} SKM respondents; minimum sample {sample} (Krejcie\u2013Morgan, "
            "N = {population} resolved requests).",
        },
        "monitoring.note.ikm": {
            "id": "IKM {ikm} (mutu pelayanan {category}).",
            "en": "IKM {ikm} (service grade {category}).",
        },
        "monitoring.action.3": {
            "id": "Periksa pengiriman email notifikasi (SES/kotak keluar) dan daftar Pengelola "
            "TIK yang aktif.",
            "en": "Check the delivery of notification emails (SES/outbox) and the list of "
            "active ICT staff.",
        },
        "monitoring.action.4": {
            "id": "Pastikan Pengelola TIK memantau email notifikasi selama jam kerja; tetapkan "
            "petugas piket dan penggantinya.",
            "en": "Make sure ICT staff watch the notification emails during office hours; set "
            "an on-duty rota with a stand-in.",
        },
        "monitoring.action.5": {
            "id": "Tinjau beban kerja Pengelola TIK dan siapkan panduan diagnosa untuk kendala "
            "yang sering terjadi.",
            "en": "Review the ICT staff's workload and prepare diagnosis guides for common "
            "problems.",
        },
        "monitoring.action.6": {
            "id": "Tinjau perkiraan waktu penanganan dan ketersediaan suku cadang; koordinasikan "
            "jadwal perbaikan dengan Pengelola Rumah Tangga.",
            "en": "Review the handling estimates and spare parts; agree repair schedules with "
            "facilities.",
        },
        "monitoring.action.7": {
            "id": "Ingatkan Pemohon mengisi SKM setelah permohonan selesai dan sosialisasikan "
            "manfaat survei.",
            "en": "Remind requesters to fill the SKM survey once served and explain why it "
            "matters.",
        },
        # --- exports ------------------------------------------------------------------------
        "export.sheet.tickets": {"id": "Tiket", "en": "Tickets"},
        "export.sheet.skm": {"id": "SKM", "en": "SKM"},
        "export.sheet.monitoring": {"id": "Monitoring SOP", "en": "SOP monitoring"},
        "export.col.number": {"id": "Nomor tiket", "en": "Ticket number"},
        "export.col.created": {"id": "Diajukan ({zone})", "en": "Filed ({zone})"},
        "export.col.status": {"id": "Status", "en": "Status"},
        "export.col.category": {"id": "Kategori", "en": "Category"},
        "export.col.unit": {"id": "Unit kerja", "en": "Work unit"},
        "export.col.location": {"id": "Lokasi", "en": "Location"},
        "export.col.requester": {"id": "Pemohon", "en": "Requester"},
        "export.col.subject": {"id": "Judul", "en": "Subject"},
        "export.col.path": {"id": "Penanganan", "en": "Handling"},
        "export.col.assignee": {"id": "Pengelola TIK", "en": "ICT staff"},
        "export.col.repair_assignee": {"id": "Pengelola Rumah Tangga", "en": "Facilities staff"},
        "export.col.acknowledged": {
            "id": "Ditindaklanjuti ({zone})",
            "en": "Acknowledged ({zone})",
        },
        "export.col.diagnosed": {"id": "Didiagnosa ({zone})", "en": "Diagnosed ({zone})"},
        "export.col.resolved": {"id": "Selesai ({zone})", "en": "Resolved ({zone})"},
        "export.col.step_minutes": {
            "id": "Menit kerja: {step}",
            "en": "Working minutes: {step}",
        },
        "export.col.resolve_minutes": {
            "id": "Menit kerja hingga selesai",
            "en": "Working minutes to resolve",
        },
        "export.col.breaches": {"id": "Melewati mutu baku", "en": "Over the time standard"},
        "export.col.suggestion": {"id": "Saran SKM", "en": "SKM suggestion"},
        "skm.title": {
            "id": "Rekapitulasi Survei Kepuasan Masyarakat (SKM)",
            "en": "Community satisfaction survey (SKM) summary",
        },
        "skm.col.code": {"id": "Kode", "en": "Code"},
        "skm.col.unsur": {"id": "Unsur pelayanan", "en": "Service element"},
        "skm.col.nrr": {"id": "NRR", "en": "NRR"},
        "skm.ikm": {"id": "IKM (nilai indeks 1\u20134)", "en": "IKM (index 1\u20134)"},
        "skm.converted": {"id": "IKM konversi (25\u2013100)", "en": "Converted IKM (25\u2013100)"},
        "skm.category": {"id": "Mutu pelayanan", "en": "Service grade"},
        "skm.respondents": {"id": "Jumlah responden", "en": "Respondents"},
        "skm.population": {"id": "Permohonan selesai (N)", "en": "Resolved requests (N)"},
        "skm.sample": {
            "id": "Sampel minimal (Krejcie\u2013Morgan)",
            "en": "Minimum sample (Krejcie\u2013Morgan)",
        },
        "skm.adequate": {"id": "Sampel mencukupi", "en": "Sample adequate"},
        # --- charts -------------------------------------------------------------------------
        "chart.series.tickets": {"id": "Permohonan", "en": "Requests"},
        "chart.series.on_time": {"id": "Tepat waktu (%)", "en": "On time (%)"},
        "chart.series.nrr": {"id": "NRR", "en": "NRR"},
        "chart.threshold": {"id": "garis ambang {percent}%", "en": "threshold line {percent}%"},
        "chart.no_data": {"id": "Belum ada data", "en": "No data yet"},
    }
)
