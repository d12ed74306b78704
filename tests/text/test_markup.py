"""The span renderer shared by highlights and mention links."""

import pytest

from articles.text.markup import wrap_spans


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        ("وزير الداخلية", [(0, 4, "<mark>", "</mark>")], "<mark>وزير</mark> الداخلية"),
        ("<b>x</b> y", [(9, 10, "<mark>", "</mark>")], "&lt;b&gt;x&lt;/b&gt; <mark>y</mark>"),
        ("a \"b\" 'c'", [], "a &quot;b&quot; &#x27;c&#x27;"),
        ("abcdef", [(0, 3, "[", "]"), (2, 5, "<", ">")], "[abc]def"),
        ("abcdef", [(4, 6, "[", "]"), (0, 1, "[", "]")], "[a]bcd[ef]"),
        ("abc", [(1, 9, "[", "]")], "abc"),
        ("abc", [(2, 2, "[", "]")], "abc"),
    ],
)
def test_spans_are_wrapped_and_everything_else_escaped(text, spans, expected):
    assert wrap_spans(text, spans) == expected


def test_a_window_of_the_text_keeps_only_the_spans_inside_it():
    text = "one two three four"
    spans = [(0, 3, "[", "]"), (4, 7, "[", "]"), (14, 18, "[", "]")]
    assert wrap_spans(text, spans, start=4, end=13) == "[two] three"
