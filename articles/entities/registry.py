"""The extractor a caller gets: :func:`get_extractor`, built once per name and model."""

from __future__ import annotations

import logging
import os
import threading

from articles.entities.base import Extractor
from articles.entities.builtin import BuiltinExtractor
from articles.entities.camel import CamelExtractor, camel_model_dir

logger = logging.getLogger(__name__)

_EXTRACTORS: dict[tuple, Extractor] = {}
_EXTRACTORS_LOCK = threading.RLock()  # "camel" builds its "builtin" fallback inside


def _settings(name: str, default):
    try:
        from django.conf import settings

        return getattr(settings, name, default)
    except Exception:  # Django absent or not configured: plain scripts and tests use defaults.
        return default


def get_extractor(name: str | None = None) -> Extractor:
    """The extractor called ``name`` (default: setting ``ARCHIVE_NER_EXTRACTOR``, else "builtin").

    Built once per name and model and then cached. "camel" falls back to "builtin" with one logged
    warning when camel-tools' NER data is not installed or fails to load.
    """
    name = name or _settings("ARCHIVE_NER_EXTRACTOR", None) or "builtin"
    if name not in ("builtin", "camel"):
        raise ValueError(f"unknown NER extractor {name!r}; use 'builtin' or 'camel'")
    camel_setting = _settings("ARCHIVE_CAMEL_NER_MODEL", None) if name == "camel" else None
    key = (name, str(camel_setting), os.environ.get("CAMELTOOLS_DATA"))
    with _EXTRACTORS_LOCK:
        if key not in _EXTRACTORS:
            _EXTRACTORS[key] = _build(name, camel_setting)
        return _EXTRACTORS[key]


def _build(name: str, camel_setting) -> Extractor:
    if name == "camel":
        model_dir = camel_model_dir(camel_setting)
        if model_dir is None:
            logger.warning("camel NER data not installed (run `camel_data -i ner` or set "
                           "ARCHIVE_CAMEL_NER_MODEL); using the builtin extractor")
        else:
            try:
                return CamelExtractor(model_dir)
            except Exception as exc:  # a broken or partial download must not take the site down
                logger.warning("camel NER model at %s failed to load (%s); using the builtin "
                               "extractor", model_dir, exc)
        return get_extractor("builtin")
    return BuiltinExtractor()
