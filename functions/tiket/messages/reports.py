"""Texts of the reports, the SOP monitoring sheet, exports and charts."""

ENTRIES: dict[str, dict[str, str]] = {
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
        "en": "Review the ICT staff's workload and prepare diagnosis guides for common problems.",
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
        "en": "Remind requesters to fill the SKM survey once served and explain why it matters.",
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
