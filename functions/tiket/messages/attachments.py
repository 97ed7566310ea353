"""Texts for attachment errors (PRODUCT.md §11), to be folded into ``tiket.messages``.

Keys are ``attachment.<Rejection code>`` (``attachment.name.<reason>`` for names), with the
parameters ``AttachmentRejected.params`` carries. A 400 about one file says which in its
``message`` (``attachment.rejected``: by name, or by place when the name is unknown) and why
in ``fields["attachments.<index>"]``. Then the words of pages and emails about files.
"""

from __future__ import annotations

ENTRIES: dict[str, dict[str, str]] = {
    "attachment.type": {
        "id": "Jenis berkas tidak didukung. Kirim foto JPEG, PNG atau WebP, atau dokumen PDF.",
        "en": "This file type is not supported. Send a JPEG, PNG or WebP picture, or a PDF.",
    },
    "attachment.size": {
        "id": "Berkas terlalu besar (maksimal {max_mb} MB).",
        "en": "The file is too large ({max_mb} MB at most).",
    },
    "attachment.empty": {
        "id": "Berkas kosong (0 bita).",
        "en": "The file is empty (0 bytes).",
    },
    "attachment.name.empty": {
        "id": "Nama berkas kosong.",
        "en": "The file name is empty.",
    },
    "attachment.name.separator": {
        "id": "Nama berkas tidak boleh mengandung garis miring (/ atau \\).",
        "en": "The file name must not contain slashes (/ or \\).",
    },
    "attachment.name.control": {
        "id": "Nama berkas mengandung karakter tersembunyi ({char}). Ganti nama berkasnya.",
        "en": "The file name contains a hidden character ({char}). Please rename the file.",
    },
    "attachment.name.length": {
        "id": "Nama berkas terlalu panjang (maksimal {max} karakter).",
        "en": "The file name is too long ({max} characters at most).",
    },
    "attachment.count": {
        "id": "Paling banyak {max} berkas per pesan.",
        "en": "At most {max} files per message.",
    },
    "attachment.duplicate": {
        "id": "Berkas yang sama terlampir dua kali.",
        "en": "The same file is attached twice.",
    },
    "attachment.upload_id": {
        "id": "Kode unggahan tidak sah.",
        "en": "Invalid upload id.",
    },
    "attachment.missing": {
        "id": "Berkas tidak ditemukan: belum selesai diunggah, sudah dilampirkan, atau "
        "kedaluwarsa. Unggah ulang berkasnya.",
        "en": "File not found: not fully uploaded, already attached, or expired. "
        "Please upload it again.",
    },
    "attachment.bomb": {
        "id": "Resolusi gambar terlalu besar (maksimal {max_megapixels} megapiksel).",
        "en": "The picture's resolution is too large ({max_megapixels} megapixels at most).",
    },
    "attachment.image_broken": {
        "id": "Gambar rusak atau tidak lengkap dan tidak dapat dibuka.",
        "en": "The picture is damaged or incomplete and cannot be opened.",
    },
    "attachment.polyglot": {
        "id": "Gambar berisi kode HTML atau skrip tersembunyi dan tidak dapat diterima. "
        "Simpan ulang gambarnya (misalnya dengan tangkapan layar) lalu kirim lagi.",
        "en": "The picture hides HTML or script code and cannot be accepted. Save the picture "
        "again (for instance as a screenshot) and send it again.",
    },
    "attachment.pdf_broken": {
        "id": "PDF rusak dan tidak dapat dibuka.",
        "en": "The PDF is damaged and cannot be opened.",
    },
    "attachment.pdf_encrypted": {
        "id": "PDF dilindungi kata sandi atau terenkripsi. Simpan ulang tanpa perlindungan.",
        "en": "The PDF is password-protected or encrypted. Save it again without protection.",
    },
    "attachment.pdf_script": {
        "id": "PDF berisi konten aktif ({feature}) dan tidak dapat diterima. "
        "Cetak ulang ke PDF biasa.",
        "en": "The PDF contains active content ({feature}) and cannot be accepted. "
        "Print it again to a plain PDF.",
    },
    "attachment.pdf_embedded": {
        "id": "PDF berisi berkas lain di dalamnya dan tidak dapat diterima. "
        "Kirim berkasnya secara terpisah.",
        "en": "The PDF contains other files and cannot be accepted. Send those files separately.",
    },
    "attachment.list": {
        "id": "Harus berupa daftar kode unggahan.",
        "en": "Must be a list of upload ids.",
    },
    "attachment.rejected": {
        "id": "Berkas “{name}” tidak dapat dilampirkan.",
        "en": "The file “{name}” cannot be attached.",
    },
    "attachment.rejected_nth": {
        "id": "Lampiran ke-{n} tidak dapat dilampirkan.",
        "en": "Attachment {n} cannot be attached.",
    },
    "attachment.title": {"id": "Lampiran", "en": "Attachments"},
    "attachment.open": {
        "id": "Buka {name} ({size})",
        "en": "Open {name} ({size})",
    },
    "attachment.links_expire": {
        "id": "Tautan berkas berlaku 15 menit; muat ulang halaman bila sudah kedaluwarsa.",
        "en": "File links work for 15 minutes; reload the page when they have expired.",
    },
    # Emails are Indonesian only; they never carry the files, they link to the ticket.
    "attachment.mail.count": {
        "id": "{count} berkas (foto/dokumen); lihat melalui tautan tiket di bawah",
    },
}
