"""Texts of errors and field validation messages."""

ENTRIES: dict[str, dict[str, str]] = {
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
    "error.lang": {
        "id": "Bahasa tidak dikenal. Pilih salah satu: {languages}.",
        "en": "Unknown language. Choose one of: {languages}.",
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
}
