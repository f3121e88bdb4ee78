"""The beneficiary registry: one file per household, one record per person (P-OBJ-1, P-PROC-6).

A ``BeneficiaryFile`` (ملف المستفيد) is the household's file: its number, status, category
and socio-economic profile. Each ``Person`` belongs to exactly one file; the head of the
household is the person whose relation is ``HEAD``. National IDs are unique across the
whole registry, so a contact on any channel lands on the same record (P-CH).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mustafid.core.channels import channel_field

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Category(models.Model):
    """A beneficiary category (فئة المستفيد), e.g. أ / ب / ج, with the rule that assigns it."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    rule = models.TextField(_("rule"), blank=True)
    # Per-capita monthly income at or below which the category applies (None: no ceiling).
    income_ceiling = models.DecimalField(
        _("per-capita income ceiling"), null=True, blank=True, **MONEY
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_ar if (get_language() or "ar").startswith("ar") else self.name_en


class FileStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")
    DECEASED = "deceased", _("Deceased")


class Housing(models.TextChoices):
    OWNED = "owned", _("Owned")
    RENTED = "rented", _("Rented")
    SHARED = "shared", _("Shared with relatives")
    CHARITY = "charity", _("Charity housing")


class BeneficiaryFile(models.Model):
    """The household's file: number, status, category and socio-economic profile."""

    number = models.CharField(_("file number"), max_length=20, unique=True)
    branch = models.ForeignKey(
        "accounts.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="files"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=FileStatus.choices, default=FileStatus.APPLICANT
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT
    )
    # False: the category follows the rules (registry.categories); True: set by hand.
    category_is_manual = models.BooleanField(_("category set by hand"), default=False)
    channel = channel_field(help_text=_("How the household first reached the association."))
    # Contact
    mobile = models.CharField(_("mobile"), max_length=16, blank=True, db_index=True)
    alternative_mobile = models.CharField(
        _("alternative mobile"), max_length=16, blank=True, db_index=True
    )
    email = models.EmailField(_("email"), blank=True)
    preferred_channel = models.CharField(
        _("preferred way to reach them"),
        max_length=10,
        choices=[
            ("sms", _("SMS")),
            ("whatsapp", _("WhatsApp")),
            ("phone", _("Phone call")),
            ("email", _("Email")),
        ],
        default="sms",
    )
    best_time_to_call = models.CharField(_("best time to call"), max_length=80, blank=True)
    # National address (العنوان الوطني), saudi.md §4
    building_number = models.CharField(_("building number"), max_length=4, blank=True)
    street = models.CharField(_("street"), max_length=120, blank=True)
    district = models.CharField(_("district"), max_length=80, blank=True)
    city = models.CharField(_("city"), max_length=80)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    additional_number = models.CharField(_("additional number"), max_length=4, blank=True)
    short_address = models.CharField(_("short address"), max_length=8, blank=True)
    # Socio-economic profile
    housing = models.CharField(_("housing"), max_length=10, choices=Housing.choices, blank=True)
    monthly_rent = models.DecimalField(_("monthly rent (SAR)"), null=True, blank=True, **MONEY)
    debts = models.DecimalField(_("debts (SAR)"), null=True, blank=True, **MONEY)
    iban = models.CharField(_("IBAN"), max_length=24, blank=True, db_index=True)
    # Retention (PDPL): when the file was closed, and when its identity was removed.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    # Set by registry.merge: this file's household now lives in that file (P-CH).
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="merged_files",
    )
    # Bookkeeping
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("beneficiary file")
        verbose_name_plural = _("beneficiary files")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_rent__isnull=True) | Q(housing=Housing.RENTED),
                name="rent_only_when_rented",
            )
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("registry:file", args=[self.number])


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    SON = "son", _("Son")
    DAUGHTER = "daughter", _("Daughter")
    PARENT = "parent", _("Parent")
    OTHER = "other", _("Other relative")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class Education(models.TextChoices):
    NONE = "none", _("None")
    PRIMARY = "primary", _("Primary")
    INTERMEDIATE = "intermediate", _("Intermediate")
    SECONDARY = "secondary", _("Secondary")
    DIPLOMA = "diploma", _("Diploma")
    BACHELOR = "bachelor", _("Bachelor's degree")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class Employment(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    UNEMPLOYED = "unemployed", _("Unemployed")
    RETIRED = "retired", _("Retired")
    STUDENT = "student", _("Student")
    UNABLE = "unable", _("Unable to work")
    CHILD = "child", _("Child")


class FamilySituation(models.TextChoices):
    """Sensitive family circumstances (PDPL): shown only with registry.view_sensitive."""

    ORPHAN = "orphan", _("Orphan")
    UNKNOWN_PARENTAGE = "unknown_parentage", _("Unknown parentage")
    PRISONER_FAMILY = "prisoner_family", _("Prisoner's family")
    ABANDONED = "abandoned", _("Abandoned or left without support")
    OTHER = "other", _("Other circumstance")


class Person(models.Model):
    """A member of a household, identified by national ID or iqama number."""

    file = models.ForeignKey(
        BeneficiaryFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="members"
    )
    relation = models.CharField(_("relation to the head"), max_length=10, choices=Relation.choices)
    # NULL, not "": unique when present, while a newborn without an ID yet may be listed.
    national_id = models.CharField(  # noqa: DJ001
        _("national ID / iqama"), max_length=10, null=True, blank=True
    )
    first_name = models.CharField(_("first name"), max_length=40)
    father_name = models.CharField(_("father's name"), max_length=40)
    grandfather_name = models.CharField(_("grandfather's name"), max_length=40, blank=True)
    family_name = models.CharField(_("family name"), max_length=60)
    latin_name = models.CharField(_("name in Latin letters"), max_length=160, blank=True)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, default="SA")
    marital_status = models.CharField(
        _("marital status"), max_length=10, choices=MaritalStatus.choices, blank=True
    )
    education = models.CharField(
        _("education"), max_length=14, choices=Education.choices, blank=True
    )
    employment = models.CharField(
        _("employment"), max_length=14, choices=Employment.choices, blank=True
    )
    is_dependant = models.BooleanField(_("dependant"), default=False)
    mobile = models.CharField(_("mobile"), max_length=16, blank=True, db_index=True)
    # Sensitive (PDPL): shown only to roles holding registry.view_sensitive.
    health_condition = models.TextField(_("health condition"), blank=True)
    disability = models.TextField(_("disability"), blank=True)
    family_situation = models.CharField(
        _("family situation"), max_length=20, choices=FamilySituation.choices, blank=True
    )
    # Search key: the four-part name through core.arabic.normalise_for_search.
    name_key = models.CharField(max_length=240, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["file", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["national_id"],
                condition=Q(national_id__isnull=False),
                name="one_person_per_national_id",
            ),
            models.UniqueConstraint(
                fields=["file"], condition=Q(relation="head"), name="one_head_per_household"
            ),
        ]
        indexes = [
            models.Index(fields=["name_key", "birth_date"], name="person_name_birth"),
            # Duplicate checks compare everyone born on the same day (registry.duplicates).
            models.Index(fields=["birth_date"], name="person_birth_date"),
        ]
        permissions = [
            ("view_sensitive", _("Can see health, disability and family situation")),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        parts = [self.first_name, self.father_name, self.grandfather_name, self.family_name]
        return " ".join(part for part in parts if part)


class IncomeKind(models.TextChoices):
    SALARY = "salary", _("Salary")
    SOCIAL_SECURITY = "social_security", _("Social security")
    RETIREMENT = "retirement", _("Retirement pension")
    CITIZEN_ACCOUNT = "citizen_account", _("Citizen account")
    OTHER_AID = "other_aid", _("Other aid")
    OTHER = "other", _("Other income")
    NONE = "none", _("No income")


class IncomeSource(models.Model):
    """One monthly income of the household (per-capita income is computed from these)."""

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.CASCADE, related_name="incomes")
    kind = models.CharField(_("source"), max_length=16, choices=IncomeKind.choices)
    monthly_amount = models.DecimalField(_("monthly amount (SAR)"), **MONEY)
    note = models.CharField(_("note"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("income source")
        verbose_name_plural = _("income sources")
        ordering = ["file", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.monthly_amount}"


class FileNumberSequence(models.Model):
    """The last file number given in a Hijri year."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("file number sequence")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class NameToken(models.Model):
    """One distinct word of the normalised names: the vocabulary a misspelled word is
    matched against (registry.search). Tens of thousands at most, unlike the people."""

    text = models.CharField(max_length=80, unique=True)
    # How many people have the word in their name: the search starts from the rarest.
    people = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("name word")
        verbose_name_plural = _("name words")

    def __str__(self) -> str:
        return self.text


class NameTokenVariant(models.Model):
    """A word and each form of it with one letter dropped: a misspelled word (a letter
    dropped, added or changed) meets its token through an exact, indexed lookup."""

    pk = models.CompositePrimaryKey("text", "token")
    text = models.CharField(max_length=80)
    token = models.ForeignKey(NameToken, on_delete=models.CASCADE, related_name="variants")

    class Meta:
        verbose_name = _("name word variant")
        verbose_name_plural = _("name word variants")

    def __str__(self) -> str:
        return self.text


class PersonNameKey(models.Model):
    """A posting: the person's name has this word (``key`` = token id) or this pair of
    words (``key`` = smaller id * 2**32 + larger id). Pairs keep the lists short when every
    word of the query is common (محمد، عبدالله، العتيبي)."""

    pk = models.CompositePrimaryKey("person", "key")
    # The primary key (person, key) already indexes the person.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.BigIntegerField()

    class Meta:
        verbose_name = _("person name key")
        verbose_name_plural = _("person name keys")
        indexes = [models.Index(fields=["key", "person"], name="person_name_key_posting")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.key}"


class DuplicateReason(models.TextChoices):
    """Why two households may be one (issue 4 item 6). The same national ID is not here:
    the services refuse it on entry."""

    SAME_NAME_BIRTH = "same_name_birth", _("Same name and date of birth")
    SIMILAR_NAME_BIRTH = "similar_name_birth", _("Very similar name and the same date of birth")
    SAME_MOBILE = "same_mobile", _("Same mobile number")
    SAME_IBAN = "same_iban", _("Same IBAN")


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    DISMISSED = "dismissed", _("Different people")
    MERGED = "merged", _("Merged")


class DuplicateCandidate(models.Model):
    """A suspected pair of files, stored once (``file_a`` has the smaller id), with the
    people who matched, the reasons and a score; reviewed by staff (P-CH, P-PROC-2)."""

    file_a = models.ForeignKey(
        BeneficiaryFile, verbose_name=_("file"), on_delete=models.CASCADE, related_name="+"
    )
    file_b = models.ForeignKey(
        BeneficiaryFile, verbose_name=_("other file"), on_delete=models.CASCADE, related_name="+"
    )
    person_a = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_b = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    #: ``DuplicateReason`` values, strongest first.
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    detected_at = models.DateTimeField(_("detected"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-score", "-detected_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["file_a", "file_b"], name="one_candidate_per_pair"),
            models.CheckConstraint(
                condition=Q(file_a__lt=models.F("file_b")), name="candidate_pair_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-score", "-detected_at"], name="candidate_worklist"),
            models.Index(fields=["file_b", "status"], name="candidate_file_b"),
        ]

    def __str__(self) -> str:
        return f"{self.file_a_id} ~ {self.file_b_id}"

    def get_absolute_url(self) -> str:
        return reverse("registry:duplicate", args=[self.pk])

    def get_reasons_display(self) -> list[str]:
        return [str(DuplicateReason(code).label) for code in self.reasons]

    @property
    def level(self) -> str:
        """The Bootstrap colour of the score: the likelier, the redder."""
        return "danger" if self.score >= 85 else "warning" if self.score >= 70 else "secondary"


class FileMerge(models.Model):
    """One household file merged into another, with exactly which rows moved and the
    source file as it was, so that the merge can be reverted (issue 4 item 6)."""

    source = models.ForeignKey(
        BeneficiaryFile,
        verbose_name=_("merged file"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    target = models.ForeignKey(
        BeneficiaryFile,
        verbose_name=_("surviving file"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    candidate = models.ForeignKey(
        DuplicateCandidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The source's head and the relation given to them in the target.
    source_head = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    head_relation = models.CharField(
        _("relation of the merged head"), max_length=10, choices=Relation.choices, blank=True
    )
    #: The source file's fields before the merge (``core.audit.snapshot``).
    source_snapshot = models.JSONField(_("merged file before the merge"), default=dict)
    #: ``[{"model": "app.model", "field": "file", "pks": [...], "kept": [...]}]``: the rows
    #: that moved, and those that stayed (the survivor already had the same).
    moved = models.JSONField(_("moved records"), default=list)
    #: Possible-duplicate pairs re-pointed from the source to the target, as they were.
    candidates = models.JSONField(default=list)
    merged_at = models.DateTimeField(_("merged"), default=timezone.now)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reverted_at = models.DateTimeField(_("reverted"), null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reverted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("merge of files")
        verbose_name_plural = _("merges of files")
        ordering = ["-merged_at", "-pk"]
        permissions = [("revert_filemerge", _("Can revert a merge of files"))]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"

    def get_absolute_url(self) -> str:
        return reverse("registry:merge", args=[self.pk])
