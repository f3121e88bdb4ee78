import factory

from mustafid.accounts.tests.factories import BranchFactory
from mustafid.core.validators import national_id_check_digit
from mustafid.registry.models import BeneficiaryFile, Person, Relation
from mustafid.registry.search import index_person_name
from mustafid.registry.services import name_key


def national_id(n: int, *, resident: bool = False) -> str:
    first9 = ("2" if resident else "1") + f"{n:08d}"
    return first9 + national_id_check_digit(first9)


class FileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BeneficiaryFile

    number = factory.Sequence(lambda n: f"B-1448-{n + 1:06d}")
    branch = factory.SubFactory(BranchFactory)
    channel = "visit"
    city = "الرياض"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    file = factory.SubFactory(FileFactory)
    relation = Relation.HEAD
    national_id = factory.Sequence(lambda n: national_id(5000 + n))
    first_name = "محمد"
    father_name = "عبدالله"
    grandfather_name = "سعد"
    family_name = "العتيبي"
    sex = "male"
    name_key = factory.LazyAttribute(
        lambda p: name_key(
            first_name=p.first_name,
            father_name=p.father_name,
            grandfather_name=p.grandfather_name,
            family_name=p.family_name,
        )
    )

    @factory.post_generation
    def search_postings(person, create, extracted, **kwargs):
        """Index the name as the services do, so search finds factory-made people."""
        if create:
            index_person_name(person=person)
