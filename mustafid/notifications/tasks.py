"""Background work of the outbox: each task loads by id and calls a service."""

from django_tasks import task

from mustafid.notifications import services


@task()
def send_outbox_message(*, message_id: int) -> str:
    """Send one outbox message; safe to run twice (the service claims it first)."""
    message = services.send_message(message_id=message_id)
    return message.status if message is not None else "skipped"
