"""The one step every figure passes through on its way out of the app: protected and honest.

Chart exports (PNG, SVG, PDF, their CSV and alt text), the press pack, the Panel's meeting pack,
presentation slides and ``pcc-dashboard figures --json`` / ``export`` all release their figures here:

- **Protected** (settings ``[suppression]``, :mod:`dashboard.outputs.suppression`): counts from 1 to
  ``threshold`` below force level, and in the unpublished local figures named in ``protected`` (the
  prosecutions and orders return, words of local events), leave as ``[c]``, with the figures that
  would give one away; no rate or percentage on a base below ``minimum_base``: ``[x]``. Home Office
  force-level counts stay as published.
- **Honest**: whatever is made from the illustrative demo says so inside the file: a mark drawn on
  the image, a note under it, the first line of its CSV, its alt text, the key figures, the feed.

The app's own pages may show the true figures (:func:`withheld_on_release` says which charts hold
figures not for publication). Pure: no Streamlit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

import pandas as pd

from dashboard.charts.base import TimeMarker
from dashboard.charts.catalogue import Chart
from dashboard.charts.markers import marker_key
from dashboard.outputs import suppression
from dashboard.outputs.suppression import Spec
from data_loaders.sanitise import neutralise_frame
from data_loaders.settings import Settings

DEMO_MARK = "ILLUSTRATIVE DEMO DATA: NOT REAL FIGURES"
DEMO_NOTICE = "Illustrative demo data: every figure here is made up, not real. Do not publish it."
DEMO_COLOUR = "rgba(178, 34, 34, 0.32)"  # a firebrick tint: seen at once, the figures still legible through it
EVENTS = "events"  # the key in ``[suppression] protected`` for the words of local events
BASE_COLUMNS = ("All assigned outcomes", "All offences in this count", "Prosecutions completed")
RETURN_CHARTS = ("prosecutions-force", "prosecutions-cps-area", "spo-force", "spo-cps-area")
QUARTERS_A_YEAR = 4
RETURN_WORDS = "in the local prosecutions and orders return (figures not published elsewhere)"


# ---- how each chart's figures are protected ----------------------------------------------------------


def _return_spec(chart: Chart, settings: Settings) -> Spec | None:
    """The return's lines (one column per measure, and area): counts of protected measures, by quarter."""
    labels = {m.label: m.key for m in settings.prosecution_measures}
    protected = set(settings.suppression.protected)
    counts = tuple(
        column
        for column in chart.data.columns
        if labels.get(re.sub(r" \([^()]*\)$", "", str(column)), labels.get(str(column))) in protected
    )
    if not counts:
        return None
    return Spec(counts=counts, x="Quarter", wide=True, year_rows=QUARTERS_A_YEAR, where=RETURN_WORDS)


def _conviction_spec(chart: Chart, settings: Settings) -> Spec:
    """Convictions over prosecutions completed, by area and quarter: the counts of protected measures, and the rate."""
    protected = set(settings.suppression.protected)
    named = {"prosecutions_completed": "Prosecutions completed", "convictions": "Convictions"}
    counts = tuple(column for key, column in named.items() if key in protected and column in chart.data)
    return Spec(
        below_force_level=bool(counts),
        counts=counts,
        rates={"Conviction rate (%)": ("Convictions", "Prosecutions completed")},
        x="Quarter",
        series="Area",
        y="Conviction rate (%)",
        year_rows=QUARTERS_A_YEAR,
        where=RETURN_WORDS,
    )


def _share_spec(chart: Chart, settings: Settings) -> Spec | None:
    """Home Office shares ('... (%)'): force level, so only the rates on a small base are withheld.

    A share's base is the chart's 'All ...' column and its count the column just before the base.
    """
    columns = list(chart.data.columns)
    base = next((c for c in BASE_COLUMNS if c in columns), None)
    shares = [c for c in columns if str(c).endswith(" (%)")]
    if base is None or not shares or columns.index(base) == 0:
        return None
    count = columns[columns.index(base) - 1]
    series = next((c for c in ("Area", "Outcome group") if c in columns), None)
    return Spec(
        below_force_level=False,
        rates={share: (count, base) for share in shares},
        x=columns[0],
        series=series,
        y=shares[0],
    )


SPECS: dict[str, Callable[[Chart, Settings], Spec | None]] = {
    **dict.fromkeys(RETURN_CHARTS, _return_spec),
    "conviction-rate": _conviction_spec,
}


def spec_for(chart: Chart, settings: Settings) -> Spec | None:
    """How ``chart``'s figures are protected: its builder's own spec, the catalogue's, or None (nothing to protect)."""
    own = suppression.spec_for(chart.data)
    if own is not None:
        return own
    if chart.key in SPECS:
        return SPECS[chart.key](chart, settings)
    return _share_spec(chart, settings)


# ---- the words of local events -------------------------------------------------------------------------

# A whole number standing alone: not part of a date, a decimal, a range or a code ("1 Feb 2019", "2.5", "8Q").
_NUMBER = re.compile(
    r"(?<![\w.,:/£$-])(\d+)(?![\w.,:/%-]|\s(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*\s\d)"
)


def protect_words(text: str, threshold: int) -> tuple[str, int]:
    """``text`` with each whole number from 1 to ``threshold`` written as ``[c]``, and how many were."""
    hidden = 0

    def hide(match: re.Match) -> str:
        nonlocal hidden
        if 1 <= int(match.group(1)) <= threshold:
            hidden += 1
            return suppression.SUPPRESSED
        return match.group(0)

    return _NUMBER.sub(hide, text), hidden


def _protected_markers(chart: Chart, threshold: int) -> tuple[list[dict], int]:
    """The markers the chart draws (its ``meta``), each local event's label with small numbers withheld, and how many.

    The footer's key to the markers, in the page and in every output, is written from these; the series breaks
    are published nationally and keep their words.
    """
    meta = chart.figure.layout.meta
    shown, hidden = [], 0
    for marker in meta.get("markers", []) if isinstance(meta, dict) else []:
        label, count = (
            (marker["label"], 0) if marker.get("kind") == "series break" else protect_words(marker["label"], threshold)
        )
        shown.append({**marker, "label": label})
        hidden += count
    return shown, hidden


def _protect_event_key(chart: Chart, threshold: int) -> tuple[Chart, int]:
    """The chart with small numbers in the labels of its local events withheld, in the markers and their key."""
    shown, hidden = _protected_markers(chart, threshold)
    if not hidden:
        return chart, 0
    figure = chart.figure.__class__(chart.figure)
    drawn = [TimeMarker(dt.date.fromisoformat(m["date"]), m["label"], m["kind"]) for m in shown]
    figure.layout.meta = {**figure.layout.meta, "markers": shown, "marker_key": marker_key(drawn)}
    return dataclasses.replace(chart, figure=figure), hidden


# ---- the release ------------------------------------------------------------------------------------------


def _withheld(chart: Chart, settings: Settings) -> tuple[Spec | None, suppression.Protected | None]:
    """The chart's spec and its data protected (None when nothing in it is withheld)."""
    spec = spec_for(chart, settings)
    if spec is None:
        return None, None
    protected = suppression.suppress_frame(chart.data, spec, settings.suppression)
    return spec, protected if protected.applied else None


def _events_note(rules) -> str:
    return f"{suppression.SUPPRESSED} Numbers from 1 to {rules.threshold} in the local events are not shown."


def _latest_words(table: pd.DataFrame, spec: Spec) -> tuple[str, str] | None:
    """The latest period and its figures in words, from a protected table ('Interim orders [c]; Full orders 15')."""
    if spec.x is None or table.empty:
        return None
    period = table[spec.x].iloc[-1]
    latest = table[table[spec.x] == period]
    if spec.wide:
        shown = [f"{column} {latest[column].iloc[-1]}" for column in spec.counts]
    elif spec.series is not None and spec.y is not None:
        unit = "%" if str(spec.y).endswith("(%)") else ""
        shown = [
            f"{series} {value}{unit if value not in (suppression.SUPPRESSED, suppression.LOW_BASE) else ''}"
            for series, value in zip(latest[spec.series], latest[spec.y], strict=True)
        ]
    else:
        return None
    return str(period), "; ".join(shown)


def _words_withheld(chart: Chart, table: pd.DataFrame, spec: Spec) -> Chart:
    """The chart's reading and alt text retold from the protected table: by the chart itself where it can
    (``Chart.retell``), else where they name the latest figures."""
    if chart.retell is not None:
        alt, reading = chart.retell(table)
        return dataclasses.replace(chart, alt=alt, reading=reading)
    latest = _latest_words(table, spec)
    if latest is None or "Latest (" not in chart.alt:
        return chart
    period, shown = latest
    alt = chart.alt[: chart.alt.index("Latest (")] + f"Latest ({period}): {shown}."
    return dataclasses.replace(chart, alt=alt, reading=f"In {period}: {shown}." if chart.reading else "")


def protect(chart: Chart, settings: Settings) -> Chart:
    """``chart`` with small numbers withheld from its figure, its data, its words and notes (never the page's own)."""
    rules = settings.suppression
    spec, protected = _withheld(chart, settings)
    if protected is not None:
        chart = dataclasses.replace(
            _words_withheld(chart, protected.table, spec),
            figure=suppression.protected_figure(chart, protected, spec),
            data=suppression.csv_frame(protected),
            notes=[*chart.notes, *(n for n in protected.notes() if n not in chart.notes)],
        )
    if EVENTS in rules.protected:
        chart, hidden = _protect_event_key(chart, rules.threshold)
        if hidden:
            chart = dataclasses.replace(chart, notes=[*chart.notes, _events_note(rules)])
    return chart


def mark_figure(figure, *, size: float = 30) -> None:
    """Draw :data:`DEMO_MARK` across the middle of ``figure`` (in place): seen at once, the data legible through it."""
    figure.add_annotation(
        text=f"<b>{DEMO_MARK}</b>",
        name="illustrative-mark",
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        xanchor="center",
        yanchor="middle",
        showarrow=False,
        textangle=-12,
        font=dict(size=size, color=DEMO_COLOUR),
        bordercolor=DEMO_COLOUR,
        borderwidth=3,
        borderpad=8,
    )


def mark_page(canvas, width: float, height: float, margin: float) -> None:
    """Write :data:`DEMO_MARK` and the notice across the top margin of a reportlab page (every page of a pack)."""
    canvas.saveState()
    canvas.setFillColorRGB(178 / 255, 34 / 255, 34 / 255)  # firebrick: 6.7:1 on white
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawCentredString(width / 2, height - margin + 14, f"{DEMO_MARK}. {DEMO_NOTICE}")
    canvas.restoreState()


def label(chart: Chart) -> Chart:
    """An illustrative chart marked as such: the mark on its figure and the notice first among its notes.

    (Its alt text says so too: ``images.alt_text`` puts the notice first for any illustrative chart.)
    """
    figure = chart.figure.__class__(chart.figure)
    mark_figure(figure)
    return dataclasses.replace(chart, figure=figure, notes=[DEMO_NOTICE, *chart.notes])


def release(chart: Chart, settings: Settings) -> Chart:
    """The chart fit to leave the app: protected, and labelled when made from the illustrative demo.

    Releasing a released chart changes nothing, so every channel may call it.
    """
    if chart.released:
        return chart
    chart = protect(chart, settings)
    if chart.illustrative:
        chart = label(chart)
    return dataclasses.replace(chart, released=True)


def withheld_on_release(chart: Chart, settings: Settings) -> list[str]:
    """What the chart's exports withhold, in words (the notes suppression adds); empty when it may leave as shown.

    Works out only the tables, not the figure: a page asks this of every chart it draws.
    """
    rules = settings.suppression
    _, protected = _withheld(chart, settings)
    notes = [n for n in protected.notes() if n not in chart.notes] if protected is not None else []
    if EVENTS in rules.protected and _protected_markers(chart, rules.threshold)[1]:
        notes.append(_events_note(rules))
    return notes


# ---- text and tables out -----------------------------------------------------------------------------------


def csv_notice(*, illustrative: bool) -> str:
    """The first line of a CSV made from the demo (:data:`DEMO_NOTICE`, quoted as a CSV cell); empty otherwise."""
    return pd.DataFrame({DEMO_NOTICE: []}).to_csv(index=False) if illustrative else ""


def csv_bytes(data: pd.DataFrame, *, illustrative: bool) -> bytes:
    """A table as CSV (UTF-8, formulas neutralised), its first line :data:`DEMO_NOTICE` when made from the demo."""
    return (csv_notice(illustrative=illustrative) + neutralise_frame(data).to_csv(index=False)).encode("utf-8")


def label_lines(lines: list[str], *, illustrative: bool) -> list[str]:
    """Text lines (a key figures file, a CLI summary) with :data:`DEMO_NOTICE` first when made from the demo."""
    return [DEMO_NOTICE.upper(), "", *lines] if illustrative else lines
