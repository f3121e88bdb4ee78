"""Accounts over the API: who the caller is, and the branches they may see."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from mustafid.accounts.models import Branch
from mustafid.accounts.roles import Role, role_label
from mustafid.accounts.selectors import branches_visible_to
from mustafid.api.models import ApiClient
from mustafid.api.pagination import paginated_response
from mustafid.api.permissions import HasScope
from mustafid.api.schema import error_responses
from mustafid.api.scopes import Scope


@extend_schema_serializer(component_name="Role")
class RoleSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=Role.choices)
    label = serializers.CharField()


@extend_schema_serializer(component_name="BranchSummary")
class BranchSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name_ar = serializers.CharField()
    name_en = serializers.CharField()
    city = serializers.CharField()


@extend_schema_serializer(component_name="ClientSummary")
class ClientSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=Scope.choices))


class MeApi(APIView):
    permission_classes = [IsAuthenticated, HasScope]
    required_scopes = [Scope.ME_READ]

    @extend_schema_serializer(component_name="Me")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        full_name = serializers.CharField()
        email = serializers.EmailField()
        roles = RoleSerializer(many=True)
        branches = BranchSummarySerializer(many=True)
        client = ClientSummarySerializer(
            allow_null=True, help_text="The API client, when the request carries a token."
        )

    @extend_schema(
        operation_id="me_retrieve",
        tags=["accounts"],
        summary="The calling account",
        description="Needs scope `me:read`. The service account's roles and branches "
        "decide what the token may reach.",
        responses={200: OutputSerializer, **error_responses(401, 403)},
    )
    def get(self, request):
        user = request.user
        client = request.auth if isinstance(request.auth, ApiClient) else None
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "full_name": user.get_full_name(),
            "email": user.email,
            "roles": [
                {"code": code, "label": role_label(code)} for code in sorted(user.role_codes())
            ],
            "branches": user.branches.all(),
            "client": client,
        }
        return Response(self.OutputSerializer(data).data)


class BranchListApi(APIView):
    permission_classes = [IsAuthenticated, HasScope]
    required_scopes = [Scope.BRANCHES_READ]
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    class InputSerializer(serializers.Serializer):
        # allow_null: an absent query parameter is "no filter", not False.
        active = serializers.BooleanField(
            required=False, allow_null=True, help_text="Only active (true) or closed (false)."
        )

    @extend_schema_serializer(component_name="Branch")
    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Branch
            fields = ["id", "code", "name_ar", "name_en", "city", "phone", "is_active"]

    @extend_schema(
        operation_id="branches_list",
        tags=["accounts"],
        summary="Branches the caller may see",
        description="Needs scope `branches:read`. Staff accounts see their own branches; "
        "system administrators see all.",
        parameters=[InputSerializer],
        responses={200: OutputSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request):
        filters = self.InputSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        branches = branches_visible_to(actor=request.user)
        if (active := filters.validated_data.get("active")) is not None:
            branches = branches.filter(is_active=active)
        return paginated_response(
            view=self,
            request=request,
            queryset=branches.order_by("code"),
            serializer_class=self.OutputSerializer,
        )
