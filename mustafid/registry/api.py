"""The registry over the API: search, read, register and update households (issue 4 item 10).

The same selectors and services as the pages: the same normalised search, the same
duplicate checks, the same optimistic locking, scoped to the service account's branches.
Serializers check shape and normalise with ``core.validators``; every rule is a service's.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from mustafid.accounts.selectors import branches_visible_to
from mustafid.api.permissions import HasScope
from mustafid.api.schema import ErrorSerializer, error_responses
from mustafid.api.scopes import Scope
from mustafid.core import validators
from mustafid.core.channels import Channel
from mustafid.documents import selectors as documents_selectors
from mustafid.documents.api import DocumentSerializer
from mustafid.registry import selectors, services
from mustafid.registry.errors import NotAMember
from mustafid.registry.models import (
    MONEY,
    BeneficiaryFile,
    Category,
    Education,
    Employment,
    FamilySituation,
    FileStatus,
    Housing,
    IncomeKind,
    MaritalStatus,
    Relation,
    Sex,
)

#: Member fields only accounts holding ``registry.view_sensitive`` receive (PDPL).
SENSITIVE_FIELDS = ("health_condition", "disability", "family_situation")
SEARCH_LIMIT = 10
SEARCH_LIMIT_MAX = 50

PREFERRED_CHANNELS = BeneficiaryFile._meta.get_field("preferred_channel").choices
MONEY_FIELD = {
    "max_digits": MONEY["max_digits"],
    "decimal_places": MONEY["decimal_places"],
    "min_value": 0,
}


def _normalised(normalise, value: str) -> str:
    """``normalise(value)``, its Django ValidationError re-raised as the serializer's."""
    try:
        return normalise(value)
    except DjangoValidationError as err:
        raise serializers.ValidationError(err.messages) from err


def _optional(normalise, value: str) -> str:
    """An optional field: empty stays empty, anything else is normalised."""
    return _normalised(normalise, value) if value else ""


# Input ----------------------------------------------------------------------------------


class PersonInputSerializer(serializers.Serializer):
    """A person's fields, as the services take them; normalised, never judged."""

    national_id = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="National ID (starts with 1) or iqama (2); Arabic-Indic digits accepted. "
        "May be left out only for a member who has none yet, such as a newborn.",
    )
    first_name = serializers.CharField(max_length=40)
    father_name = serializers.CharField(max_length=40)
    grandfather_name = serializers.CharField(max_length=40, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=60)
    latin_name = serializers.CharField(max_length=160, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = serializers.DateField(
        required=False, allow_null=True, help_text="Gregorian, YYYY-MM-DD; not in the future."
    )
    nationality = serializers.CharField(
        min_length=2, max_length=2, required=False, help_text="ISO 3166 code; SA by default."
    )
    marital_status = serializers.ChoiceField(
        choices=MaritalStatus.choices, required=False, allow_blank=True
    )
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    employment = serializers.ChoiceField(
        choices=Employment.choices, required=False, allow_blank=True
    )
    is_dependant = serializers.BooleanField(required=False)
    mobile = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text="Any form; stored as E.164."
    )
    health_condition = serializers.CharField(required=False, allow_blank=True)
    disability = serializers.CharField(required=False, allow_blank=True)
    family_situation = serializers.ChoiceField(
        choices=FamilySituation.choices, required=False, allow_blank=True
    )

    def validate_national_id(self, value: str) -> str:
        return _optional(validators.normalise_national_id, value)

    def validate_first_name(self, value: str) -> str:
        return _normalised(validators.normalise_arabic_name, value)

    def validate_father_name(self, value: str) -> str:
        return _normalised(validators.normalise_arabic_name, value)

    def validate_grandfather_name(self, value: str) -> str:
        return _optional(validators.normalise_arabic_name, value)

    def validate_family_name(self, value: str) -> str:
        return _normalised(validators.normalise_arabic_name, value)

    def validate_latin_name(self, value: str) -> str:
        return _optional(validators.normalise_latin_name, value)

    def validate_birth_date(self, value):
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError(_("A date of birth cannot be in the future."))
        return value

    def validate_nationality(self, value: str) -> str:
        code = value.upper()
        if not (code.isascii() and code.isalpha()):
            raise serializers.ValidationError(
                _("A nationality is a two-letter country code, for example SA.")
            )
        return code

    def validate_mobile(self, value: str) -> str:
        return _optional(validators.normalise_mobile, value)


@extend_schema_serializer(component_name="HeadInput")
class HeadInputSerializer(PersonInputSerializer):
    national_id = serializers.CharField(
        max_length=20, help_text="National ID (starts with 1) or iqama (2)."
    )


@extend_schema_serializer(component_name="MemberInput")
class MemberInputSerializer(PersonInputSerializer):
    relation = serializers.ChoiceField(
        choices=Relation.choices,
        help_text="Relation to the head. A file has one head: `head` is refused (409).",
    )


class FileProfileInputSerializer(serializers.Serializer):
    """Contact, national address and socio-economic fields of a file; all optional."""

    mobile = serializers.CharField(max_length=32, required=False, allow_blank=True)
    alternative_mobile = serializers.CharField(max_length=32, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    preferred_channel = serializers.ChoiceField(choices=PREFERRED_CHANNELS, required=False)
    best_time_to_call = serializers.CharField(max_length=80, required=False, allow_blank=True)
    building_number = serializers.CharField(max_length=8, required=False, allow_blank=True)
    street = serializers.CharField(max_length=120, required=False, allow_blank=True)
    district = serializers.CharField(max_length=80, required=False, allow_blank=True)
    city = serializers.CharField(max_length=80)
    postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True)
    additional_number = serializers.CharField(max_length=8, required=False, allow_blank=True)
    short_address = serializers.CharField(
        max_length=16, required=False, allow_blank=True, help_text="For example ECAB2823."
    )
    housing = serializers.ChoiceField(choices=Housing.choices, required=False, allow_blank=True)
    monthly_rent = serializers.DecimalField(
        **MONEY_FIELD, required=False, allow_null=True, help_text="Only when housing is rented."
    )
    debts = serializers.DecimalField(**MONEY_FIELD, required=False, allow_null=True)
    iban = serializers.CharField(max_length=40, required=False, allow_blank=True)

    def validate_mobile(self, value: str) -> str:
        return _optional(validators.normalise_mobile, value)

    def validate_alternative_mobile(self, value: str) -> str:
        return _optional(validators.normalise_mobile, value)

    def validate_building_number(self, value: str) -> str:
        return _optional(validators.normalise_building_number, value)

    def validate_postal_code(self, value: str) -> str:
        return _optional(validators.normalise_postal_code, value)

    def validate_additional_number(self, value: str) -> str:
        return _optional(validators.normalise_additional_number, value)

    def validate_short_address(self, value: str) -> str:
        return _optional(validators.normalise_short_address, value)

    def validate_iban(self, value: str) -> str:
        return _optional(validators.normalise_iban, value)

    def validate(self, data: dict) -> dict:
        # The file as it will be: a PATCH may change housing or rent alone.
        current = self.context.get("file")
        housing = data.get("housing", current.housing if current else "")
        rent = data.get("monthly_rent", current.monthly_rent if current else None)
        if rent is not None and housing != Housing.RENTED:
            raise serializers.ValidationError(
                {"monthly_rent": [_("A monthly rent is given only when the housing is rented.")]}
            )
        return data


# Output ---------------------------------------------------------------------------------


@extend_schema_serializer(component_name="BeneficiarySearchResult")
class SearchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    file_number = serializers.CharField(source="file.number")
    branch = serializers.CharField(source="file.branch.code", help_text="Branch code.")
    relation = serializers.ChoiceField(choices=Relation.choices)
    national_id = serializers.CharField(allow_null=True)
    first_name = serializers.CharField()
    father_name = serializers.CharField()
    grandfather_name = serializers.CharField()
    family_name = serializers.CharField()
    full_name = serializers.CharField()


@extend_schema_serializer(component_name="Member")
class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    relation = serializers.ChoiceField(choices=Relation.choices)
    national_id = serializers.CharField(allow_null=True)
    first_name = serializers.CharField()
    father_name = serializers.CharField()
    grandfather_name = serializers.CharField()
    family_name = serializers.CharField()
    full_name = serializers.CharField()
    latin_name = serializers.CharField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = serializers.DateField(allow_null=True)
    nationality = serializers.CharField()
    marital_status = serializers.CharField(help_text="A marital status code, or empty.")
    education = serializers.CharField(help_text="An education code, or empty.")
    employment = serializers.CharField(help_text="An employment code, or empty.")
    is_dependant = serializers.BooleanField()
    mobile = serializers.CharField(help_text="E.164, or empty.")
    health_condition = serializers.CharField(
        required=False, help_text="Sensitive: only for accounts that may see it."
    )
    disability = serializers.CharField(
        required=False, help_text="Sensitive: only for accounts that may see it."
    )
    family_situation = serializers.CharField(
        required=False,
        help_text="Sensitive: a family situation code, or empty; only for accounts that may see it.",
    )


@extend_schema_serializer(component_name="Income")
class IncomeSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="An income source code.")
    monthly_amount = serializers.DecimalField(**MONEY_FIELD)
    note = serializers.CharField()


@extend_schema_serializer(component_name="BeneficiaryFile")
class FileSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=FileStatus.choices)
    branch = serializers.CharField(source="branch.code", help_text="Branch code.")
    category = serializers.CharField(source="category.code", allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    mobile = serializers.CharField()
    alternative_mobile = serializers.CharField()
    email = serializers.CharField()
    preferred_channel = serializers.ChoiceField(choices=PREFERRED_CHANNELS)
    best_time_to_call = serializers.CharField()
    building_number = serializers.CharField()
    street = serializers.CharField()
    district = serializers.CharField()
    city = serializers.CharField()
    postal_code = serializers.CharField()
    additional_number = serializers.CharField()
    short_address = serializers.CharField()
    housing = serializers.CharField(help_text="A housing code, or empty.")
    monthly_rent = serializers.DecimalField(**MONEY_FIELD, allow_null=True)
    debts = serializers.DecimalField(**MONEY_FIELD, allow_null=True)
    iban = serializers.CharField()
    incomes = IncomeSerializer(many=True)
    per_capita_income = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Monthly income per member; computed."
    )
    category_is_manual = serializers.BooleanField(
        help_text="True: the category was set by hand; false: the income rules set it."
    )
    closed_at = serializers.DateTimeField(
        allow_null=True, help_text="When the file was closed; retention counts from here."
    )
    version = serializers.IntegerField(help_text="Send it back with a PATCH.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    members = MemberSerializer(many=True)
    documents = DocumentSerializer(
        many=True,
        source="visible_documents",
        help_text="The household's documents (metadata only), for accounts that may see them.",
    )


def file_response(*, file: BeneficiaryFile, actor, status: int = 200) -> Response:
    """The file as the API shows it; sensitive fields only to those who may see them."""
    file.per_capita_income = services.per_capita_income(file=file)
    file.visible_documents = documents_selectors.documents_of_file(actor=actor, file=file)
    data = FileSerializer(file).data
    if not actor.has_perm("registry.view_sensitive"):
        for member in data["members"]:
            for name in SENSITIVE_FIELDS:
                member.pop(name, None)
    return Response(data, status=status)


DUPLICATE = {
    409: OpenApiResponse(
        ErrorSerializer,
        description="The national ID is already registered (`duplicate_national_id`), or "
        "the member was given the relation `head` (`head_exists`).",
    )
}
STALE = {
    409: OpenApiResponse(
        ErrorSerializer,
        description="Someone saved the file after `version` was read (`stale_file`).",
    )
}


# Endpoints ------------------------------------------------------------------------------


class ReadOrWriteScope:
    """``registry:read`` to read, ``registry:write`` to change."""

    @property
    def required_scopes(self) -> list[str]:
        if self.request.method in SAFE_METHODS:
            return [Scope.REGISTRY_READ]
        return [Scope.REGISTRY_WRITE]


class BeneficiaryListApi(ReadOrWriteScope, APIView):
    permission_classes = [IsAuthenticated, HasScope]

    class SearchSerializer(serializers.Serializer):
        q = serializers.CharField(
            help_text="File number, national ID, mobile in any form, or an Arabic name "
            "(partial or misspelled)."
        )
        limit = serializers.IntegerField(
            min_value=1,
            max_value=SEARCH_LIMIT_MAX,
            default=SEARCH_LIMIT,
            help_text=f"At most this many people, best match first ({SEARCH_LIMIT} by "
            f"default, {SEARCH_LIMIT_MAX} at most).",
        )

    @extend_schema_serializer(component_name="BeneficiarySearch")
    class SearchOutputSerializer(serializers.Serializer):
        results = SearchResultSerializer(many=True)

    @extend_schema_serializer(component_name="NewBeneficiaryFile")
    class InputSerializer(FileProfileInputSerializer):
        branch = serializers.CharField(help_text="Code of one of the service account's branches.")
        channel = serializers.ChoiceField(
            choices=Channel.choices, help_text="How the household reached the association."
        )
        head = HeadInputSerializer()

    @extend_schema(
        operation_id="beneficiaries_search",
        tags=["registry"],
        summary="Search beneficiaries",
        description="Needs scope `registry:read`. The same search as the registry's search "
        "box, over the service account's branches. Not paginated: the best `limit` matches "
        "are returned.",
        parameters=[SearchSerializer],
        responses={200: SearchOutputSerializer, **error_responses(400, 401, 403)},
    )
    def get(self, request):
        params = self.SearchSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        people = selectors.search_people(
            actor=request.user,
            query=params.validated_data["q"],
            limit=params.validated_data["limit"],
        )
        return Response(self.SearchOutputSerializer({"results": people}).data)

    @extend_schema(
        operation_id="beneficiaries_create",
        tags=["registry"],
        summary="Register a household",
        description="Needs scope `registry:write`. Creates a file with its head of "
        "household. A national ID registered anywhere is refused with "
        "`duplicate_national_id` (409). A branch outside the service account's is a 404.",
        request=InputSerializer,
        responses={201: FileSerializer, **error_responses(400, 401, 403, 404), **DUPLICATE},
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        branch = branches_visible_to(actor=request.user).filter(code=fields.pop("branch")).first()
        if branch is None:
            raise Http404
        file = services.create_file(actor=request.user, branch=branch, **fields)
        file = selectors.file_for(actor=request.user, number=file.number)
        return file_response(file=file, actor=request.user, status=201)


class BeneficiaryApi(ReadOrWriteScope, APIView):
    permission_classes = [IsAuthenticated, HasScope]

    @extend_schema_serializer(component_name="BeneficiaryFileChange")
    class InputSerializer(FileProfileInputSerializer):
        version = serializers.IntegerField(
            min_value=1, help_text="The `version` of the file as last read."
        )
        city = serializers.CharField(max_length=80, required=False)
        status = serializers.ChoiceField(choices=FileStatus.choices, required=False)
        category = serializers.SlugRelatedField(
            slug_field="code",
            queryset=Category.objects.filter(is_active=True),
            required=False,
            allow_null=True,
            help_text="Category code, or null.",
        )

    @extend_schema(
        operation_id="beneficiaries_retrieve",
        tags=["registry"],
        summary="A beneficiary file",
        description="Needs scope `registry:read`. The file with its household and "
        "incomes; health and disability only for accounts that may see them. Each reading "
        "is logged as an opening of the file.",
        responses={200: FileSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request, number: str):
        file = selectors.file_for(actor=request.user, number=number)
        services.record_file_opened(actor=request.user, file=file)
        return file_response(file=file, actor=request.user)

    @extend_schema(
        operation_id="beneficiaries_update",
        tags=["registry"],
        summary="Update a beneficiary file",
        description="Needs scope `registry:write`. Send only the fields to change, with the "
        "`version` last read: if someone saved the file since, nothing is changed and the "
        "answer is `stale_file` (409).",
        request=InputSerializer,
        responses={200: FileSerializer, **error_responses(400, 401, 403, 404), **STALE},
    )
    def patch(self, request, number: str):
        file = selectors.file_for(actor=request.user, number=number)
        data = self.InputSerializer(data=request.data, context={"file": file})
        data.is_valid(raise_exception=True)
        services.update_file(actor=request.user, file=file, **data.validated_data)
        file = selectors.file_for(actor=request.user, number=number)
        return file_response(file=file, actor=request.user)


class BeneficiaryMemberApi(APIView):
    permission_classes = [IsAuthenticated, HasScope]
    required_scopes = [Scope.REGISTRY_WRITE]

    @extend_schema(
        operation_id="beneficiaries_members_create",
        tags=["registry"],
        summary="Add a household member",
        description="Needs scope `registry:write`. A national ID registered anywhere is "
        "refused with `duplicate_national_id` (409). Answers with the whole file, whose "
        "`version` has moved on.",
        request=MemberInputSerializer,
        responses={201: FileSerializer, **error_responses(400, 401, 403, 404), **DUPLICATE},
    )
    def post(self, request, number: str):
        file = selectors.file_for(actor=request.user, number=number)
        data = MemberInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.add_member(actor=request.user, file=file, member=data.validated_data)
        file = selectors.file_for(actor=request.user, number=number)
        return file_response(file=file, actor=request.user, status=201)


@extend_schema_serializer(component_name="MemberChange")
class MemberChangeSerializer(MemberInputSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The `version` of the file as last read."
    )


class BeneficiaryMemberDetailApi(APIView):
    permission_classes = [IsAuthenticated, HasScope]
    required_scopes = [Scope.REGISTRY_WRITE]

    @extend_schema(
        operation_id="beneficiaries_members_update",
        tags=["registry"],
        summary="Update a household member",
        description="Needs scope `registry:write`. Send only the fields to change, with the "
        "file's `version` last read (`stale_file`, 409, if someone saved it since). A "
        "national ID registered to someone else is refused with `duplicate_national_id`. "
        "Health, disability and family situation need an account that may see them.",
        request=MemberChangeSerializer,
        responses={200: FileSerializer, **error_responses(400, 401, 403, 404), **STALE},
    )
    def patch(self, request, number: str, person_id: int):
        file = selectors.file_for(actor=request.user, number=number)
        try:
            person = services.member_of(file=file, person_id=person_id)
        except NotAMember:
            raise Http404 from None
        data = MemberChangeSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        if "version" not in changes:
            raise serializers.ValidationError({"version": [_("This field is required.")]})
        services.update_person(actor=request.user, person=person, **changes)
        file = selectors.file_for(actor=request.user, number=number)
        return file_response(file=file, actor=request.user)


@extend_schema_serializer(component_name="IncomesChange")
class IncomesInputSerializer(serializers.Serializer):
    class IncomeInput(serializers.Serializer):
        kind = serializers.ChoiceField(choices=IncomeKind.choices)
        monthly_amount = serializers.DecimalField(**MONEY_FIELD)
        note = serializers.CharField(max_length=120, required=False, allow_blank=True)

    version = serializers.IntegerField(
        min_value=1, help_text="The `version` of the file as last read."
    )
    incomes = IncomeInput(many=True, allow_empty=True, max_length=20)


class BeneficiaryIncomesApi(APIView):
    permission_classes = [IsAuthenticated, HasScope]
    required_scopes = [Scope.REGISTRY_WRITE]

    @extend_schema(
        operation_id="beneficiaries_incomes_replace",
        tags=["registry"],
        summary="Replace the household's income sources",
        description="Needs scope `registry:write`. The list replaces the current one; the "
        "per-capita income and the category (unless set by hand) follow. Send the file's "
        "`version` last read.",
        request=IncomesInputSerializer,
        responses={200: FileSerializer, **error_responses(400, 401, 403, 404), **STALE},
    )
    def put(self, request, number: str):
        file = selectors.file_for(actor=request.user, number=number)
        data = IncomesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_incomes(
            actor=request.user,
            file=file,
            version=data.validated_data["version"],
            incomes=[dict(item) for item in data.validated_data["incomes"]],
        )
        file = selectors.file_for(actor=request.user, number=number)
        return file_response(file=file, actor=request.user)
