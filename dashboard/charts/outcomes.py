"""Charts and key figures for the Outcomes and the Prosecutions and orders pages.

Pure (no Streamlit): catalogue builders over :class:`dashboard.charts.catalogue.Inputs`, so the pages,
exports and packs draw the same figures. Rates follow the outcomes loader: type 0 ("not yet
assigned") is never an outcome, so it is in no total and no denominator; it is charted apart as a
backlog. Every outcomes chart names the count column it uses. No rate is given on a base below
:data:`MIN_BASE`: a handful of outcomes swings a percentage too far to mean anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import base as charts
from dashboard.charts.base import ChartText
from dashboard.charts.catalogue import Chart, Inputs, register
from dashboard.figures import metrics, spc, trends
from dashboard.ui.filters import Filters
from dashboard.words.messages import share_change, share_sentence
from data_loaders.settings import Settings
from data_loaders.sources import outcomes as outcome_table
from data_loaders.tables import financial_period_of

OUTCOMES_SECTION = "Outcomes"
PROSECUTIONS_SECTION = "Prosecutions and orders"
OUTCOMES_SOURCE = "Source: Home Office crime outcomes open data"
RETURN_SOURCE = "Source: local prosecutions and orders return (force and CPS figures, not official statistics)"
MIN_BASE = 10
ENGLAND_AND_WALES = trends.NATIONAL
COUNT_COLUMNS = {"recorded": outcome_table.RECORDED, "for_offences": outcome_table.FOR_OFFENCES_RECORDED}
VICTIM_GROUP = "victim_does_not_support"  # outcome types 14 and 16 (see [[outcome_groups]])
PROSECUTIONS = "prosecutions_completed"
CONVICTIONS = "convictions"
SPO_FULL = "spo_full_granted"
SPO_BREACHES = "spo_breaches"
# A seventh colour for the outcome mix (the palette has six): GOV.UK mid-grey, with a dark pattern.
SEVENTH_COLOUR = "#B1B4B6"


# ---- the selection: force, offence codes, period and count ----------------------------------------


def count_column(filters: Filters) -> str:
    """The outcomes count column the user chose."""
    return COUNT_COLUMNS.get(filters.outcome_count, outcome_table.RECORDED)


def count_used(settings: Settings, column: str) -> str:
    """'Count used: Force outcomes recorded in quarter (outcomes assigned in the quarter)'."""
    label = settings.outcomes.count(column).label
    return f"Count used: {outcome_table.LABELS[column]} ({label[:1].lower()}{label[1:]})"


def offence_codes(settings: Settings, categories: Sequence[str]) -> tuple[str, ...]:
    """The offence codes of the chosen categories; the total's codes when none is chosen (as on every trends page)."""
    return trends.codes_for(settings, trends.selection(settings, categories))


def selection_label(settings: Settings, categories: Sequence[str]) -> str:
    """What the chosen categories are called: the total's label, one category, or a list of them."""
    return trends.subject(settings, categories)


def quarter_label(start: object) -> str:
    """'2024/25 Q1' for the quarter starting on ``start``."""
    year, quarter = financial_period_of(pd.Timestamp(start).date())
    return f"{year} Q{quarter}"


def quarter_end(start: pd.Series) -> pd.Series:
    """The last day of each quarter starting on ``start``."""
    return start + pd.DateOffset(months=3) - pd.Timedelta(days=1)


def _in_period(frame: pd.DataFrame, filters: Filters, column: str = "period_start") -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    if filters.start:
        keep &= frame[column] >= pd.Timestamp(filters.start)
    if filters.end:
        keep &= frame[column] <= pd.Timestamp(filters.end)
    return frame[keep]


def _in(period: str) -> str:
    """'in 2024/25 Q1', 'in the year ending Jun 2025'."""
    return f"in the {period}" if period.startswith("year ending") else f"in {period}"


def _text(inputs: Inputs, title: str, subtitle: str, source: str = OUTCOMES_SOURCE) -> ChartText:
    return ChartText(title, subtitle, source, inputs.data_as_at)


def _percent(value: float | None) -> str:
    return "no figure" if value is None or pd.isna(value) else f"{value:.1f}%"


def _rate(numerator: pd.Series, base: pd.Series) -> pd.Series:
    """numerator / base as a percentage, missing where the base is below :data:`MIN_BASE`."""
    return (100 * numerator / base.where(base >= MIN_BASE)).astype(float)


def _small_base_note(periods: Sequence[str], what: str) -> list[str]:
    if not periods:
        return []
    listed = ", ".join(periods[:6]) + (f" and {len(periods) - 6} more" if len(periods) > 6 else "")
    return [f"No {what} is shown where fewer than {MIN_BASE} outcomes make the base ({listed})."]


# ---- outcome totals ------------------------------------------------------------------------------


def _counted_groups(settings: Settings) -> list[str]:
    return [g.key for g in settings.outcomes.groups if g.counted]


def outcome_rows(inputs: Inputs, forces: Sequence[str]) -> pd.DataFrame:
    """Outcome rows for ``forces`` and the chosen categories (the period is applied later)."""
    frame = inputs.outcomes
    if frame.empty:
        return frame
    codes = offence_codes(inputs.settings, inputs.filters.categories)
    return frame[frame["force"].isin(forces) & frame["offence_code"].isin(codes)]


def has_outcomes(inputs: Inputs) -> bool:
    """Whether any outcome (or type 0) row is loaded for the chosen force and categories in the chosen period."""
    rows = outcome_rows(inputs, (inputs.filters.force,))
    return not rows.empty and not _in_period(rows, inputs.filters).empty


def outcome_totals(rows: pd.DataFrame, settings: Settings, column: str, by: Sequence[str]) -> pd.DataFrame:
    """Per ``by``: assigned outcomes in ``column``, one column per counted group, plus ``assigned`` and ``charged``.

    Type 0 is not an outcome and is left out entirely (see :func:`backlog_totals`).
    """
    counted = _counted_groups(settings)
    charge = [g.key for g in settings.outcomes.groups if g.charge]
    group_of = {t.type: t.group for t in settings.outcomes.types}
    tagged = rows.assign(_group=rows["outcome_type"].map(group_of))
    tagged = tagged[tagged["_group"].isin(counted)]
    if tagged.empty:
        return pd.DataFrame(columns=[*by, *counted, "assigned", "charged"])
    wide = tagged.pivot_table(index=list(by), columns="_group", values=column, aggfunc="sum", fill_value=0)
    wide = wide.reindex(columns=counted, fill_value=0).astype(int)
    wide.columns.name = None
    wide["assigned"] = wide[counted].sum(axis=1)
    wide["charged"] = wide[charge].sum(axis=1)
    return wide.reset_index()


def backlog_totals(rows: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Per quarter of recording: offences not yet assigned an outcome and all offences in the for-offences count."""
    column = outcome_table.FOR_OFFENCES_RECORDED
    pending = rows["outcome_type"].isin(settings.outcomes.not_counted_types)
    frame = rows.assign(_pending=rows[column].where(pending, 0))
    out = frame.groupby("period_start", as_index=False).agg(not_yet_assigned=("_pending", "sum"), all=(column, "sum"))
    return out.astype({"not_yet_assigned": int, "all": int})


def _contiguous(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``frame`` (one row per quarter) with every quarter between its first and last, missing ones empty."""
    quarters = pd.date_range(frame["period_start"].min(), frame["period_start"].max(), freq="QS-JAN")
    full = frame.set_index("period_start").reindex(quarters)
    full.index.name = "period_start"
    return full[list(columns)].reset_index()


def by_granularity(frame: pd.DataFrame, filters: Filters, columns: Sequence[str], series: str | None = None):
    """Quarterly totals as the user asked: per quarter, or summed over the year ending each quarter.

    Adds ``x`` (the date to plot: the quarter's start, or the last day of the year ending) and
    ``period`` (its label). Year endings need four quarters in a row behind them, and are taken
    before the period filter, so the first year ending shown has its full year. Months are not
    published for outcomes: a monthly choice shows quarters.
    """
    groups = [(None, frame)] if series is None else list(frame.groupby(series, sort=False))
    parts = []
    for name, rows in groups:
        if rows.empty:
            continue
        full = _contiguous(rows, columns)
        if filters.granularity == "year_ending":
            full[list(columns)] = full[list(columns)].rolling(4, min_periods=4).sum()
            full = full.dropna(subset=list(columns))
            full["x"] = quarter_end(full["period_start"])
            full["period"] = [f"year ending {end:%b %Y}" for end in full["x"]]
        else:
            full = full.dropna(subset=list(columns), how="all")
            full["x"] = full["period_start"]
            full["period"] = [quarter_label(start) for start in full["period_start"]]
        if series is not None:
            full[series] = name
        parts.append(full)
    if not parts:
        return pd.DataFrame(columns=["period_start", *columns, "x", "period", *([series] if series else [])])
    return _in_period(pd.concat(parts, ignore_index=True), filters)


def granularity_words(filters: Filters) -> str:
    if filters.granularity == "year_ending":
        return "Rolling years ending each quarter"
    return "By quarter"


# ---- outcomes charts -----------------------------------------------------------------------------


PLOT_HEIGHT = 330  # pixels of plotting area, kept whatever the length of the markers key below it
SIDE_LEGEND_FROM = 100  # characters of legend text that no longer fit one row above the plot


QUARTER_HOVER = "quarter from %b %Y"


def period_hover(filters: Filters) -> str:
    """How a hovered date reads: the quarter it starts, or the year ending on it."""
    return "year ending %b %Y" if filters.granularity == "year_ending" else QUARTER_HOVER


def _finish(figure: go.Figure, hover: str = QUARTER_HOVER) -> go.Figure:
    """Size a framed figure so the plot keeps its height above the footer; a long legend goes to the right.

    The footer grows with the markers' key, so a fixed height would squeeze the plot. A legend that
    would wrap onto a second row above the plot would run into the subtitle, so it stands at the side.
    A hovered date says which period it stands for (``hover``, a date format).
    """
    figure.update_xaxes(hoverformat=hover)
    margin = figure.layout.margin
    top = margin.t if margin.t is not None else charts.TEMPLATE.layout.margin.t
    bottom = margin.b if margin.b is not None else charts.TEMPLATE.layout.margin.b
    figure.update_layout(height=PLOT_HEIGHT + top + bottom)
    names = [trace.name or "" for trace in figure.data if trace.showlegend is not False]
    if sum(len(name) + 6 for name in names) > SIDE_LEGEND_FROM:
        figure.update_layout(legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top"))
    for trace in figure.data:
        if trace.type == "bar":
            # Draw each pattern over the bar's own colour: on its default transparent ground a white
            # pattern would vanish against the white page.
            trace.marker.pattern.fillmode = "overlay"
    return figure


def _bars_on_time_axis(
    figure: go.Figure, text: ChartText, inputs: Inputs, x: pd.Series, hover: str = QUARTER_HOVER
) -> go.Figure:
    """Draw the series breaks and events on a bar chart's time axis, with their key in the footer.

    ``charts.bar_chart`` frames a figure without markers; the footer it wrote is replaced so that
    it carries the markers' key, as every other time axis does.
    """
    figure.layout.annotations = figure.layout.annotations[:-1]
    charts.add_time_markers(figure, inputs.markers, x.min().date(), x.max().date())
    return _finish(charts._frame(figure, text), hover)


@register("outcome-mix", "Outcome mix by outcome group", section=OUTCOMES_SECTION)
def outcome_mix(inputs: Inputs) -> Chart | None:
    """Shares of assigned outcomes by outcome group, stacked to 100% per period, for the chosen force."""
    settings, filters = inputs.settings, inputs.filters
    column = count_column(filters)
    rows = outcome_rows(inputs, (filters.force,))
    totals = outcome_totals(rows, settings, column, by=["period_start"])
    counted = _counted_groups(settings)
    if totals.empty:
        return None
    periods = by_granularity(totals, filters, [*counted, "assigned"])
    if periods.empty:
        return None
    small = periods.loc[periods["assigned"] < MIN_BASE, "period"].tolist()
    shown = periods[periods["assigned"] >= MIN_BASE]
    if shown.empty:
        return None
    labels = {g.key: g.label for g in settings.outcomes.groups}
    long = shown.melt(id_vars=["x", "period", "assigned"], value_vars=counted, var_name="group", value_name="outcomes")
    long["group"] = pd.Categorical(long["group"], categories=counted, ordered=True)
    long = long.sort_values(["group", "x"])
    long["label"] = long["group"].map(labels).astype(str)
    long["share"] = (100 * long["outcomes"] / long["assigned"]).round(1)
    text = _text(
        inputs,
        f"What happened to recorded offences: {filters.force}",
        f"{selection_label(settings, filters.categories)}. Share of assigned outcomes by outcome group. "
        f"{granularity_words(filters)}.<br>{count_used(settings, column)}.",
    )
    figure = charts.bar_chart(
        long,
        x="x",
        y="share",
        series="label",
        barmode="stack",
        text=text,
        y_label="Share of outcomes (%)",
        y_format=".1f",
    )
    if len(figure.data) > len(charts.PALETTE):
        for trace in figure.data[len(charts.PALETTE) :]:
            trace.marker.color = SEVENTH_COLOUR
            trace.marker.pattern.fgcolor = charts.TEXT
    figure.update_yaxes(range=[0, 100])
    figure = _bars_on_time_axis(figure, text, inputs, long["x"], period_hover(filters))
    figure.update_layout(
        legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top", traceorder="reversed")
    )
    latest = long[long["x"] == long["x"].max()].sort_values("share", ascending=False)
    period = latest["period"].iloc[0]
    largest = latest.iloc[0]
    mix = "; ".join(f"{row.label} {row.share:.1f}%" for row in latest.itertuples())
    data = long.assign(**{"Outcome group": long["label"]})[["period", "Outcome group", "outcomes", "assigned", "share"]]
    data.columns = ["Period", "Outcome group", "Outcomes", "All assigned outcomes", "Share (%)"]
    return Chart(
        key="outcome-mix",
        figure=figure,
        text=text,
        data=data.reset_index(drop=True),
        alt=(
            f"Stacked bar chart: shares of assigned outcomes by outcome group for {filters.force}, "
            f"{shown['period'].iloc[0]} to {period}. Latest ({period}): {mix}."
        ),
        reading=f"I{_in(period)[1:]} the largest group was {largest.label.lower()} ({largest.share:.1f}% of outcomes).",
        notes=[
            *_small_base_note(small, "mix"),
            "Offences not yet assigned an outcome (type 0) are no outcome: left out here and charted on their own.",
        ],
    )


def _quarterly_rates(inputs: Inputs, numerator: Callable[[pd.DataFrame], pd.Series]) -> pd.DataFrame:
    """The chosen force's quarterly rate (percent) with its base, every quarter present (missing empty)."""
    settings, filters = inputs.settings, inputs.filters
    rows = outcome_rows(inputs, (filters.force,))
    totals = outcome_totals(rows, settings, count_column(filters), by=["period_start"])
    if totals.empty:
        return totals
    totals = totals.assign(numerator=numerator(totals))
    full = _in_period(_contiguous(totals, ["numerator", "assigned"]), filters)
    full["rate"] = _rate(full["numerator"], full["assigned"]).round(1)
    return full.reset_index(drop=True)


def rebase_positions(settings: Settings, starts: Sequence[pd.Timestamp]) -> list[int]:
    """Positions of the first period at or after each rebasing series break inside the range (never the first)."""
    positions = []
    for series_break in settings.series_breaks:
        if not series_break.rebase:
            continue
        after = [i for i, start in enumerate(starts) if start >= pd.Timestamp(series_break.date)]
        if after and after[0] > 0 and starts[0] < pd.Timestamp(series_break.date):
            positions.append(after[0])
    return sorted(set(positions))


@register("charge-rate-spc", "Charge rate: statistical process control", section=OUTCOMES_SECTION)
def charge_rate_spc(inputs: Inputs) -> Chart | None:
    """XmR chart of the quarterly charge/summons rate; limits recalculated at the rebasing breaks."""
    settings, filters = inputs.settings, inputs.filters
    column = count_column(filters)
    rates = _quarterly_rates(inputs, lambda t: t["charged"])
    if rates.empty or rates["rate"].notna().sum() == 0:
        return None
    starts = list(rates["period_start"])
    rebase = rebase_positions(settings, starts)
    frame = spc.xmr(pd.Series(rates["rate"].to_numpy(), index=starts), improvement="increase", rebase_at=rebase)
    text = _text(
        inputs,
        f"Charge or summons rate: {filters.force}",
        f"{selection_label(settings, filters.categories)}. Charged or summonsed as a share of assigned outcomes, "
        f"by quarter, with process limits.<br>{count_used(settings, column)}.",
    )
    target = settings.targets.charge_rate
    target_text = f"{target:g}%" if target is not None else ""
    figure = charts.spc_chart(
        frame,
        starts,
        text,
        value_label="Charge rate (%)",
        markers=inputs.markers,
        target=target,
        target_label=f"Target ({target_text})",
    )
    reading = spc.describe(frame, "increase")
    if target is not None:
        reading += f" {spc.describe_assurance(frame, target, 'increase', target_text)[1]}."
    small = [
        quarter_label(s)
        for s, r, b in zip(starts, rates["rate"], rates["assigned"], strict=True)
        if pd.isna(r) and b > 0
    ]
    notes = _small_base_note(small, "rate")
    if rebase:
        where = ", ".join(quarter_label(starts[p]) for p in rebase)
        notes.append(f"Limits are recalculated from {where}, after the series breaks marked on the chart.")
    notes.append(
        "A higher charge rate is treated as improvement; the chart uses quarterly rates, never rolling totals."
    )
    shown = frame.dropna(subset=["value"])
    data = pd.DataFrame(
        {
            "Quarter": [quarter_label(s) for s in starts],
            "Charged or summonsed": rates["numerator"],
            "All assigned outcomes": rates["assigned"],
            "Charge rate (%)": frame["value"].to_numpy(),
            "Mean": frame["mean"].round(2).to_numpy(),
            "Lower process limit": frame["lpl"].round(2).to_numpy(),
            "Upper process limit": frame["upl"].round(2).to_numpy(),
            "Point": frame["point_type"].map(lambda p: charts.POINT_STYLES.get(p, ("",))[0]).to_numpy(),
        }
    )
    if target is not None:
        data["Target (%)"] = target
    latest = shown.iloc[-1]
    return Chart(
        key="charge-rate-spc",
        figure=_finish(figure),
        text=text,
        data=data,
        alt=(
            f"Statistical process control chart of the quarterly charge rate for {filters.force}, "
            f"{quarter_label(shown.index[0])} to {quarter_label(shown.index[-1])}. Latest {latest['value']:.1f}% "
            f"against a mean of {latest['mean']:.1f}%. {reading}"
        ),
        reading=reading,
        notes=notes,
    )


def _area_totals(inputs: Inputs) -> pd.DataFrame:
    """Outcome totals per area (the force, England and Wales, the peers) and quarter, in the chosen count."""
    settings, filters = inputs.settings, inputs.filters
    territorial = settings.territorial_forces
    rows = outcome_rows(inputs, territorial)
    totals = outcome_totals(rows, settings, count_column(filters), by=["force", "period_start"])
    if totals.empty:
        return totals
    numbers = [c for c in totals.columns if c not in ("force", "period_start")]
    country = totals.groupby("period_start", as_index=False)[numbers].sum().assign(force=ENGLAND_AND_WALES)
    wanted = [filters.force, *[p for p in filters.peers if p != filters.force]]
    chosen = totals[totals["force"].isin(wanted)]
    return pd.concat([chosen, country], ignore_index=True).rename(columns={"force": "area"})


def _comparison(
    inputs: Inputs, key: str, what: str, noun: str, numerator: Callable[[pd.DataFrame], pd.Series], description: str
) -> Chart | None:
    """A share of assigned outcomes for the force, England and Wales and the peers, as lines."""
    settings, filters = inputs.settings, inputs.filters
    column = count_column(filters)
    totals = _area_totals(inputs)
    if totals.empty or filters.force not in set(totals["area"]):
        return None
    totals = totals.assign(numerator=numerator(totals))
    periods = by_granularity(totals, filters, ["numerator", "assigned"], series="area")
    if periods.empty:
        return None
    periods["rate"] = _rate(periods["numerator"], periods["assigned"]).round(1)
    small = periods.loc[periods["rate"].isna() & (periods["assigned"] > 0)]
    notes = _small_base_note([f"{r.area} {r.period}" for r in small.itertuples()], "rate")
    notes.append(
        f"{ENGLAND_AND_WALES}: the {len(settings.territorial_forces)} territorial police forces together "
        "(British Transport Police and national bodies left out)."
    )
    order = [filters.force, ENGLAND_AND_WALES, *[p for p in filters.peers if p != filters.force]]
    periods["area"] = pd.Categorical(periods["area"], categories=order, ordered=True)
    periods = periods.sort_values(["area", "x"])
    periods["area"] = periods["area"].astype(str)
    text = _text(
        inputs,
        f"{what}: {filters.force} and England and Wales",
        f"{selection_label(settings, filters.categories)}. {description} {granularity_words(filters)}.<br>"
        f"{count_used(settings, column)}.",
    )
    figure = charts.line_chart(
        periods, x="x", y="rate", series="area", text=text, y_label=f"{what} (%)", highlight=filters.force,
        markers=inputs.markers,
    )  # fmt: skip
    latest_x = periods.loc[periods["area"] == filters.force, "x"].max()
    latest = periods[periods["x"] == latest_x].set_index("area")
    period = latest["period"].iloc[0]
    own, country = latest["rate"].get(filters.force), latest["rate"].get(ENGLAND_AND_WALES)
    reading = _compare_sentence(noun, filters.force, own, country, period)
    values = "; ".join(f"{area} {_percent(rate)}" for area, rate in latest["rate"].items())
    data = periods[["area", "period", "numerator", "assigned", "rate"]].copy()
    data.columns = ["Area", "Period", what, "All assigned outcomes", f"{what} (%)"]
    return Chart(
        key=key,
        figure=_finish(figure, period_hover(filters)),
        text=text,
        data=data.reset_index(drop=True),
        alt=f"Line chart of the {noun} for {', '.join(order)}. Latest ({period}): {values}.",
        reading=reading,
        notes=notes,
    )


def _compare_sentence(noun: str, force: str, own: float | None, country: float | None, period: str) -> str:
    """'The charge rate for Devon and Cornwall was 3.3% in 2026/27 Q1, below England and Wales (3.5%).'"""
    if own is None or pd.isna(own):
        return f"No {noun} can be given for {force} {_in(period)}: too few outcomes."
    if country is None or pd.isna(country):
        return f"The {noun} for {force} was {own:.1f}% {_in(period)}."
    if round(own, 1) == round(country, 1):
        relation = "the same as"
    else:
        relation = "above" if own > country else "below"
    return f"The {noun} for {force} was {own:.1f}% {_in(period)}, {relation} England and Wales ({country:.1f}%)."


@register("charge-rate-comparison", "Charge rate compared with England and Wales", section=OUTCOMES_SECTION)
def charge_rate_comparison(inputs: Inputs) -> Chart | None:
    """The charge/summons rate of the force, England and Wales and the chosen peers."""
    return _comparison(
        inputs,
        "charge-rate-comparison",
        "Charge rate",
        "charge rate",
        lambda t: t["charged"],
        "Charged or summonsed as a share of assigned outcomes.",
    )


@register("victim-does-not-support", "Victim does not support action", section=OUTCOMES_SECTION)
def victim_does_not_support(inputs: Inputs) -> Chart | None:
    """The share of assigned outcomes where the victim did not support action (types 14 and 16)."""
    types = [t.type for t in inputs.settings.outcomes.types if t.group == VICTIM_GROUP]
    return _comparison(
        inputs,
        "victim-does-not-support",
        "Victim does not support action",
        "share of outcomes where the victim did not support action",
        lambda t: t[VICTIM_GROUP],
        f"Outcome types {' and '.join(str(t) for t in types)} as a share of assigned outcomes.",
    )


@register("outcomes-not-yet-assigned", "Offences not yet assigned an outcome", section=OUTCOMES_SECTION)
def not_yet_assigned(inputs: Inputs) -> Chart | None:
    """The type 0 backlog by quarter of recording: offences still awaiting an outcome (not an outcome)."""
    settings, filters = inputs.settings, inputs.filters
    rows = outcome_rows(inputs, (filters.force,))
    if rows.empty:
        return None
    backlog = _in_period(backlog_totals(rows, settings), filters)
    if backlog.empty:
        return None
    backlog["period"] = [quarter_label(s) for s in backlog["period_start"]]
    backlog["share"] = _rate(backlog["not_yet_assigned"], backlog["all"]).round(1)
    column = outcome_table.FOR_OFFENCES_RECORDED
    text = _text(
        inputs,
        f"Offences not yet assigned an outcome: {filters.force}",
        f"{selection_label(settings, filters.categories)}. Type 0, by quarter the offence was recorded: "
        "not an outcome, in no outcome total or rate.<br>"
        f"Count used: {outcome_table.LABELS[column]} (the only count with type 0, whichever count is chosen).",
    )
    figure = charts.bar_chart(
        backlog, x="period_start", y="not_yet_assigned", text=text, y_label="Offences awaiting an outcome"
    )
    figure = _bars_on_time_axis(figure, text, inputs, backlog["period_start"])
    latest = backlog.iloc[-1]
    pending = backlog[backlog["not_yet_assigned"] > 0]
    if pending.empty:
        reading = f"Every offence recorded up to {latest['period']} had been assigned an outcome."
    else:
        share = "" if pd.isna(latest["share"]) else f" ({latest['share']:.1f}% of the offences in this count)"
        reading = (
            f"{latest['not_yet_assigned']:,} offences recorded in {latest['period']} had no outcome yet{share}. "
            "Recent quarters fill in as investigations close, in later editions."
        )
    data = backlog[["period", "not_yet_assigned", "all", "share"]].copy()
    data.columns = ["Quarter recorded", "Not yet assigned an outcome", "All offences in this count", "Share (%)"]
    return Chart(
        key="outcomes-not-yet-assigned",
        figure=figure,
        text=text,
        data=data.reset_index(drop=True),
        alt=(
            f"Bar chart of offences recorded in {filters.force} not yet assigned an outcome, by quarter of recording, "
            f"{backlog['period'].iloc[0]} to {latest['period']}. Latest: {latest['not_yet_assigned']:,}."
        ),
        reading=reading,
    )


# ---- prosecutions and orders ---------------------------------------------------------------------


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def cps_forces(settings: Settings, area: str) -> tuple[str, ...]:
    """The forces a CPS Area covers (none for a name that is not a CPS Area)."""
    return next((a.forces for a in settings.cps_areas if a.name == area), ())


def cps_area_label(settings: Settings, area: str) -> str:
    """'CPS South West (covers Avon and Somerset, Devon and Cornwall and Gloucestershire)'."""
    forces = cps_forces(settings, area)
    return f"{area} (covers {_join(forces)})" if forces else area


def area_words(settings: Settings, areas: Sequence[str]) -> str:
    """What the figures of ``areas`` are: a force's own, or a CPS Area's that covers several forces."""
    sentences = []
    for area in areas:
        forces = cps_forces(settings, area)
        if forces:
            sentences.append(f"{area}: a CPS Area covering {_join(forces)}.")
        else:
            sentences.append(f"{area}: the force's own figures.")
    return " ".join(sentences)


def series_label(settings: Settings, area: str) -> str:
    """A short legend name: 'Devon and Cornwall (force)' or 'CPS South West (CPS Area, 3 forces)'."""
    forces = cps_forces(settings, area)
    return f"{area} (CPS Area, {len(forces)} forces)" if forces else f"{area} (force)"


def return_quarters(prosecutions: pd.DataFrame, area: str) -> pd.DataFrame:
    """An area's return by quarter: ``period_start``, ``measure``, ``value``, ``from_months``.

    Quarterly figures are used as supplied. Where an area supplied only monthly figures for a
    quarter and measure, the three months are summed (never when one is missing, and never added
    to a quarterly figure).
    """
    rows = prosecutions[prosecutions["area"] == area]
    quarterly = rows[rows["granularity"] == "quarter"][["period_start", "measure", "value"]].assign(from_months=False)
    monthly = rows[rows["granularity"] == "month"]
    if not monthly.empty:
        # Financial quarters start in April, July, October and January: months 1, 4, 7 and 10.
        starts = [s - pd.DateOffset(months=(s.month - 1) % 3) for s in monthly["period_start"]]
        summed = (
            monthly.assign(period_start=starts)
            .groupby(["period_start", "measure"], as_index=False)
            .agg(value=("value", "sum"), months=("value", "size"))
        )
        summed = summed[summed["months"] == 3].drop(columns="months").assign(from_months=True)
        have = set(zip(quarterly["period_start"], quarterly["measure"], strict=True))
        summed = summed[[(s, m) not in have for s, m in zip(summed["period_start"], summed["measure"], strict=True)]]
        quarterly = pd.concat([quarterly, summed], ignore_index=True)
    return quarterly.sort_values(["period_start", "measure"]).reset_index(drop=True)


def _measure_lines(
    inputs: Inputs, key: str, areas: Sequence[str], measures: Sequence[str], title: str, subtitle: str
) -> Chart | None:
    """One line per measure (and area, when there are several) from the return, by quarter."""
    settings, filters = inputs.settings, inputs.filters
    if inputs.prosecutions.empty or not areas:
        return None
    labels = {m.key: m.label for m in settings.prosecution_measures}
    parts = []
    for area in areas:
        rows = return_quarters(inputs.prosecutions, area)
        rows = _in_period(rows[rows["measure"].isin(measures)], filters)
        if not rows.empty:
            name = rows["measure"].map(labels)
            parts.append(rows.assign(series=name + (f" ({area})" if len(areas) > 1 else ""), area=area))
    if not parts:
        return None
    frame = pd.concat(parts, ignore_index=True)
    frame["order"] = frame["measure"].map({m: i for i, m in enumerate(measures)})
    frame = frame.sort_values(["area", "order", "period_start"])
    frame["period"] = [quarter_label(s) for s in frame["period_start"]]
    text = _text(inputs, title, subtitle, RETURN_SOURCE)
    figure = charts.line_chart(
        frame, x="period_start", y="value", series="series", text=text, y_label="Number in the quarter",
        markers=inputs.markers, y_format=",",
    )  # fmt: skip
    latest = frame[frame["period_start"] == frame["period_start"].max()]
    values = "; ".join(f"{r.series} {r.value:,}" for r in latest.itertuples())
    period = latest["period"].iloc[0]
    notes = []
    built = frame[frame["from_months"]]
    if not built.empty:
        notes.append(f"Quarters summed from monthly figures: {', '.join(dict.fromkeys(built['period']))}.")
    data = frame.pivot_table(index="period", columns="series", values="value", aggfunc="sum", sort=False)
    data = data.reset_index().rename(columns={"period": "Quarter"})
    data.columns.name = None
    return Chart(
        key=key,
        figure=_finish(figure),
        text=text,
        data=data,
        alt=f"{title}. Line chart by quarter, {frame['period'].iloc[0]} to {period}. Latest ({period}): {values}.",
        reading=f"In {period}: {values}.",
        notes=notes,
    )


def _court_measures(settings: Settings) -> list[str]:
    """The return's court measures (charges, prosecutions, convictions): those with no start date."""
    return [m.key for m in settings.prosecution_measures if m.available_from is None]


def _spo_measures(settings: Settings) -> list[str]:
    """The Stalking Protection Order measures: those available only from a date."""
    return [m.key for m in settings.prosecution_measures if m.available_from is not None]


def _court_chart(inputs: Inputs, key: str, areas: Sequence[str]) -> Chart | None:
    kind = " (CPS Area)" if areas and cps_forces(inputs.settings, areas[0]) else ""
    return _measure_lines(
        inputs,
        key,
        areas,
        _court_measures(inputs.settings),
        f"Prosecutions and convictions: {_join(areas)}{kind}" if areas else "",
        f"Stalking and harassment offences, by quarter.<br>{area_words(inputs.settings, areas)}",
    )


@register("prosecutions-force", "Prosecutions and convictions: the force's figures", section=PROSECUTIONS_SECTION)
def prosecutions_force(inputs: Inputs) -> Chart | None:
    """Charges, prosecutions completed and convictions by quarter in the force's own return."""
    return _court_chart(inputs, "prosecutions-force", [inputs.filters.force])


@register("prosecutions-cps-area", "Prosecutions and convictions: the CPS Area", section=PROSECUTIONS_SECTION)
def prosecutions_cps_area(inputs: Inputs) -> Chart | None:
    """Charges, prosecutions completed and convictions by quarter for the CPS Area(s) covering the force."""
    return _court_chart(inputs, "prosecutions-cps-area", inputs.settings.cps_areas_of(inputs.filters.force))


def conviction_rates(inputs: Inputs, area: str) -> pd.DataFrame:
    """An area's quarterly prosecutions completed, convictions and conviction rate (percent; none on a small base)."""
    rows = _in_period(return_quarters(inputs.prosecutions, area), inputs.filters)
    if rows.empty:
        return pd.DataFrame(columns=["period_start", PROSECUTIONS, CONVICTIONS, "rate"])
    wide = rows.pivot_table(index="period_start", columns="measure", values="value", aggfunc="sum")
    if PROSECUTIONS not in wide or CONVICTIONS not in wide:
        return pd.DataFrame(columns=["period_start", PROSECUTIONS, CONVICTIONS, "rate"])
    wide = wide[[PROSECUTIONS, CONVICTIONS]].dropna().astype(int).reset_index()
    wide.columns.name = None
    wide["rate"] = _rate(wide[CONVICTIONS], wide[PROSECUTIONS]).round(1)
    return wide


@register("conviction-rate", "Conviction rate: force and CPS Area", section=PROSECUTIONS_SECTION)
def conviction_rate(inputs: Inputs) -> Chart | None:
    """Convictions as a share of prosecutions completed, by quarter, for the force and its CPS Area(s)."""
    settings, filters = inputs.settings, inputs.filters
    if inputs.prosecutions.empty:
        return None
    areas = [filters.force, *settings.cps_areas_of(filters.force)]
    parts = [conviction_rates(inputs, area).assign(area=series_label(settings, area)) for area in areas]
    parts = [part for part in parts if not part.empty]
    if not parts:
        return None
    frame = pd.concat(parts, ignore_index=True)
    frame["period"] = [quarter_label(s) for s in frame["period_start"]]
    text = _text(
        inputs,
        f"Conviction rate: {filters.force} and its CPS Area",
        "Convictions as a share of prosecutions completed, stalking and harassment offences, by quarter.<br>"
        + area_words(settings, areas[1:]),
        RETURN_SOURCE,
    )
    figure = charts.line_chart(
        frame, x="period_start", y="rate", series="area", text=text, y_label="Conviction rate (%)",
        highlight=frame["area"].iloc[0], markers=inputs.markers,
    )  # fmt: skip
    latest = frame[frame["period_start"] == frame["period_start"].max()]
    period = latest["period"].iloc[0]
    values = "; ".join(f"{r.area} {_percent(r.rate)}" for r in latest.itertuples())
    small = frame[frame["rate"].isna()]
    notes = []
    if not small.empty:
        listed = ", ".join(f"{r.area} {r.period}" for r in small.itertuples())
        notes.append(f"No rate is shown where fewer than {MIN_BASE} prosecutions were completed ({listed}).")
    data = frame[["area", "period", PROSECUTIONS, CONVICTIONS, "rate"]].copy()
    data.columns = ["Area", "Quarter", "Prosecutions completed", "Convictions", "Conviction rate (%)"]
    return Chart(
        key="conviction-rate",
        figure=_finish(figure),
        text=text,
        data=data.reset_index(drop=True),
        alt=f"{text.title}. Line chart of the conviction rate by quarter. Latest ({period}): {values}.",
        reading=f"Conviction rate in {period}: {values}.",
        notes=notes,
    )


def _spo_chart(inputs: Inputs, key: str, areas: Sequence[str]) -> Chart | None:
    settings = inputs.settings
    measures = _spo_measures(settings)
    available = min((m.available_from for m in settings.prosecution_measures if m.key in measures), default=None)
    since = f"; orders available from {available:%-d %B %Y}" if available else ""
    kind = " (CPS Area)" if areas and cps_forces(settings, areas[0]) else ""
    return _measure_lines(
        inputs,
        key,
        areas,
        measures,
        f"Stalking Protection Orders: {_join(areas)}{kind}" if areas else "",
        f"Applications, orders granted (interim and full) and breaches, by quarter{since}.<br>"
        + area_words(settings, areas),
    )


@register("spo-force", "Stalking Protection Orders: the force's figures", section=PROSECUTIONS_SECTION)
def spo_force(inputs: Inputs) -> Chart | None:
    """Stalking Protection Order applications, grants and breaches by quarter in the force's own return."""
    return _spo_chart(inputs, "spo-force", [inputs.filters.force])


@register("spo-cps-area", "Stalking Protection Orders: the CPS Area", section=PROSECUTIONS_SECTION)
def spo_cps_area(inputs: Inputs) -> Chart | None:
    """Stalking Protection Order applications, grants and breaches by quarter for the CPS Area(s) of the force."""
    return _spo_chart(inputs, "spo-cps-area", inputs.settings.cps_areas_of(inputs.filters.force))


# ---- key figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    """One headline number: the latest year ending, its change on the year before, and a sentence."""

    label: str
    value: str
    delta: str | int | None  # the change on the year before; 0 for none
    delta_color: str  # "normal": up is good; "inverse": up is bad; "off": no good direction
    help: str
    sentence: str


def _year_ending(quarters: pd.DataFrame, column: str) -> metrics.YearEndingComparison | None:
    """The latest year ending of ``column`` against the one before, from quarterly rows with ``period_start``."""
    if quarters.empty:
        return None
    series = pd.DataFrame(
        {"period_start": [pd.Timestamp(s).date() for s in quarters["period_start"]], "count": quarters[column]}
    )
    return metrics.compare_year_ending(series, 3)


def _share_pair(quarters: pd.DataFrame, numerator: str, base: str) -> tuple[float | None, float | None, dt.date | None]:
    """(latest year-ending share, previous, end date) as fractions; None on a missing year or a small base."""
    top, bottom = _year_ending(quarters, numerator), _year_ending(quarters, base)
    if top is None or bottom is None:
        return None, None, None

    def share(n: int | None, d: int | None) -> float | None:
        return None if n is None or d is None or d < MIN_BASE else n / d

    return share(top.current, bottom.current), share(top.previous, bottom.previous), bottom.end


def _points(now: float | None, before: float | None) -> str | int | None:
    """The change in percentage points, signed; the number 0 when it rounds to none (shown grey, no arrow)."""
    if now is None or before is None:
        return None
    change = round(100 * (now - before), 1)
    return 0 if change == 0 else f"{change:+.1f} percentage points"


def _share_value(share: float | None) -> str:
    return "no figure" if share is None else f"{100 * share:.1f}%"


def _outcome_share_sentence(what: str, share, previous, period: str, outcome_count: str) -> str:
    """As :func:`messages.share_sentence`, worded for the count in use."""
    if outcome_count == "recorded":
        return share_sentence(what, share, previous, period)
    if share is None:
        return f"Too few offences recorded in the {period} have outcomes yet to give a share of {what}."
    text = f"{share:.0%} of the outcomes so far of offences recorded in the {period} were {what}"
    return text + share_change(share, previous)


def outcome_key_figures(inputs: Inputs) -> list[KeyFigure]:
    """Charge rate, victim-does-not-support share and outcomes for the latest year ending; the latest backlog."""
    settings, filters = inputs.settings, inputs.filters
    column = count_column(filters)
    rows = outcome_rows(inputs, (filters.force,))
    totals = outcome_totals(rows, settings, column, by=["period_start"])
    if totals.empty:
        return []
    quarters = _in_period(_contiguous(totals, ["charged", VICTIM_GROUP, "assigned"]), filters)
    used = count_used(settings, column)
    figures = []
    charge, charge_before, end = _share_pair(quarters, "charged", "assigned")
    period = metrics.year_ending_label(end) if end else "latest year"
    figures.append(
        KeyFigure(
            "Charge rate",
            _share_value(charge),
            _points(charge, charge_before),
            "normal",
            f"Charged or summonsed as a share of assigned outcomes, {period}. {used}.",
            _outcome_share_sentence("charges or summonses", charge, charge_before, period, filters.outcome_count),
        )
    )
    victim, victim_before, _ = _share_pair(quarters, VICTIM_GROUP, "assigned")
    figures.append(
        KeyFigure(
            "Victim does not support",
            _share_value(victim),
            _points(victim, victim_before),
            "inverse",
            f"Outcome types 14 and 16 as a share of assigned outcomes, {period}. {used}.",
            _outcome_share_sentence(
                "closed because the victim did not support action", victim, victim_before, period, filters.outcome_count
            ),
        )
    )
    assigned = _year_ending(quarters, "assigned")
    figures.append(
        KeyFigure(
            "Outcomes assigned" if filters.outcome_count == "recorded" else "Outcomes so far",
            metrics.format_count(assigned.current) if assigned else "no figure",
            _percent_delta(assigned),
            "off",
            f"All assigned outcomes (not type 0), {period}. {used}.",
            "",
        )
    )
    backlog = _in_period(backlog_totals(rows, settings), filters)
    if not backlog.empty:
        latest = backlog.iloc[-1]
        figures.append(
            KeyFigure(
                "Awaiting an outcome",
                f"{latest['not_yet_assigned']:,}",
                None,
                "off",
                f"Offences recorded in {quarter_label(latest['period_start'])} still awaiting an outcome (type 0, "
                "not an outcome). Count used: Force outcomes for offences recorded in quarter.",
                "",
            )
        )
    return figures


def _percent_delta(comparison: metrics.YearEndingComparison | None) -> str | int | None:
    """The percentage change, signed; the number 0 when there is no change (shown grey, no arrow)."""
    if comparison is None or comparison.percent_change is None:
        return None
    return 0 if comparison.change == 0 else metrics.format_percent_change(comparison.percent_change)


def change_sentence(subject: str, comparison: metrics.YearEndingComparison | None) -> str:
    """'Prosecutions completed in Devon and Cornwall rose 9% to 1,020 in the year ending June 2026 (from 936).'"""
    if comparison is None or comparison.current is None:
        return f"There is not yet a full year of figures on {subject[:1].lower()}{subject[1:]}."
    period = metrics.year_ending_label(comparison.end)
    current = f"{comparison.current:,}"
    if comparison.previous is None:
        return f"{subject} numbered {current} in the {period}; there is no earlier full year to compare with."
    change = comparison.change or 0
    if change == 0:
        return f"{subject} were unchanged at {current} in the {period}."
    direction = "rose" if change > 0 else "fell"
    percent = comparison.percent_change
    if percent is None:
        return f"{subject} {direction} to {current} in the {period}, from none the year before."
    by = f"by {abs(change):,}" if abs(percent) < 0.5 else f"{abs(percent):.0f}%"
    return f"{subject} {direction} {by} to {current} in the {period} (from {comparison.previous:,})."


def key_figures_area(inputs: Inputs) -> str | None:
    """The area the prosecutions key figures describe: the force when its return is loaded, else its CPS Area."""
    if inputs.prosecutions.empty:
        return None
    loaded = set(inputs.prosecutions["area"])
    for area in (inputs.filters.force, *inputs.settings.cps_areas_of(inputs.filters.force)):
        if area in loaded:
            return area
    return None


def prosecution_key_figures(inputs: Inputs) -> list[KeyFigure]:
    """Prosecutions, convictions, conviction rate, full orders and breaches: latest year ending against the previous."""
    settings = inputs.settings
    area = key_figures_area(inputs)
    if area is None:
        return []
    rows = _in_period(return_quarters(inputs.prosecutions, area), inputs.filters)
    if rows.empty:
        return []
    wide = rows.pivot_table(index="period_start", columns="measure", values="value", aggfunc="sum").reset_index()
    wide = _contiguous(wide, [c for c in wide.columns if c != "period_start"])
    labels = {m.key: m.label for m in settings.prosecution_measures}
    where = area if area == inputs.filters.force else cps_area_label(settings, area)
    figures = []
    for key in (PROSECUTIONS, CONVICTIONS, SPO_FULL, SPO_BREACHES):
        if key not in wide or wide[key].notna().sum() == 0:
            continue
        comparison = _year_ending(wide.dropna(subset=[key]) if key.startswith("spo") else wide, key)
        figures.append(
            KeyFigure(
                labels.get(key, key),
                metrics.format_count(comparison.current) if comparison else "no figure",
                _percent_delta(comparison),
                "off",
                f"{where}, {metrics.year_ending_label(comparison.end) if comparison else 'latest year'}.",
                change_sentence(f"{labels.get(key, key)} in {area}", comparison),
            )
        )
        if key == CONVICTIONS and PROSECUTIONS in wide:
            rate, before, end = _share_pair(wide, CONVICTIONS, PROSECUTIONS)
            period = metrics.year_ending_label(end) if end else "latest year"
            figures.append(
                KeyFigure(
                    "Conviction rate",
                    _share_value(rate),
                    _points(rate, before),
                    "normal",
                    f"Convictions as a share of prosecutions completed, {where}, {period}.",
                    _conviction_sentence(area, rate, before, period),
                )
            )
    return figures


def _conviction_sentence(area: str, rate: float | None, before: float | None, period: str) -> str:
    if rate is None:
        return f"No conviction rate can be given for {area} in the {period}: too few prosecutions completed."
    text = f"{rate:.0%} of prosecutions completed in {area} in the {period} ended in a conviction"
    return text + share_change(rate, before)
