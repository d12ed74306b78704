"""``{{ date|hijri }}``: the Hijri date beside the Gregorian one on article pages."""

from datetime import date

from django import template

from articles.text.hijri import hijri_date

register = template.Library()


@register.filter
def hijri(value) -> str:
    # Like Django's |date, anything but a date (a missing variable is "") shows nothing.
    return hijri_date(value) if isinstance(value, date) else ""
