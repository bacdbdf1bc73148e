from rest_framework import serializers


class ErrorExtraSerializer(serializers.Serializer):  # type: ignore[type-arg]
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class ErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The body of every API error: a stable code, a message in the caller's language, details."""

    code = serializers.CharField()
    message = serializers.CharField()
    extra = ErrorExtraSerializer()
