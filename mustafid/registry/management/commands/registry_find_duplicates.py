"""Sweep the registry for possible duplicate households (issue 4 item 6).

    manage.py registry_find_duplicates            # run now, print a summary
    manage.py registry_find_duplicates --enqueue  # leave it to the task worker

A second run changes nothing unless the registry changed: pairs already stored are not
stored again, and a pair staff dismissed or merged is never reopened.
"""

from django.core.management.base import BaseCommand

from mustafid.registry.duplicates import find_duplicate_candidates
from mustafid.registry.tasks import find_duplicates


class Command(BaseCommand):
    help = "Find possible duplicate households across the registry and list them for review."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the sweep for the task worker."
        )

    def handle(self, *, enqueue: bool, **options):
        if enqueue:
            result = find_duplicates.enqueue()
            self.stdout.write(f"Queued duplicate detection as task {result.id}.")
            return
        self.stdout.write(find_duplicate_candidates().summary())
