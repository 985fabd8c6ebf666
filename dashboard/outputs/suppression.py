"""Small-number protection for every figure that leaves the app: exports, CSVs, press and meeting packs.

The rules, with the defaults of ``[suppression]`` in the settings:

1. **Primary**: a count from 1 to ``threshold`` (4) for an area below force level (a community
   safety partnership, a district) is shown as ``[c]``. Zero is not a small number: it is shown.
2. **Secondary**: wherever the figures of a line (a row or a column) add up to a published total,
   a line must never hold exactly one hidden figure, or subtracting the others from the total
   gives it back. So the next smallest non-zero figure in that line is hidden too (a zero only
   when no other figure is left, then the line's own total), and the lines are checked again
   until none gives anything away.
3. **Rates and percentages**: none on a base below ``minimum_base`` (10), shown as ``[x]``; none
   whose count or base is hidden, shown as ``[c]``.

Force-level figures (Home Office police force area tables) are published unsuppressed and are
left exactly as they are; rule 3 still applies to them.

A chart builder says how its figures are to be protected by setting ``chart.data.attrs["suppression"]``
to a :class:`Spec`. Without one, a table with a CSP column is taken to be below force level and
anything else to be force level. Pure pandas: no Streamlit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from data_loaders import periods
from data_loaders.settings import SuppressionRules

SUPPRESSED = "[c]"
LOW_BASE = "[x]"
SPEC_KEY = "suppression"
CSP_COLUMNS = ("csp", "csp_name", "CSP Name", "Community Safety Partnership")

Cell = Hashable


@dataclass(frozen=True)
class Line:
    """Figures that add up to a total: ``total`` is a cell of the table, or None when it is published elsewhere."""

    cells: tuple[Cell, ...]
    total: Cell | None = None


@dataclass(frozen=True)
class Spec:
    """How a chart's figures (``chart.data``) are protected; set it as ``data.attrs["suppression"]``.

    ``area`` names the column of areas; rows whose area is in ``force_level`` are force level or
    above and are never suppressed, every other row is below force level when ``below_force_level``.
    ``counts`` are the count columns; ``keys`` the other columns that identify a figure (period,
    category): the figures of all areas with the same keys add up to the force's published total.
    ``totals`` marks total rows within an area, e.g. ``{"category": "All categories"}``.
    ``rates`` maps each rate or percentage column to ``(count column or None, base column)``.
    ``x``, ``series`` and ``y`` say how rows are drawn (the x column, the column naming each trace
    and the plotted column), so that a hidden figure is also taken off the chart; ``wide``: each
    count column is drawn as the trace of the same name instead.
    ``year_rows``: the rows are periods in order, this many to a year, and the latest year and the
    one before (of each count, per ``series``) add up to year-ending totals published elsewhere
    (the headline cards and key figures), so one hidden period in either year is one too few.
    """

    below_force_level: bool = True
    area: str | None = None
    force_level: tuple[str, ...] = ()
    counts: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    totals: Mapping[str, object] = field(default_factory=dict)
    rates: Mapping[str, tuple[str | None, str]] = field(default_factory=dict)
    x: str | None = None
    series: str | None = None
    y: str | None = None
    wide: bool = False
    year_rows: int = 0
    where: str = "in areas below force level"  # where the small counts are, for the note every output carries
    # The other areas' rows (same columns) whose figures add up with these to the force's published total: a
    # chart of one area is protected with its neighbours, so that no total less theirs gives a hidden figure back.
    # They are never shown.
    others: pd.DataFrame | None = None
    # Columns whose equal values mark rows whose counts add up to a figure shown elsewhere: an SPC chart's
    # mean line is its segment's total over its length, so one hidden count in a segment would be given back.
    sums: tuple[str, ...] = ()


@dataclass
class Protected:
    """A table after protection: figures hidden as ``[c]``/``[x]``, and what was hidden and why."""

    table: pd.DataFrame
    primary: set[Cell] = field(default_factory=set)
    secondary: set[Cell] = field(default_factory=set)
    low_base: set[Cell] = field(default_factory=set)
    rules: SuppressionRules | None = None
    where: str = Spec.where

    @property
    def applied(self) -> bool:
        return bool(self.primary or self.secondary or self.low_base)

    def notes(self) -> list[str]:
        """The plain sentences every output carrying this table must show."""
        notes = []
        threshold = self.rules.threshold if self.rules else 0
        if self.primary or self.secondary:
            hidden = len(self.primary) + len(self.secondary)
            notes.append(
                f"{SUPPRESSED} Suppression applied: counts of 1 to {threshold} {self.where} are not shown, "
                f"nor figures from which a total would give one away ({hidden} figure{'s' if hidden != 1 else ''} "
                "withheld)."
            )
        if self.low_base:
            minimum = self.rules.minimum_base if self.rules else 0
            notes.append(f"{LOW_BASE} No rate or percentage is given on a base of fewer than {minimum}.")
        return notes


def is_small(value: object, threshold: int) -> bool:
    """Whether ``value`` is a count from 1 to ``threshold`` (0 and missing figures are not small)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return not pd.isna(number) and 1 <= number <= threshold


def protect_cells(
    values: Mapping[Cell, float],
    lines: Sequence[Line],
    *,
    threshold: int,
    suppressible: Callable[[Cell], bool],
) -> tuple[set[Cell], set[Cell]]:
    """The primary and the secondary cells to hide among ``values``, given the ``lines`` that add up to totals.

    Deterministic: a line's candidates are taken smallest first, ties in the line's order.
    """
    primary = {c for c, v in values.items() if suppressible(c) and is_small(v, threshold)}
    hidden = set(primary)
    secondary: set[Cell] = set()
    changed = True
    while changed:
        changed = False
        for line in lines:
            unknowns = [c for c in line.cells if c in hidden]
            if line.total is not None and line.total in hidden:
                unknowns.append(line.total)
            if len(unknowns) != 1:
                continue
            choice = _next_to_hide(values, line, hidden, suppressible)
            if choice is not None:
                hidden.add(choice)
                secondary.add(choice)
                changed = True
    return primary, secondary


def _next_to_hide(
    values: Mapping[Cell, float], line: Line, hidden: set[Cell], suppressible: Callable[[Cell], bool]
) -> Cell | None:
    candidates = [c for c in line.cells if c not in hidden and suppressible(c) and not pd.isna(values.get(c))]
    non_zero = [c for c in candidates if values[c] > 0]
    for pool in (non_zero, candidates):
        if pool:
            return min(pool, key=lambda c: (values[c], candidates.index(c)))
    if line.total is not None and line.total not in hidden and suppressible(line.total):
        return line.total
    return None


def spec_for(data: pd.DataFrame) -> Spec | None:
    """The data's :class:`Spec`: set by its builder, or a CSP table's inferred one; None for force-level data."""
    spec = data.attrs.get(SPEC_KEY)
    if isinstance(spec, Spec):
        return spec
    area = next((c for c in CSP_COLUMNS if c in data.columns), None)
    if area is None:
        return None
    counts = tuple(c for c in data.columns if c != area and pd.api.types.is_integer_dtype(data[c]))
    keys = tuple(c for c in data.columns if c != area and c not in counts)
    return Spec(area=area, counts=counts, keys=keys)


def _groups(frame: pd.DataFrame, by: Sequence[str]) -> list[list[int]]:
    """The row labels of ``frame`` in groups of equal ``by`` values (one group when ``by`` is empty)."""
    if not by:
        return [list(frame.index)] if len(frame) else []
    keys = list(by) if len(by) > 1 else by[0]
    return [list(rows) for rows in frame.groupby(keys, sort=False, dropna=False).groups.values()]


def _equal(first: object, second: object) -> bool:
    both_missing = not isinstance(first, str) and not isinstance(second, str) and pd.isna(first) and pd.isna(second)
    return bool(both_missing or first == second)


def suppress_frame(data: pd.DataFrame, spec: Spec, rules: SuppressionRules) -> Protected:
    """Long-format figures (one row per area and keys) protected as ``spec`` says."""
    shown = len(data)
    frame = data.reset_index(drop=True)
    if spec.others is not None and len(spec.others):
        frame = pd.concat([frame, spec.others.reset_index(drop=True)], ignore_index=True)
    force_level = set(spec.force_level)
    is_force = frame[spec.area].isin(force_level) if spec.area else pd.Series(False, index=frame.index)
    is_total = pd.Series(False, index=frame.index)
    for column, value in spec.totals.items():
        is_total |= frame[column] == value
    values: dict[Cell, float] = {}
    lines: list[Line] = []
    for count in spec.counts:
        numbers = pd.to_numeric(frame[count], errors="coerce")
        values.update(zip(((row, count) for row in frame.index), numbers.tolist(), strict=True))
        if spec.area is not None:
            # The areas' figures with the same keys add up to the force's figure, which is published.
            force_rows = list(frame.index[is_force])
            for group in _groups(frame[~is_force], spec.keys):
                total = next(
                    (t for t in force_rows if all(_equal(frame.at[t, k], frame.at[group[0], k]) for k in spec.keys)),
                    None,
                )
                lines.append(Line(tuple((row, count) for row in group), (total, count) if total is not None else None))
        for column in spec.totals:
            # Within an area, the parts add up to its total row.
            by = [c for c in (spec.area, *spec.keys) if c is not None and c != column]
            for group in _groups(frame, by):
                whole = [row for row in group if is_total[row]]
                parts = tuple((row, count) for row in group if not is_total[row])
                lines.append(Line(parts, (whole[0], count) if whole else None))
    if spec.year_rows:
        lines += _year_lines(frame.iloc[:shown], spec)
    for column in spec.sums:
        lines += [Line(tuple((row, count) for row in group)) for group in _groups(frame.iloc[:shown], [column])
                  for count in spec.counts]  # fmt: skip
    primary, secondary = protect_cells(
        values,
        lines,
        threshold=rules.threshold,
        suppressible=lambda cell: spec.below_force_level and not is_force[cell[0]],
    )
    hidden = primary | secondary
    out = frame.astype(object)
    for row, column in hidden:
        out.at[row, column] = SUPPRESSED
    low_base: set[Cell] = set()
    for rate, (count, base) in spec.rates.items():
        bases = pd.to_numeric(frame[base], errors="coerce").tolist()
        for row, value in zip(frame.index, frame[rate].tolist(), strict=True):
            if (count is not None and (row, count) in hidden) or (row, base) in hidden:
                out.at[row, rate] = SUPPRESSED
                secondary.add((row, rate))
            elif _low_base(value, bases[row], rules.minimum_base):
                out.at[row, rate] = LOW_BASE
                low_base.add((row, rate))
    out.attrs = {}
    if len(frame) > shown:  # the other areas' rows were there to protect these; only these leave
        out = out.iloc[:shown]
        primary, secondary, low_base = ({cell for cell in cells if cell[0] < shown}
                                        for cells in (primary, secondary, low_base))  # fmt: skip
    return Protected(out, primary, secondary, low_base, rules, spec.where)


def _low_base(rate: object, base: float, minimum: int) -> bool:
    """Whether a rate is to be shown as ``[x]``: its base is below ``minimum`` (given or left blank for it)."""
    if pd.notna(base):
        return bool(base < minimum)
    return bool(pd.notna(rate))


def _year_lines(frame: pd.DataFrame, spec: Spec) -> list[Line]:
    """Each count's latest ``spec.year_rows`` periods, and the ones before, per series: year totals shown elsewhere."""
    lines = []
    for group in _groups(frame, [spec.series] if spec.series and not spec.wide else []):
        for count in spec.counts:
            numbers = pd.to_numeric(frame[count], errors="coerce").tolist()
            rows = [row for row in group if pd.notna(numbers[row])]
            for end in (len(rows), len(rows) - spec.year_rows):
                year = rows[max(end - spec.year_rows, 0) : end]
                if len(year) == spec.year_rows:
                    lines.append(Line(tuple((row, count) for row in year)))
    return lines


def csv_frame(protected: Protected) -> pd.DataFrame:
    """The table for a CSV: hidden figures as ``[c]``/``[x]`` and, when anything was hidden, a ``note`` on those rows."""
    table = protected.table.copy()
    if not protected.applied:
        return table
    rows = {cell[0] for cell in protected.primary | protected.secondary | protected.low_base}
    notes = protected.notes()
    table["note"] = ["; ".join(notes) if row in rows else "" for row in table.index]
    return table


def blank_figure(figure: go.Figure, data: pd.DataFrame, protected: Protected, spec: Spec) -> go.Figure:
    """A copy of ``figure`` with every hidden figure taken off its traces (the point or bar is left out).

    Rows are matched to trace points by ``spec.x`` and ``spec.series`` (or the count's column, for
    ``spec.wide``). Without an x, any point whose value equals a hidden figure is taken off: more
    than needed, never less. A hidden figure that was never drawn (a blank) needs nothing taken off.
    """
    out = go.Figure(figure)
    frame = data.reset_index(drop=True)
    columns = {column: frame[column].tolist() for column in frame.columns}
    targets = []  # (trace name or None for any, the row's x keys or None for any x, the figure hidden)
    for row, column in protected.primary | protected.secondary | protected.low_base:
        original = columns[column][row]
        if (spec.y is not None and not spec.wide and column != spec.y) or _missing(original):
            continue
        name = str(column) if spec.wide else str(columns[spec.series][row]) if spec.series is not None else None
        targets.append((name, _x_keys(columns[spec.x][row]) if spec.x is not None else None, original))
    if not targets:
        return out
    for trace in out.data:
        y = getattr(trace, "y", None)
        if y is None:
            continue
        y = list(y)
        xs = list(trace.x) if getattr(trace, "x", None) is not None else [None] * len(y)
        x_keys = [_x_keys(x) for x in xs]
        text = list(trace.text) if isinstance(getattr(trace, "text", None), tuple | list) else None
        for name, keys, original in targets:
            if name is not None and name != str(trace.name):
                continue
            for index, value in enumerate(y):
                if (keys is not None and not keys & x_keys[index]) or (
                    keys is None and not _same_number(value, original)
                ):
                    continue
                y[index] = None
                if text is not None and index < len(text):
                    text[index] = None
        trace.y = y
        if text is not None:
            trace.text = text
    return out


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _x_keys(value: object) -> set[str]:
    """The ways an x is written: as given, and for a date its timestamp and financial quarter ('2024/25 Q1')."""
    keys = {str(value)}
    if isinstance(value, dt.date | np.datetime64) or (isinstance(value, str) and ISO_DATE.match(value)):
        try:
            stamp = pd.Timestamp(value)
        except (TypeError, ValueError):
            return keys
        keys |= {stamp.isoformat(), periods.quarter_label(stamp.date())}
    return keys


def _same_number(first: object, second: object) -> bool:
    try:
        return float(first) == float(second)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def protected_figure(chart, protected: Protected, spec: Spec) -> go.Figure:
    """A catalogue ``Chart``'s figure with its hidden figures off: drawn again from the protected table where the
    chart can (a map, whose areas cannot be blanked point by point), else blanked trace by trace."""
    if chart.redraw is not None:
        return chart.redraw(protected.table)
    return blank_figure(chart.figure, chart.data, protected, spec)
