"""Every response carries a Content-Security-Policy of our own origin, and no template needs more."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
# What a policy without 'unsafe-inline' refuses: inline scripts, style elements and attributes,
# event-handler attributes, javascript: links.
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle=", re.IGNORECASE),
    "event handler": re.compile(r"\son[a-z]+=", re.IGNORECASE),
    "javascript: link": re.compile(r"javascript:", re.IGNORECASE),
}


def policy_of(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response["Content-Security-Policy"].split(";") if part.strip())
    return {name: sources for name, *sources in directives}


@pytest.mark.parametrize("path", ["/", "/search/?q=%D8%A7%D9%84%D9%83%D8%B1%D8%B2", "/api/search?q=x", "/no-such-page/"])
@pytest.mark.django_db
def test_every_response_allows_our_own_origin_only(client, path):
    policy = policy_of(client.get(path))

    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    assert not any(source.startswith("'unsafe-") for sources in policy.values() for source in sources)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_no_template_needs_unsafe_inline(template):
    text = template.read_text(encoding="utf-8")

    assert {kind: pattern.findall(text) for kind, pattern in INLINE.items() if pattern.search(text)} == {}
