import factory

from mustafid.notifications.models import Channel, OutboxMessage, Status


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    """A message as notify() leaves it, without rendering or sending."""

    class Meta:
        model = OutboxMessage

    channel = Channel.EMAIL
    recipient = factory.Sequence(lambda n: f"person{n}@example.org")
    language = "ar"
    template = "test_message"
    context = factory.LazyFunction(lambda: {"sender": "سارة"})
    subject = "رسالة تجريبية من مستفيد"
    body = "مرحبًا،"
    status = Status.QUEUED
    idempotency_key = factory.Sequence(lambda n: f"factory-{n}")
