"""System checks that save operators from silent misconfiguration."""

from django.core.checks import Error, Tags, register
from django.db import connections
from django.db.utils import DatabaseError


@register(Tags.database)
def check_arabic_trigrams(app_configs, databases=None, **kwargs):
    """PostgreSQL with LC_CTYPE 'C' makes no Arabic trigrams: name search would find nothing.

    Runs with ``check --database default`` and before migrate/tests on PostgreSQL.
    """
    errors = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('lc_ctype')")
                (ctype,) = cursor.fetchone()
        except DatabaseError:
            continue
        if ctype.upper() in {"C", "POSIX"}:
            errors.append(
                Error(
                    f"Database '{alias}' uses LC_CTYPE '{ctype}': PostgreSQL cannot split Arabic "
                    "text into trigrams, so Arabic name search would silently find nothing.",
                    hint="Create the database with LC_CTYPE 'C.UTF-8' (or another UTF-8 locale).",
                    id="mustafid.E001",
                )
            )
    return errors
