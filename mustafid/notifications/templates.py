"""Message templates: one folder of text files per message, in Arabic and English.

``templates/notifications/messages/<name>/`` holds ``subject.txt`` and ``body.txt`` for
email and ``sms.txt`` for SMS, written with ``{% blocktranslate %}`` so both languages come
from the .po files. Other apps register their own messages with ``register`` and put the
folder in their own ``templates/``.
"""

from dataclasses import dataclass, field
from functools import cache

from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mustafid.notifications.errors import MissingTemplateData, UnknownTemplate, UnsupportedChannel
from mustafid.notifications.models import Channel


@dataclass(frozen=True)
class MessageTemplate:
    name: str
    description: str
    channels: frozenset[str] = frozenset({Channel.EMAIL, Channel.SMS})
    #: Context keys the texts use; queuing without one is refused, not sent half-empty.
    required: tuple[str, ...] = field(default=())

    def files(self, channel: str) -> dict[str, str]:
        """The template file per rendered part ("subject", "body") for ``channel``."""
        folder = f"notifications/messages/{self.name}"
        if channel == Channel.SMS:
            return {"body": f"{folder}/sms.txt"}
        return {"subject": f"{folder}/subject.txt", "body": f"{folder}/body.txt"}


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body: str


_registry: dict[str, MessageTemplate] = {}


def register(template: MessageTemplate) -> MessageTemplate:
    _registry[template.name] = template
    return template


def message_templates() -> list[MessageTemplate]:
    return sorted(_registry.values(), key=lambda template: template.name)


def get_message_template(name: str) -> MessageTemplate:
    try:
        return _registry[name]
    except KeyError:
        raise UnknownTemplate(name=name) from None


@cache
def _engine() -> Engine:
    return Engine(app_dirs=True, libraries={"i18n": "django.templatetags.i18n"})


def render_message(*, template: str, channel: str, context: dict, language: str) -> RenderedMessage:
    """The subject and text of ``template`` for ``channel`` in ``language``."""
    message_template = get_message_template(template)
    if channel not in message_template.channels:
        raise UnsupportedChannel(name=template, channel=Channel(channel).label)
    if missing := [key for key in message_template.required if key not in context]:
        raise MissingTemplateData(name=template, missing=", ".join(missing))
    parts = {"subject": ""}
    with translation.override(language):
        for part, path in message_template.files(channel).items():
            try:
                # Plain text, not HTML: "&" in a name must reach the reader as "&", not "&amp;".
                text = _engine().get_template(path).render(Context(context, autoescape=False))
            except TemplateDoesNotExist as err:
                raise UnsupportedChannel(name=template, channel=Channel(channel).label) from err
            parts[part] = text.strip()
    # A subject is one line: a header with a newline in it is refused by the mail library.
    return RenderedMessage(subject=" ".join(parts["subject"].split()), body=parts["body"])


register(
    MessageTemplate(
        name="test_message",
        description=_("Test message from an operator"),
        required=("sender",),
    )
)
register(
    MessageTemplate(
        name="staff_welcome",
        description=_("Welcome to a new staff account"),
        required=("name", "username", "login_url"),
    )
)
