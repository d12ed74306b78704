"""The Hijri (Umm al-Qura) date of a Gregorian one, as Arabic readers print it: «13 رجب 1439 هـ».

The conversion is hijridate's (the Umm al-Qura tables); it covers 1924-08-01 to 2077-11-16, and
a date outside that span has no Hijri form here rather than a guessed one.
"""

from datetime import date

from hijridate import Gregorian


def hijri_date(value: date | None) -> str:
    """«13 رجب 1439 هـ» for ``value``; an empty string when there is no date or it is out of range."""
    if value is None:
        return ""
    try:
        hijri = Gregorian(value.year, value.month, value.day).to_hijri()
    except OverflowError:
        return ""
    return f"{hijri.day} {hijri.month_name('ar')} {hijri.year} هـ"
