"""The glossary (``dashboard/content/glossary.md``): the technical terms behind the plain readings, by section.

Every page reaches the sections that explain its readings in one click, and the meeting pack prints
them in its notes. Pure Python: no Streamlit.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

FILE = Path(__file__).resolve().parents[1] / "content" / "glossary.md"
SPC, ICONS, TARGETS, OUTCOMES, COUNTS, STATUS = (
    "Is it changing, or is it noise?",
    "The icons",
    "Targets",
    "What happened to the crimes: outcomes",
    "The two ways of counting outcomes",
    "Recommendation status",
)
# Which sections explain the reading under each chart, by the chart's catalogue key (or its start).
FOR_CHART = {
    "recorded-spc": (SPC, ICONS),
    "charge-rate-spc": (SPC, ICONS, TARGETS, OUTCOMES, COUNTS),
    "outcome": (OUTCOMES, COUNTS),
    "charge-rate": (OUTCOMES, COUNTS),
    "victim": (OUTCOMES, COUNTS),
    "recommendation": (STATUS,),
}


@functools.cache
def sections() -> dict[str, str]:
    """Each section's heading and its Markdown body, in the file's order."""
    text = FILE.read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return {heading.strip(): body.strip() for heading, body in zip(parts[1::2], parts[2::2], strict=True)}


def for_chart(key: str) -> tuple[str, ...]:
    """The headings of the sections that explain chart ``key``'s reading (none for a chart without jargon)."""
    for start, headings in sorted(FOR_CHART.items(), key=lambda item: -len(item[0])):
        if key.startswith(start):
            return headings
    return ()


def paragraphs(body: str) -> list[tuple[int, str]]:
    """A section's body as (indent level, text) items: 0 for a paragraph, 1 for a bullet, 2 for a bullet within.

    Continuation lines join their item; ``**bold**`` stays as written for the caller to render.
    """
    items: list[tuple[int, str]] = []
    for line in body.splitlines():
        stripped = line.strip()
        if not stripped:
            items.append((-1, ""))
            continue
        bullet = re.match(r"^( *)- (.*)$", line)
        if bullet:
            items.append((1 + len(bullet.group(1)) // 2, bullet.group(2).strip()))
        elif items and items[-1][0] != -1:
            level, text = items[-1]
            items[-1] = (level, f"{text} {stripped}")
        else:
            items.append((0, stripped))
    return [item for item in items if item[0] != -1]
