"""The catalogue of named charts: the one place a chart is built, for pages, exports and packs.

A page shows a chart by calling its builder; ``pcc-dashboard export --list`` lists the names;
the press pack and the Panel's meeting pack build the same charts from the same inputs. So a
figure reads the same on the screen, in a press release and on paper.

Builders are pure (no Streamlit): ``builder(inputs) -> Chart``. Register one with
``@register("key", "Human title", section="Recorded crime")`` in a module listed in :data:`CHART_MODULES`.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.base import ChartText, ShownFigure, TimeMarker
from dashboard.charts.page import page_figure
from dashboard.figures.selection import Filters
from data_loaders.settings import Settings


@dataclass(frozen=True)
class Inputs:
    """Everything a chart may draw on: the settings, the user's filters and the loaded tables."""

    settings: Settings
    filters: Filters
    recorded: pd.DataFrame  # data_loaders.reads.recorded_crime
    population: pd.DataFrame
    outcomes: pd.DataFrame
    prosecutions: pd.DataFrame
    markers: tuple[TimeMarker, ...] = ()
    data_as_at: dt.date | None = None
    published: pd.DataFrame | None = None  # data_loaders.reads.published_figures: ONS's own yearly figures
    # data_loaders.recommendations.queries.recommendations_frame and updates_frame (all recommendations)
    recommendations: pd.DataFrame | None = None
    recommendation_updates: pd.DataFrame | None = None
    illustrative: bool = False  # the illustrative demo is loaded: every output made from these says so
    places: pd.DataFrame | None = None  # data_loaders.reads.recorded_crime_csp: the CSP editions' rows
    district_population: pd.DataFrame | None = None  # data_loaders.reads.population_district
    as_of: dt.date | None = None  # the day the recommendations charts end on (a pack's quarter end); None: today

    def cut_to(self, last_month: dt.date) -> Inputs:
        """These inputs with every dated table cut to the periods that start on or before ``last_month``."""
        cut = pd.Timestamp(last_month)
        tables = {}
        for name in ("recorded", "outcomes", "prosecutions", "places"):
            frame = getattr(self, name)
            if frame is not None and "period_start" in frame.columns and len(frame):
                starts = pd.to_datetime(frame["period_start"])
                frame = frame if starts.max() <= cut else frame[starts <= cut]  # no copy when nothing is cut
            tables[name] = frame
        return replace(self, **tables)

    def to_period_end(self) -> Inputs:
        """Cut at the end of the chosen period, so that "the latest year" is the latest the period reaches."""
        return self.cut_to(self.filters.end) if self.filters.end is not None else self


@dataclass
class Chart:
    """A built chart: the figure, its words, the figures behind it and its text alternative."""

    key: str
    figure: go.Figure
    text: ChartText
    data: pd.DataFrame  # exactly the figures drawn, for the data view and the CSV
    alt: str  # the text alternative, written from the data
    reading: str = ""  # one plain sentence under the chart: the key message or SPC reading, without jargon
    notes: list[str] = field(default_factory=list)  # e.g. "Suppression applied", "Trial limits"
    technical: str = ""  # the reading in statistical terms, one click away beside the glossary
    illustrative: bool = False  # drawn from the illustrative demo (set by :func:`build` from the inputs)
    released: bool = False  # protected and labelled to leave the app (``dashboard.outputs.release``)
    # A map cannot have a hidden figure taken off trace by trace: it is drawn again from its protected data.
    redraw: Callable[[pd.DataFrame], go.Figure] | None = None
    # Words naming each area's figure are told again from the protected data: (alt, reading).
    retell: Callable[[pd.DataFrame], tuple[str, str]] | None = None

    @cached_property
    def shown(self) -> ShownFigure:
        """The figure as a page draws it (``charts.page``), its plain form worked out on first use (``ShownFigure``)."""
        return ShownFigure(page_figure(self.figure))


@dataclass(frozen=True)
class Entry:
    key: str
    title: str
    section: str
    build: Callable[[Inputs], Chart | None]


CATALOGUE: dict[str, Entry] = {}
# Every module of chart builders, in the order their sections are shown: each registers its charts when imported.
CHART_MODULES = (
    "dashboard.charts.recorded",
    "dashboard.charts.outcomes",
    "dashboard.charts.prosecutions",
    "dashboard.charts.recommendations",
    "dashboard.charts.places",
)


def register(key: str, title: str, *, section: str) -> Callable[[Callable[[Inputs], Chart | None]], Callable]:
    """Add a builder to the catalogue under ``key`` (a stable, hyphenated name used on the command line)."""

    def decorate(build: Callable[[Inputs], Chart | None]) -> Callable[[Inputs], Chart | None]:
        if key in CATALOGUE:
            raise ValueError(f"chart {key!r} is registered twice")
        CATALOGUE[key] = Entry(key, title, section, build)
        return build

    return decorate


def load_all() -> dict[str, Entry]:
    """The whole catalogue: every module in :data:`CHART_MODULES` imported, so each has registered its charts."""
    for name in CHART_MODULES:
        importlib.import_module(name)
    return CATALOGUE


def build(key: str, inputs: Inputs) -> Chart | None:
    """The chart ``key`` built from ``inputs``; None when the data it needs is not loaded."""
    if key not in CATALOGUE:
        load_all()
    chart = CATALOGUE[key].build(inputs)
    if chart is not None and inputs.illustrative:
        chart.illustrative = True
    return chart
