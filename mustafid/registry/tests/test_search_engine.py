"""The name-search engine: vocabulary, postings and ranking (issue 4 item 5, Performance).

Timings live in benchmarks/registry.py; these tests pin what is found and in what order.
"""

import io

import pytest
from django.core.management import call_command

from mustafid.accounts.roles import Role
from mustafid.accounts.tests.factories import StaffFactory
from mustafid.registry import search, selectors, services
from mustafid.registry.models import NameToken, Person, PersonNameKey, Relation
from mustafid.registry.tests.factories import national_id


def register(officer, branch, serial, first, father, grandfather, family, **member):
    """A household with its head, through the service."""
    return services.create_file(
        actor=officer,
        branch=branch,
        channel="visit",
        city="الرياض",
        head={
            "national_id": national_id(serial),
            "first_name": first,
            "father_name": father,
            "grandfather_name": grandfather,
            "family_name": family,
            "sex": "male",
        },
    )


@pytest.fixture
def registry(officer, branch):
    """Three households whose names share their common parts."""
    otaibi = register(officer, branch, 1, "محمد", "عبدالله", "سعد", "العتيبي")
    services.add_member(
        actor=officer,
        file=otaibi,
        member={
            "national_id": national_id(2),
            "first_name": "خالد",
            "father_name": "محمد",
            "grandfather_name": "عبدالله",
            "family_name": "العتيبي",
            "sex": "male",
            "relation": Relation.SON,
        },
    )
    register(officer, branch, 3, "محمد", "عبدالله", "سعد", "القحطاني")
    register(officer, branch, 4, "إبراهيم", "عبدالرحمن", "مصطفى", "آل سعيد")
    return otaibi


def found(officer, query):
    return [person.national_id for person in selectors.search_people(actor=officer, query=query)]


def test_a_name_becomes_words_with_a_lone_article_joined():
    assert search.name_tokens("ابراهيم ال سعيد") == ["ابراهيم", "السعيد"]


def test_a_name_is_posted_under_each_combination_of_its_words():
    assert search.posting_keys([1, 2]) == {1, 2, search.words_key([2, 1])}
    assert len(search.posting_keys([1, 2, 3, 4])) == 4 + 6 + 4 + 1
    assert min(search.posting_keys([1, 2, 3])) == 1
    assert search.words_key([1, 2]) >= search.SEVERAL


@pytest.mark.django_db
def test_the_exact_person_comes_first_among_shared_names(officer, registry):
    assert found(officer, "محمد عبدالله سعد العتيبي")[0] == national_id(1)
    assert found(officer, "محمد عبدالله سعد القحطاني")[0] == national_id(3)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("محمد العتيبي", 1),  # first and family names
        ("خالد العتيبي", 2),
        ("محمد عبدالله القحطاني", 3),  # three of the four parts
        ("ابراهيم السعيد", 4),  # "آل سعيد" typed as "السعيد", hamza dropped
    ],
)
def test_a_partial_name_is_found(officer, registry, query, wanted):
    assert national_id(wanted) in found(officer, query)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("محمد عبدالله سعد العتيب", 1),  # a dropped letter in the family name
        ("محمد عبد الله سعد القحطاني", 3),  # "عبد ال" spacing
        ("خالد محمد عبداللة العتيبي", 2),  # ة for ه
        ("أبراهيم عبدالرحمن مصطفي آل سعيد", 4),  # a hamza form and ى as ي
        ("محمد عبدالله سعيد العتيبي", 1),  # a letter added
    ],
)
def test_a_name_with_one_spelling_variant_ranks_the_person_first(officer, registry, query, wanted):
    assert found(officer, query)[0] == national_id(wanted)


@pytest.mark.django_db
def test_one_wrong_part_still_finds_the_person(officer, registry):
    assert national_id(3) in found(officer, "محمد عبدالله فيصل القحطاني")


@pytest.mark.django_db
def test_a_half_typed_last_word_finds_the_person(officer, registry):
    assert found(officer, "خالد محمد عبدالله العت")[0] == national_id(2)


@pytest.mark.django_db
def test_another_branch_does_not_find_the_person(registry, other_branch):
    stranger = StaffFactory(username="jed", roles=[Role.RELATIONS_OFFICER], branches=[other_branch])
    assert found(stranger, "محمد عبدالله سعد العتيبي") == []


@pytest.mark.django_db
def test_a_branch_manager_finds_people_of_every_branch(registry, other_branch):
    manager = StaffFactory(username="mgr", roles=[Role.BRANCH_MANAGER], branches=[other_branch])
    assert found(manager, "محمد عبدالله سعد العتيبي")[0] == national_id(1)


@pytest.mark.django_db
def test_adding_a_member_posts_the_name_and_counts_its_words(officer, registry):
    son = Person.objects.get(national_id=national_id(2))
    keys = set(PersonNameKey.objects.filter(person=son).values_list("key", flat=True))
    words = dict(NameToken.objects.values_list("text", "pk"))
    assert keys == search.posting_keys(
        words[word] for word in ["خالد", "محمد", "عبدالله", "العتيبي"]
    )
    counts = dict(NameToken.objects.values_list("text", "people"))
    assert counts["محمد"] == 3  # two heads and the son
    assert counts["العتيبي"] == 2
    assert counts["خالد"] == 1


@pytest.mark.django_db
def test_indexing_a_name_again_changes_nothing(officer, registry):
    head = Person.objects.get(national_id=national_id(1))
    before = sorted(PersonNameKey.objects.values_list("person_id", "key"))
    search.index_person_name(person=head)
    assert sorted(PersonNameKey.objects.values_list("person_id", "key")) == before
    assert NameToken.objects.get(text="سعد").people == 2


@pytest.mark.django_db
def test_a_misspelled_word_meets_its_vocabulary_word(officer, registry):
    matches = search._match_words(["عبدالرحم"])
    assert set(NameToken.objects.filter(pk__in=matches[0]).values_list("text", flat=True)) == {
        "عبدالرحمن"
    }


@pytest.mark.django_db
def test_generated_households_are_found_and_a_second_run_adds_nothing(manager):
    call_command("registry_generate", households=30, stdout=io.StringIO())
    people = Person.objects.count()
    out = io.StringIO()
    call_command("registry_generate", households=30, stdout=out)
    assert Person.objects.count() == people
    assert "nothing to do" in out.getvalue()
    person = Person.objects.order_by("pk")[people // 2]
    query = " ".join(
        [person.first_name, person.father_name, person.grandfather_name, person.family_name]
    )
    results = selectors.search_people(actor=manager, query=query)
    assert person.name_key in [result.name_key for result in results]


@pytest.mark.django_db
def test_a_name_repeating_a_word_is_told_from_one_holding_it_once(officer, branch):
    register(officer, branch, 5, "نوف", "محمد", "علي", "القحطاني")
    register(officer, branch, 6, "نوف", "محمد", "محمد", "القحطاني")
    assert found(officer, "نوف محمد محمد القحطاني")[0] == national_id(6)
    assert found(officer, "نوف محمد محمد القحطان")[0] == national_id(6)
