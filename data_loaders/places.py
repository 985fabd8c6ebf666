"""Community safety partnerships (CSPs): which districts make each one, their populations, their changes.

The shipped lookup (``reference/lad_to_pfa.csv``) gives each district code used since April 2012 its
partnership (``csp_name``, spelled as the Home Office CSP editions spell it) and, for a code that went
out of use, the code that replaced it (``replaced_by``). A partnership's population for a mid-year
is the sum of the estimates of its districts loaded for that mid-year; a partnership the lookup does
not know (a name the Home Office uses that the lookup lacks) has no population, and so no rate.

When districts merged (2019-2023), their partnerships ended with them and the merged district's
partnership began: :func:`boundary_changes` lists each such change, so a series is never silently
joined across one.

>>> csp_of("E06000053")
'Cornwall and Isles of Scilly'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from data_loaders.sources import mid_year_estimates

UNASSIGNED = "Unassigned"


@cache
def _csp_by_code() -> dict[str, str]:
    frame = mid_year_estimates.lookup()
    return dict(zip(frame["lad_code"], frame["csp_name"], strict=True))


def csp_of(lad_code: str) -> str | None:
    """The partnership a district code belongs to; None when the lookup lacks the code."""
    return _csp_by_code().get(str(lad_code).strip().upper())


def is_unassigned(csp: str) -> bool:
    """Whether a CSP edition's row is the force's crimes no partnership could be given (``Unassigned <force>``)."""
    return str(csp).strip().lower().startswith(UNASSIGNED.lower())


def partnerships(force: str) -> pd.DataFrame:
    """The force's partnerships in the lookup: ``csp``, its ``districts`` (names, joined), ``first_year`` and ``last_year``.

    ``first_year`` is the April its districts came into use (None: before April 2012); ``last_year``
    the April they went out of use (None: still in use).
    """
    frame = mid_year_estimates.lookup()
    own = frame[frame["pfa_name"] == force]
    rows = []
    for csp, districts in own.groupby("csp_name", sort=True):
        starts = districts["in_use_from"].dropna()
        ends = districts["in_use_to"]
        rows.append(
            {
                "csp": csp,
                "districts": ", ".join(sorted(set(districts["lad_name"]))),
                "first_year": int(starts.min()) if len(starts) == len(districts) else None,
                "last_year": int(ends.max()) if ends.notna().all() else None,
            }
        )
    return pd.DataFrame(rows, columns=["csp", "districts", "first_year", "last_year"])


@dataclass(frozen=True)
class BoundaryChange:
    """Partnerships that ended in April ``year`` and the one that took over their districts."""

    force: str
    year: int
    before: tuple[str, ...]
    after: str

    def sentence(self) -> str:
        """One plain sentence for a page or a CSV note."""
        names = (
            " and ".join(self.before)
            if len(self.before) <= 2
            else ", ".join(self.before[:-1]) + f" and {self.before[-1]}"
        )
        return (
            f"From April {self.year} {self.after} covers what was {names}: its figures start then, and the "
            f"earlier figures stay under the old name{'s' if len(self.before) > 1 else ''}, not added together."
        )


def boundary_changes(force: str) -> list[BoundaryChange]:
    """Every change of partnership in the force since April 2012: districts merged into one with another name.

    A district recoded under the same partnership name (St Albans in 2012) is no change of partnership.
    """
    frame = mid_year_estimates.lookup()
    own = frame[(frame["pfa_name"] == force) & (frame["replaced_by"] != "")]
    csp = _csp_by_code()
    merged: dict[tuple[int, str], set[str]] = {}
    for code, successor, year in own[["lad_code", "replaced_by", "in_use_to"]].itertuples(index=False):
        before, after = csp[code], csp[successor]
        if before != after:
            merged.setdefault((int(year), after), set()).add(before)
    return [
        BoundaryChange(force, year, tuple(sorted(before)), after) for (year, after), before in sorted(merged.items())
    ]


def csp_population(districts: pd.DataFrame) -> pd.DataFrame:
    """Mid-year population by force, partnership and year from district estimates (``population_district`` rows).

    Columns ``force``, ``csp``, ``year``, ``population`` and ``districts`` (how many were summed).
    """
    columns = ["force", "csp", "year", "population", "districts"]
    if districts.empty:
        return pd.DataFrame(columns=columns)
    frame = districts.assign(csp=[csp_of(code) for code in districts["lad_code"]]).dropna(subset=["csp"])
    summed = (
        frame.groupby(["force", "csp", "year"], as_index=False)
        .agg(population=("population", "sum"), districts=("lad_code", "nunique"))
        .astype({"year": int, "population": int, "districts": int})
    )
    return summed[columns].sort_values(["force", "csp", "year"], ignore_index=True)
