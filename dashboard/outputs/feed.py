"""The Overview's headline figures and readings as plain data, for a website feed or a scheduled check.

``pcc-dashboard figures --json`` prints :func:`headline_figures`. Every value comes from the same
measures, cards and key messages the Overview shows (``dashboard.figures.measures`` and
``dashboard.figures.overview``), so the feed can never say something the page does not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from dashboard.charts.catalogue import Inputs
from dashboard.figures import measures, overview, spc, trends
from dashboard.outputs import public_summary, release
from dashboard.words import messages, readings


def _variation(control: trends.Control | None, reading: tuple[str, str]) -> dict[str, object] | None:
    """The variation of a measure: its icon and label, its segment, and its reading in plain and statistical words."""
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
        "reading": reading[0],
        "technical": reading[1],
    }


def _recorded_reading(inputs: Inputs, reading: measures.RecordedReading) -> tuple[str, str]:
    """Is recorded crime changing, in the Overview's key message and in statistical terms."""
    if reading.control is None:
        return "", ""
    subject = trends.lower_first(inputs.settings.total_label)
    words = overview.variation_sentence(subject, reading.control, reading.spc_months)
    return words, spc.describe(reading.control.frame, "neutral")


def _share_reading(inputs: Inputs, reading: measures.ShareReading) -> tuple[str, str]:
    """Is a share changing (and meeting its target), as the share's own chart reads it."""
    if reading.control is None:
        return "", ""
    measure = reading.measure
    return readings.share_reading(
        readings.SHARE_SUBJECTS[measure.key], reading.control.frame, measure.improvement, measure.target
    )


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
        "variation": _variation(reading.control, _recorded_reading(inputs, reading)),
    }


def _share(inputs: Inputs, reading: measures.ShareReading | None) -> dict[str, object] | None:
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
        "variation": _variation(reading.control, _share_reading(inputs, reading)),
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
            {
                "title": c.title,
                "value": c.value,
                "period": c.period,
                "change": c.delta,
                "lines": [overview.plain_line(line) for line in c.lines],
            }
            for c in (summary.cards if summary else ())
        ],
        "measures": {
            "recorded": _recorded(inputs),
            "charge_rate": _share(inputs, measures.charge_rate(inputs)),
            "victim_does_not_support": _share(inputs, measures.victim_does_not_support(inputs)),
        },
    }
