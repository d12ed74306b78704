"""``{{ date|hijri }}``: the Hijri date beside the Gregorian one on article pages."""

from django import template

from articles.text.hijri import hijri_date

register = template.Library()


@register.filter
def hijri(value) -> str:
    return hijri_date(value)
