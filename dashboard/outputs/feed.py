"""The Overview's headline figures and readings as plain data, for a website feed or a scheduled check.

``pcc-dashboard figures --json`` prints :func:`headline_figures`. Every value comes from the same
measures, cards and key messages the Overview shows (``dashboard.figures.measures`` and
``dashboard.figures.overview``), so the feed can never say something the page does not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from dashboard.charts.catalogue import Inputs
from dashboard.figures import measures, spc, trends
from dashboard.outputs import public_summary, release
from dashboard.words import messages, readings


def _variation(control: trends.Control | None, improvement: str) -> dict[str, object] | None:
    if control is None:
        return None
    start, label = control.segment_start
    icon = spc.variation_icon(control.frame)
    return {
        "icon": icon,
        "words": readings.VARIATION_LABELS[icon],
        "since": start.isoformat(),
        "since_break": label,
        "points": int(control.frame["value"].notna().sum()),
        "trial_limits": bool(control.frame["trial_limits"].iloc[-1]),
        "reading": spc.describe(control.frame, improvement),
    }


def _definition(measure: measures.Measure) -> dict[str, object]:
    return {k: v for k, v in dataclasses.asdict(measure).items() if k != "key"}


def _recorded(inputs: Inputs) -> dict[str, object] | None:
    settings = inputs.settings
    reading = measures.recorded(inputs, settings.total_codes)
    if reading is None:
        return None
    comparison = reading.comparison
    return {
        **_definition(measures.definitions(settings, inputs.filters.outcome_count)["recorded"]),
        "year_ending": comparison.end.isoformat() if comparison else None,
        "latest": comparison.current if comparison else None,
        "previous": comparison.previous if comparison else None,
        "change": comparison.change if comparison else None,
        "percent_change": comparison.percent_change if comparison else None,
        "year_endings_from": "monthly extract" if reading.total_months == trends.MONTHLY else "Home Office quarters",
        "variation_periods": trends.PERIOD_WORDS[reading.spc_months],
        "variation": _variation(reading.control, "neutral"),
    }


def _share(reading: measures.ShareReading | None) -> dict[str, object] | None:
    if reading is None:
        return None
    return {
        **_definition(reading.measure),
        "year_ending": reading.end.isoformat() if reading.end else None,
        "latest": reading.share,
        "latest_text": messages.share_text(reading.share),
        "previous": reading.previous,
        "change_text": messages.points_change(reading.share, reading.previous),
        "numerator": reading.numerator,
        "denominator": reading.denominator,
        "variation_periods": "quarterly",
        "variation": _variation(reading.control, reading.measure.improvement),
    }


def headline_figures(inputs: Inputs, *, today: dt.date | None = None) -> dict[str, object]:
    """The Overview's key messages, cards and measures, JSON-ready."""
    summary = public_summary.summary(inputs)
    chosen = inputs.filters
    return {
        "illustrative": inputs.illustrative,
        **({"notice": release.DEMO_NOTICE} if inputs.illustrative else {}),
        "force": chosen.force,
        "peers": list(chosen.peers),
        "categories": list(chosen.categories),
        "granularity": chosen.granularity,
        "outcome_count": chosen.outcome_count,
        "data_as_at": inputs.data_as_at.isoformat() if inputs.data_as_at else None,
        "made_on": (today or dt.date.today()).isoformat(),
        "messages": list(summary.messages) if summary else [],
        "notes": [summary.counts_note, summary.rates_note] if summary else [],
        "cards": [
            {"title": c.title, "value": c.value, "period": c.period, "change": c.delta, "lines": list(c.lines)}
            for c in (summary.cards if summary else ())
        ],
        "measures": {
            "recorded": _recorded(inputs),
            "charge_rate": _share(measures.charge_rate(inputs)),
            "victim_does_not_support": _share(measures.victim_does_not_support(inputs)),
        },
    }
