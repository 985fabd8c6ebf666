"""What the user is looking at: the force, peers, categories, period and how figures are shown, and its URL form.

Pure (no Streamlit), so every figure, chart and output can take a choice of filters; the sidebar
that draws them is ``dashboard.ui.filters``. Parsing a URL is forgiving: an unknown force or a
malformed date in a hand-edited link falls back to the default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

GRANULARITIES = {"month": "Month", "quarter": "Quarter", "year_ending": "Year ending (rolling 12 months)"}
MEASURES = {"count": "Count", "rate": "Rate per 1,000 population"}
OUTCOME_COUNTS = {
    "recorded": "Outcomes recorded in the period",
    "for_offences": "Outcomes for offences recorded in the period",
}


@dataclass(frozen=True)
class Filters:
    """What the user is looking at."""

    force: str
    peers: tuple[str, ...]
    categories: tuple[str, ...]
    start: dt.date | None = None
    end: dt.date | None = None
    granularity: str = "quarter"
    measure: str = "count"
    outcome_count: str = "recorded"
    extras: dict[str, str] = field(default_factory=dict, compare=False)

    def to_query_params(self, defaults: Filters) -> dict[str, str]:
        """Only what differs from the defaults, so links stay short and readable."""
        params: dict[str, str] = {}
        if self.force != defaults.force:
            params["force"] = self.force
        if self.peers != defaults.peers:
            params["peers"] = ",".join(self.peers) or "-"
        if self.categories != defaults.categories:
            params["cat"] = ",".join(self.categories) or "-"
        if self.start:
            params["from"] = f"{self.start:%Y-%m}"
        if self.end:
            params["to"] = f"{self.end:%Y-%m}"
        if self.granularity != defaults.granularity:
            params["gran"] = self.granularity
        if self.measure != defaults.measure:
            params["measure"] = self.measure
        if self.outcome_count != defaults.outcome_count:
            params["oc"] = self.outcome_count
        return params


PARAMS = ("force", "peers", "cat", "from", "to", "gran", "measure", "oc")  # what to_query_params may write


def _month(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        year, month = (int(part) for part in text.split("-")[:2])
        return dt.date(year, month, 1)
    except ValueError:
        return None


def _names(text: str | None, known: Sequence[str], default: tuple[str, ...]) -> tuple[str, ...]:
    if text is None:
        return default
    if text == "-":
        return ()
    chosen = tuple(name for name in text.split(",") if name in known)
    return chosen or default


def from_query_params(
    params: Mapping[str, str], defaults: Filters, forces: Sequence[str], categories: Sequence[str]
) -> Filters:
    """Filters from a URL's query parameters; anything unknown falls back to the default."""
    force = params.get("force")
    return replace(
        defaults,
        force=force if force in forces else defaults.force,
        peers=_names(params.get("peers"), forces, defaults.peers),
        categories=_names(params.get("cat"), categories, defaults.categories),
        start=_month(params.get("from")) or defaults.start,
        end=_month(params.get("to")) or defaults.end,
        granularity=params.get("gran") if params.get("gran") in GRANULARITIES else defaults.granularity,
        measure=params.get("measure") if params.get("measure") in MEASURES else defaults.measure,
        outcome_count=params.get("oc") if params.get("oc") in OUTCOME_COUNTS else defaults.outcome_count,
    )


def defaults_for(settings) -> Filters:
    """The view a link with no filters opens: the home force, its configured peers, every category."""
    return Filters(force=settings.home_force, peers=settings.peers, categories=settings.categories)
