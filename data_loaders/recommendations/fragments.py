"""HTML fragments of a response document read in one pass: its paragraphs, and the visible text of a fragment.

A response cell is written as ``<p>...</p>`` paragraphs. Patterns spanning a paragraph's body or a tag
(``<p\\b[^>]*>(.*?)</p\\s*>``, ``<[^>]*>``) scan to the end of the text again from every unclosed ``<p`` or
``<``, so a cell of many of them takes time that grows with the square of its length; these read each
character once or a few times.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

PARAGRAPH_OPEN = re.compile(r"<p\b", re.IGNORECASE)
PARAGRAPH_CLOSE = re.compile(r"</p\s*+>", re.IGNORECASE)


@dataclass(frozen=True)
class Paragraph:
    """A ``<p>`` element of a response: where it starts and ends in the text, and its body."""

    start: int
    end: int
    body: str


def paragraphs(cell: str) -> list[Paragraph]:
    """The ``<p ...>...</p>`` elements of a cell, in order; each body ends at the first ``</p>`` after it opens."""
    found = []
    position = 0
    while opening := PARAGRAPH_OPEN.search(cell, position):
        body_start = cell.find(">", opening.end()) + 1
        closing = PARAGRAPH_CLOSE.search(cell, body_start) if body_start else None
        if closing is None:
            break  # no later paragraph can close either
        found.append(Paragraph(opening.start(), closing.end(), cell[body_start : closing.start()]))
        position = closing.end()
    return found


def without_tags(fragment: str) -> str:
    """The fragment with each ``<...>`` replaced by a space, one pass (an unclosed ``<`` is left as it is)."""
    parts = []
    position = 0
    while (opening := fragment.find("<", position)) >= 0 and (closing := fragment.find(">", opening + 1)) >= 0:
        parts.extend((fragment[position:opening], " "))
        position = closing + 1
    parts.append(fragment[position:])
    return "".join(parts)


def text_of(fragment: str) -> str:
    """The visible text of an HTML fragment: tags dropped, entities decoded, runs of space as one."""
    return " ".join(html.unescape(without_tags(fragment)).split())
