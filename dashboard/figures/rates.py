"""Rates per 1,000 population of year-ending totals, as ONS computes them, and the words that say how.

Pure pandas and numpy: no Streamlit. Every rate the product shows comes from here: the cards, the
comparison charts, their CSVs, the key messages and ``pcc-dashboard dump rates``.

- **Which population.** A year ending is divided by the ONS mid-year estimate that
  ``data_loaders.periods.population_year`` names (by default the one ONS itself used). Where a force
  has no estimate for that mid-year loaded, its latest earlier one stands in, and the row says so
  (``population_year`` below ``population_wanted``); an estimate more than a year older than the 12
  months is ``stale``.
- **England and Wales** is the 43 territorial police force areas (British Transport Police and the
  fraud bodies are not areas). Its population is the sum of the 43 forces' estimates; where some
  force has none, an England and Wales population that ONS published for that mid-year is used;
  failing that, the rate is worked out over the forces that have one and ``missing`` names the rest.
- **Published figures.** Where an ONS police force area table for the year ending is loaded, its
  published count and rate sit beside the dashboard's own (``published_count``, ``published_rate``):
  the Home Office revises counts in later editions, so the two can differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_loaders import periods
from data_loaders.settings import Settings

NATIONAL = "England and Wales"
QUARTER = 3
COLUMNS = [
    "area",
    "period_end",
    "year_ending",
    "population",
    "population_year",
    "population_wanted",
    "population_source",
    "rate",
    "stale",
    "older",
    "missing",
    "published_count",
    "published_rate",
    "published_population_year",
]


def _dates(values) -> list[dt.date]:
    return [pd.Timestamp(v).date() for v in values]


@dataclass(frozen=True)
class Estimates:
    """Each force's population for a list of year endings: the estimate used, its mid-year and its source."""

    people: np.ndarray  # year endings x forces; NaN where a force has no estimate at or before the one wanted
    used: np.ndarray  # the mid-year of the estimate used (0 where none)
    sources: np.ndarray  # object array of source labels ("" where none)
    wanted: list[int]


def estimates(population: pd.DataFrame, forces: Sequence[str], ends: Sequence[dt.date], lag_months: int) -> Estimates:
    """The population of each force for each year ending: the wanted mid-year, else the force's latest earlier one."""
    wanted = [periods.population_year(end, lag_months) for end in ends]
    shape = (len(ends), len(forces))
    people = np.full(shape, np.nan)
    used = np.zeros(shape, dtype=int)
    sources = np.full(shape, "", dtype=object)
    if population.empty or not len(ends):
        return Estimates(people, used, sources, wanted)
    frame = population[population["force"].isin(list(forces))]
    if frame.empty:
        return Estimates(people, used, sources, wanted)
    first = int(frame["year"].min())
    years = list(range(first, max(int(frame["year"].max()), max(wanted)) + 1))
    values = frame.pivot_table(index="year", columns="force", values="population", aggfunc="first")
    values = values.reindex(index=years, columns=list(forces))
    year_of = values.notna().mul(pd.Series(years, index=years), axis=0).where(values.notna())
    if "source" in frame.columns:
        labels = frame.pivot_table(index="year", columns="force", values="source", aggfunc="first")
        labels = labels.reindex(index=years, columns=list(forces)).ffill()
    else:
        labels = pd.DataFrame("", index=years, columns=list(forces))
    values, year_of = values.ffill(), year_of.ffill()
    rows = [w if w in values.index else None for w in wanted]
    for i, row in enumerate(rows):
        if row is None:
            continue  # wanted before the first estimate loaded: no estimate stands in for an earlier year
        people[i] = values.loc[row].to_numpy(dtype=float)
        used[i] = year_of.loc[row].fillna(0).to_numpy(dtype=int)
        sources[i] = labels.loc[row].fillna("").to_numpy(dtype=object)
    return Estimates(people, used, sources, wanted)


@dataclass(frozen=True)
class Rates:
    """Year-ending rates per 1,000 for a force, its peers and England and Wales, and what they leave out."""

    frame: pd.DataFrame  # COLUMNS
    excluded: tuple[str, ...] = ()  # territorial forces left out of some England and Wales rate: no population
    incomplete: tuple[dt.date, ...] = ()  # quarters in which some force's figures are missing

    def latest(self) -> pd.DataFrame:
        """The rows of the latest year ending that England and Wales has a rate for (else the latest of any)."""
        if self.frame.empty:
            return self.frame
        national = self.frame[(self.frame["area"] == NATIONAL) & self.frame["rate"].notna()]
        end = national["period_end"].max() if len(national) else self.frame["period_end"].max()
        return self.frame[self.frame["period_end"] == end]


def _national_population(published: pd.DataFrame | None) -> dict[int, tuple[float, str]]:
    """England and Wales's population by mid-year as ONS published it (Table P3), with the source label."""
    if published is None or published.empty:
        return {}
    rows = published[(published["area"] == NATIONAL) & published["population"].notna()]
    rows = rows.sort_values("period_end")
    return {
        int(year): (float(people), f"{source} (ONS Table P3, rounded to 100)")
        for year, people, source in zip(rows["population_year"], rows["population"], rows["source"], strict=True)
    }


def _published(published: pd.DataFrame | None, settings: Settings, codes: Sequence[str]) -> pd.DataFrame:
    """ONS's published figures for the same offences as ``codes`` (only the stalking and harassment total is published)."""
    empty = pd.DataFrame(
        columns=["area", "period_end", "published_count", "published_rate", "published_population_year"]
    )
    if published is None or published.empty or set(codes) != set(settings.total_codes):
        return empty
    rows = published[published["offence_group"].str.lower() == settings.total_label.lower()]
    return pd.DataFrame(
        {
            "area": rows["area"].to_numpy(),
            "period_end": _dates(rows["period_end"]),
            "published_count": rows["count"].to_numpy(dtype=object),
            "published_rate": rows["rate"].astype(float).to_numpy(),
            "published_population_year": rows["population_year"].to_numpy(dtype=object),
        }
    )


def _starts(first: dt.date, last: dt.date) -> list[dt.date]:
    out = [first]
    while out[-1] < last:
        out.append(periods.add_months(out[-1], QUARTER))
    return out


def year_ending_rates(
    recorded: pd.DataFrame,
    population: pd.DataFrame,
    settings: Settings,
    areas: Sequence[str],
    codes: Sequence[str],
    published: pd.DataFrame | None = None,
) -> Rates:
    """Rates per 1,000 of Home Office year-ending totals, at every quarter end, for ``areas`` and England and Wales.

    A quarter in which fewer territorial forces have figures than in the fullest quarter is
    incomplete: England and Wales has no total for the year endings that include it.
    """
    territorial = list(settings.territorial_forces)
    quarterly = recorded[(recorded["month"] == 0) & recorded["force"].isin(territorial)]
    if quarterly.empty:
        return Rates(pd.DataFrame(columns=COLUMNS))
    reporting = quarterly.groupby("period_start")["force"].nunique()
    selected = quarterly[quarterly["offence_code"].isin(list(codes))]
    grid = selected.pivot_table(index="period_start", columns="force", values="count", aggfunc="sum")
    starts = _starts(_dates(reporting.index[:1])[0], _dates(reporting.index[-1:])[0])
    grid.index = _dates(grid.index)
    present = quarterly.groupby(["period_start", "force"]).size().unstack()
    present.index = _dates(present.index)
    has_rows = present.reindex(index=starts, columns=territorial).notna()
    grid = grid.reindex(index=starts, columns=territorial)
    grid = grid.fillna(0).where(has_rows)  # a force with rows in a quarter but none for these codes counts 0
    incomplete = [s for s in starts if has_rows.loc[s].sum() < reporting.max()]
    if len(starts) < 4:
        return Rates(pd.DataFrame(columns=COLUMNS), (), tuple(incomplete))
    # Whole arrays, year endings down and forces across: a page asks for several selections at once.
    totals = grid.rolling(4, min_periods=4).sum().to_numpy()[3:]
    ends = [periods.month_end(periods.add_months(s, QUARTER - 1)) for s in starts][3:]
    found = estimates(population, territorial, ends, settings.population_lag_months)
    gap = pd.Series([s in incomplete for s in starts]).rolling(4).max().to_numpy()[3:] > 0
    stale = np.array(
        [[periods.population_is_stale(end, int(y)) for y in row] for end, row in zip(ends, found.used, strict=True)]
    )
    parts = []
    for area in dict.fromkeys(a for a in areas if a in territorial):
        j = territorial.index(area)
        count, people = totals[:, j], found.people[:, j]
        has_people = people > 0
        rate = np.where(np.isnan(count) | ~has_people, np.nan, 1000.0 * count / np.where(has_people, people, 1.0))
        used = [int(y) if y else None for y in found.used[:, j]]
        parts.append(
            pd.DataFrame(
                {
                    "area": area,
                    "period_end": ends,
                    "year_ending": count,
                    "population": people,
                    "population_year": used,
                    "population_wanted": found.wanted,
                    "population_source": found.sources[:, j],
                    "rate": rate,
                    "stale": [bool(s) and u is not None for s, u in zip(stale[:, j], used, strict=True)],
                    "older": [
                        (area,) if u is not None and u < w else () for u, w in zip(used, found.wanted, strict=True)
                    ],
                    "missing": [() if u is not None else (area,) for u in used],
                }
            )
        )
    excluded: set[str] = set()
    if NATIONAL in areas:
        national, excluded = _national(totals, found, territorial, ends, gap, stale, _national_population(published))
        parts.append(national)
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS[:11])
    frame = frame.merge(_published(published, settings, codes), on=["area", "period_end"], how="left")
    order = {area: i for i, area in enumerate(dict.fromkeys([*areas, NATIONAL]))}
    frame = frame.sort_values(
        ["period_end", "area"], key=lambda c: c.map(order) if c.name == "area" else c, kind="stable"
    )
    frame = frame.reset_index(drop=True)[COLUMNS]
    frame["rate"] = frame["rate"].astype(float)
    frame["published_rate"] = frame["published_rate"].astype(float)
    return Rates(frame, tuple(sorted(excluded)), tuple(incomplete))


def _national(
    totals: np.ndarray,
    found: Estimates,
    territorial: list[str],
    ends: list[dt.date],
    gap: np.ndarray,
    stale: np.ndarray,
    published_people: dict[int, tuple[float, str]],
) -> tuple[pd.DataFrame, set[str]]:
    """England and Wales's rows: the 43 forces' counts over their population (see the module's docstring)."""
    rows, excluded = [], set()
    for i, end in enumerate(ends):
        counts, people, used = totals[i], found.people[i], found.used[i]
        known = ~np.isnan(counts)
        with_people = known & (people > 0)
        count = np.nan if gap[i] else float(np.where(known, counts, 0.0).sum())
        missing = tuple(f for f, k, p in zip(territorial, known, with_people, strict=True) if k and not p)
        wanted = found.wanted[i]
        if gap[i]:
            population, rate, source, missing = np.nan, np.nan, "", ()
        elif not with_people.any() and wanted not in published_people:
            population, rate, source = np.nan, np.nan, ""
        elif not missing:
            population = float(people[with_people].sum())
            rate = 1000.0 * count / population if population > 0 else np.nan
            labels = sorted({s for s in found.sources[i][with_people] if s})
            source = "; ".join(labels)
        elif wanted in published_people:
            population, source = published_people[wanted]
            rate = 1000.0 * count / population
            missing = ()
        else:
            population = float(people[with_people].sum())
            partial = float(counts[with_people].sum())
            rate = 1000.0 * partial / population if population > 0 else np.nan
            labels = sorted({s for s in found.sources[i][with_people] if s})
            source = "; ".join(labels)
            excluded.update(missing)
        counted = with_people if not gap[i] else np.zeros_like(with_people)
        older = tuple(f for f, c, u in zip(territorial, counted, used, strict=True) if c and 0 < u < wanted)
        years = sorted({int(u) for u, c in zip(used, counted, strict=True) if c and u})
        rows.append(
            {
                "area": NATIONAL,
                "period_end": end,
                "year_ending": count,
                "population": population,
                "population_year": None if not years else wanted if wanted in years else max(years),
                "population_wanted": wanted,
                "population_source": source,
                "rate": rate,
                "stale": bool(np.any(stale[i] & counted)),
                "older": older,
                "missing": missing,
            }
        )
    return pd.DataFrame(rows), excluded


def force_rates(totals: pd.DataFrame, population: pd.DataFrame, force: str, lag_months: int) -> pd.DataFrame:
    """Rates per 1,000 of one force's year-ending totals (``period_end``, ``year_ending``; monthly or quarterly).

    Columns added: ``rate``, ``population``, ``population_year``, ``population_wanted``, ``stale``.
    """
    ends = _dates(totals["period_end"])
    found = estimates(population, [force], ends, lag_months)
    people = found.people[:, 0] if len(ends) else np.array([])
    counts = totals["year_ending"].to_numpy(dtype=float)
    has_people = people > 0
    out = totals.copy()
    out["rate"] = np.where(has_people, 1000.0 * counts / np.where(has_people, people, 1.0), np.nan)
    out["population"] = people
    used = [int(y) if y else None for y in (found.used[:, 0] if len(ends) else [])]
    out["population_year"] = pd.array(used, dtype="Int64")
    out["population_wanted"] = found.wanted
    out["stale"] = [u is not None and periods.population_is_stale(e, u) for e, u in zip(ends, used, strict=True)]
    return out


# ---- words: every card, chart note, CSV and key message says the same ----------------------------


def mid_year(year: object) -> str:
    """'mid-2017'; 'no estimate' when there is none."""
    return "no estimate" if year is None or pd.isna(year) else f"mid-{int(year)}"


def population_words(row: pd.Series | dict) -> str:
    """How one rate's population was chosen, in a clause: 'mid-2017 population' or 'mid-2017 population (mid-2018 not loaded)'."""
    used, wanted = row["population_year"], row["population_wanted"]
    if used is None or pd.isna(used):
        return f"no population loaded ({mid_year(wanted)} wanted)"
    words = f"{mid_year(used)} population"
    if int(used) < int(wanted):
        words += f" ({mid_year(wanted)} not loaded)"
    if row.get("stale"):
        words += ": more than a year older than the 12 months"
    return words


def basis_sentence(row: pd.Series | dict) -> str:
    """One sentence on the population a rate divides by, for key messages: which mid-year, and whether ONS's."""
    used, wanted = row["population_year"], row["population_wanted"]
    if used is None or pd.isna(used):
        return f"No population estimate is loaded for it (ONS would use {mid_year(wanted)})."
    if int(used) >= int(wanted):
        return f"Rates use ONS's {mid_year(used)} population estimate, as ONS does."
    older = ": more than a year older than the 12 months" if row.get("stale") else ""
    return (
        f"Rates use the {mid_year(used)} population estimate, the latest loaded{older} "
        f"(ONS would use {mid_year(wanted)})."
    )


def national_notes(rates: Rates, end: dt.date | None = None) -> list[str]:
    """What the England and Wales rate of a year ending (default: the latest) counts and which forces it lacks."""
    frame = rates.frame
    rows = frame[frame["area"] == NATIONAL]
    if end is not None:
        rows = rows[rows["period_end"] == end]
    elif len(rows.dropna(subset=["rate"])):
        rows = rows[rows["period_end"] == rows.dropna(subset=["rate"])["period_end"].max()]
    notes = [
        "England and Wales is the 43 territorial police force areas: British Transport Police and the national "
        "fraud bodies are not police force areas and are left out."
    ]
    if rows.empty:
        return notes
    row = rows.iloc[-1]
    if row["missing"] and len(row["missing"]) >= 43:
        notes.append(f"No England and Wales rate for the {year_ending_words(row['period_end'])}: no population loaded.")
    elif row["missing"]:
        notes.append(
            f"The England and Wales rate for the {year_ending_words(row['period_end'])} is worked out over "
            f"{43 - len(row['missing'])} forces: no population is loaded for {forces_words(row['missing'])}."
        )
    if row["older"]:
        notes.append(
            f"For the {year_ending_words(row['period_end'])}, {forces_words(row['older'])} "
            f"{'is' if len(row['older']) == 1 else 'are'} divided by an older estimate than "
            f"{mid_year(row['population_wanted'])}, which is not loaded."
        )
    return notes


def forces_words(forces: Sequence[str]) -> str:
    """The forces named, or 'all 43 forces' when every one is."""
    if len(forces) >= 43:
        return "all 43 forces"
    forces = list(forces)
    return forces[0] if len(forces) == 1 else ", ".join(forces[:-1]) + " and " + forces[-1]


def published_note(rates: Rates, area: str) -> str | None:
    """ONS's published count and rate beside the dashboard's, for ``area``'s latest year ending ONS published."""
    rows = rates.frame[(rates.frame["area"] == area) & rates.frame["published_rate"].notna()]
    if rows.empty:
        return None
    row = rows.iloc[-1]
    words = (
        f"ONS published {int(row['published_count']):,} offences and a rate of {row['published_rate']:.2f} per 1,000 "
        f"for {area} in the {year_ending_words(row['period_end'])} (on its {mid_year(row['published_population_year'])}"
        " population)"
    )
    if pd.isna(row["year_ending"]):
        return words + "."
    own = f"the dashboard's {int(row['year_ending']):,} and {row['rate']:.2f}"
    if int(row["year_ending"]) != int(row["published_count"]):
        return f"{words}; {own} come from the Home Office table loaded, which revises earlier years in each edition."
    return f"{words}; {own} agree."


def year_ending_words(end: dt.date) -> str:
    """'year ending March 2019'."""
    return f"year ending {end:%B %Y}"


def method_note(lag_months: int) -> str:
    """One sentence on which mid-year estimate the rates use, for every chart and table that shows a rate."""
    if lag_months == 15:
        how = (
            "the estimate ONS itself used in its police force area tables (mid-2017 for the year ending March 2019, "
            "mid-2018 for the year ending December 2019)"
        )
    else:
        how = f"the mid-year estimate of the year {lag_months} months before each year ending's last day"
    return f"Rates per 1,000 people divide each year's total by ONS's mid-year population estimate: {how}."
