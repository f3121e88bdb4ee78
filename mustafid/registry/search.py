"""Finding people by an Arabic name at registry scale (issue 4 item 5 and Performance).

A trigram index over whole names cannot narrow a search when every part of the name is
common (محمد عبدالله سعد العتيبي): each trigram is in hundreds of thousands of names.
Words are far more selective than trigrams, and the words of a name together are
selective even when each is common, so:

1. Each word of the query is matched against the vocabulary of name words (``NameToken``,
   tens of thousands of rows, not millions): exactly, or with one letter dropped, added
   or changed through ``NameTokenVariant`` (an exact, indexed lookup), or, for the last
   word while it is being typed, as a prefix.
2. Every name is posted (``PersonNameKey``) under each combination of up to four of its
   words, so the people holding every word of the query (any of its matched spellings)
   are one indexed lookup, within the actor's scope; if nobody does (one word is wrong
   altogether), the people holding all words but one.
3. The few hundred candidates are ranked on their whole name with rapidfuzz.

Spelling variants that the normaliser folds (hamza forms, ة/ه, ى/ي, "عبد ال" spacing,
diacritics, connectors) never reach this module. The same queries run on SQLite and
PostgreSQL and return the same people.
"""

import hashlib
from collections.abc import Iterable
from itertools import combinations, product
from math import prod

from django.db import connection
from django.db.models import Case, F, QuerySet, Value, When
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from mustafid.core.arabic import normalise_for_search
from mustafid.registry.models import NameToken, NameTokenVariant, Person, PersonNameKey

#: Keys of several words are hashes at or above this, far from any single word's id.
SEVERAL = 2**62
#: Names are posted under every combination of up to this many of their words.
MOST_WORDS = 4
#: A query whose words' spellings combine into more keys than this drops its commonest words.
MOST_KEYS = 256
#: How many candidates are ranked at most (more only when hundreds share one name).
CANDIDATES = 300
#: How many postings are read for them (some may be outside the actor's branches).
POSTINGS = 1000
#: The parts of a name, in order.
NAME_PARTS = ("first_name", "father_name", "grandfather_name", "family_name")
#: Shorter words are matched exactly: one letter of three is already a third of the word.
MIN_FUZZY_LENGTH = 3
#: How many vocabulary words a half-typed last word may stand for (the most common first).
PREFIX_WORDS = 8
#: A query word counts as found in a name when this close to one of its words (0-100).
WORD_MATCH = 75


def name_tokens(key: str) -> list[str]:
    """The words of a normalised name; a lone "ال" (from "آل سعيد") joins the next word,
    so "آل سعيد" and "السعيد" meet."""
    tokens: list[str] = []
    article = False
    for word in key.split():
        if word == "ال":
            article = True
            continue
        tokens.append("ال" + word if article else word)
        article = False
    return tokens


def one_letter_dropped(word: str) -> set[str]:
    """The word with each one of its letters dropped (none for very short words)."""
    if len(word) < MIN_FUZZY_LENGTH:
        return set()
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def variant_texts(token: str) -> set[str]:
    """What ``NameTokenVariant`` stores for a token: itself and its one-letter drops."""
    return {token} | one_letter_dropped(token)


def words_key(token_ids: Iterable[int]) -> int:
    """The posting key of some words of a name: a single word's id, or a hash of several.
    A word twice (محمد محمد) counts twice, so that such a name is told apart."""
    ids = sorted(token_ids)
    if len(ids) == 1:
        return ids[0]
    digest = hashlib.blake2b(",".join(map(str, ids)).encode(), digest_size=8).digest()
    return SEVERAL | (int.from_bytes(digest, "big") & (SEVERAL - 1))


def posting_keys(token_ids: Iterable[int]) -> set[int]:
    """The postings of a name: every combination of one to four of its words, so that a
    query of up to four words finds exactly the people holding all of them in one lookup."""
    ids = sorted(token_ids)
    return {
        words_key(combination)
        for size in range(1, min(MOST_WORDS, len(ids)) + 1)
        for combination in combinations(ids, size)
    }


# Upkeep ---------------------------------------------------------------------------------


def token_ids_for(texts: Iterable[str]) -> dict[str, int]:
    """The vocabulary ids of these words, adding the words (and their variants) not yet
    known. Safe when two registrations add the same new word at once."""
    texts = set(texts)
    known = dict(NameToken.objects.filter(text__in=texts).values_list("text", "pk"))
    if missing := texts - set(known):
        NameToken.objects.bulk_create(
            [NameToken(text=text) for text in sorted(missing)], ignore_conflicts=True
        )
        added = dict(NameToken.objects.filter(text__in=missing).values_list("text", "pk"))
        NameTokenVariant.objects.bulk_create(
            [
                NameTokenVariant(text=variant, token_id=token_id)
                for text, token_id in added.items()
                for variant in sorted(variant_texts(text))
            ],
            ignore_conflicts=True,
        )
        known |= added
    return known


def index_person_name(*, person: Person) -> None:
    """Bring the person's postings and the word counts in line with ``person.name_key``.

    Called by the services after a person is saved with a new or changed name.
    """
    texts = name_tokens(person.name_key)
    ids = token_ids_for(texts)
    new_keys = posting_keys(ids[text] for text in texts)
    old_keys = set(PersonNameKey.objects.filter(person=person).values_list("key", flat=True))
    if gone := old_keys - new_keys:
        PersonNameKey.objects.filter(person=person, key__in=gone).delete()
    PersonNameKey.objects.bulk_create(
        [PersonNameKey(person=person, key=key) for key in sorted(new_keys - old_keys)]
    )
    new_words = {key for key in new_keys if key < SEVERAL}
    old_words = {key for key in old_keys if key < SEVERAL}
    # Sorted ids: two registrations counting the same words lock them in the same order.
    if added := sorted(new_words - old_words):
        NameToken.objects.filter(pk__in=added).update(people=F("people") + 1)
    if removed := sorted(old_words - new_words):
        NameToken.objects.filter(pk__in=removed).update(people=F("people") - 1)


# Search ---------------------------------------------------------------------------------


def _match_words(words: list[str]) -> list[dict[int, int]]:
    """For each query word, the vocabulary tokens it may stand for: ``{id: people}``, the
    word itself first when it is in the vocabulary."""
    lookups = set()
    for word in words:
        lookups |= {word} | one_letter_dropped(word)
    rows = NameTokenVariant.objects.filter(text__in=lookups).values_list(
        "text", "token_id", "token__text", "token__people"
    )
    by_variant: dict[str, list[tuple[int, str, int]]] = {}
    for variant, token_id, text, people in rows:
        by_variant.setdefault(variant, []).append((token_id, text, people))
    matches = []
    for word in words:
        found = {
            token_id: people for token_id, text, people in by_variant.get(word, ()) if text == word
        }
        for variant in {word} | one_letter_dropped(word):
            for token_id, text, people in by_variant.get(variant, ()):
                if text == word or (
                    len(word) >= MIN_FUZZY_LENGTH and OSA.distance(word, text) <= 1
                ):
                    found[token_id] = people
        matches.append(found)
    last = words[-1]
    if len(last) >= 2 and not any(variant == last for variant in by_variant):
        # Not a known word: perhaps one being typed ("عبدالر" for عبدالرحمن).
        prefixed = NameToken.objects.filter(text__startswith=last).order_by("-people", "pk")
        matches[-1] |= dict(prefixed.values_list("pk", "people")[:PREFIX_WORDS])
    return matches


def _keys(matches: list[dict[int, int]], words: tuple[int, ...]) -> set[int]:
    """The posting keys of people holding one spelling of each of these query words."""
    return {words_key(ids) for ids in product(*(matches[i] for i in words))}


def _plans(matches: list[dict[int, int]]) -> list[tuple[set[int], int]]:
    """Ways to find candidates, strictest first: the posting keys of which a candidate
    holds one, and the key of the words as typed. The first way that finds anyone wins."""
    usable = sorted(
        (i for i, found in enumerate(matches) if found), key=lambda i: sum(matches[i].values())
    )[:MOST_WORDS]
    while len(usable) > 1 and prod(len(matches[i]) for i in usable) > MOST_KEYS:
        usable.pop()  # the commonest word narrows least
    if not usable:
        return []
    # Every word, then (one may be wrong altogether: another grandfather) all but one.
    subsets = [tuple(usable)]
    if len(usable) >= 3:
        subsets += list(combinations(usable, len(usable) - 1))
    # The first token of each word is the word itself when the vocabulary has it.
    return [
        (_keys(matches, words), words_key(next(iter(matches[i])) for i in words))
        for words in subsets
    ]


def _candidates(people: QuerySet[Person], matches: list[dict[int, int]]) -> dict[int, str]:
    for keys, as_typed in _plans(matches):
        # People whose name holds the words as typed first, then the other spellings: when
        # hundreds share the words, the typed spelling is not crowded out. Two plain
        # limited lookups rather than one sorted over every key: no sort over thousands.
        found: dict[int, str] = {}
        for group in ([as_typed] if as_typed in keys else [], sorted(keys - {as_typed})):
            if not group or len(found) >= CANDIDATES:
                continue
            postings = PersonNameKey.objects.filter(key__in=group).values("person_id")
            # A subquery with a limit: the database reads those postings, then the people
            # by primary key, and never scans the people table.
            queryset = people.filter(pk__in=postings[:POSTINGS]).order_by()
            if found:
                queryset = queryset.exclude(pk__in=list(found))
            found |= dict(queryset.values_list("pk", "name_key")[: CANDIDATES - len(found)])
        if found:
            return found
    return {}


def _score(words: list[str], name_key: str) -> tuple[float, int, int]:
    """How well a name answers the query: words found (with closeness), words found in
    the query's order starting with the first name, and how close the lengths are."""
    tokens = name_tokens(name_key)
    unused = dict(enumerate(tokens))
    total = 0.0
    positions = []
    for word in words:
        # Each word of the name answers one query word: "محمد محمد" needs two.
        best, where = max(
            ((fuzz.ratio(word, token), j) for j, token in unused.items()), default=(0, -1)
        )
        if best >= WORD_MATCH:
            total += best
            positions.append(where)
            del unused[where]
    in_order = int(positions == sorted(positions)) + int(bool(positions) and positions[0] == 0)
    return round(total, 1), in_order, -abs(len(tokens) - len(words))


def rank(words: list[str], candidates: dict[int, str]) -> list[int]:
    """Candidate ids, best first; ties go to the earlier registration."""
    scored = []
    for pk, name_key in candidates.items():
        score = _score(words, name_key)
        if score[0] >= 60 * len(words):
            scored.append((score, -pk))
    scored.sort(reverse=True)
    return [-negative_pk for _, negative_pk in scored]


def find_people(*, people: QuerySet[Person], query: str, limit: int = 10) -> list[Person]:
    """The people of ``people`` (already scoped to the actor) whose names best match the
    query, best first: full or partial names, one misspelled word tolerated."""
    words = name_tokens(normalise_for_search(query))
    if not words:
        return []
    matches = _match_words(words)
    if not any(matches):
        return []
    best = rank(words, _candidates(people, matches))[:limit]
    found = {person.pk: person for person in people.filter(pk__in=best)}
    return [found[pk] for pk in best if pk in found]


def index_new_people_names(*, people: list[Person]) -> None:
    """Post many newly saved people's names at once (imports): the bulk form of
    ``index_person_name`` for people without postings yet. One vocabulary lookup, the
    postings copied in (COPY on PostgreSQL), each word's count raised once, in id order."""
    texts = {person.pk: name_tokens(person.name_key) for person in people}
    ids = token_ids_for({text for words in texts.values() for text in words})
    postings: list[tuple[int, int]] = []
    counts: dict[int, int] = {}
    for pk, words in texts.items():
        keys = posting_keys(ids[text] for text in words)
        postings += [(pk, key) for key in sorted(keys)]
        for key in keys:
            if key < SEVERAL:
                counts[key] = counts.get(key, 0) + 1
    if connection.vendor == "postgresql":
        table = PersonNameKey._meta.db_table
        sql = f"COPY {table} (person_id, key) FROM STDIN"
        # Text COPY written in large blocks: row-by-row ``write_row`` costs more in Python
        # than the database spends storing them.
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for start in range(0, len(postings), 50_000):
                block = postings[start : start + 50_000]
                copy.write("".join(f"{pk}\t{key}\n" for pk, key in block))
    else:
        PersonNameKey.objects.bulk_create(
            [PersonNameKey(person_id=pk, key=key) for pk, key in postings], batch_size=5000
        )
    # Sorted ids in chunks: concurrent registrations lock the same words in the same order.
    ordered = sorted(counts)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        added = Case(*(When(pk=pk, then=Value(counts[pk])) for pk in chunk))
        NameToken.objects.filter(pk__in=chunk).update(people=F("people") + added)
