"""Background work of the registry: each task calls a service and returns a summary."""

from django.db import transaction
from django_tasks import task

from mustafid.registry.duplicates import find_duplicate_candidates


@task()
def find_duplicates() -> str:
    """Sweep the registry for possible duplicates (issue 4 item 6). Safe to run twice or
    at once: pairs already stored are not stored again, dismissed ones stay dismissed."""
    return find_duplicate_candidates().summary()


@task()
def find_duplicates_of_file(file_id: int) -> str:
    """Look for duplicates of one household after it was registered or changed."""
    from mustafid.registry.duplicates import detect_for_file
    from mustafid.registry.models import BeneficiaryFile

    file = BeneficiaryFile.objects.filter(pk=file_id).first()
    if file is None:  # deleted since: nothing to compare
        return "gone"
    with transaction.atomic():
        return detect_for_file(file=file).summary()
