"""Places charts for the catalogue: rates by community safety partnership, and by police force area nationally.

Pure Plotly: no Streamlit. Each is drawn twice: as labelled bars, and as a map from the boundaries
shipped with the project (:mod:`dashboard.charts.maps`; no tiles, no network). Every bar carries its
value as text, the force's and England and Wales's rates are reference lines with their own dash and
label, and the home force's bar has its own fill pattern; on a map, each class of rates has its own
pattern as well as its shade, and the partnerships carry their rates as labels. So colour is never
the only cue. A partnership map's exports are drawn again from the protected figures (``redraw``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import base as charts
from dashboard.charts import maps
from dashboard.charts.base import ChartText
from dashboard.charts.catalogue import Chart, Inputs, register
from dashboard.charts.recorded import PLOT_HEIGHT, _sized, _wrapped
from dashboard.figures import measures, rates, spc, trends
from dashboard.outputs import suppression
from dashboard.outputs.suppression import SPEC_KEY, Spec
from dashboard.words import places as place_words
from dashboard.words import readings
from data_loaders import boundaries
from data_loaders import places as place_lookup
from data_loaders.periods import year_ending_label

SECTION = "Places"
CSP_SOURCE = "Home Office police recorded crime (CSP edition); ONS mid-year estimates by local authority"
COUNT_SOURCE = "Home Office police recorded crime (community safety partnership edition)"
FORCE_SOURCE = "Home Office police recorded crime; ONS mid-year population estimates"
TABLE_COLUMNS = ["csp", "count", "previous", "change", "percent_change", "population", "population_year", "rate"]
UNIT = "per 1,000"


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


def _partnership_data(table) -> pd.DataFrame:
    """The partnerships' figures behind a chart, with how they are protected when they leave the app."""
    data = table.frame[TABLE_COLUMNS].copy()
    # Partnerships add up to the force: small counts and the figures that would give them away are hidden outside.
    data.attrs[SPEC_KEY] = Spec(
        area="csp",
        counts=("count", "previous", "change"),
        rates={"rate": ("count", "population"), "percent_change": ("change", "previous")},
        x="csp",
        y="rate",
    )
    return data


def _told(lead: str, period: str, comparison: str, data: pd.DataFrame) -> tuple[str, str]:
    """The text alternative and the reading of a partnership chart, told from ``data`` as it is shown.

    ``data`` is the chart's or, on release, the protected one, whose withheld rates are ``[c]`` or
    ``[x]``: the words then name the marker, never the figure.
    """
    rows = data[~data["csp"].map(place_lookup.is_unassigned)]
    numeric = rows[[isinstance(v, int | float) and not pd.isna(v) for v in rows["rate"]]]
    numeric = numeric.assign(rate=numeric["rate"].astype(float)).sort_values("rate", ascending=False, kind="stable")
    withheld = rows[rows["rate"].isin([suppression.SUPPRESSED, suppression.LOW_BASE])]
    listed = [f"{row.csp} {row.rate:,.2f}" for row in numeric.itertuples()]
    listed += [f"{row.csp} {row.rate}" for row in withheld.itertuples()]
    reading = place_words.rate_range(period, numeric, len(withheld)) if len(numeric) else ""
    return f"{lead}, highest first: {'; '.join(listed)}. {comparison}", reading


def _subject(inputs: Inputs) -> str:
    """The chosen categories in words, lower case ('stalking and harassment')."""
    settings = inputs.settings
    return trends.lower_first(trends.subject(settings, trends.selection(settings, inputs.filters.categories)))


def _map_sized(figure: go.Figure, legend_rows: int) -> go.Figure:
    figure = _sized(figure, legend_rows)
    figure.update_layout(height=figure.layout.height + maps.plot_height(figure) - PLOT_HEIGHT)
    return figure


def _partnership_map(text: ChartText, force: str, data: pd.DataFrame) -> go.Figure:
    """The force's partnerships shaded by ``data``'s rate: a number, or the marker a protected table holds instead."""
    shapes = boundaries.partnerships(force)
    names = [name for name in data["csp"] if name in shapes]
    values = maps.values_by_name(names, dict(zip(data["csp"], data["rate"], strict=True)), missing="no rate")
    areas = [maps.Area(name, shapes[name], value, shown) for name, value, shown in values]
    figure = maps.area_map(areas, unit=UNIT)
    return _map_sized(charts._frame(figure, text), legend_rows=2)


@register("places-map", "Places: map of the rate per 1,000 by community safety partnership", section=SECTION)
def places_map(inputs: Inputs) -> Chart | None:
    """The home force's partnerships on a map, each shaded, patterned and labelled by its rate per 1,000."""
    table = measures.places(inputs)
    if table is None or table.rated().empty:
        return None
    shapes = boundaries.partnerships(table.force)
    frame = table.frame[~table.frame["unassigned"].astype(bool)]
    drawn = frame[frame["csp"].isin(list(shapes))]
    if drawn.empty:
        return None
    name, period = _subject(inputs), year_ending_label(table.end)
    text = _text(
        inputs,
        f"Map of recorded {name} per 1,000 people by community safety partnership, {table.force}",
        f"{period[:1].upper()}{period[1:]}; each partnership labelled with its rate, shaded and patterned by group",
        f"{CSP_SOURCE}; {boundaries.ATTRIBUTION}",
    )
    data = _partnership_data(table)
    missing = sorted(set(frame["csp"]) - set(shapes))
    notes = list(place_words.notes(table))
    if missing:
        notes.append(
            f"Not on the map (no boundary shipped for it): {', '.join(missing)}. Its figures are in the table."
        )
    lead = f"Map of the community safety partnerships of {table.force} shaded by recorded {name} per 1,000 people in the {period}"
    told = partial(_told, lead, period, place_words.summary(table)[1])
    alt, reading = told(data)
    return Chart(
        "places-map",
        _partnership_map(text, table.force, data),
        text,
        data,
        alt,
        reading=reading,
        notes=notes,
        retell=told,
        redraw=partial(_partnership_map, text, table.force),
    )


@register("places-rates", "Places: rate per 1,000 by community safety partnership", section=SECTION)
def places_rates(inputs: Inputs) -> Chart | None:
    """Each of the home force's partnerships' rate per 1,000 for the latest year ending, beside the force and England and Wales."""
    table = measures.places(inputs)
    if table is None or table.rated().empty:
        return None
    name = _subject(inputs)
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
    data = _partnership_data(table)
    lead = f"Bar chart of recorded {name} per 1,000 people in the {period} by community safety partnership in {table.force}"
    told = partial(_told, lead, period, place_words.summary(table)[1])
    alt, reading = told(data)
    return Chart(
        "places-rates",
        figure,
        text,
        data,
        alt,
        reading=reading,
        retell=told,
        notes=place_words.notes(table),
    )


@dataclass(frozen=True)
class ForceRates:
    """Every police force area's rate per 1,000 for the latest year ending, lowest first, and England and Wales's."""

    forces: pd.DataFrame  # area, year_ending, population, population_year, rate
    national: float | None
    end: dt.date
    notes: list[str]

    def data(self) -> pd.DataFrame:
        """The figures behind a chart of them, one row a force."""
        columns = ["area", "year_ending", "population", "population_year", "rate"]
        return self.forces[columns].rename(columns={"area": "force"}).reset_index(drop=True)

    def reading(self, home: str) -> str:
        """Where the home force ranks, in words."""
        period = year_ending_label(self.end)
        ranked = list(self.forces.sort_values("rate", ascending=False)["area"])
        if home not in ranked:
            return f"{home} has no rate for the {period}."
        rank = 1 + ranked.index(home)
        return f"{home} is {rank}{_ordinal(rank)} highest of {len(ranked)} police force areas in the {period}."


def force_rates(inputs: Inputs) -> ForceRates | None:
    """Every territorial force's rate per 1,000 for the chosen categories in the latest year ending the chosen period
    reaches (None when none has one)."""
    settings, inputs = inputs.settings, inputs.to_period_end()
    codes = trends.codes_for(settings, trends.selection(settings, inputs.filters.categories))
    areas = [*settings.territorial_forces, rates.NATIONAL]
    found = rates.year_ending_rates(inputs.recorded, inputs.population, settings, areas, codes, inputs.published)
    latest = found.latest()
    forces = latest[(latest["area"] != rates.NATIONAL) & latest["rate"].notna()].sort_values("rate")
    if forces.empty:
        return None
    end = pd.Timestamp(forces["period_end"].iloc[0]).date()
    national = latest.loc[latest["area"] == rates.NATIONAL, "rate"]
    national_rate = float(national.iloc[0]) if len(national) and pd.notna(national.iloc[0]) else None
    return ForceRates(forces, national_rate, end, rates.national_notes(found, end))


@register("places-forces", "Places: rate per 1,000 by police force area", section=SECTION)
def places_forces(inputs: Inputs) -> Chart | None:
    """Every police force area's rate per 1,000 for the latest year ending, the home force marked, England and Wales as a line."""
    found = force_rates(inputs)
    if found is None:
        return None
    forces, national_rate, home = found.forces, found.national, inputs.settings.home_force
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
    name, period = _subject(inputs), year_ending_label(found.end)
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
    alt = (
        f"Bar chart of recorded {name} per 1,000 people by police force area in the {period}, lowest to highest: "
        + "; ".join(f"{r.area} {r.rate:,.2f}" for r in forces.itertuples())
        + (f". {rates.NATIONAL}: {national_rate:,.2f}." if national_rate is not None else ".")
    )
    return Chart("places-forces", figure, text, found.data(), alt, reading=found.reading(home), notes=found.notes)


@register("places-forces-map", "Places: map of the rate per 1,000 by police force area", section=SECTION)
def places_forces_map(inputs: Inputs) -> Chart | None:
    """Every police force area of England and Wales on a map, shaded and patterned by its rate, the home force outlined."""
    found = force_rates(inputs)
    if found is None:
        return None
    home, shapes = inputs.settings.home_force, boundaries.force_areas()
    values = dict(zip(found.forces["area"], found.forces["rate"], strict=True))
    areas = [maps.Area(n, shapes[n], v, shown) for n, v, shown in maps.values_by_name(list(shapes), values)]
    name, period = _subject(inputs), year_ending_label(found.end)
    national = f"; {rates.NATIONAL} {found.national:,.2f}" if found.national is not None else ""
    text = _text(
        inputs,
        f"Map of recorded {name} per 1,000 people by police force area",
        f"{period[:1].upper()}{period[1:]}; {home} outlined and labelled{national}",
        f"{FORCE_SOURCE}; {boundaries.ATTRIBUTION}",
    )
    figure = _map_sized(charts._frame(maps.area_map(areas, unit=UNIT, labelled=False, highlight=home), text), 2)
    classes = maps.bands(list(found.forces["rate"]))
    grouped = "; ".join(
        f"{band.label(UNIT)}: " + ", ".join(a for a, v in values.items() if maps.band_of(v, classes) is band)
        for band in classes
    )
    alt = (
        f"Map of the police force areas of England and Wales shaded by recorded {name} per 1,000 people in the "
        f"{period}, in {len(classes)} groups: {grouped}. {found.reading(home)}"
    )
    return Chart("places-forces-map", figure, text, found.data(), alt, reading=found.reading(home), notes=found.notes)


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def csp_spc(inputs: Inputs, csp: str) -> Chart | None:
    """An XmR chart of one partnership's quarterly counts, limits rebased at the series breaks."""
    from dashboard.figures import places as place_figures

    settings = inputs.settings
    codes = trends.codes_for(settings, trends.selection(settings, inputs.filters.categories))
    chosen = inputs.filters
    series = place_figures.series(inputs.places, settings.home_force, codes, csp)
    series = trends.in_period(series, chosen.start, chosen.end)
    control = trends.control(series, settings.series_breaks) if len(series) else None
    if control is None:
        return None
    name = _subject(inputs)
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
    # Each quarter, the partnerships add up to the force's published count, the latest two years to the year
    # endings the Places table shows and each segment to its mean: protected with the force's other partnerships
    # (never shown here) and with each segment's quarters.
    quarterly = place_figures.quarters(inputs.places, settings.home_force, codes)
    others = quarterly[(quarterly["csp"] != csp) & quarterly["period_start"].isin(set(control.starts))]
    data.attrs[SPEC_KEY] = Spec(
        area="csp",
        counts=("count",),
        keys=("period_start",),
        x="period_start",
        y="count",
        year_rows=4,
        others=others[["csp", "period_start", "count"]],
        sums=("mean",),
    )
    reading = readings.variation(f"recorded {name} in {csp}", frame, "neutral", plural=True)
    alt = f"Chart of quarterly recorded {name} in {csp}: {reading}"
    return Chart("places-spc", figure, text, data, alt, reading=reading, technical=spc.describe(frame, "neutral"))
