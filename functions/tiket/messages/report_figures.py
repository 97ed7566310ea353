"""Texts of issue 14: honest compliance notes, activity rates, export jobs and columns."""

ENTRIES: dict[str, dict[str, str]] = {
    "monitoring.note.measured": {
        "id": "Langkah yang masih terbuka melewati batas waktu dihitung tidak tepat waktu: "
        "{on_time} dari {total} langkah dalam mutu baku ({percent}%).",
        "en": "Steps still open past their due time count as not on time: {on_time} of "
        "{total} steps within the standard ({percent}%).",
    },
    "report.rate.cancel": {
        "id": "Permohonan dibatalkan",
        "en": "Requests cancelled",
    },
    "export.direct.too_many": {
        "id": "Periode ini berisi {count} permohonan; unduhan langsung paling banyak {max}. "
        "Gunakan ekspor (berkas disiapkan di latar belakang).",
        "en": "This period holds {count} requests; a direct download takes {max} at most. "
        "Use an export (the file is prepared in the background).",
    },
    "export.format.invalid": {
        "id": "Pilih format csv atau xlsx.",
        "en": "Choose the csv or xlsx format.",
    },
    "export.job.failed": {
        "id": "Ekspor tidak dapat diselesaikan. Coba lagi; bila terulang, pilih periode yang "
        "lebih pendek.",
        "en": "The export could not be completed. Try again; if it fails again, choose a "
        "shorter period.",
    },
    "export.unavailable": {
        "id": "Ekspor belum disiapkan untuk layanan ini (tempat penyimpanan berkas belum diatur).",
        "en": "Exports are not set up for this service (no file storage configured).",
    },
    "export.col.diagnosis": {"id": "Diagnosa", "en": "Diagnosis"},
    "export.col.resolution": {"id": "Penyelesaian", "en": "Resolution"},
    "export.col.open_late": {
        "id": "Masih terbuka melewati batas waktu",
        "en": "Still open past due",
    },
}
