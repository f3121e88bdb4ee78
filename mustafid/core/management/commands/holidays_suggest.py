"""Suggest a Hijri year's holidays for the working-day calendar (issue 5 item 7).

    manage.py holidays_suggest --year 1447

Adds both Eids as unconfirmed Umm al-Qura projections and the Founding and National Days
of the Gregorian years the Hijri year spans. A second run adds nothing; holidays already
there, confirmed or adjusted by an administrator, are never changed.
"""

from django.core.management.base import BaseCommand, CommandError

from mustafid.core.actors import SYSTEM
from mustafid.core.errors import DomainError
from mustafid.core.workdays import suggest_holidays


class Command(BaseCommand):
    help = "Add a Hijri year's Eids (to confirm in the admin) and fixed national holidays."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Hijri year, e.g. 1447.")

    def handle(self, *, year: int, **options):
        try:
            created = suggest_holidays(actor=SYSTEM, hijri_year=year)
        except DomainError as err:
            raise CommandError(str(err)) from err
        for holiday in created:
            state = "confirmed" if holiday.confirmed else "to confirm"
            self.stdout.write(f"  {holiday.start}–{holiday.end}  {holiday.name_en} ({state})")
        unconfirmed = sum(not holiday.confirmed for holiday in created)
        self.stdout.write(
            f"Added {len(created)} holidays for {year} AH, {unconfirmed} to confirm in the admin."
        )
