"""A response document meeting a stored recommendation: which of its values are taken, and what differs.

The rule: a response document never silently replaces what is stored. Where it gives a recommendation's
text, addressee, timescale, owner or response and the stored value (from a tracker, an edit or an earlier
document) is different, the stored value is kept and the difference reported as a :class:`Conflict` with both
values; only when the person loading asks for the document's values (``prefer_document``) does it replace
them, and the replacement is reported the same way. An empty stored field is simply filled in, and values
that differ only in spacing are the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from data_loaders.recommendations.fragments import text_of


@dataclass(frozen=True)
class Conflict:
    """A field where a response document and the stored recommendation disagree, and which value was kept."""

    where: str  # the document and line it came from
    reference: str
    field: str  # the column: text, addressed_to, timescale, owner, response_html
    stored: str
    document: str
    kept_stored: bool

    def describe(self) -> str:
        """'R3 owner: stored 'Head of Crime', document 'Head of Public Protection''."""
        label = CONFLICT_FIELDS.get(self.field, self.field)
        return f"{self.reference} {label}: stored '{self.stored}', document '{self.document}'"


# The recommendation fields a response document gives, as messages name them.
CONFLICT_FIELDS = {
    "text": "text",
    "addressed_to": "addressed to",
    "timescale": "timescale",
    "owner": "owner",
    "response_html": "response",
}


def same(stored: Any, given: Any) -> bool:
    """Whether two field values say the same thing (text that differs only in spacing does)."""
    if isinstance(stored, str) and isinstance(given, str):
        return " ".join(stored.split()) == " ".join(given.split())
    return stored == given


def shown(field_name: str, value: Any) -> str:
    """A field's value as a message shows it: a response's visible text rather than its HTML."""
    return text_of(value) if field_name == "response_html" else str(value)


def settle(row: Any, given: dict[str, Any], *, prefer_document: bool, label: str, reference: str) -> list[Conflict]:
    """Drop from ``given`` the document's values that would replace a different stored one, unless asked to
    prefer the document, and those the same as stored; each difference found (kept or replaced)."""
    found = []
    for key in [k for k in given if k in CONFLICT_FIELDS]:
        stored = getattr(row, key)
        if stored in (None, "") or same(stored, given[key]):
            if stored not in (None, ""):
                del given[key]
            continue
        keep = not prefer_document
        found.append(Conflict(label, reference, key, shown(key, stored), shown(key, given[key]), kept_stored=keep))
        if keep:
            del given[key]
    return found
