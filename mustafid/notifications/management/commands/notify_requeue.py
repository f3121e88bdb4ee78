"""Requeue outbox messages a stopped worker or a lost task left behind (run every few minutes)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from mustafid.notifications.services import STALE_AFTER, requeue_stale_messages


class Command(BaseCommand):
    help = "Requeue outbox messages stuck in sending, or overdue in the queue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=int(STALE_AFTER.total_seconds() // 60),
            help="How long a message may be sending or overdue before it is requeued.",
        )

    def handle(self, *args, stale_minutes: int, **options):
        count = requeue_stale_messages(stale_after=timedelta(minutes=stale_minutes))
        self.stdout.write(f"Requeued {count} outbox message(s).")
