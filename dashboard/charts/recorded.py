"""Recorded-crime charts for the catalogue: SPC of counts, year-ending totals, rates against other forces, codes.

Pure (no Streamlit). Each builder charts the force and categories in ``inputs.filters`` (all the
total's categories when none is chosen), so a page draws one chart per category by passing filters
with that one category. Every chart says its source, its data as at, and draws the series breaks and
local events on its time axis.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from dashboard.charts import base as charts
from dashboard.charts.base import ChartText
from dashboard.charts.catalogue import Chart, Inputs, register
from dashboard.figures import measures, overview, rates, spc, trends
from dashboard.figures.metrics import format_count, format_percent_change
from dashboard.words import messages, readings
from data_loaders import periods
from data_loaders.periods import year_ending_label

SECTION = "Recorded crime"
POPULATION_SOURCE = "ONS mid-year population estimates"
SIGNALS = {
    "Common Cause": "",
    "Above UCL": "Above the upper process limit",
    "Below LCL": "Below the lower process limit",
    "7 Point Trend (Increasing)": "Run of 7 or more rising points",
    "7 Point Trend (Decreasing)": "Run of 7 or more falling points",
    "2 in 3 Above CL": "2 of 3 points near the upper limit",
    "2 in 3 Below CL": "2 of 3 points near the lower limit",
    "7 Points Above CL": "Run of 7 or more points above the mean",
    "7 Points Below CL": "Run of 7 or more points below the mean",
}


def _number(value: float, rate: bool) -> str:
    return f"{value:,.2f}" if rate else format_count(value)


def _selection(inputs: Inputs) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    categories = trends.selection(inputs.settings, inputs.filters.categories)
    return categories, trends.codes_for(inputs.settings, categories), trends.subject(inputs.settings, categories)


PLOT_HEIGHT = 340  # pixels for the plotting area itself, whatever the footer's length


LEGEND_ROW = 26  # pixels a second row of legend entries needs
TITLE_WIDTH, TITLE_LINE = 72, 26  # characters of the title that fit a chart on a 1366-pixel screen; pixels a line
SUBTITLE_WIDTH, SUBTITLE_LINE = 100, 20


def _sized(figure, legend_rows: int = 1):
    """Tall enough that the plot keeps its height below the title, legend and a long footer of marked events.

    A legend of several rows grows upwards from the plot, so the top margin grows with it and the
    legend never runs into the subtitle.
    """
    margin = figure.layout.margin
    top = (margin.t or 150) + LEGEND_ROW * (legend_rows - 1)
    # Plotly never wraps a title: a long one is split over lines here, on the figure only (the chart's
    # words stay whole for exports and file names), and the top margin makes room for the extra lines.
    title = _wrapped(figure.layout.title.text or "", TITLE_WIDTH)
    subtitle = _wrapped(figure.layout.title.subtitle.text or "", SUBTITLE_WIDTH)
    top += TITLE_LINE * title.count("<br>") + SUBTITLE_LINE * subtitle.count("<br>")
    figure.update_layout(
        title_text=title, title_subtitle_text=subtitle, margin_t=top, height=int(top + PLOT_HEIGHT + (margin.b or 110))
    )
    return figure


def _wrapped(name: str, width: int = 14) -> str:
    """A long axis label split over lines at spaces, so that bar labels need not be tilted."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + len(word) < width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _text(title: str, subtitle: str, source: str, inputs: Inputs) -> ChartText:
    return ChartText(title=title, subtitle=subtitle, source=f"Source: {source}", data_as_at=inputs.data_as_at)


@register("recorded-spc", "Recorded offences: SPC chart of monthly or quarterly counts", section=SECTION)
def recorded_spc(inputs: Inputs) -> Chart | None:
    """XmR chart of monthly (where a monthly extract is loaded) or quarterly counts, limits rebased at breaks."""
    chosen, settings = inputs.filters, inputs.settings
    months = measures.spc_months(inputs.recorded, chosen.force, chosen.granularity)
    if months is None:
        return None
    _, codes, name = _selection(inputs)
    series = trends.in_period(trends.counts(inputs.recorded, chosen.force, codes, months), chosen.start, chosen.end)
    control = trends.control(series, settings.series_breaks)
    if control is None:
        return None
    frame, starts = control.frame, control.starts
    word = trends.PERIOD_WORDS[months]
    unit = "month" if months == trends.MONTHLY else "quarter"
    subject = trends.lower_first(name)
    source = trends.source_name(inputs.recorded, chosen.force, months)
    text = _text(
        f"Recorded {subject} in {chosen.force}, {word}",
        f"Offences recorded each {unit}, with the average and the range expected by chance",
        source,
        inputs,
    )
    figure = _sized(charts.spc_chart(frame, starts, text, value_label="Offences recorded", markers=inputs.markers))
    reading = readings.variation(f"recorded {subject} offences", frame, "neutral", months, plural=True)
    observed = frame[frame["value"].notna()]
    last = observed.iloc[-1]
    segment_start, _ = control.segment_start
    alt = (
        f"Chart of {word} recorded {subject} in {chosen.force} from {trends.period_label(starts[0], months)} to "
        f"{trends.period_label(starts[-1], months)}: {format_count(last['value'])} in {trends.period_label(starts[-1], months)}; "
        f"average {format_count(last['mean'])} since {trends.period_label(segment_start, months)}. {reading}"
    )
    notes = []
    if control.rebased_at:
        listed = "; ".join(f"{start:%B %Y} ({label})" for start, label in control.rebased_at)
        notes.append(f"The usual range is worked out again from each series break: {listed}.")
    if chosen.granularity == "month" and months == trends.QUARTERLY:
        notes.append(f"No monthly extract is loaded for {chosen.force}: the chart shows quarters.")
    if chosen.granularity == "year_ending":
        notes.append(
            "Rolling 12-month totals never go on an SPC chart (each overlaps the one before), so this chart shows "
            f"the {word} counts."
        )
    if chosen.measure == "rate":
        notes.append(
            "SPC charts show counts: a rate per 1,000 would move only when the yearly population estimate changes."
        )
    data = pd.DataFrame(
        {
            f"{unit.capitalize()} starting": starts,
            "Offences recorded": frame["value"].to_numpy(),
            "Mean": frame["mean"].round(1).to_numpy(),
            "Lower process limit": frame["lpl"].round(1).to_numpy(),
            "Upper process limit": frame["upl"].round(1).to_numpy(),
            "Signal": frame["special_cause_type"].map(SIGNALS).fillna("").to_numpy(),
        }
    )
    return Chart("recorded-spc", figure, text, data, alt, reading, notes, spc.describe(frame, "neutral"))


def _year_ending_lines(inputs: Inputs, months: int) -> pd.DataFrame:
    """Rolling 12-month totals (or rates) for each chosen category and, when several are chosen, their sum."""
    chosen, settings = inputs.filters, inputs.settings
    categories = trends.selection(settings, chosen.categories)
    lines = [(c, trends.codes_for(settings, [c])) for c in categories]
    if len(categories) > 1:
        lines.insert(0, (trends.subject(settings, categories), trends.codes_for(settings, categories)))
    frames = []
    for label, codes in lines:
        totals = trends.year_ending(trends.counts(inputs.recorded, chosen.force, codes, months), months)
        totals = trends.in_period(totals, chosen.start, chosen.end)
        if chosen.measure == "rate":
            totals = rates.force_rates(totals, inputs.population, chosen.force, settings.population_lag_months)
        frames.append(totals.assign(series=label))
    return pd.concat(frames, ignore_index=True)


@register("recorded-year-ending", "Recorded offences: rolling 12-month totals", section=SECTION)
def recorded_year_ending(inputs: Inputs) -> Chart | None:
    """A line per category (and their sum) of rolling 12-month totals, as counts or rates per 1,000."""
    chosen = inputs.filters
    months = trends.months_for(inputs.recorded, chosen.force, "year_ending")
    if months is None:
        return None
    lines = _year_ending_lines(inputs, months)
    rate = chosen.measure == "rate"
    column = "rate" if rate else "year_ending"
    lines = lines.dropna(subset=[column])
    if lines.empty:
        return None
    every = "month" if months == trends.MONTHLY else "quarter"
    measure = "per 1,000 population" if rate else "offences"
    text = _text(
        f"Recorded offences in {chosen.force}: year ending each {every}",
        f"Rolling 12-month totals ({measure}): each point sums the 12 months to that {every}. Not an SPC chart",
        trends.source_name(inputs.recorded, chosen.force, months) + (f"; {POPULATION_SOURCE}" if rate else ""),
        inputs,
    )
    lines["period_end"] = [pd.Timestamp(end) for end in lines["period_end"]]
    figure = charts.line_chart(
        lines,
        x="period_end",
        y=column,
        series="series",
        text=text,
        y_label="Rate per 1,000 population" if rate else "Offences in the 12 months",
        highlight=lines["series"].iloc[0],
        markers=inputs.markers,
        y_format=",.2f" if rate else ",.0f",
    )
    _sized(figure, legend_rows=1 + (lines["series"].nunique() - 1) // 3)
    latest_end = lines["period_end"].max()
    latest = lines[lines["period_end"] == latest_end]
    parts = [f"{label} {_number(value, rate)}" for label, value in zip(latest["series"], latest[column], strict=True)]
    first = lines["period_end"].min()
    alt = (
        f"Line chart of rolling 12-month {'rates per 1,000 population' if rate else 'totals'} of recorded offences "
        f"in {chosen.force}, from the year ending {first:%B %Y} to the year ending {latest_end:%B %Y}. "
        f"In the {year_ending_label(latest_end.date())}: {'; '.join(parts)}."
    )
    notes = []
    if rate:
        notes.append(rates.method_note(inputs.settings.population_lag_months))
        newest = latest.iloc[0]
        notes.append(f"The {year_ending_label(latest_end.date())} uses the {rates.population_words(newest)}.")
    data = pd.DataFrame(
        {
            "Series": lines["series"],
            "Year ending": [d.date() for d in lines["period_end"]],
            "Offences in the 12 months": lines["year_ending"].astype(int),
        }
    )
    if rate:
        data["Rate per 1,000 population"] = lines["rate"].round(3).to_numpy()
        data["Population"] = lines["population"].round(0).astype("Int64").to_numpy()
        data["Population estimate (mid-year)"] = lines["population_year"].to_numpy()
    _, codes, name = _selection(inputs)
    found = measures.recorded(inputs, codes)
    reading = messages.change_sentence(name, found.comparison if found else None)
    return Chart("recorded-year-ending", figure, text, data, alt, reading, notes)


RATES_SOURCE = f"Home Office police recorded crime; {POPULATION_SOURCE}"


def _comparison_rates(inputs: Inputs) -> tuple[rates.Rates, str, tuple[str, ...]]:
    """Year-ending rates of the force, its peers and England and Wales; the subject in lower case; the peers."""
    chosen = inputs.filters
    _, codes, name = _selection(inputs)
    peers = tuple(p for p in chosen.peers if p != chosen.force)
    areas = [chosen.force, *peers, trends.NATIONAL]
    found = rates.year_ending_rates(inputs.recorded, inputs.population, inputs.settings, areas, codes, inputs.published)
    return found, trends.lower_first(name), peers


def _rates_in_period(frame: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    """The year endings whose last quarter starts in the chosen period."""
    frame = frame.assign(period_start=[periods.add_months(e.replace(day=1), -2) for e in frame["period_end"]])
    return trends.in_period(frame, inputs.filters.start, inputs.filters.end)


PEER_GROUP = "Peer forces combined"


def _with_peer_group(found: rates.Rates, peers: tuple[str, ...]) -> pd.DataFrame:
    """The rates frame plus one 'peer forces combined' row per year ending: their counts over their population."""
    frame = found.frame
    peer_rows = frame[frame["area"].isin(peers)].dropna(subset=["year_ending", "population"])
    if peer_rows.empty:
        return frame
    grouped = peer_rows.groupby("period_end", as_index=False).agg(
        year_ending=("year_ending", "sum"),
        population=("population", "sum"),
        population_year=("population_year", "min"),
        population_wanted=("population_wanted", "max"),
        forces=("area", "nunique"),
    )
    grouped = grouped[grouped["forces"] == len(peers)].drop(columns="forces")
    grouped["rate"] = 1000.0 * grouped["year_ending"] / grouped["population"]
    return pd.concat([frame, grouped.assign(area=PEER_GROUP)], ignore_index=True)


def _comparison_notes(found: rates.Rates, lag_months: int, end=None) -> list[str]:
    notes = [rates.method_note(lag_months), *rates.national_notes(found, end)]
    if found.incomplete:
        shown = ", ".join(f"{d:%B %Y}" for d in found.incomplete[:4]) + ("..." if len(found.incomplete) > 4 else "")
        notes.append(
            f"England and Wales has no total for the year endings that include a quarter with some forces' figures "
            f"missing ({shown})."
        )
    return notes


@register(
    "recorded-rate-comparison", "Recorded offences per 1,000 people: force, peers, England and Wales", section=SECTION
)
def recorded_rate_comparison(inputs: Inputs) -> Chart | None:
    """Year-ending rates per 1,000 over time for the force, its peers combined and England and Wales."""
    force = inputs.filters.force
    found, subject, peers = _comparison_rates(inputs)
    frame = _with_peer_group(found, peers)
    frame = frame[frame["area"].isin([force, PEER_GROUP, trends.NATIONAL])].dropna(subset=["rate"])
    frame = _rates_in_period(frame, inputs)
    if frame.empty or force not in set(frame["area"]):
        return None
    text = _text(
        f"Recorded {subject} per 1,000 people: {force} compared",
        "Year-ending totals per 1,000 population at each quarter end, with its peer forces combined and England "
        "and Wales",
        RATES_SOURCE,
        inputs,
    )
    drawn = frame.assign(period_end=[pd.Timestamp(e) for e in frame["period_end"]])
    figure = charts.line_chart(
        drawn,
        x="period_end",
        y="rate",
        series="area",
        text=text,
        y_label="Rate per 1,000 population",
        highlight=force,
        markers=inputs.markers,
        y_format=",.2f",
    )
    _sized(charts.mark_home(figure, force))
    end = frame["period_end"].max()
    latest = frame[frame["period_end"] == end]
    parts = [f"{area} {rate:.2f}" for area, rate in zip(latest["area"], latest["rate"], strict=True)]
    alt = (
        f"Line chart of recorded {subject} per 1,000 people in the 12 months to each quarter end, for "
        f"{force}, its peer forces combined and England and Wales, from the year ending "
        f"{frame['period_end'].min():%B %Y} to the {year_ending_label(end)}. Latest: {'; '.join(parts)}."
    )
    notes = _comparison_notes(found, inputs.settings.population_lag_months)
    if peers:
        notes.append(f"Peer forces combined: {', '.join(peers)} (their offences over their population).")
    own = frame[frame["area"] == force]
    newest = own[own["period_end"] == own["period_end"].max()].iloc[0]
    notes.append(
        f"{force}'s rate for the {year_ending_label(newest['period_end'])} uses the {rates.population_words(newest)}."
    )
    published = rates.published_note(found, force)
    if published:
        notes.append(published)
    data = _rates_data(frame)
    return Chart("recorded-rate-comparison", figure, text, data, alt, _rates_reading(latest, force), notes)


def _rates_data(frame: pd.DataFrame) -> pd.DataFrame:
    data = pd.DataFrame(
        {
            "Area": frame["area"].to_numpy(),
            "Year ending": list(frame["period_end"]),
            "Offences in the 12 months": frame["year_ending"].round(0).astype("Int64").to_numpy(),
            "Population": frame["population"].round(0).astype("Int64").to_numpy(),
            "Population estimate (mid-year)": frame["population_year"].astype("Int64").to_numpy(),
            "Rate per 1,000 population": frame["rate"].round(3).to_numpy(),
        }
    )
    if "published_rate" in frame and frame["published_rate"].notna().any():
        data["ONS published rate per 1,000"] = frame["published_rate"].round(3).to_numpy()
        data["ONS published offences"] = pd.array(frame["published_count"].tolist(), dtype="Int64")
    return data


@register(
    "recorded-rate-latest", "Recorded offences per 1,000 people in the latest year: force and peers", section=SECTION
)
def recorded_rate_latest(inputs: Inputs) -> Chart | None:
    """Bars of the latest year-ending rate per 1,000 for the force, each peer and England and Wales."""
    found, subject, peers = _comparison_rates(inputs)
    latest = rates.Rates(_rates_in_period(found.frame, inputs)).latest().dropna(subset=["rate"])
    force = inputs.filters.force
    if latest.empty or force not in set(latest["area"]):
        return None
    end = latest["period_end"].iloc[0]
    roles = {force: "This force", trends.NATIONAL: "England and Wales"}
    latest = latest.assign(role=[roles.get(a, "Peer force") for a in latest["area"]])
    latest = latest.sort_values("rate", ascending=False)
    order = [_wrapped(area) for area in latest["area"]]
    # Traces in a fixed order (this force, England and Wales, peers) keep each role's colour from chart to chart.
    drawn = latest.assign(label=order, _role=latest["role"].map({"This force": 0, "England and Wales": 1}).fillna(2))
    drawn = drawn.sort_values(["_role", "rate"], ascending=[True, False])
    text = _text(
        f"Recorded {subject} per 1,000 people, {year_ending_label(end)}",
        f"{force} against its peer forces and England and Wales "
        f"({rates.population_words(latest[latest['area'] == force].iloc[0])})",
        RATES_SOURCE,
        inputs,
    )
    figure = charts.bar_chart(
        drawn,
        x="label",
        y="rate",
        text=text,
        y_label="Rate per 1,000 population",
        series="role",
        barmode="relative",
        y_format=",.2f",
    )
    figure.update_xaxes(categoryorder="array", categoryarray=order)
    # Room above the tallest bar for its value, below the legend.
    figure.update_yaxes(range=[0, 1.15 * latest["rate"].max()])
    figure.update_traces(texttemplate="%{y:.2f}", textposition="outside", cliponaxis=False)
    _sized(charts.mark_home(figure, "This force"))
    position = list(latest["area"]).index(force) + 1
    parts = [f"{area} {rate:.2f}" for area, rate in zip(latest["area"], latest["rate"], strict=True)]
    alt = (
        f"Bar chart of recorded {subject} per 1,000 people in the {year_ending_label(end)}, highest first: "
        f"{'; '.join(parts)}. {force} is {position} of {len(latest)}."
    )
    notes = _comparison_notes(replace(found, incomplete=()), inputs.settings.population_lag_months, end)
    missing = [p for p in peers if p not in set(latest["area"])]
    if missing:
        notes.append(f"No rate for {', '.join(missing)}: figures or population not loaded for this year.")
    reading = _rates_reading(latest, force, tuple(p for p in peers if p != force))
    return Chart("recorded-rate-latest", figure, text, _rates_data(latest), alt, reading, notes)


@register(
    "recorded-by-code", "Recorded offences by offence code: latest year ending against the previous", section=SECTION
)
def recorded_by_code(inputs: Inputs) -> Chart | None:
    """Grouped bars per offence code: the latest year ending and the one before, with the table behind them."""
    chosen = inputs.filters
    months = trends.months_for(inputs.recorded, chosen.force, "year_ending")
    if months is None:
        return None
    _, codes, _ = _selection(inputs)
    recorded = inputs.recorded
    if chosen.end is not None:
        recorded = recorded[recorded["period_start"] <= pd.Timestamp(chosen.end)]
    table = trends.by_code(recorded, inputs.settings, chosen.force, codes, months)
    end = table.attrs.get("end")
    if table.empty or end is None:
        return None
    previous_end = periods.month_end(periods.add_months(end.replace(day=1), -12))
    now, before = f"Year ending {end:%B %Y}", f"Year ending {previous_end:%B %Y}"
    labels = [f"{code} {offence}" for code, offence in zip(table["offence_code"], table["offence"], strict=True)]
    wrapped = [_wrapped(label, 26) for label in labels]
    bars = pd.concat(
        [
            pd.DataFrame({"offence": wrapped, "count": table["previous"], "year": before}),
            pd.DataFrame({"offence": wrapped, "count": table["current"], "year": now}),
        ],
        ignore_index=True,
    ).dropna(subset=["count"])
    text = _text(
        f"Recorded offences in {chosen.force} by offence code",
        f"{now} against the year before",
        trends.source_name(inputs.recorded, chosen.force, months),
        inputs,
    )
    figure = charts.bar_chart(
        bars, x="offence", y="count", text=text, y_label="Offences in the 12 months", series="year"
    )
    _sized(figure)
    parts = [
        f"{label} {format_count(current)} ({format_percent_change(pct)})"
        for label, current, pct in zip(labels, table["current"], table["percent_change"], strict=True)
    ]
    alt = f"Bar chart of recorded offences in {chosen.force} by offence code, {year_ending_label(end)}: {'; '.join(parts)}."
    data = pd.DataFrame(
        {
            "Code": table["offence_code"],
            "Offence": table["offence"],
            "Category": table["category"],
            before: table["previous"],
            now: table["current"],
            "Change": table["change"],
            "Change (%)": table["percent_change"].round(1),
        }
    )
    return Chart("recorded-by-code", figure, text, data, alt, _by_code_reading(labels, table, end))


# ---- key messages: one plain sentence under each chart ---------------------------------------------


def _rates_reading(latest: pd.DataFrame, force: str, peers: tuple[str, ...] = ()) -> str:
    """'In the year ending March 2025, Devon and Cornwall recorded 8.6 offences per 1,000 people, below ...'."""
    by_area = dict(zip(latest["area"], latest["rate"], strict=True))
    end = latest["period_end"].max()
    sentence = messages.rate_sentence(force, by_area.get(force), "England and Wales", by_area.get(trends.NATIONAL))
    among = overview.peer_sentence(force, by_area.get(force), {p: by_area.get(p) for p in peers}) if peers else None
    return f"In the {year_ending_label(end)}, {sentence}" + (f" {among}" if among else "")


def _by_code_reading(labels: list[str], table: pd.DataFrame, end) -> str:
    """'In the year ending March 2025 the most offences were 8L Harassment (4,973, up 3% on the year before).'"""
    largest = int(table["current"].fillna(-1).to_numpy().argmax())
    change = table["percent_change"].iloc[largest]
    compared = "" if pd.isna(change) else f", {format_percent_change(change)} on the year before"
    return (
        f"In the {year_ending_label(end)} the most offences were {labels[largest]} "
        f"({format_count(table['current'].iloc[largest])}{compared})."
    )
