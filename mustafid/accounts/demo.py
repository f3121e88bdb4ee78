"""Demo data for ``make run``: branches and one staff member per role.

The passwords are public (README, docs/): never seed demo data into production.
"""

from mustafid.accounts.roles import Role

DEMO_PASSWORD = "Mustafid-demo-2026"

BRANCHES = [
    # code, Arabic name, English name, city
    ("riyadh", "المركز الرئيسي - الرياض", "Head office - Riyadh", "الرياض"),
    ("jeddah", "فرع جدة", "Jeddah branch", "جدة"),
    ("dammam", "فرع الدمام", "Dammam branch", "الدمام"),
    ("madinah", "فرع المدينة المنورة", "Madinah branch", "المدينة المنورة"),
]

STAFF = [
    # username, first name, last name, role, branch codes
    ("officer", "نورة", "العتيبي", Role.RELATIONS_OFFICER, ["riyadh"]),
    ("researcher", "فهد", "الشمري", Role.SOCIAL_RESEARCHER, ["riyadh"]),
    ("member", "عبدالله", "القحطاني", Role.COMMITTEE_MEMBER, ["riyadh"]),
    ("chair", "سلمان", "الدوسري", Role.COMMITTEE_CHAIR, ["riyadh"]),
    ("manager", "هيفاء", "الزهراني", Role.BRANCH_MANAGER, ["riyadh"]),
    ("quality", "ريم", "الحربي", Role.QUALITY_OFFICER, ["riyadh", "jeddah", "dammam", "madinah"]),
    ("jeddah.officer", "خالد", "الغامدي", Role.RELATIONS_OFFICER, ["jeddah"]),
    ("admin", "مشاعل", "السبيعي", Role.SYSTEM_ADMIN, ["riyadh", "jeddah", "dammam", "madinah"]),
]

# Beneficiary categories with their rule: the per-capita monthly income ceiling (SAR).
CATEGORIES = [
    ("A", "فئة أ", "Category A", 600, "الدخل الشهري للفرد 600 ريال فأقل"),
    ("B", "فئة ب", "Category B", 1200, "الدخل الشهري للفرد من 601 إلى 1200 ريال"),
    ("C", "فئة ج", "Category C", 2000, "الدخل الشهري للفرد من 1201 إلى 2000 ريال"),
]

# Monthly incomes of the first demo household (kind, SAR).
DEMO_INCOMES = [("social_security", 1400), ("citizen_account", 520)]

# Demo households for the registry: (branch, city, mobile, head, members).
# National IDs are generated with a valid check digit from these serials.
HOUSEHOLDS = [
    (
        "riyadh",
        "الرياض",
        "0501234567",
        ("فاطمة", "أحمد", "علي", "الزهراني", "female", 9001),
        [
            ("نورة", "محمد", "أحمد", "الزهراني", "female", 9002, "daughter"),
            ("عبدالله", "محمد", "أحمد", "الزهراني", "male", 9003, "son"),
        ],
    ),
    (
        "riyadh",
        "الرياض",
        "0559876543",
        ("عبدالرحمن", "إبراهيم", "مصطفى", "آل سعيد", "male", 9004),
        [("مريم", "سالم", "حمد", "الدوسري", "female", 9005, "spouse")],
    ),
    (
        "jeddah",
        "جدة",
        "0541112233",
        ("خديجة", "يوسف", "عمر", "الغامدي", "female", 9006),
        [],
    ),
]


# Support request types (P-TOOL-4) with their checklists (P-PROC-2) and guide text
# (P-TOOL-3): (code, Arabic, English, required items, required documents, working days?,
# research needed?, guide).
SUPPORT_REQUEST_TYPES = [
    ("financial", "مساعدة مالية", "Financial aid", ["iban", "incomes", "head_id"],
     ["id_copy", "income_proof"], False, True,
     "تُصرف المساعدة المالية للأسر التي يقل نصيب الفرد فيها من الدخل عن حد الفئة، بعد البحث الاجتماعي."),
    ("rent", "دعم الإيجار", "Rent support", ["iban", "rent", "member_ids"],
     ["id_copy", "lease"], False, True,
     "يُدعم الإيجار للأسر المستأجرة بعقد موثق في منصة إيجار ساري المفعول."),
    ("bills", "سداد الفواتير", "Bills", ["iban", "incomes"], ["income_proof"], True, False,
     "تُسدد فواتير الكهرباء والمياه المتأخرة للأسر المسجلة بحد أعلى يحدده البرنامج."),
    ("food", "السلة الغذائية", "Food basket", ["mobile", "national_address"], [], True, False,
     "تُسلم السلة الغذائية شهريًا للأسر المستحقة من الفرع الأقرب أو بالتوصيل."),
    ("medical", "دعم علاجي", "Medical support", ["iban", "head_id"],
     ["medical_report", "id_copy"], False, True,
     "يُقدم الدعم العلاجي بتقرير طبي حديث من جهة معتمدة لا يتجاوز عمره ثلاثة أشهر."),
    ("education", "دعم تعليمي", "Education support", ["birth_dates", "member_ids"], [], True,
     False, "يشمل الحقيبة المدرسية والرسوم الدراسية لأبناء الأسر المستحقة."),
    ("seasonal", "مساعدة موسمية", "Seasonal aid", ["mobile"], [], True, False,
     "تُصرف في رمضان والعيدين وبداية العام الدراسي للأسر المسجلة النشطة."),
]  # fmt: skip
