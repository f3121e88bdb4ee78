"""Time the registry search at scale (issue 4, Performance): prints figures, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mustafid_ci \\
        .venv/bin/python benchmarks/registry.py [--households 200000] [--queries 200]

Works in its own database (``mustafid_bench`` next to the one DATABASE_URL names, or
var/bench.sqlite3 for SQLite), never the test databases: migrates it, generates the
synthetic households unless they are already there (registry_generate), warms up, then
times the same service the UI and API call (selectors.search_people) by national ID,
phone, and name with one spelling variant, the duplicate-check lookups, the search and
file pages through the Django test client, and on PostgreSQL the two baselines from the
issue (plain pg_trgm similarity and ILIKE '%…%') over the same queries.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mustafid.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def bench_database_url(name: str) -> str:
    """DATABASE_URL with the database swapped for the benchmark's own (created if need be)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        path = Path(__file__).resolve().parents[1] / "var" / "bench.sqlite3"
        path.parent.mkdir(exist_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f"CREATE DATABASE \"{name}\" LC_CTYPE 'C.UTF-8' TEMPLATE template0")
    return urlunsplit(parts._replace(path=f"/{name}"))


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, (time.perf_counter() - started) * 1000


ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
HAMZA = {"ا": "أ", "أ": "ا", "إ": "ا", "آ": "ا"}


def with_one_variant(name: str, rng: random.Random) -> tuple[str, str]:
    """The name as an officer might type it, with one spelling variant, and which one."""
    words = name.split()
    choices = []
    for i, word in enumerate(words):
        if word[0] in HAMZA and len(word) > 2:
            choices.append(("hamza", i, HAMZA[word[0]] + word[1:]))
        if word.endswith("ة"):
            choices.append(("teh marbuta", i, word[:-1] + "ه"))
        elif word.endswith("ه") and len(word) > 3:
            choices.append(("teh marbuta", i, word[:-1] + "ة"))
        if word.endswith("ى"):
            choices.append(("alef maksura", i, word[:-1] + "ي"))
        if word.startswith("عبدال"):
            choices.append(("عبد ال spacing", i, "عبد " + word[3:]))
        if word == "عبد" and i + 1 < len(words) and words[i + 1].startswith("ال"):
            choices.append(("عبد ال spacing", i, "عبد" + words[i + 1] + "\0"))
    long_words = [i for i, word in enumerate(words) if len(word) >= 4]
    if long_words:
        i = rng.choice(long_words)
        at = rng.randrange(1, len(words[i]))
        choices.append(("dropped letter", i, words[i][:at] + words[i][at + 1 :]))
    if not choices:
        return name, "none"
    kind, i, replacement = rng.choice(choices)
    if replacement.endswith("\0"):  # "عبد الله" typed as one word: it absorbs the next one
        words[i : i + 2] = [replacement[:-1]]
    else:
        words[i] = replacement
    return " ".join(words), kind


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database", default="mustafid_bench")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--skip", default="", help="comma-separated: phone, baselines (the slow parts)"
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = bench_database_url(args.database)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from mustafid.accounts.models import User
    from mustafid.core.arabic import normalise_for_search
    from mustafid.registry import search, selectors
    from mustafid.registry.models import Person

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("registry_generate", households=args.households)
    if connection.vendor == "postgresql":
        # As autovacuum would in production: rows other benchmarks inserted and rolled
        # back leave dead index entries that slow the planner until a vacuum clears them.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"Setup (migrate + generate + vacuum) took {time.perf_counter() - started:.0f} s.")

    actor, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    rng = random.Random(args.seed)  # noqa: S311 (choosing sample people)
    last = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    wanted = set()
    while len(wanted) < args.queries * 3:
        wanted.add(rng.randrange(1, last + 1))
    sample = list(
        Person.objects.filter(pk__in=wanted, grandfather_name__gt="").select_related("file")
    )
    rng.shuffle(sample)
    sample = sample[: args.queries]
    people = len(sample)
    print(f"{Person.objects.count()} people; {people} queries of each kind.\n")

    def name(person):
        return " ".join(
            getattr(person, part) for part in search.NAME_PARTS if getattr(person, part)
        )

    def search_people(query):
        return selectors.search_people(actor=actor, query=query)

    # Warm-up: caches, connections, the first rapidfuzz calls.
    for person in sample[:50]:
        search_people(name(person))
        search_people(person.national_id)

    def report(label, timings, extra=""):
        p50, p95 = percentiles(timings)
        print(f"{label:<46} n={len(timings):<4} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  {extra}")
        return p95

    # National ID (a third in Arabic-Indic digits) and phone in several forms.
    timings, found = [], 0
    for n, person in enumerate(sample):
        query = person.national_id.translate(ARABIC_DIGITS) if n % 3 == 0 else person.national_id
        result, ms = timed(search_people, query)
        timings.append(ms)
        found += any(p.pk == person.pk for p in result)
    report("search by national ID", timings, f"found {found}/{people}")
    skip = set(filter(None, args.skip.split(",")))
    timings, found = [], 0
    for n, person in enumerate(sample if "phone" not in skip else []):
        local = "0" + person.file.mobile[4:]
        forms = [
            local,
            person.file.mobile,
            "00" + person.file.mobile[1:],
            local.translate(ARABIC_DIGITS),
        ]
        forms.append(f"{local[:3]} {local[3:6]} {local[6:]}")
        result, ms = timed(search_people, forms[n % len(forms)])
        timings.append(ms)
        found += any(p.file_id == person.file_id for p in result)
    if timings:
        report("search by phone (any format)", timings, f"found {found}/{people}")

    # Names: four parts with one variant, then partial names.
    queries = []
    kinds: dict[str, int] = {}
    for person in sample:
        query, kind = with_one_variant(name(person), rng)
        queries.append((person, query))
        kinds[kind] = kinds.get(kind, 0) + 1
    print(f"\nName queries: four-part name with one variant each: {kinds}")

    def recall(results_for, queries):
        """(p95 list, hits of the person, hits by a tie only) over the queries."""
        timings, hits, ties = [], 0, 0
        for person, query in queries:
            result, ms = timed(results_for, query)
            timings.append(ms)
            if person.pk in {pk for pk, _ in result}:
                hits += 1
            elif person.name_key in {key for _, key in result}:
                ties += 1
        return timings, hits, ties

    def ours(query):
        return [(p.pk, p.name_key) for p in search_people(query)]

    def describe(hits, ties):
        return (
            f"recall@10 {100 * (hits + ties) / people:5.1f} % "
            f"(person {hits}, tie only {ties}, missed {people - hits - ties})"
        )

    ours_timings, ours_hits, ours_ties = recall(ours, queries)
    ours_p95 = report(
        "name search (ours), 4 parts + 1 variant", ours_timings, describe(ours_hits, ours_ties)
    )
    for parts, label in (((0, 3), "first + family"), ((0, 1, 3), "first + father + family")):
        partial = []
        for person in sample:
            words = [getattr(person, search.NAME_PARTS[i]) for i in parts]
            partial.append((person, with_one_variant(" ".join(words), rng)[0]))
        timings, hits, ties = recall(ours, partial)
        report(
            f"name search (ours), {label} + 1 variant",
            timings,
            f"(top 10 holds person {hits}, same-name tie {ties})",
        )
    # As typed: the last word half-written.
    typing = []
    for person in sample:
        words = name(person).split()
        half = words[-1][: max(2, len(words[-1]) - 2)]
        typing.append((person, " ".join([*words[:-1], half])))
    timings, hits, ties = recall(ours, typing)
    report("name search (ours), last word half-typed", timings, f"(person {hits}, tie {ties})")

    # Duplicate check for a new person: same key and birth date, and a similar name.
    timings, similar_timings, similar_hits = [], [], 0
    for person, query in queries:
        key = normalise_for_search(name(person))
        same = Person.objects.filter(name_key=key, birth_date=person.birth_date)
        _, ms = timed(list, same[:10])
        timings.append(ms)
        result, ms = timed(
            search.find_people,
            people=Person.objects.filter(birth_date=person.birth_date),
            query=query,
        )
        similar_timings.append(ms)
        similar_hits += any(p.pk == person.pk for p in result)
    report("duplicate check: same name key + birth date", timings)
    # What the registration form and the API call before saving a new person: the same
    # (or a similar) name and birth date, or the same mobile, across every branch.
    from mustafid.registry.duplicates import likely_duplicates

    timings, hits = [], 0
    for n, person in enumerate(sample):
        new_person = {
            "first_name": person.first_name,
            "father_name": person.father_name,
            "grandfather_name": person.grandfather_name,
            # One spelling variant, as a second registration would bring.
            "family_name": with_one_variant(person.family_name, rng)[0],
            "birth_date": person.birth_date,
            "mobile": person.file.mobile if n % 2 else "",
        }
        result, ms = timed(likely_duplicates, actor=actor, person=new_person)
        timings.append(ms)
        hits += any(s.person.pk == person.pk for s in result)
    report("duplicate check (likely_duplicates, the form's)", timings, f"found {hits}/{people}")
    report(
        "duplicate check: similar name + birth date",
        similar_timings,
        f"found {similar_hits}/{people}",
    )

    # Pages through the test client.
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(actor)
    try:
        url = reverse("registry:search")
        client.get(url, {"q": queries[0][1]})
        timings = [timed(client.get, url, {"q": query})[1] for _, query in queries]
        report("search page over HTTP (test client)", timings)
        biggest = max(sample, key=lambda person: person.file.members.count())
        with CaptureQueriesContext(connection) as captured:
            response = client.get(biggest.file.get_absolute_url())
        print(
            f"file (360) page: {len(captured.captured_queries)} queries for a household of "
            f"{biggest.file.members.count()} (status {response.status_code})"
        )
    except Exception as err:  # the pages belong to other work; report, don't stop
        print(f"pages not measured: {err!r}")

    if connection.vendor != "postgresql" or "baselines" in skip:
        print("\nBaselines skipped (they need PostgreSQL's pg_trgm).")
        return

    def trigram(query):
        key = normalise_for_search(query)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, name_key FROM registry_person WHERE name_key %% %s "
                "ORDER BY similarity(name_key, %s) DESC LIMIT 10",
                [key, key],
            )
            return cursor.fetchall()

    def ilike(query):
        key = normalise_for_search(query)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, name_key FROM registry_person WHERE name_key ILIKE %s LIMIT 10",
                [f"%{key}%"],
            )
            return cursor.fetchall()

    print()
    for label, function in (
        ("baseline: pg_trgm similarity", trigram),
        ("baseline: ILIKE '%…%'", ilike),
    ):
        for _, query in queries[:5]:
            function(query)
        timings, hits, ties = recall(function, queries)
        p95 = report(label, timings, describe(hits, ties))
        print(
            f"  ratio: their p95 / our p95 = {p95 / ours_p95:,.1f}x; "
            f"our recall {100 * (ours_hits + ours_ties) / people:.1f} % vs theirs "
            f"{100 * (hits + ties) / people:.1f} %"
        )


if __name__ == "__main__":
    main()
