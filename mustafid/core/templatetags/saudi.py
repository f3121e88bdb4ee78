"""Showing Saudi numbers as people write them: ``{% load saudi %}{{ file.mobile|mobile }}``."""

from django import template
from django.core.exceptions import ValidationError

from mustafid.core.validators import format_iban, format_mobile_national

register = template.Library()


@register.filter
def mobile(value: str) -> str:
    """``+966501234567`` → ``050 123 4567``; anything else as it is."""
    if not value:
        return ""
    try:
        return format_mobile_national(value)
    except (ValidationError, ValueError):
        return value


@register.filter
def iban(value: str) -> str:
    """``SA0380000000608010167519`` → ``SA03 8000 0000 6080 1016 7519``."""
    if not value:
        return ""
    try:
        return format_iban(value)
    except (ValidationError, ValueError):
        return value
