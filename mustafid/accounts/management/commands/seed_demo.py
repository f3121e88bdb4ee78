"""Seed demo branches and staff; a second run changes nothing.

manage.py seed_demo             create what is missing, print the demo logins
manage.py seed_demo --if-empty  do nothing when any account exists (make run)
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from mustafid.accounts import demo, services
from mustafid.accounts.models import Branch, User
from mustafid.accounts.roles import role_label
from mustafid.core.actors import SYSTEM
from mustafid.core.validators import normalise_mobile
from mustafid.notifications.models import OutboxMessage
from mustafid.notifications.services import notify


class Command(BaseCommand):
    help = "Create demo branches and one staff member per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Seed only when no account exists yet."
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("Accounts exist already: demo data not seeded.")
        else:
            created = self._seed()
            self.stdout.write(f"Demo data: {created} records created.")
        self._print_logins()

    @transaction.atomic
    def _seed(self) -> int:
        created = 0
        branches = {}
        for code, name_ar, name_en, city in demo.BRANCHES:
            branch = Branch.objects.filter(code=code).first()
            if branch is None:
                branch = services.create_branch(
                    actor=SYSTEM, code=code, name_ar=name_ar, name_en=name_en, city=city
                )
                created += 1
            branches[code] = branch
        for username, first, last, role, codes in demo.STAFF:
            if User.objects.filter(username=username).exists():
                continue
            services.create_staff_user(
                actor=SYSTEM,
                username=username,
                password=demo.DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.mustafid.local",
                roles=[role],
                branches=[branches[code] for code in codes],
            )
            created += 1
        created += self._seed_holidays()
        created += self._seed_support_request_types()
        created += self._seed_messages()
        created += self._seed_households(branches)
        return created

    def _seed_households(self, branches) -> int:
        """A few households so the registry search has someone to find."""
        from mustafid.core.validators import national_id_check_digit
        from mustafid.registry import services as registry
        from mustafid.registry.models import Person

        def national_id(serial: int) -> str:
            first9 = f"1{serial:08d}"
            return first9 + national_id_check_digit(first9)

        def person(first, father, grandfather, family, sex, serial) -> dict:
            return {
                "national_id": national_id(serial),
                "first_name": first,
                "father_name": father,
                "grandfather_name": grandfather,
                "family_name": family,
                "sex": sex,
            }

        from mustafid.registry.models import Category

        created = 0
        for position, (code, name_ar, name_en, ceiling, rule) in enumerate(demo.CATEGORIES):
            _category, made = Category.objects.get_or_create(
                code=code,
                defaults={
                    "name_ar": name_ar,
                    "name_en": name_en,
                    "income_ceiling": ceiling,
                    "rule": rule,
                    "position": position + 1,
                },
            )
            created += made
        for index, (code, city, mobile, head, members) in enumerate(demo.HOUSEHOLDS):
            if Person.objects.filter(national_id=national_id(head[-1])).exists():
                continue
            file = registry.create_file(
                actor=SYSTEM,
                branch=branches[code],
                channel="visit",
                city=city,
                mobile=normalise_mobile(mobile),
                head=person(*head),
            )
            for *member, relation in members:
                registry.add_member(
                    actor=SYSTEM, file=file, member={**person(*member), "relation": relation}
                )
            if index == 0:
                file.refresh_from_db()
                registry.set_incomes(
                    actor=SYSTEM,
                    file=file,
                    version=file.version,
                    incomes=[{"kind": k, "monthly_amount": a} for k, a in demo.DEMO_INCOMES],
                )
                self._seed_consent_and_document(file)
            created += 1
        return created

    def _seed_consent_and_document(self, file) -> None:
        """The first household's consents and an ID copy about to expire, so the 360 page
        and the expiring-documents worklist show their work."""
        import datetime as dt
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone
        from PIL import Image

        from mustafid.documents.services import add_document
        from mustafid.privacy import services as privacy

        for purpose in ("registration", "contact"):
            privacy.record_consent(actor=SYSTEM, file=file, purpose=purpose, channel="visit")
        picture = io.BytesIO()
        Image.new("RGB", (320, 200), (230, 236, 240)).save(picture, format="PNG")
        today = timezone.localdate()
        add_document(
            actor=SYSTEM,
            file=file,
            kind="id_copy",
            uploaded=SimpleUploadedFile("id-copy.png", picture.getvalue(), "image/png"),
            person=file.members.get(relation="head"),
            issue_date=today - dt.timedelta(days=5 * 365),
            expiry_date=today + dt.timedelta(days=20),
        )

    def _seed_support_request_types(self) -> int:
        from mustafid.support.models import SupportRequestType

        created = 0
        for position, row in enumerate(demo.SUPPORT_REQUEST_TYPES):
            code, name_ar, name_en, items, documents, working, research, guide = row
            _kind, made = SupportRequestType.objects.get_or_create(
                code=code,
                defaults={
                    "name_ar": name_ar,
                    "name_en": name_en,
                    "guide_ar": guide,
                    "required_items": items,
                    "required_documents": documents,
                    "answer_in_working_days": working,
                    "requires_research": research,
                    "position": position,
                },
            )
            created += made
        return created

    def _seed_holidays(self) -> int:
        """This Hijri year's and next year's holidays (Eids to be confirmed), so working
        days are counted right from the start."""
        from django.utils import timezone

        from mustafid.core.dates import to_hijri
        from mustafid.core.workdays import suggest_holidays

        year = to_hijri(timezone.localdate()).year
        return sum(len(suggest_holidays(actor=SYSTEM, hijri_year=y)) for y in (year, year + 1))

    def _seed_messages(self) -> int:
        """Two messages so the outbox shows its work: the worker sends them (console/log)."""
        officer = User.objects.get(username="officer")
        before = OutboxMessage.objects.count()
        notify(
            recipient=officer.email,
            template="staff_welcome",
            context={
                "name": officer.get_full_name(),
                "username": officer.username,
                "login_url": f"{settings.SITE_URL}/accounts/login/",
            },
            channel="email",
            idempotency_key="demo-welcome-officer",
        )
        notify(
            recipient="0501234567",
            template="test_message",
            context={"sender": "مستفيد"},
            channel="sms",
            idempotency_key="demo-sms-test",
        )
        return OutboxMessage.objects.count() - before

    def _print_logins(self) -> None:
        existing = set(User.objects.values_list("username", flat=True))
        rows = [(u, str(role_label(r))) for u, _f, _l, r, _b in demo.STAFF if u in existing]
        if not rows:
            return
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for username, label in rows:
            self.stdout.write(f"  {username:<16} {label}")
        self.stdout.write("")
