"""Recorded-crime series for the trends pages: selection, periods, year-ending totals and rates.

Pure pandas: no Streamlit. The input is the whole recorded-crime table as ``queries.inputs().recorded``
returns it (Home Office quarterly rows have ``month`` 0, a force's own monthly rows 1-12) and the
population table. Periods are ``datetime.date`` values (first day of the period), as ``metrics``
expects.

Two sources can describe the same force: the Home Office quarterly table (every force) and the
force's own monthly extract (fresher and finer, where an office loads one). Month-by-month and
year-ending views prefer the monthly extract; comparisons between forces always use the Home Office
table, the only source that covers every force in the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.figures import metrics, rates, spc
from data_loaders import periods
from data_loaders.settings import SeriesBreak, Settings

MONTHLY = 1  # months per period
QUARTERLY = 3
NATIONAL = rates.NATIONAL
HOME_OFFICE = "Home Office police recorded crime"
PERIOD_WORDS = {MONTHLY: "monthly", QUARTERLY: "quarterly"}


def codes_for(settings: Settings, categories: Iterable[str]) -> tuple[str, ...]:
    """The configured offence codes of ``categories``, in configuration order."""
    chosen = set(categories)
    return tuple(o.code for o in settings.offences if o.category in chosen)


def total_categories(settings: Settings) -> tuple[str, ...]:
    """The categories whose codes make the stalking and harassment total."""
    return tuple(dict.fromkeys(o.category for o in settings.offences if o.in_total))


def selection(settings: Settings, categories: Sequence[str]) -> tuple[str, ...]:
    """The categories a chart of ``categories`` covers: the total's categories when none is chosen."""
    known = [c for c in settings.categories if c in set(categories)]
    return tuple(known) or total_categories(settings)


def subject(settings: Settings, categories: Sequence[str]) -> str:
    """What a selection of categories is called: the total's label, one category, or a list of them with their codes."""
    chosen = selection(settings, categories)
    if set(codes_for(settings, chosen)) == set(settings.total_codes):
        return settings.total_label
    if len(chosen) == 1:
        return chosen[0]
    # The codes tell a part of the total from the total ("Stalking and harassment" is both a label and a pair).
    words = [chosen[0], *(lower_first(c) for c in chosen[1:])]
    names = ", ".join(words[:-1]) + " and " + words[-1]
    return f"{names} (codes {', '.join(codes_for(settings, chosen))})"


def lower_first(text: str) -> str:
    """'Stalking' -> 'stalking', keeping acronyms ('CCB') as written."""
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def has_monthly(recorded: pd.DataFrame, force: str) -> bool:
    """Whether a monthly extract is loaded for ``force``."""
    return bool(((recorded["force"] == force) & (recorded["month"] > 0)).any())


def has_quarterly(recorded: pd.DataFrame, force: str) -> bool:
    """Whether Home Office quarterly rows are loaded for ``force``."""
    return bool(((recorded["force"] == force) & (recorded["month"] == 0)).any())


def months_for(recorded: pd.DataFrame, force: str, granularity: str) -> int | None:
    """Months per period for a granularity: 1 or 3; None when nothing is loaded for ``force``.

    "month" needs a monthly extract (quarters otherwise); "quarter" prefers the Home Office table
    (quarters made from a monthly extract otherwise); "year_ending" prefers the monthly extract,
    whose year endings are fresher and monthly.
    """
    monthly, quarterly = has_monthly(recorded, force), has_quarterly(recorded, force)
    if not (monthly or quarterly):
        return None
    if granularity == "quarter":
        return QUARTERLY if quarterly else QUARTERLY if monthly else None
    return MONTHLY if monthly else QUARTERLY


def loaded_for(inputs) -> bool:
    """Whether any recorded crime is loaded for the chosen force (``inputs`` as ``dashboard.charts.catalogue.Inputs``)."""
    return months_for(inputs.recorded, inputs.filters.force, "year_ending") is not None


def source_name(recorded: pd.DataFrame, force: str, months: int) -> str:
    """The source a force's series of ``months``-month periods comes from, for a chart's source line."""
    if months == QUARTERLY and has_quarterly(recorded, force):
        return HOME_OFFICE
    if months == QUARTERLY:
        return f"{force} monthly extract (summed to quarters)"
    return f"{force} monthly extract"


def period_label(start: dt.date, months: int) -> str:
    """'October 2026' for a month; 'Apr–Jun 2026' for a quarter (or 'Nov 2025–Jan 2026' across a year end)."""
    if months == MONTHLY:
        return f"{start:%B %Y}"
    end = periods.add_months(start, months - 1)
    return f"{start:%b}–{end:%b %Y}" if start.year == end.year else f"{start:%b %Y}–{end:%b %Y}"


def _dates(values: pd.Series) -> list[dt.date]:
    return [pd.Timestamp(v).date() for v in values]


def _starts(first: dt.date, last: dt.date, months: int) -> list[dt.date]:
    out = [first]
    while out[-1] < last:
        out.append(periods.add_months(out[-1], months))
    return out


def _source_rows(recorded: pd.DataFrame, force: str, months: int) -> pd.DataFrame:
    """The force's rows of one source as ``period_start`` (dates), ``offence_code``, ``count``."""
    rows = recorded[recorded["force"] == force]
    monthly = rows[rows["month"] > 0]
    if months == MONTHLY:
        chosen = monthly
    else:
        chosen = rows[rows["month"] == 0]
        if chosen.empty and not monthly.empty:
            return _quarters_from_months(monthly)
    out = chosen[["period_start", "offence_code", "count"]].copy()
    out["period_start"] = _dates(out["period_start"])
    return out


def _quarters_from_months(monthly: pd.DataFrame) -> pd.DataFrame:
    """Monthly rows summed to quarters; a quarter with a month missing is left out."""
    frame = monthly[["period_start", "offence_code", "count"]].copy()
    frame["month_start"] = _dates(frame["period_start"])
    frame["period_start"] = [periods.calendar_quarter_start(d) for d in frame["month_start"]]
    complete = frame.groupby("period_start")["month_start"].nunique()
    complete = set(complete[complete == 3].index)
    frame = frame[frame["period_start"].isin(complete)]
    return frame.groupby(["period_start", "offence_code"], as_index=False)["count"].sum()


def counts(recorded: pd.DataFrame, force: str, codes: Sequence[str], months: int) -> pd.DataFrame:
    """One row per period, first to last loaded for ``force``: ``period_start`` and ``count`` of ``codes``.

    The series starts with the first period that has a row for one of ``codes``: before it, the
    codes were not counted at all (8U joined the table in 2020/21), which is not the same as none.
    After it, a period in which the force has rows but none for ``codes`` counts 0, and a period
    with no rows at all for the force is missing (NaN), never a zero.
    """
    empty = pd.DataFrame({"period_start": pd.Series(dtype=object), "count": pd.Series(dtype=float)})
    rows = _source_rows(recorded, force, months)
    totals = rows[rows["offence_code"].isin(list(codes))].groupby("period_start")["count"].sum()
    if totals.empty:
        return empty
    present = set(rows["period_start"])
    starts = _starts(min(totals.index), max(present), months)
    values = [float(totals.get(s, 0)) if s in present else np.nan for s in starts]
    return pd.DataFrame({"period_start": starts, "count": values})


def in_period(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None, column: str = "period_start"):
    """The rows whose ``column`` date lies in [start, end] (either end open when None)."""
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= frame[column].map(lambda d: d >= start)
    if end is not None:
        keep &= frame[column].map(lambda d: d <= end)
    return frame[keep]


def year_ending(series: pd.DataFrame, months: int) -> pd.DataFrame:
    """Rolling 12-month totals of a :func:`counts` series: ``period_start`` of the last period, ``period_end``, ``year_ending``.

    A year with a missing period has no total. Never put these on an SPC chart: they are autocorrelated.
    """
    observed = series.dropna(subset=["count"])
    if observed.empty:
        return pd.DataFrame({"period_start": [], "period_end": [], "year_ending": []})
    out = metrics.year_ending_series(observed, months)
    expected = {periods.period_end(s, months) for s in observed["period_start"]}
    # year_ending_series fills a gap with NaN and drops it; keep only year endings it could total.
    out = out[out["period_end"].isin(expected)].reset_index(drop=True)
    out.insert(0, "period_start", [periods.add_months(e.replace(day=1), 1 - months) for e in out["period_end"]])
    return out


def rebase_positions(starts: Sequence[dt.date], breaks: Iterable[SeriesBreak]) -> list[int]:
    """Positions where SPC limits are recalculated: the first period starting on or after each rebasing break.

    Only breaks after the first period and no later than the last fall inside the chart; a break
    before the chart starts is already behind every point and moves nothing.
    """
    if not len(starts):
        return []
    positions = set()
    for series_break in breaks:
        if not series_break.rebase or not (starts[0] < series_break.date <= starts[-1]):
            continue
        positions.add(next(i for i, s in enumerate(starts) if s >= series_break.date))
    return sorted(positions)


@dataclass(frozen=True)
class Control:
    """An SPC frame with the periods it is drawn at and the breaks its limits were recalculated at."""

    frame: pd.DataFrame  # dashboard.figures.spc.xmr output
    starts: list[dt.date]
    rebased_at: list[tuple[dt.date, str]]  # (first period of the new segment, the break's label)

    @property
    def segment_start(self) -> tuple[dt.date, str | None]:
        """The first period of the last segment, with the label of the break that began it (None: the data's start)."""
        if self.rebased_at:
            return self.rebased_at[-1]
        return self.starts[0], None


def control(series: pd.DataFrame, breaks: Iterable[SeriesBreak], improvement: str = "neutral") -> Control | None:
    """XmR statistics for a :func:`counts` series (NEVER year-ending totals), rebased at breaks inside it."""
    observed = series.dropna(subset=["count"])
    if observed.empty:
        return None
    first, last = observed.index[0], observed.index[-1]
    series = series.loc[first:last]
    starts = list(series["period_start"])
    breaks = [b for b in breaks if b.rebase]
    positions = rebase_positions(starts, breaks)
    labels = []
    for position in positions:
        crossed = [b for b in breaks if starts[position - 1] < b.date <= starts[position]]
        labels.append((starts[position], crossed[-1].label))
    values = pd.Series(series["count"].to_numpy(dtype=float), index=pd.Index(starts))
    frame = spc.xmr(values, improvement=improvement, rebase_at=positions)
    return Control(frame=frame, starts=starts, rebased_at=labels)


# ---- by offence code ----------------------------------------------------------------------------


def by_code(recorded: pd.DataFrame, settings: Settings, force: str, codes: Sequence[str], months: int) -> pd.DataFrame:
    """Latest year ending against the previous, per offence code: ``offence_code``, ``offence``, ``category``,
    ``current``, ``previous``, ``change``, ``percent_change``; ``attrs["end"]`` is the latest year's last day.
    """
    columns = ["offence_code", "offence", "category", "current", "previous", "change", "percent_change"]
    rows = _source_rows(recorded, force, months)
    if rows.empty:
        return pd.DataFrame(columns=columns)
    names = (
        recorded[recorded["offence_code"].isin(list(codes))]
        .drop_duplicates("offence_code", keep="last")
        .set_index("offence_code")["offence_description"]
    )
    out, end = [], None
    for code in codes:
        comparison = metrics.compare_year_ending(counts(recorded, force, [code], months).dropna(), months)
        if comparison is None or comparison.current is None:
            continue
        end = comparison.end
        out.append(
            [
                code,
                names.get(code, ""),
                settings.category_of(code),
                comparison.current,
                comparison.previous,
                comparison.change,
                comparison.percent_change,
            ]
        )
    frame = pd.DataFrame(out, columns=columns).astype(
        {"current": "Int64", "previous": "Int64", "change": "Int64", "percent_change": float}
    )
    frame.attrs["end"] = end
    return frame
