"""Generate synthetic households with realistic Saudi names, loaded fast (issue 4, Performance).

    manage.py registry_generate --households 200000 [--seed 1]

Household ``i`` is always the same (seeded by ``i``), files are numbered ``B-1400-<i>``,
and households already present are skipped: a second run changes nothing, a larger
``--households`` adds the missing ones. On PostgreSQL rows go in with COPY, on SQLite with
bulk_create in batches; the name-search vocabulary and postings are loaded alongside.
Never run it against a database holding real beneficiaries.
"""

import random
from collections import Counter
from datetime import date, timedelta
from itertools import accumulate

from django.core.management.base import BaseCommand
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from mustafid.accounts.models import Branch
from mustafid.core.validators import national_id_check_digit
from mustafid.registry import search
from mustafid.registry.models import (
    BeneficiaryFile,
    FileStatus,
    NameToken,
    Person,
    PersonNameKey,
    Relation,
)
from mustafid.registry.services import name_key

PREFIX = "B-1400-"
BATCH = 5000
TODAY = date(2025, 1, 1)  # fixed, so that household i is always the same
CHUNK = 20_000  # households generated and loaded at a time
# Indexes cheaper to build once after a bulk load than to keep up row by row.
DEFERRED_INDEXES = {
    "person_name_key_trgm": "CREATE INDEX IF NOT EXISTS person_name_key_trgm "
    "ON registry_person USING gin (name_key gin_trgm_ops)",
    "person_name_key_posting": "CREATE INDEX IF NOT EXISTS person_name_key_posting "
    "ON registry_personnamekey (key, person_id)",
}

# Common Saudi names, roughly most common first (weights fall off like Zipf's law).
MALE = (
    "محمد عبدالله عبدالرحمن عبدالعزيز فهد خالد سعد سعود فيصل سلطان تركي ناصر أحمد "
    "إبراهيم علي عبدالمجيد بندر ماجد نايف مشعل منصور عمر يوسف حمد سلمان عبدالكريم "
    "عبدالإله مساعد صالح سليمان عثمان حسن حسين طلال بدر متعب ثامر نواف راشد مبارك "
    "عادل وليد هاني ياسر زياد مازن عبدالمحسن عبدالرحيم عبدالملك عبداللطيف عبدالوهاب "
    "حمود جابر جبر مطلق مشاري مهند رائد سامي سعيد عايض عوض غازي فارس فواز قاسم "
    "مصطفى موسى عيسى يحيى هادي إسماعيل إسحاق أنس أسامة أيمن باسل بسام تميم ثابت "
    "جمال حاتم حامد حمزة خليل دخيل رياض زيد سالم سامر سعدون شاكر صقر ضيف طارق "
    "ظافر عامر عبدالحكيم عبدالسلام عبدالناصر عبيد عزيز عقيل علاء عواد غانم فالح فرحان "
    "فلاح قبلان كمال لافي مانع محسن مرزوق مسفر مفلح ممدوح منيف مهدي ناجي نبيل هذال "
    "هزاع وائل وصل يزيد"
)
FEMALE = (
    "نورة فاطمة سارة منيرة هيا الجوهرة عائشة مريم لطيفة حصة نوف ريم أمل هند العنود "
    "مها أسماء خديجة زينب رقية شيخة موضي لولوة بدرية منى هدى وفاء سلوى نجلاء أروى "
    "البندري دانة جواهر حنان رهف روان غادة غدير لمى ليلى مشاعل نجود نهى هالة هيفاء "
    "ابتسام إيمان آمنة بشرى تهاني جميلة حليمة خلود دلال رحاب رشا سعاد سمر سهام شذى "
    "صفية عبير عفاف عهود فوزية قماشة لبنى مزنة مضاوي ملاك نادية نسرين وجدان يسرى"
)
FAMILY = (
    "العتيبي القحطاني الغامدي الزهراني الشهري الدوسري الحربي المطيري العنزي الشمري "
    "السبيعي الرشيدي العمري المالكي الجهني البقمي السهلي الظفيري الخالدي الهاجري "
    "العسيري الأحمدي اليامي المري الشهراني الحارثي الثقفي البلوي العطوي الزهراني "
    "آل سعود آل الشيخ آل رشيد آل مبارك آل ثاني آل حمد آل سعيد آل عمر آل زيد "
    "آل جابر آل عثمان آل سليمان آل منصور آل علي آل حسن آل خليفة آل مهنا آل فهيد "
    "التميمي العبدلي الفيفي الكثيري النعيمي الصاعدي المحمدي اللحياني الحازمي السلمي "
    "الرويلي الشراري العنزي المطرفي البيشي الودعاني الحمدان السديري العيسى العجمي "
    "القرني الأسمري الشمراني الفهيد المنيف الراشد الصالح الخريجي الجبر الغنام العبيد "
    "البراك الدخيل السليم الحسين الفوزان الموسى الناصر النمر الهلال البداح المقبل "
    "الربيعة السويلم العقيل المشيقح الحميد الجاسر الطويل الزامل المنصور العثمان "
    "البريكان الخضيري السعدون العمران الفريح الكنهل المهيزع الوهيبي أبو طالب أبو حسين "
    "بن لادن باعشن باخشب بامطرف باوزير حكيم خوجه سندي فلمبان قاضي كعكي مغربي نتو هوساوي"
)


def _names(text: str) -> list[str]:
    """The names in ``text``, keeping "آل سعود", "أبو طالب" and "بن لادن" together."""
    names: list[str] = []
    for word in text.split():
        if names and names[-1] in {"آل", "أبو", "بن"}:
            names[-1] += " " + word
        elif word not in names:
            names.append(word)
    return names


MALE, FEMALE, FAMILY = _names(MALE), _names(FEMALE), _names(FAMILY)
CITIES = _names("الرياض جدة مكة المدينة الدمام الطائف تبوك بريدة حائل أبها جازان نجران")


def spelled(name: str, rng: random.Random) -> str:
    """A way an officer may have typed the name: hamza dropped, ة as ه, ى as ي, or
    "عبد الله" with a space (the normaliser folds them all)."""
    if rng.random() > 0.2:
        return name
    if name.startswith(("أ", "إ")):
        return "ا" + name[1:]
    if name.endswith("ة"):
        return name[:-1] + "ه"
    if name.endswith("ى"):
        return name[:-1] + "ي"
    if name.startswith("عبدال"):
        return "عبد " + name[3:]
    return name


_CUMULATIVE: dict[tuple[int, float], list[float]] = {}


def zipf(items: list[str], rng: random.Random, *, s: float = 1.0) -> str:
    """One of ``items``, the first ones far more often (Zipf's law with exponent ``s``)."""
    if (cumulative := _CUMULATIVE.get((id(items), s))) is None:
        cumulative = list(accumulate(1 / (rank + 1) ** s for rank in range(len(items))))
        _CUMULATIVE[(id(items), s)] = cumulative
    return rng.choices(items, cum_weights=cumulative)[0]


def household(index: int, *, seed: int) -> tuple[dict, list[dict]]:
    """The file fields and the people of synthetic household ``index``."""
    rng = random.Random(seed * 10_000_019 + index)  # noqa: S311 (synthetic data)
    city = rng.choice(CITIES)
    # 05X with X in 0, 3-9 (saudi.md), then 7 digits unique to the household.
    mobile = f"+9665{'0345689'[index % 7]}{(index // 7 * 7_919 + 1_234_567) % 10_000_000:07d}"
    file = {"number": f"{PREFIX}{index + 1:06d}", "city": city, "mobile": mobile}
    father, grandfather, family = zipf(MALE, rng), zipf(MALE, rng), zipf(FAMILY, rng, s=0.8)
    head_is_male = rng.random() < 0.9
    head_first = zipf(MALE if head_is_male else FEMALE, rng)
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(45 * 365))
    people = [
        {
            "relation": Relation.HEAD,
            "first_name": head_first,
            "father_name": father,
            "grandfather_name": grandfather,
            "family_name": family,
            "sex": "male" if head_is_male else "female",
            "birth_date": born,
            "mobile": mobile,
        }
    ]
    members = min(8, max(0, round(rng.gauss(4, 2))))
    if head_is_male and members and rng.random() < 0.85:
        members -= 1
        people.append(
            {
                "relation": Relation.SPOUSE,
                "first_name": zipf(FEMALE, rng),
                "father_name": zipf(MALE, rng),
                "grandfather_name": zipf(MALE, rng),
                "family_name": zipf(FAMILY, rng, s=0.8),
                "sex": "female",
                "birth_date": born + timedelta(days=rng.randrange(-2000, 4000)),
            }
        )
    for _ in range(members):
        son = rng.random() < 0.5
        people.append(
            {
                "relation": Relation.SON if son else Relation.DAUGHTER,
                "first_name": zipf(MALE if son else FEMALE, rng),
                # Children carry the father's line; with a female head, her husband's.
                "father_name": head_first if head_is_male else zipf(MALE, rng),
                "grandfather_name": father if head_is_male else zipf(MALE, rng),
                "family_name": family,
                "sex": "male" if son else "female",
                "birth_date": min(TODAY, born + timedelta(days=rng.randrange(18 * 365, 45 * 365))),
                "is_dependant": True,
            }
        )
    for person in people:
        for part in ("first_name", "father_name", "grandfather_name", "family_name"):
            person[part] = spelled(person[part], rng)
    return file, people


def national_id(serial: int, *, resident: bool) -> str:
    first9 = ("2" if resident else "1") + f"{30_000_000 + serial:08d}"
    return first9 + national_id_check_digit(first9)


def _row(model, values: dict, now) -> list:
    """All concrete columns of ``model`` in table order: given, default, or empty."""
    row = []
    for field in model._meta.concrete_fields:
        if field.attname in values:
            row.append(values[field.attname])
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            row.append(now)
        elif field.has_default():
            row.append(field.get_default())
        elif field.null:
            row.append(None)
        else:
            row.append("")
    return row


class Command(BaseCommand):
    help = "Generate synthetic households with Saudi names for benchmarks (never on real data)."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--branches", type=int, default=3)

    def handle(self, *, households: int, seed: int, branches: int, **options):
        present = BeneficiaryFile.objects.filter(number__startswith=PREFIX).count()
        if present >= households:
            self.stdout.write(f"{present} synthetic households already present; nothing to do.")
            self._print_diversity()
            return
        branch_ids = self._branches(branches)
        started = timezone.now()
        fresh = not PersonNameKey.objects.exists()
        loaded = 0
        counts: Counter[str] = Counter()
        with transaction.atomic():
            if fresh and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for name in DEFERRED_INDEXES:
                        cursor.execute(f"DROP INDEX IF EXISTS {name}")
            for start in range(present, households, CHUNK):
                chunk = range(start, min(start + CHUNK, households))
                loaded += self._load(chunk, seed=seed, branch_ids=branch_ids, counts=counts)
            tokens = list(NameToken.objects.filter(text__in=counts))
            for token in tokens:
                token.people += counts[token.text]
            NameToken.objects.bulk_update(tokens, ["people"], batch_size=BATCH)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [BeneficiaryFile, Person]):
                    cursor.execute(sql)
                if fresh and connection.vendor == "postgresql":
                    # Check the deferred foreign keys now: no index is built while checks wait.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    for sql in DEFERRED_INDEXES.values():
                        cursor.execute(sql)

        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Outside the transaction: VACUUM marks the pages all-visible, so that lookups
            # answer from the indexes alone.
            with connection.cursor() as cursor:
                for model in (BeneficiaryFile, Person, PersonNameKey, NameToken):
                    cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            f"Added {households - present} households, {loaded} people "
            f"in {seconds:.1f} s ({loaded / max(seconds, 0.001):,.0f} people/s)."
        )
        self._print_diversity()

    def _branches(self, count: int) -> list[int]:
        ids = []
        for number in range(1, count + 1):
            branch, _ = Branch.objects.get_or_create(
                code=f"synthetic-{number}",
                defaults={
                    "name_ar": f"فرع تجريبي {number}",
                    "name_en": f"Synthetic branch {number}",
                    "city": CITIES[number % len(CITIES)],
                },
            )
            ids.append(branch.pk)
        return ids

    def _load(self, indexes: range, *, seed: int, branch_ids: list[int], counts: Counter) -> int:
        now = timezone.now()
        next_file = (
            BeneficiaryFile.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        next_person = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        files, people, names = [], [], []
        for index in indexes:
            file, members = household(index, seed=seed)
            file.update(id=next_file, branch_id=branch_ids[index % len(branch_ids)])
            file.update(status=FileStatus.ACTIVE, channel="visit", created_by_id=None)
            files.append(_row(BeneficiaryFile, file, now))
            for member in members:
                key = name_key(**{part: member[part] for part in search.NAME_PARTS})
                resident = (next_person * 7) % 10 == 0
                member.update(
                    id=next_person,
                    file_id=next_file,
                    national_id=national_id(next_person, resident=resident),
                    nationality="SA" if not resident else "YE",
                    name_key=key,
                )
                people.append(_row(Person, member, now))
                names.append((next_person, search.name_tokens(key)))
                next_person += 1
            next_file += 1
        chunk_counts = Counter(text for _, tokens in names for text in set(tokens))
        counts.update(chunk_counts)
        token_ids = search.token_ids_for(chunk_counts)
        postings = [
            (pk, key)
            for pk, tokens in names
            for key in sorted(search.posting_keys(token_ids[text] for text in tokens))
        ]
        self._insert(BeneficiaryFile, files)
        self._insert(Person, people)
        self._insert(PersonNameKey, postings, columns=["person_id", "key"])
        return len(people)

    def _insert(self, model, rows: list, *, columns: list[str] | None = None) -> None:
        columns = columns or [field.column for field in model._meta.concrete_fields]
        if connection.vendor == "postgresql":
            table = model._meta.db_table
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        fields = {field.column: field.attname for field in model._meta.concrete_fields}
        for start in range(0, len(rows), BATCH):
            objects = [
                model(**dict(zip((fields[column] for column in columns), row, strict=True)))
                for row in rows[start : start + BATCH]
            ]
            model.objects.bulk_create(objects)

    def _print_diversity(self) -> None:
        people = Person.objects.filter(file__number__startswith=PREFIX)
        total = people.count()
        if not total:
            return
        keys = Counter(people.values_list("name_key", flat=True).iterator(chunk_size=20_000))
        shared = sum(count for count in keys.values() if count > 1)
        self.stdout.write(
            f"Name diversity: {total} people, {len(keys)} distinct normalised names, "
            f"{shared} people ({100 * shared / total:.1f} %) share their normalised name "
            f"with someone else (largest group {max(keys.values())}); "
            f"{NameToken.objects.count()} distinct name words; "
            f"lists: {len(MALE)} male, {len(FEMALE)} female first names, "
            f"{len(FAMILY)} family names."
        )
