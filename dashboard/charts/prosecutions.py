"""Prosecutions and orders charts for the catalogue, from the local return (force and CPS Area figures)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from dashboard.charts import base as charts
from dashboard.charts.base import ChartText
from dashboard.charts.catalogue import Chart, Inputs, register
from dashboard.charts.frames import figures_table, finish
from dashboard.figures import outcomes as outcome_figures
from dashboard.figures import prosecutions as prosecution_figures
from dashboard.words import outcomes as outcome_words
from data_loaders import periods


def _text(inputs: Inputs, title: str, subtitle: str, source: str) -> ChartText:
    return ChartText(title, subtitle, source, inputs.data_as_at)


PROSECUTIONS_SECTION = "Prosecutions and orders"

RETURN_SOURCE = "Source: local prosecutions and orders return (force and CPS figures, not official statistics)"

# Whose figures a chart of the return shows: the force's own return, or its CPS Area(s) (two for London).
BY_AREA: tuple[tuple[str, str, Callable[[Inputs], Sequence[str]]], ...] = (
    ("force", "the force's figures", lambda inputs: [inputs.filters.force]),
    ("cps-area", "the CPS Area", lambda inputs: inputs.settings.cps_areas_of(inputs.filters.force)),
)


def _register_by_area(prefix: str, subject: str, draw: Callable[[Inputs, str, Sequence[str]], Chart | None]) -> None:
    """Register ``draw`` once for each of ``BY_AREA``: ``{prefix}-force`` and ``{prefix}-cps-area``."""
    for suffix, whose, areas_of in BY_AREA:
        key = f"{prefix}-{suffix}"
        register(key, f"{subject}: {whose}", section=PROSECUTIONS_SECTION)(_drawn_for(draw, key, areas_of))


def _drawn_for(draw, key: str, areas_of: Callable[[Inputs], Sequence[str]]) -> Callable[[Inputs], Chart | None]:
    def build(inputs: Inputs) -> Chart | None:
        return draw(inputs, key, areas_of(inputs))

    return build


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
        rows = prosecution_figures.return_quarters(inputs.prosecutions, area)
        rows = outcome_figures.in_period(rows[rows["measure"].isin(measures)], filters)
        if not rows.empty:
            name = rows["measure"].map(labels)
            parts.append(rows.assign(series=name + (f" ({area})" if len(areas) > 1 else ""), area=area))
    if not parts:
        return None
    frame = pd.concat(parts, ignore_index=True)
    frame["order"] = frame["measure"].map({m: i for i, m in enumerate(measures)})
    frame = frame.sort_values(["area", "order", "period_start"])
    frame["period"] = [periods.quarter_label(s) for s in frame["period_start"]]
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
        figure=finish(figure),
        text=text,
        data=data,
        alt=f"{title}. Line chart by quarter, {frame['period'].iloc[0]} to {period}. Latest ({period}): {values}.",
        reading=f"In {period}: {values}.",
        notes=notes,
    )


def _areas_title(inputs: Inputs, what: str, areas: Sequence[str]) -> str:
    """'What: the areas', saying so where they are CPS Areas; empty without areas (nothing is drawn then)."""
    if not areas:
        return ""
    kind = " (CPS Area)" if prosecution_figures.cps_forces(inputs.settings, areas[0]) else ""
    return f"{what}: {prosecution_figures.join_names(areas)}{kind}"


def _court_chart(inputs: Inputs, key: str, areas: Sequence[str]) -> Chart | None:
    return _measure_lines(
        inputs,
        key,
        areas,
        prosecution_figures.court_measures(inputs.settings),
        _areas_title(inputs, "Prosecutions and convictions", areas),
        f"Stalking and harassment offences, by quarter.<br>{prosecution_figures.area_words(inputs.settings, areas)}",
    )


# Charges, prosecutions completed and convictions by quarter.
_register_by_area("prosecutions", "Prosecutions and convictions", _court_chart)


@register("conviction-rate", "Conviction rate: force and CPS Area", section=PROSECUTIONS_SECTION)
def conviction_rate(inputs: Inputs) -> Chart | None:
    """Convictions as a share of prosecutions completed, by quarter, for the force and its CPS Area(s)."""
    settings, filters = inputs.settings, inputs.filters
    if inputs.prosecutions.empty:
        return None
    areas = [filters.force, *settings.cps_areas_of(filters.force)]
    parts = [
        prosecution_figures.conviction_rates(inputs, area).assign(area=prosecution_figures.series_label(settings, area))
        for area in areas
    ]
    parts = [part for part in parts if not part.empty]
    if not parts:
        return None
    frame = pd.concat(parts, ignore_index=True)
    frame["period"] = [periods.quarter_label(s) for s in frame["period_start"]]
    text = _text(
        inputs,
        f"Conviction rate: {filters.force} and its CPS Area",
        "Convictions as a share of prosecutions completed, stalking and harassment offences, by quarter.<br>"
        + prosecution_figures.area_words(settings, areas[1:]),
        RETURN_SOURCE,
    )
    figure = charts.line_chart(
        frame, x="period_start", y="rate", series="area", text=text, y_label="Conviction rate (%)",
        highlight=frame["area"].iloc[0], markers=inputs.markers,
    )  # fmt: skip
    latest = frame[frame["period_start"] == frame["period_start"].max()]
    period = latest["period"].iloc[0]
    values = "; ".join(f"{r.area} {outcome_words.percent_words(r.rate)}" for r in latest.itertuples())
    small = frame[frame["rate"].isna()]
    notes = []
    if not small.empty:
        listed = ", ".join(f"{r.area} {r.period}" for r in small.itertuples())
        notes.append(
            f"No rate is shown where fewer than {settings.suppression.minimum_base} prosecutions were completed ({listed})."
        )
    names = {
        "area": "Area",
        "period": "Quarter",
        prosecution_figures.PROSECUTIONS: "Prosecutions completed",
        prosecution_figures.CONVICTIONS: "Convictions",
        "rate": "Conviction rate (%)",
    }
    return Chart(
        key="conviction-rate",
        figure=finish(figure),
        text=text,
        data=figures_table(frame, names),
        alt=f"{text.title}. Line chart of the conviction rate by quarter. Latest ({period}): {values}.",
        reading=f"Conviction rate in {period}: {values}.",
        notes=notes,
    )


def _spo_chart(inputs: Inputs, key: str, areas: Sequence[str]) -> Chart | None:
    settings = inputs.settings
    measures = prosecution_figures.spo_measures(settings)
    available = min((m.available_from for m in settings.prosecution_measures if m.key in measures), default=None)
    since = f"; orders available from {available:%-d %B %Y}" if available else ""
    return _measure_lines(
        inputs,
        key,
        areas,
        measures,
        _areas_title(inputs, "Stalking Protection Orders", areas),
        f"Applications, orders granted (interim and full) and breaches, by quarter{since}.<br>"
        + prosecution_figures.area_words(settings, areas),
    )


# Stalking Protection Order applications, grants and breaches by quarter.
_register_by_area("spo", "Stalking Protection Orders", _spo_chart)
