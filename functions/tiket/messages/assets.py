"""User-facing texts of devices (BMN, issue 18), to be folded into ``tiket.messages``.

Keys: ``assets.field.<field>`` names the fields; ``assets.row.<RowRefusal>`` and
``assets.file.<FileRefusal>`` explain refusals, formatted with the refusal's params (a
``missing`` tuple is rendered by the caller as a list of field names). Parameters a text
does not use are ignored by ``str.format``.
"""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    # --- fields -----------------------------------------------------------------------------
    "assets.field.kode_barang": {"id": "Kode Barang", "en": "Asset code (kode barang)"},
    "assets.field.nup": {"id": "NUP", "en": "Registration number (NUP)"},
    "assets.field.name": {"id": "Nama Barang", "en": "Item name"},
    "assets.field.brand_type": {"id": "Merk/Tipe", "en": "Brand/type"},
    "assets.field.location": {"id": "Lokasi/Ruangan", "en": "Location/room"},
    "assets.field.holder": {"id": "Pemegang", "en": "Holder"},
    # --- rows refused -----------------------------------------------------------------------
    "assets.row.formula": {
        "id": "Kolom '{column}' berisi rumus. Salin lalu tempel sebagai nilai (Paste Values).",
        "en": "Column '{column}' holds a formula. Copy it and paste it as values.",
    },
    "assets.row.wrong_type": {
        "id": "Kolom '{column}' berisi tanggal atau nilai benar/salah, bukan teks.",
        "en": "Column '{column}' holds a date or a true/false value, not text.",
    },
    "assets.row.kode_barang_missing": {
        "id": "Kode barang kosong (kolom '{column}').",
        "en": "The asset code is empty (column '{column}').",
    },
    "assets.row.nup_missing": {
        "id": "NUP kosong (kolom '{column}').",
        "en": "The NUP is empty (column '{column}').",
    },
    "assets.row.name_missing": {
        "id": "Nama barang kosong (kolom '{column}').",
        "en": "The item name is empty (column '{column}').",
    },
    "assets.row.kode_barang_invalid": {
        "id": (
            "Kode barang '{value}' tidak sah: harus 10 angka, mis. 3100102001 atau 3.10.01.02.001."
        ),
        "en": (
            "Asset code '{value}' is not valid: it has 10 "
            "digits, e.g. 3100102001 or 3.10.01.02.001."
        ),
    },
    "assets.row.nup_invalid": {
        "id": "NUP '{value}' tidak sah: harus bilangan bulat 1 sampai 999999.",
        "en": "NUP '{value}' is not valid: it is a whole number from 1 to 999999.",
    },
    "assets.row.too_long": {
        "id": "Isi kolom '{column}' lebih dari {max} karakter.",
        "en": "Column '{column}' holds more than {max} characters.",
    },
    "assets.row.duplicate_tag": {
        "id": "Perangkat {tag} sudah ada di baris {first_row}.",
        "en": "Device {tag} is already on row {first_row}.",
    },
    # --- files refused ----------------------------------------------------------------------
    "assets.file.empty_file": {"id": "Berkas kosong.", "en": "The file is empty."},
    "assets.file.header_not_found": {
        "id": (
            "Baris judul kolom tidak ditemukan di {searched} baris "
            "pertama. Kolom wajib yang tidak ada: {missing}."
        ),
        "en": (
            "No column header row in the first {searched} "
            "rows. Required columns not found: {missing}."
        ),
    },
    "assets.file.not_a_spreadsheet": {
        "id": (
            "Berkas ini bukan lembar kerja. Unggah berkas "
            ".xlsx atau .csv hasil ekspor aplikasi BMN."
        ),
        "en": (
            "This file is not a spreadsheet. Upload an .xlsx "
            "or .csv file exported from the asset system."
        ),
    },
    "assets.file.markup_export": {
        "id": (
            "Berkas ini halaman web (HTML/XML) yang diberi nama lembar "
            "kerja. Buka di Excel lalu simpan sebagai .xlsx atau .csv."
        ),
        "en": (
            "This file is a web page (HTML/XML) named as a spreadsheet. "
            "Open it in Excel and save it as .xlsx or .csv."
        ),
    },
    "assets.file.legacy_xls": {
        "id": "Format Excel 97-2003 (.xls) tidak didukung. Simpan ulang sebagai .xlsx atau .csv.",
        "en": (
            "The Excel 97-2003 format (.xls) is not supported. "
            "Save the file again as .xlsx or .csv."
        ),
    },
    "assets.file.encrypted": {
        "id": "Berkas dilindungi kata sandi. Simpan ulang tanpa kata sandi.",
        "en": "The file is password-protected. Save it again without a password.",
    },
    "assets.file.damaged": {
        "id": "Berkas rusak atau tidak lengkap dan tidak dapat dibaca.",
        "en": "The file is damaged or incomplete and cannot be read.",
    },
    "assets.file.file_too_large": {
        "id": "Berkas lebih besar dari {max_mb} MB.",
        "en": "The file is larger than {max_mb} MB.",
    },
    "assets.file.too_many_rows": {
        "id": (
            "Berkas berisi lebih dari {max_rows} baris. Bagi "
            "menjadi beberapa berkas, mis. per ruangan."
        ),
        "en": "The file has more than {max_rows} rows. Split it into several files, e.g. by room.",
    },
    # --- import: the outcome ---------------------------------------------------------------
    "assets.import.summary": {
        "id": (
            "{accepted} perangkat diterima ({added} baru, {changed} berubah, {restored} aktif "
            "kembali, {unchanged} tetap, {retired} dipensiunkan), {refused} baris ditolak."
        ),
        "en": (
            "{accepted} devices accepted ({added} new, {changed} changed, {restored} back in "
            "use, {unchanged} unchanged, {retired} retired), {refused} rows refused."
        ),
    },
    "assets.import.done": {
        "id": "Impor selesai. Daftar perangkat sudah diperbarui.",
        "en": "Import done. The device list is up to date.",
    },
    "assets.import.checked": {
        "id": "Pemeriksaan saja: inilah yang akan berubah bila berkas ini diimpor.",
        "en": "Check only: this is what importing the file would change.",
    },
    "assets.import.rows_refused": {
        "id": (
            "Impor dibatalkan karena ada baris yang ditolak. Perbaiki baris tersebut lalu "
            "unggah lagi, atau impor tanpa baris yang ditolak."
        ),
        "en": (
            "Import cancelled: some rows were refused. Fix them and upload again, or import "
            "without the refused rows."
        ),
    },
    "assets.import.skipped": {
        "id": (
            "Baris yang ditolak dilewati; karena daftar tidak lengkap, tidak ada perangkat "
            "yang dipensiunkan."
        ),
        "en": ("Refused rows were skipped; as the list is incomplete, no device was retired."),
    },
    "assets.import.kept_absent": {
        "id": "Perangkat yang tidak ada di berkas ini dibiarkan aktif (daftar sebagian).",
        "en": "Devices missing from this file stay active (a partial list).",
    },
    "assets.import.nothing_written": {
        "id": "Tidak ada data yang disimpan.",
        "en": "Nothing was saved.",
    },
    "assets.import.no_devices": {
        "id": "Berkas tidak berisi satu pun baris perangkat.",
        "en": "The file holds no device row.",
    },
    "assets.import.busy": {
        "id": "Impor lain sedang berjalan. Coba lagi beberapa menit lagi.",
        "en": "Another import is running. Try again in a few minutes.",
    },
    "assets.import.no_file": {
        "id": "Pilih berkas .xlsx atau .csv daftar BMN untuk diunggah.",
        "en": "Choose the asset list's .xlsx or .csv file to upload.",
    },
    "assets.import.not_multipart": {
        "id": "Kirim berkas sebagai multipart/form-data dengan kolom 'file'.",
        "en": "Send the file as multipart/form-data in the field 'file'.",
    },
    "assets.report.header": {
        "id": "Kolom yang dibaca dari baris judul {row}: {columns}",
        "en": "Columns read from header row {row}: {columns}",
    },
    "assets.report.row": {"id": "baris {row}: {message}", "en": "row {row}: {message}"},
    # --- labels, lookup, history ------------------------------------------------------------
    "assets.label.caption": {
        "id": "Pindai untuk lapor kendala",
        "en": "Scan to report a problem",
    },
    "assets.label.title": {
        "id": "Label perangkat — {location}",
        "en": "Device labels — {location}",
    },
    "assets.label.layout": {
        "id": "Jenis lembar label tidak dikenal. Pilih salah satu: {choices}.",
        "en": "Unknown label sheet. Choose one of: {choices}.",
    },
    "assets.label.skip": {
        "id": "Jumlah label yang dilewati harus 0 sampai {max}.",
        "en": "Labels to skip must be from 0 to {max}.",
    },
    "assets.location.unknown": {
        "id": "Lokasi ini tidak memiliki perangkat aktif.",
        "en": "This location has no active device.",
    },
    "assets.location.required": {
        "id": "Pilih lokasi terlebih dahulu.",
        "en": "Choose a location first.",
    },
    "assets.location.none": {"id": "(tanpa lokasi)", "en": "(no location)"},
    "assets.unknown": {
        "id": "Perangkat {tag} tidak dikenal",
        "en": "Unknown device {tag}",
    },
    "assets.repeat": {"id": "Berulang", "en": "Repeat failure"},
    "assets.repeat.detail": {
        "id": "{count} tiket untuk perangkat ini dalam {days} hari terakhir",
        "en": "{count} tickets for this device in the last {days} days",
    },
    "assets.mail.device": {"id": "Perangkat berulang", "en": "Repeat failure"},
}
