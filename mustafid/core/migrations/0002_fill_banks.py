"""Saudi bank codes (SAMA clearing codes, IBAN positions 5-6), from shared/reference/saudi.md §3.

Administrators keep the table current in the admin (mergers, new digital banks).
"""

from django.db import migrations

BANKS = [
    ("05", "مصرف الإنماء", "Alinma Bank"),
    ("10", "البنك الأهلي السعودي", "Saudi National Bank"),
    ("15", "بنك البلاد", "Bank Albilad"),
    ("20", "بنك الرياض", "Riyad Bank"),
    ("30", "البنك العربي الوطني", "Arab National Bank"),
    ("40", "مجموعة سامبا المالية (سابقًا)", "SAMBA (legacy, merged into SNB)"),
    ("45", "البنك السعودي الأول", "Saudi Awwal Bank (SAB)"),
    ("50", "البنك الأول (سابقًا)", "Alawwal Bank (legacy, merged into SABB)"),
    ("55", "البنك السعودي الفرنسي", "Banque Saudi Fransi"),
    ("60", "بنك الجزيرة", "Bank AlJazira"),
    ("65", "البنك السعودي للاستثمار", "Saudi Investment Bank"),
    ("71", "بنك البحرين الوطني", "National Bank of Bahrain"),
    ("75", "بنك الكويت الوطني", "National Bank of Kuwait"),
    ("76", "بنك مسقط", "Bank Muscat"),
    ("80", "مصرف الراجحي", "Al Rajhi Bank"),
    ("81", "دويتشه بنك", "Deutsche Bank"),
    ("82", "بنك باكستان الوطني", "National Bank of Pakistan"),
    ("84", "بنك زراعات", "Ziraat Bank"),
    ("85", "بي إن بي باريبا", "BNP Paribas"),
    ("86", "جي بي مورغان", "JPMorgan Chase"),
    ("90", "بنك الخليج الدولي", "Gulf International Bank"),
    ("95", "بنك الإمارات دبي الوطني", "Emirates NBD"),
]
LEGACY = {"40", "50"}


def fill(apps, schema_editor):
    Bank = apps.get_model("core", "Bank")
    for code, name_ar, name_en in BANKS:
        Bank.objects.update_or_create(
            code=code,
            defaults={"name_ar": name_ar, "name_en": name_en, "is_active": code not in LEGACY},
        )


def empty(apps, schema_editor):
    apps.get_model("core", "Bank").objects.filter(code__in=[b[0] for b in BANKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_audit_log_and_banks")]
    operations = [migrations.RunPython(fill, empty)]
