from datetime import date

import pytest

from articles.text.hijri import hijri_date


@pytest.mark.parametrize(
    "gregorian, hijri",
    [
        (date(2018, 3, 30), "13 رجب 1439 هـ"),
        (date(2024, 8, 19), "15 صفر 1446 هـ"),
        (date(2024, 3, 11), "1 رمضان 1445 هـ"),
        (date(2023, 7, 19), "1 محرم 1445 هـ"),
        (date(2025, 6, 6), "10 ذو الحجة 1446 هـ"),
        (date(1924, 8, 1), "1 محرم 1343 هـ"),
        (date(1924, 7, 31), ""),  # before the Umm al-Qura tables
        (date(2077, 11, 17), ""),  # after them
        (None, ""),
    ],
)
def test_hijri_date_in_arabic_month_names(gregorian, hijri):
    assert hijri_date(gregorian) == hijri
