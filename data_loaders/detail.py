"""Rows a loader reads below the level of its main table, written beside them in the same transaction.

The community safety partnership edition of the recorded-crime table is summed to force level for
``recorded_crime`` and kept as published for ``recorded_crime_csp``; the mid-year estimates are summed
to police force areas for ``population`` and kept by district for ``population_district``. A loader
puts the finer rows in ``rows.attrs["detail"]``; :mod:`data_loaders.ingest` writes them to the
kind's detail table, replacing the periods the file covers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

KEY = "detail"


@dataclass(frozen=True, eq=False)
class Detail:
    """The finer rows of a loaded file: shared, never copied, as the main frame passes through pandas."""

    rows: pd.DataFrame

    def __deepcopy__(self, memo: dict) -> Detail:
        # pandas copies a frame's attrs into every frame derived from it; the rows are read-only here.
        return self


def of(rows: pd.DataFrame) -> pd.DataFrame | None:
    """The detail rows a loader attached to ``rows``, or None."""
    detail = rows.attrs.get(KEY)
    return detail.rows if isinstance(detail, Detail) else None
