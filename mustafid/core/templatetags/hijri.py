"""Template filters for dates: always Hijri and Gregorian together."""

from django import template

from mustafid.core import dates

register = template.Library()


@register.filter
def dual_date(value):
    """``{{ day|dual_date }}`` → ``24 شعبان 1445 هـ — 5 مارس 2024``."""
    return dates.format_dual(value)


@register.filter
def dual_datetime(value):
    """``{{ moment|dual_datetime }}`` → the dual date and the Riyadh time."""
    return dates.format_dual_datetime(value)


@register.filter
def hijri_date(value):
    return dates.format_hijri(value)
