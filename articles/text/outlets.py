"""Display names of known outlets: what readers see instead of the slug a feed or a site prints.

Pure Python (no Django). The corpora the archive is loaded from name their outlets by slug
(«alarabia», «skynews», «Jawhara FM»); each maps here to the outlet's own Arabic name. Names are
matched by :func:`articles.text.keys.source_key`, so case, spacing and «صحيفة»-like words do not
matter. Editors can rename any outlet in the admin; this table only names new ones.
"""

from articles.text.keys import source_key

_DISPLAY_NAMES = {
    "العربية": ["alarabia", "alarabiya", "al arabiya", "al-arabiya", "alarabiya.net"],
    "سكاي نيوز عربية": ["skynews", "sky news", "skynewsarabia", "sky news arabia", "skynews arabia"],
    "بي بي سي عربي": ["BBC", "bbc arabic", "BBC Arabic", "bbcarabic", "bbc عربي"],
    "سي إن إن بالعربية": ["CNN", "cnn arabic", "CNN Arabic", "cnnarabic", "arabic.cnn.com"],
    "فرانس 24": ["france24", "france 24", "France 24 Arabic", "france24 arabic"],
    "جوهرة أف أم": ["jawharafm", "Jawhara FM", "jawhara fm", "jawhara"],
    "الجزيرة": ["aljazeera", "al jazeera", "al-jazeera", "aljazeera.net"],
    "روسيا اليوم": ["rt", "rt arabic", "russia today"],
    "دويتشه فيله": ["dw", "dw arabic", "deutsche welle"],
}
_BY_KEY = {source_key(slug): name for name, slugs in _DISPLAY_NAMES.items() for slug in slugs}


def outlet_display_name(name: str) -> str | None:
    """The display name of the outlet printed as ``name``, or None when it is not a known slug."""
    return _BY_KEY.get(source_key(name))
