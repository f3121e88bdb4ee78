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
