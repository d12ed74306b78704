"""The reader's error pages: Arabic, in the site's frame, and a 500 that needs nothing that may be broken."""

import pytest
from django.test import RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/no-such-page/", "/articles/999999/", "/archive/2018/13/"])
def test_a_missing_page_is_an_arabic_404_in_the_site_frame(client, path):
    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in html
    assert 'class="site-header"' in html and 'dir="rtl"' in html
    assert "Not Found" not in html


def test_the_500_page_renders_without_request_context_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = defaults.server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "حدث خطأ في الخادم" in html and 'dir="rtl"' in html
    assert "Server Error" not in html
