"""Post the names of people registered before the name-search tables existed.

Uses only the pure helpers of registry.search (words, variants, posting keys), so the
historical models are enough.
"""

from collections import Counter

from django.db import migrations

from mustafid.registry.search import name_tokens, posting_keys, variant_texts

BATCH = 5000


def fill(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    NameToken = apps.get_model("registry", "NameToken")
    NameTokenVariant = apps.get_model("registry", "NameTokenVariant")
    PersonNameKey = apps.get_model("registry", "PersonNameKey")
    posted = set(PersonNameKey.objects.values_list("person_id", flat=True).distinct())
    names = [
        (pk, name_tokens(key))
        for pk, key in Person.objects.values_list("pk", "name_key").iterator()
        if pk not in posted
    ]
    counts = Counter(text for _, tokens in names for text in set(tokens))
    known = dict(NameToken.objects.values_list("text", "pk"))
    NameToken.objects.bulk_create([NameToken(text=text) for text in sorted(set(counts) - set(known))])
    ids = dict(NameToken.objects.values_list("text", "pk"))
    NameTokenVariant.objects.bulk_create(
        [
            NameTokenVariant(text=variant, token_id=ids[text])
            for text in sorted(set(ids) - set(known))
            for variant in sorted(variant_texts(text))
        ],
        batch_size=BATCH,
    )
    PersonNameKey.objects.bulk_create(
        [
            PersonNameKey(person_id=pk, key=key)
            for pk, tokens in names
            for key in sorted(posting_keys(ids[text] for text in tokens))
        ],
        batch_size=BATCH,
    )
    tokens = list(NameToken.objects.filter(text__in=counts))
    for token in tokens:
        token.people += counts[token.text]
    NameToken.objects.bulk_update(tokens, ["people"], batch_size=BATCH)


def empty(apps, schema_editor):
    apps.get_model("registry", "PersonNameKey").objects.all().delete()
    apps.get_model("registry", "NameToken").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_name_search_postings")]
    operations = [migrations.RunPython(fill, empty)]
