"""Places charts for the catalogue: rates by community safety partnership, and by police force area nationally.

Pure Plotly: no Streamlit. Drawn as labelled bars, not a map: no boundaries are shipped with the
project yet, and tiles would need the network. Every bar carries its value as text, the force's and
England and Wales's rates are reference lines with their own dash and label, and the home force's
bar has its own fill pattern, so colour is never the only cue.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import base as charts
from dashboard.charts.base import ChartText
from dashboard.charts.catalogue import Chart, Inputs, register
from dashboard.charts.recorded import PLOT_HEIGHT, _sized, _wrapped
from dashboard.figures import measures, rates, spc, trends
from dashboard.outputs.suppression import SPEC_KEY, Spec
from dashboard.words import places as place_words
from dashboard.words import readings
from data_loaders.periods import year_ending_label

SECTION = "Places"
CSP_SOURCE = "Home Office police recorded crime (CSP edition); ONS mid-year estimates by local authority"
COUNT_SOURCE = "Home Office police recorded crime (community safety partnership edition)"
FORCE_SOURCE = "Home Office police recorded crime; ONS mid-year population estimates"
TABLE_COLUMNS = ["csp", "count", "previous", "change", "percent_change", "population", "population_year", "rate"]


def _reference(figure: go.Figure, value: float | None, label: str, dash: str, *, vertical: bool) -> None:
    """A labelled reference line at ``value`` across the bars."""
    if value is None:
        return
    text = f"{label}: {value:,.2f}"
    if vertical:
        figure.add_vline(x=value, line=dict(color=charts.TEXT, dash=dash, width=2))
        figure.add_annotation(x=value, y=1, yref="paper", text=text, showarrow=False, yanchor="bottom", xanchor="left")
    else:
        figure.add_hline(y=value, line=dict(color=charts.TEXT, dash=dash, width=2))
        figure.add_annotation(x=1, xref="paper", y=value, text=text, showarrow=False, xanchor="right", yanchor="bottom")


def _text(inputs: Inputs, title: str, subtitle: str, source: str) -> ChartText:
    return ChartText(title=title, subtitle=subtitle, source=f"Source: {source}", data_as_at=inputs.data_as_at)


@register("places-rates", "Places: rate per 1,000 by community safety partnership", section=SECTION)
def places_rates(inputs: Inputs) -> Chart | None:
    """Each of the home force's partnerships' rate per 1,000 for the latest year ending, beside the force and England and Wales."""
    table = measures.places(inputs)
    if table is None or table.rated().empty:
        return None
    name = trends.lower_first(
        trends.subject(inputs.settings, trends.selection(inputs.settings, inputs.filters.categories))
    )
    period = year_ending_label(table.end)
    rated = table.rated()
    figure = go.Figure(
        go.Bar(
            x=rated["csp"],
            y=rated["rate"],
            text=[f"{v:,.2f}" for v in rated["rate"]],
            textposition="outside",
            marker=dict(color=charts.PALETTE[0]),
            name="Rate per 1,000",
            hovertemplate="%{x}: %{y:,.2f} per 1,000<extra></extra>",
            showlegend=False,
        )
    )
    _reference(figure, table.force_rate, table.force, "dash", vertical=False)
    _reference(figure, table.national_rate, rates.NATIONAL, "dot", vertical=False)
    figure.update_yaxes(title_text="Offences per 1,000 people")
    # Long names on two lines rather than tilted; the bars keep the names themselves, as the data does.
    figure.update_xaxes(
        tickvals=list(rated["csp"]), ticktext=[_wrapped(c, 9) for c in rated["csp"]], tickangle=0, tickfont_size=13
    )
    text = _text(
        inputs,
        f"Recorded {name} per 1,000 people by community safety partnership, {table.force}",
        f"{period[:1].upper()}{period[1:]}, highest first; dashed line {table.force}, dotted line {rates.NATIONAL}",
        CSP_SOURCE,
    )
    figure = _sized(charts._frame(figure, text))
    figure.update_layout(margin_b=(figure.layout.margin.b or 110) + 40, height=figure.layout.height + 40)
    data = table.frame[TABLE_COLUMNS].copy()
    # Partnerships add up to the force: small counts and the figures that would give them away are hidden outside.
    data.attrs[SPEC_KEY] = Spec(
        area="csp",
        counts=("count", "previous", "change"),
        rates={"rate": ("count", "population"), "percent_change": ("change", "previous")},
        x="csp",
        y="rate",
    )
    listed = "; ".join(f"{row.csp} {row.rate:,.2f}" for row in rated.itertuples())
    alt = (
        f"Bar chart of recorded {name} per 1,000 people in the {period} by community safety partnership in "
        f"{table.force}, highest first: {listed}. {place_words.summary(table)[1]}"
    )
    return Chart(
        "places-rates",
        figure,
        text,
        data,
        alt,
        reading=place_words.summary(table)[0],
        notes=place_words.notes(table),
    )


@register("places-forces", "Places: rate per 1,000 by police force area", section=SECTION)
def places_forces(inputs: Inputs) -> Chart | None:
    """Every police force area's rate per 1,000 for the latest year ending, the home force marked, England and Wales as a line."""
    settings = inputs.settings
    codes = trends.codes_for(settings, trends.selection(settings, inputs.filters.categories))
    territorial = list(settings.territorial_forces)
    areas = [*territorial, rates.NATIONAL]
    found = rates.year_ending_rates(inputs.recorded, inputs.population, settings, areas, codes, inputs.published)
    latest = found.latest()
    forces = latest[(latest["area"] != rates.NATIONAL) & latest["rate"].notna()].sort_values("rate")
    if forces.empty:
        return None
    end = pd.Timestamp(forces["period_end"].iloc[0]).date()
    national = latest.loc[latest["area"] == rates.NATIONAL, "rate"]
    national_rate = float(national.iloc[0]) if len(national) and pd.notna(national.iloc[0]) else None
    home = settings.home_force
    is_home = [area == home for area in forces["area"]]
    figure = go.Figure(
        go.Bar(
            x=forces["rate"],
            y=[f"<b>{a}</b>" if h else a for a, h in zip(forces["area"], is_home, strict=True)],
            orientation="h",
            text=[f"{v:,.2f}" for v in forces["rate"]],
            textposition="outside",
            marker=dict(
                color=[charts.PALETTE[1] if h else charts.PALETTE[0] for h in is_home],
                pattern=dict(shape=["/" if h else "" for h in is_home], fgcolor="#FFFFFF", fillmode="overlay"),
            ),
            hovertemplate="%{y}: %{x:,.2f} per 1,000<extra></extra>",
            showlegend=False,
        )
    )
    _reference(figure, national_rate, rates.NATIONAL, "dot", vertical=True)
    name = trends.lower_first(trends.subject(settings, trends.selection(settings, inputs.filters.categories)))
    period = year_ending_label(end)
    text = _text(
        inputs,
        f"Recorded {name} per 1,000 people by police force area",
        f"{period[:1].upper()}{period[1:]}; {home} hatched and in bold; dotted line {rates.NATIONAL}",
        FORCE_SOURCE,
    )
    figure.update_xaxes(title_text="Offences per 1,000 people", range=[0, float(forces["rate"].max()) * 1.15])
    figure = _sized(charts._frame(figure, text))
    bars = 22 * len(forces)  # pixels: one readable row a force
    # The force names make a wide left margin: the title starts at the left of the figure, not of the plot.
    figure.update_layout(height=figure.layout.height + bars - PLOT_HEIGHT, title_xref="container", title_x=0.01)
    rank = (
        1 + list(forces.sort_values("rate", ascending=False)["area"]).index(home)
        if home in set(forces["area"])
        else None
    )
    data = forces[["area", "year_ending", "population", "population_year", "rate"]].rename(columns={"area": "force"})
    reading = (
        f"{home} is {rank}{_ordinal(rank)} highest of {len(forces)} police force areas in the {period}."
        if rank
        else f"{home} has no rate for the {period}."
    )
    alt = (
        f"Bar chart of recorded {name} per 1,000 people by police force area in the {period}, lowest to highest: "
        + "; ".join(f"{r.area} {r.rate:,.2f}" for r in forces.itertuples())
        + (f". {rates.NATIONAL}: {national_rate:,.2f}." if national_rate is not None else ".")
    )
    notes = rates.national_notes(found, end)
    return Chart("places-forces", figure, text, data.reset_index(drop=True), alt, reading=reading, notes=notes)


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def csp_spc(inputs: Inputs, csp: str) -> Chart | None:
    """An XmR chart of one partnership's quarterly counts, limits rebased at the series breaks."""
    from dashboard.figures import places as place_figures

    settings = inputs.settings
    codes = trends.codes_for(settings, trends.selection(settings, inputs.filters.categories))
    series = place_figures.series(inputs.places, settings.home_force, codes, csp)
    control = trends.control(series, settings.series_breaks) if len(series) else None
    if control is None:
        return None
    name = trends.lower_first(trends.subject(settings, trends.selection(settings, inputs.filters.categories)))
    text = _text(
        inputs,
        f"Recorded {name} in {csp}, quarterly",
        "Offences recorded each quarter, with the average and the range expected by chance",
        COUNT_SOURCE,
    )
    figure = _sized(
        charts.spc_chart(control.frame, control.starts, text, value_label="Offences recorded", markers=inputs.markers)
    )
    frame = control.frame
    data = pd.DataFrame(
        {
            "csp": csp,
            "period_start": control.starts,
            "count": frame["value"].to_numpy(),
            "mean": frame["mean"].to_numpy(),
        }
    )
    data.attrs[SPEC_KEY] = Spec(area="csp", counts=("count",), keys=("period_start",), x="period_start", y="count")
    reading = readings.variation(f"recorded {name} in {csp}", frame, "neutral", plural=True)
    alt = f"Chart of quarterly recorded {name} in {csp}: {reading}"
    return Chart("places-spc", figure, text, data, alt, reading=reading, technical=spc.describe(frame, "neutral"))
