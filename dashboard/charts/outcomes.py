"""Outcome charts for the catalogue: the outcome mix, the charge rate, victims not supporting action, the backlog.

Pure (no Streamlit): builders over :class:`dashboard.charts.catalogue.Inputs`, so the pages, exports and
packs draw the same figures. Every outcomes chart names the count column it uses.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from dashboard.charts import base as charts
from dashboard.charts.base import ChartText
from dashboard.charts.catalogue import Chart, Inputs, register
from dashboard.charts.frames import bars_on_time_axis, figures_table, finish, period_hover
from dashboard.charts.peers import range_chart
from dashboard.figures import measures
from dashboard.figures import outcomes as outcome_figures
from dashboard.words import outcomes as outcome_words
from dashboard.words import readings
from data_loaders import periods
from data_loaders.sources import outcomes as outcome_table

OUTCOMES_SECTION = "Outcomes"

OUTCOMES_SOURCE = "Source: Home Office crime outcomes open data"

# A seventh colour for the outcome mix (the palette has six): GOV.UK mid-grey, with a dark pattern.
SEVENTH_COLOUR = "#B1B4B6"


def _text(inputs: Inputs, title: str, subtitle: str, source: str = OUTCOMES_SOURCE) -> ChartText:
    return ChartText(title, subtitle, source, inputs.data_as_at)


@register("outcome-mix", "Outcome mix by outcome group", section=OUTCOMES_SECTION)
def outcome_mix(inputs: Inputs) -> Chart | None:
    """Shares of assigned outcomes by outcome group, stacked to 100% per period, for the chosen force."""
    settings, filters = inputs.settings, inputs.filters
    column = outcome_figures.count_column(filters)
    rows = outcome_figures.outcome_rows(inputs, (filters.force,))
    totals = outcome_figures.outcome_totals(rows, settings, column, by=["period_start"])
    counted = outcome_figures.counted_groups(settings)
    if totals.empty:
        return None
    periods = outcome_figures.by_granularity(totals, filters, [*counted, "assigned"])
    if periods.empty:
        return None
    minimum = settings.suppression.minimum_base
    small = periods.loc[periods["assigned"] < minimum, "period"].tolist()
    shown = periods[periods["assigned"] >= minimum]
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
        f"{outcome_figures.selection_label(settings, filters.categories)}. Share of assigned outcomes by outcome group. "
        f"{outcome_figures.granularity_words(filters)}.<br>{outcome_figures.count_used(settings, column)}.",
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
    figure = bars_on_time_axis(figure, text, inputs, long["x"], period_hover(filters))
    figure.update_layout(
        legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top", traceorder="reversed")
    )
    latest = long[long["x"] == long["x"].max()].sort_values("share", ascending=False)
    period = latest["period"].iloc[0]
    largest = latest.iloc[0]
    mix = "; ".join(f"{row.label} {row.share:.1f}%" for row in latest.itertuples())
    return Chart(
        key="outcome-mix",
        figure=figure,
        text=text,
        data=figures_table(
            long,
            {
                "period": "Period",
                "label": "Outcome group",
                "outcomes": "Outcomes",
                "assigned": "All assigned outcomes",
                "share": "Share (%)",
            },
        ),
        alt=(
            f"Stacked bar chart: shares of assigned outcomes by outcome group for {filters.force}, "
            f"{shown['period'].iloc[0]} to {period}. Latest ({period}): {mix}."
        ),
        reading=f"I{outcome_words.in_period_words(period)[1:]} the largest group was {largest.label.lower()} ({largest.share:.1f}% of outcomes).",
        notes=[
            *outcome_words.small_base_note(small, "mix", minimum),
            "Crimes still being investigated have no outcome yet: left out here and charted on their own.",
        ],
    )


@register("charge-rate-spc", "Charge rate: statistical process control", section=OUTCOMES_SECTION)
def charge_rate_spc(inputs: Inputs) -> Chart | None:
    """XmR chart of the quarterly charge/summons rate; limits recalculated at the rebasing breaks."""
    settings, filters = inputs.settings, inputs.filters
    reading = measures.charge_rate(inputs)
    if reading is None or reading.control is None:
        return None
    column, improvement = reading.measure.count_column, reading.measure.improvement
    control = reading.control
    # Every quarter of the period is in the table, a small base as a gap; the chart is of the quarters with a rate.
    starts = list(reading.quarters["period_start"])
    drawn = [pd.Timestamp(start) for start in control.starts]
    frame = control.frame.set_axis(drawn).reindex(starts)
    rates = reading.quarters.rename(columns={"percent": "rate", "denominator": "assigned"})
    rebase = [starts.index(pd.Timestamp(start)) for start, _ in control.rebased_at]
    text = _text(
        inputs,
        f"Charge or summons rate: {filters.force}",
        f"{outcome_figures.selection_label(settings, filters.categories)}. Charged or summonsed as a share of assigned outcomes, "
        f"by quarter, with the range expected by chance.<br>{outcome_figures.count_used(settings, column)}.",
    )
    target = reading.measure.target
    target_text = f"{target:g}%" if target is not None else ""
    figure = charts.spc_chart(
        control.frame.set_axis(drawn),
        drawn,
        text,
        value_label="Charge rate (%)",
        markers=inputs.markers,
        target=target,
        target_label=f"Target ({target_text})",
    )
    words, technical = readings.share_reading(
        readings.SHARE_SUBJECTS[reading.measure.key], control.frame, improvement, target
    )
    small = [
        periods.quarter_label(s)
        for s, r, b in zip(starts, rates["rate"], rates["assigned"], strict=True)
        if pd.isna(r) and b > 0
    ]
    notes = outcome_words.small_base_note(small, "rate", reading.measure.minimum_base)
    if rebase:
        where = ", ".join(periods.quarter_label(starts[p]) for p in rebase)
        notes.append(f"The usual range is worked out again from {where}, after the series breaks marked on the chart.")
    notes.append(
        "A higher charge rate is treated as improvement; the chart uses quarterly rates, never rolling totals."
    )
    shown = frame.dropna(subset=["value"])
    data = pd.DataFrame(
        {
            "Quarter": [periods.quarter_label(s) for s in starts],
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
        figure=finish(figure),
        text=text,
        data=data,
        alt=(
            f"Statistical process control chart of the quarterly charge rate for {filters.force}, "
            f"{periods.quarter_label(shown.index[0])} to {periods.quarter_label(shown.index[-1])}. Latest {latest['value']:.1f}% "
            f"against a mean of {latest['mean']:.1f}%. {words}"
        ),
        reading=words,
        notes=notes,
        technical=technical,
    )


def _comparison(
    inputs: Inputs, key: str, what: str, noun: str, numerator: Callable[[pd.DataFrame], pd.Series], description: str
) -> Chart | None:
    """A share of assigned outcomes for the force, England and Wales and the peers, as lines."""
    settings, filters = inputs.settings, inputs.filters
    column = outcome_figures.count_column(filters)
    totals = outcome_figures.area_totals(inputs)
    if totals.empty or filters.force not in set(totals["area"]):
        return None
    totals = totals.assign(numerator=numerator(totals))
    periods = outcome_figures.by_granularity(totals, filters, ["numerator", "assigned"], series="area")
    if periods.empty:
        return None
    periods["rate"] = outcome_figures.percent_of(
        periods["numerator"], periods["assigned"], settings.suppression.minimum_base
    ).round(1)
    small = periods.loc[periods["rate"].isna() & (periods["assigned"] > 0)]
    notes = outcome_words.small_base_note(
        [f"{r.area} {r.period}" for r in small.itertuples()], "rate", settings.suppression.minimum_base
    )
    notes.append(
        f"{outcome_figures.ENGLAND_AND_WALES}: the {len(settings.territorial_forces)} territorial police forces together "
        "(British Transport Police and national bodies left out)."
    )
    national = outcome_figures.ENGLAND_AND_WALES
    chosen_peers = [p for p in filters.peers if p != filters.force]
    drawn = set(periods.dropna(subset=["rate"])["area"])
    peers = [p for p in chosen_peers if p in drawn]
    missing = [p for p in chosen_peers if p not in drawn]
    if missing:
        notes.append(
            f"No {noun} for {', '.join(missing)}: no outcomes loaded for the period, so left out of the range."
        )
    order = [filters.force, *([national] if national in drawn else []), *peers]
    periods = periods[periods["area"].isin(order)]
    periods["area"] = pd.Categorical(periods["area"], categories=order, ordered=True)
    periods = periods.sort_values(["area", "x"])
    periods["area"] = periods["area"].astype(str)
    against = [*(["its peer forces"] if peers else []), *(["England and Wales"] if national in drawn else [])]
    band = (
        f" The shaded band runs from the lowest to the highest of the peer forces ({', '.join(peers)})."
        if peers
        else ""
    )
    text = _text(
        inputs,
        f"{what}: {filters.force}" + (f" against {' and '.join(against)}" if against else ""),
        f"{outcome_figures.selection_label(settings, filters.categories)}. {description} {outcome_figures.granularity_words(filters)}."
        f"{band}<br>{outcome_figures.count_used(settings, column)}.",
    )
    figure = range_chart(
        periods, x="x", y="rate", area="area", home=filters.force, national=national, text=text,
        y_label=f"{what} (%)", markers=inputs.markers,
    )  # fmt: skip
    latest_x = periods.loc[periods["area"] == filters.force, "x"].max()
    latest = periods[periods["x"] == latest_x].set_index("area")
    period = latest["period"].iloc[0]
    own, country = latest["rate"].get(filters.force), latest["rate"].get(outcome_figures.ENGLAND_AND_WALES)
    reading = outcome_words.compare_sentence(noun, filters.force, own, country, period)
    values = "; ".join(f"{area} {outcome_words.percent_words(rate)}" for area, rate in latest["rate"].items())
    names = {
        "area": "Area",
        "period": "Period",
        "numerator": what,
        "assigned": "All assigned outcomes",
        "rate": f"{what} (%)",
    }
    return Chart(
        key=key,
        figure=finish(figure, period_hover(filters)),
        text=text,
        data=figures_table(periods, names),
        alt=(
            f"Line chart of the {noun} for {filters.force}"
            + (f" and {national}" if national in drawn else "")
            + (f", with a band from the lowest to the highest of its peer forces ({', '.join(peers)})" if peers else "")
            + f". Latest ({period}): {values}."
        ),
        reading=reading,
        notes=notes,
    )


# The shares drawn for the force, England and Wales and the chosen peers: key, catalogue title, then the arguments
# of ``_comparison`` (the share's name in a title and in a sentence, the outcomes it counts, its description).
COMPARISONS = (
    (
        "charge-rate-comparison",
        "Charge rate compared with England and Wales",
        ("Charge rate", "charge rate", lambda t: t["charged"], "Charged or summonsed as a share of assigned outcomes."),
    ),
    (
        "victim-does-not-support",
        "Victim does not support action",
        (
            "Victim does not support action",
            "share of outcomes where the victim did not support action",
            lambda t: t[outcome_figures.VICTIM_GROUP],  # outcome types 14 and 16
            "Outcomes where the victim did not support action (evidential difficulties), as a share of assigned "
            "outcomes.",
        ),
    ),
)


def _compared(key: str, words: tuple) -> Callable[[Inputs], Chart | None]:
    def build(inputs: Inputs) -> Chart | None:
        return _comparison(inputs, key, *words)

    return build


for _key, _title, _words in COMPARISONS:
    register(_key, _title, section=OUTCOMES_SECTION)(_compared(_key, _words))


@register("outcomes-not-yet-assigned", "Offences not yet assigned an outcome", section=OUTCOMES_SECTION)
def not_yet_assigned(inputs: Inputs) -> Chart | None:
    """The type 0 backlog by quarter of recording: offences still awaiting an outcome (not an outcome)."""
    settings, filters = inputs.settings, inputs.filters
    rows = outcome_figures.outcome_rows(inputs, (filters.force,))
    if rows.empty:
        return None
    backlog = outcome_figures.in_period(outcome_figures.backlog_totals(rows, settings), filters)
    if backlog.empty:
        return None
    backlog["period"] = [periods.quarter_label(s) for s in backlog["period_start"]]
    backlog["share"] = outcome_figures.percent_of(
        backlog["not_yet_assigned"], backlog["all"], settings.suppression.minimum_base
    ).round(1)
    column = outcome_table.FOR_OFFENCES_RECORDED
    text = _text(
        inputs,
        f"Offences not yet assigned an outcome: {filters.force}",
        f"{outcome_figures.selection_label(settings, filters.categories)}. Crimes still being investigated, by quarter "
        "recorded: not an outcome, in no outcome total or rate.<br>"
        f"{outcome_figures.count_used(settings, column)} (the only count that shows them, whichever count is chosen).",
    )
    figure = charts.bar_chart(
        backlog, x="period_start", y="not_yet_assigned", text=text, y_label="Offences awaiting an outcome"
    )
    figure = bars_on_time_axis(figure, text, inputs, backlog["period_start"])
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
    names = {
        "period": "Quarter recorded",
        "not_yet_assigned": "Not yet assigned an outcome",
        "all": "All offences in this count",
        "share": "Share (%)",
    }
    return Chart(
        key="outcomes-not-yet-assigned",
        figure=figure,
        text=text,
        data=figures_table(backlog, names),
        alt=(
            f"Bar chart of offences recorded in {filters.force} not yet assigned an outcome, by quarter of recording, "
            f"{backlog['period'].iloc[0]} to {latest['period']}. Latest: {latest['not_yet_assigned']:,}."
        ),
        reading=reading,
    )
