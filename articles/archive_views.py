"""Browse by date: ``/archive/``, ``/archive/2018/``, ``/archive/2018/03/``, ``/archive/2018/03/15/``.

Django's date-based views on ``published_on``. Periods without articles are 404s, and the
previous/next links Django gives these views skip them. Every calendar's counts come from one
aggregate query; undated articles belong to no period and are only counted on the index.
"""

import calendar
from datetime import date

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.shortcuts import render
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.views.generic.dates import DayArchiveView, MonthArchiveView, YearArchiveView

from articles.models import Article

# The week starts on Saturday in most of the Arab world.
FIRST_WEEKDAY = calendar.SATURDAY


def month_weeks(year: int, month: int, counts: dict[int, int]) -> list[list[tuple[date | None, int]]]:
    """The weeks of a month, Saturday first, as (day, article count); days of the neighbouring
    months that fill the first and last weeks are (None, 0)."""
    weeks = calendar.Calendar(FIRST_WEEKDAY).monthdatescalendar(year, month)
    return [[(day, counts.get(day.day, 0)) if day.month == month else (None, 0) for day in week] for week in weeks]


def weekday_names() -> list[tuple[str, str]]:
    """(full name, short name) of the weekdays in calendar order, in the active language."""
    order = [(FIRST_WEEKDAY + offset) % 7 for offset in range(7)]
    return [(str(WEEKDAYS[day]), str(WEEKDAYS_ABBR[day])) for day in order]


def month_calendar(year: int, month: int, *, current: date | None = None) -> dict:
    """What ``includes/calendar_month.html`` draws: the month's grid with its counts per day."""
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    rows = (
        Article.objects.filter(published_on__gte=first, published_on__lt=following)
        .annotate(day=ExtractDay("published_on"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["day"]: row["n"] for row in rows}
    return {
        "month": first,
        "weeks": month_weeks(year, month, counts),
        "weekdays": weekday_names(),
        "current": current,
        "total": sum(counts.values()),
    }


def archive_index(request):
    """Every year that has articles, with its count, and how many articles have no date."""
    rows = (
        Article.objects.annotate(year=ExtractYear("published_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    years = [(row["year"], row["n"]) for row in rows if row["year"] is not None]
    undated = sum(row["n"] for row in rows if row["year"] is None)
    return render(request, "articles/archive_index.html", {"years": years, "undated": undated})


class DateArchiveMixin:
    """What the three period pages share: the article lists of the rest of the site."""

    queryset = Article.objects.for_listing()
    date_field = "published_on"
    # Publication dates are read from the pasted text; a wrong future date must still be reachable.
    allow_future = True
    allow_empty = False
    month_format = "%m"
    ordering = ("-published_on", "-created_at", "-pk")
    paginate_by = settings.ARCHIVE_PAGE_SIZE

    def paginate_queryset(self, queryset, page_size):
        # As the other lists: a malformed or out-of-range page number gives the first or last page.
        page = Paginator(queryset, page_size).get_page(self.request.GET.get("page"))
        return page.paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = context["page_obj"]
        return context


class YearArchive(DateArchiveMixin, YearArchiveView):
    template_name = "articles/archive_year.html"
    make_object_list = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = context["year"].year
        rows = (
            Article.objects.filter(published_on__year=year)
            .annotate(month_number=ExtractMonth("published_on"))
            .values("month_number")
            .annotate(n=Count("pk"))
            .order_by()
        )
        counts = {row["month_number"]: row["n"] for row in rows}
        context["months"] = [(date(year, number, 1), counts.get(number, 0)) for number in range(1, 13)]
        context["total"] = sum(counts.values())
        return context


class MonthArchive(DateArchiveMixin, MonthArchiveView):
    template_name = "articles/archive_month.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month = context["month"]
        context["calendar"] = month_calendar(month.year, month.month)
        return context


class DayArchive(DateArchiveMixin, DayArchiveView):
    template_name = "articles/archive_day.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = context["day"]
        context["calendar"] = month_calendar(day.year, day.month, current=day)
        return context
