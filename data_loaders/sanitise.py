"""Making untrusted content safe to show and to export.

Response HTML arrives from documents written outside the office: :func:`safe_html` keeps a
small allow-list of text markup and drops everything else (scripts, event handlers, frames,
SVG, styles, links to anything but web pages and e-mail). Spreadsheet exports are made inert
with :func:`neutralise_formula`, so that a cell such as ``=HYPERLINK(...)`` reaches Excel as
text, not as a formula.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3
import pandas as pd

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# Tags whose content is dropped with them, not kept as text: code, styles, embedded documents.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "template", "noscript"}
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def _keep_link(tag: str, attribute: str, value: str) -> str | None:
    """Keep an ``href`` only when it is an absolute http, https or mailto address."""
    if tag == "a" and attribute == "href":
        scheme = urlsplit(CONTROL.sub("", value)).scheme.lower()
        return value if scheme in LINK_SCHEMES else None
    return value


def safe_html(fragment: str | None) -> str:
    """The fragment with only paragraphs, line breaks, emphasis, lists and web or e-mail links left.

    Links get ``rel="noopener noreferrer"``; relative, ``javascript:`` and ``data:`` links lose
    their address.

    >>> safe_html('<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x()">link</a></p>')
    '<p>Hi <a rel="noopener noreferrer">link</a></p>'
    """
    if not fragment:
        return ""
    return nh3.clean(
        str(fragment),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_keep_link,
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def neutralise_formula(value: object) -> object:
    """A text cell made inert for spreadsheets; anything that is not text is returned unchanged.

    Text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be read by
    Excel, LibreOffice or Google Sheets as a formula (OWASP "CSV injection"); a leading
    apostrophe makes it text. Numbers stay numbers, so a negative count is not touched.

    >>> neutralise_formula("=1+1"), neutralise_formula(-3), neutralise_formula("R1")
    ("'=1+1", -3, 'R1')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table with every text cell and column name neutralised for spreadsheet export."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_formula)
    out.columns = [neutralise_formula(c) for c in out.columns]
    return out
