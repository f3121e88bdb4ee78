"""Document metadata in the beneficiaries API. Never the file itself: downloads go
through the signed-in page, which checks access and logs each one."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from mustafid.documents.models import ContentType, DocumentKind, ExpiryStatus


@extend_schema_serializer(component_name="DocumentMetadata")
class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    person = serializers.IntegerField(
        source="person_id", allow_null=True, help_text="The member it belongs to, or null."
    )
    original_name = serializers.CharField()
    content_type = serializers.ChoiceField(
        choices=ContentType.choices, help_text="Decided from the file's content."
    )
    size = serializers.IntegerField(help_text="Bytes.")
    sha256 = serializers.CharField()
    issue_date = serializers.DateField(allow_null=True)
    expiry_date = serializers.DateField(allow_null=True)
    expiry_status = serializers.ChoiceField(
        choices=ExpiryStatus.choices,
        help_text="`expiring`: within DOCUMENT_EXPIRY_WARNING_DAYS of its expiry date.",
    )
    note = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
