"""Labels of the product's codes (statuses, steps, actions, roles, categories, SKM, report
tables), Bahasa Indonesia first, English second."""

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
    "dispatch": ("Notifikasi terkirim", "Notification sent"),
    "remind": ("Pengingat survei", "Survey reminder"),
    "undelivered": ("Email tidak terkirim", "Email not delivered"),
    "create": ("Permohonan diajukan", "Request filed"),
    "import": ("Dipindahkan dari formulir lama", "Imported from the former form"),
    "message": ("Pesan", "Message"),
    "reopen": ("Dibuka kembali", "Reopened"),
    "reply": ("Balas", "Reply"),
    "return": ("Kembalikan ke Pengelola TIK", "Return to ICT staff"),
    "reassign": ("Alihkan ke petugas lain", "Reassign"),
    "escalate": ("Eskalasi", "Escalation"),
    "erase": ("Penghapusan data pribadi", "Personal data erased"),
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
