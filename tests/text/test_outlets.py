"""Display names of outlets known by slug (articles.text.outlets)."""

import pytest

from articles.text.outlets import outlet_display_name


@pytest.mark.parametrize(
    ("printed", "display"),
    [
        ("alarabia", "العربية"),
        ("skynews", "سكاي نيوز عربية"),
        ("Sky News Arabia", "سكاي نيوز عربية"),
        ("BBC", "بي بي سي عربي"),
        ("bbc", "بي بي سي عربي"),
        ("CNN", "سي إن إن بالعربية"),
        ("france24", "فرانس 24"),
        ("Jawhara FM", "جوهرة أف أم"),
        ("jawharafm", "جوهرة أف أم"),
        ("  Jawhara   FM ", "جوهرة أف أم"),
        ("موقع alarabia", "العربية"),
        ("الوطن", None),
        ("صحيفة BBC الجديدة", None),
        ("alarabia.net.tn", None),
    ],
)
def test_known_slugs_have_a_display_name(printed, display):
    assert outlet_display_name(printed) == display
