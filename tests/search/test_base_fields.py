"""The document fields and filters the PostgreSQL and OpenSearch engines share."""

from datetime import date, datetime

import pytest

from articles.search.base.fields import from_stored, json_value, parse_narrow


@pytest.mark.parametrize(
    ("narrow", "expected"),
    [
        ("source:3", ("source", 3, None, None)),
        ("entities:15", ("entities", 15, None, None)),
        ("copy_group:7", ("copy_group", 7, None, None)),
        ("published_on:[20180101 to 20181231]", ("published_on", None, date(2018, 1, 1), date(2018, 12, 31))),
        ("published_on:[2018 to ]", ("published_on", None, date(2018, 1, 1), None)),
        ("published_on:[ to 201806]", ("published_on", None, None, date(2018, 6, 1))),
        ("year:[2013 to 2015]", ("year", None, 2013, 2015)),
        ('django_ct:"articles.article"', ("django_ct", "articles.article", None, None)),
    ],
)
def test_narrow_queries_the_service_writes_are_read(narrow, expected):
    assert parse_narrow(narrow) == expected


@pytest.mark.parametrize(
    ("narrow", "message"),
    [
        ("title:ماء", "cannot filter the search index by 'title:ماء'"),
        ("source", "cannot filter the search index by 'source'"),
        ("source:ثلاثة", "bad value in the search filter 'source:ثلاثة'"),
        ("published_on:[2018xx to 2019]", "bad value in the search filter"),
    ],
)
def test_a_filter_the_index_cannot_answer_names_itself(narrow, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        parse_narrow(narrow)


@pytest.mark.parametrize("value", [date(2019, 3, 4), datetime(2019, 3, 4, 12, 30)])
def test_stored_dates_come_back_as_dates(value):
    stored = {"published_on": json_value(value), "title": "عنوان"}
    assert stored["published_on"] == "2019-03-04"
    assert from_stored(stored) == {"published_on": date(2019, 3, 4), "title": "عنوان"}
