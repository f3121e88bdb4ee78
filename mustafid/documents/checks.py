"""System checks: documents are never stored where the web server serves files."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=False)
def documents_root_not_served(app_configs=None, **kwargs) -> list[Error]:
    """``DOCUMENTS_ROOT`` must not be inside ``STATIC_ROOT``, ``MEDIA_ROOT`` or a static folder."""
    root = Path(settings.DOCUMENTS_ROOT).resolve()
    served = [settings.STATIC_ROOT, settings.MEDIA_ROOT, *settings.STATICFILES_DIRS]
    found = []
    for folder in served:
        if folder and root.is_relative_to(Path(folder).resolve()):
            found.append(
                Error(
                    f"DOCUMENTS_ROOT ({root}) is inside {folder}, which is served to the web: "
                    "anyone could fetch a family's documents without an access check.",
                    hint="Point DOCUMENTS_ROOT at a folder of its own, e.g. var/documents.",
                    id="documents.E001",
                )
            )
    return found
