"""The Overview's cards and key messages, written from the figures for the chosen force.

Pure (no Streamlit): ``summary(inputs)`` returns the cards and three to five key-message sentences,
each true for any data (rises, falls, no change, too little data). Recorded counts have no good
direction (a rise may be better recording), so their cards are neutral; the charge rate's direction
is up.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

import pandas as pd

from dashboard.charts.catalogue import Inputs
from dashboard.figures import measures, metrics, rates, spc, trends
from dashboard.words import messages, readings
from data_loaders import periods

SPARK_PERIODS = {trends.MONTHLY: 24, trends.QUARTERLY: 12}
ORDER_MEASURES = measures.ORDER_MEASURES


# A card line starting ``:mdc/<family>/<kind>:`` is drawn with that Making Data Count icon
# (``dashboard.outputs.icons``); its label follows it in words, so colour is never the only cue.
def icon_token(family: str, kind: str) -> str:
    """The token a card line starts with to show icon ``kind`` of ``family`` ("variation" or "assurance")."""
    return f":mdc/{family}/{kind}:"


ICON_TOKEN = re.compile(r":mdc/(variation|assurance)/([a-z_]+):")


def plain_line(line: str) -> str:
    """A card line as plain text, for a feed or a file: no icon token (its label follows it), no Markdown bold."""
    return ICON_TOKEN.sub("", line).replace("**", "").strip()


@dataclass(frozen=True)
class Card:
    """One headline figure: its value, the change on the year before and the lines that explain it."""

    title: str
    value: str
    period: str  # "Year ending October 2026"
    delta: str | None = None  # "+2% (+310) on the year before"
    change: float | None = None  # its sign gives the arrow; None: no arrow
    neutral: bool = True  # recorded counts: a rise is neither good nor bad
    rising_is_better: bool = True  # where not neutral: True for the charge rate, False for breaches of orders
    lines: tuple[str, ...] = ()
    sparkline: tuple[float, ...] = ()
    sparkline_words: str = ""


@dataclass(frozen=True)
class Summary:
    """Everything the Overview shows above its charts."""

    messages: tuple[str, ...]
    cards: tuple[Card, ...]
    counts_note: str  # which source and period the counts use
    rates_note: str  # which period the rates use


def delta_text(comparison: metrics.YearEndingComparison | None) -> tuple[str | None, float | None]:
    """'+9% (+134)' against the year before and the signed change, or (None, None) without a previous year."""
    if comparison is None or comparison.change is None:
        return None, None
    change = comparison.change
    if change == 0:
        return "No change", 0
    percent = comparison.percent_change
    return (f"{change:+,}" if percent is None else f"{metrics.format_percent_change(percent)} ({change:+,})"), change


def variation_line(control: trends.Control | None, months: int, improvement: str = "neutral") -> str:
    """'[icon] Usual variation (monthly, since Jan 2021)' for a card: the variation icon and its label."""
    if control is None:
        return "Variation: no figures to judge."
    kind = spc.variation_icon(control.frame)
    start, _ = control.segment_start
    return f"{icon_token('variation', kind)} {readings.VARIATION_LABELS[kind]} ({trends.PERIOD_WORDS[months]}, since {start:%b %Y})"


def assurance_line(control: trends.Control | None, target_percent: float, improvement: str) -> str:
    """'[icon] Sometimes meets the target (12.5%)' for a card whose measure (a share) has a target."""
    kind = "none" if control is None else spc.assurance(control.frame, target_percent, improvement)
    return f"{icon_token('assurance', kind)} {readings.ASSURANCE_LABELS[kind]} ({target_percent:g}%)"


def variation_sentence(subject: str, control: trends.Control | None, months: int) -> str:
    """The key message on variation: 'Recorded stalking offences are higher than usual: the last 8 quarters ...'."""
    if control is None:
        return f"There are no {trends.PERIOD_WORDS[months]} figures for {subject} to judge yet."
    text = readings.variation(f"recorded {subject} offences", control.frame, "neutral", months, plural=True)
    start, label = control.segment_start
    if label:
        text += f" Judged from {start:%B %Y}, when the counting rules last changed."
    return text


def peer_sentence(force: str, rate: float | None, peer_rates: dict[str, float | None]) -> str | None:
    """'Of its 6 peer forces, 2 recorded a higher rate and 4 a lower one.'; None without peers or a rate."""
    known = {name: r for name, r in peer_rates.items() if r is not None and not pd.isna(r)}
    if rate is None or not known:
        return None
    mine = round(rate, 1)
    higher = sum(round(r, 1) > mine for r in known.values())
    lower = sum(round(r, 1) < mine for r in known.values())
    same = len(known) - higher - lower
    total = len(known)
    noun = "peer force" if total == 1 else "peer forces"
    if higher == total:
        text = f"{'Its' if total == 1 else f'All {total} of its'} {noun} recorded a higher rate than {force}"
    elif lower == total:
        text = f"{'Its' if total == 1 else f'All {total} of its'} {noun} recorded a lower rate than {force}"
    else:
        parts = []
        if higher:
            parts.append(f"{higher} recorded a higher rate")
        if lower:
            parts.append(f"{lower} a lower one")
        if same:
            parts.append(f"{same} the same")
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        text = f"Of its {total} {noun}, {listed}"
    missing = [name for name in peer_rates if name not in known]
    if missing:
        text += f" (no rate for {', '.join(missing)})"
    return text + "."


def charge_sentence(share: float | None, previous: float | None, period: str, count_label: str) -> str:
    """'8% of outcomes assigned in the quarter (year ending June 2026) were charges or summonses, down from 11%.'"""
    return messages.compared_share("charge", share, previous, period=period, count=count_label.lower())


def orders_sentence(granted: metrics.YearEndingComparison | None, full: int | None, interim: int | None) -> str | None:
    """'14 Stalking Protection Orders were granted in the year ending June 2026 (10 full, 4 interim), up from 9.'"""
    if granted is None or granted.current is None:
        return None
    noun = "Stalking Protection Order was" if granted.current == 1 else "Stalking Protection Orders were"
    text = f"{granted.current:,} {noun} granted in the {periods.year_ending_label(granted.end)}"
    if full is not None and interim is not None:
        text += f" ({full:,} full, {interim:,} interim)"
    if granted.previous is None:
        return text + "."
    if granted.change == 0:
        return text + ", the same as the year before."
    return text + f", {'up' if granted.change > 0 else 'down'} from {granted.previous:,} the year before."


# ---- figures ------------------------------------------------------------------------------------


def _period(end: dt.date, delta: str | None) -> str:
    return f"Year ending {end:%B %Y}" + (" against the year before" if delta else "")


def _spark(values: pd.Series, starts: list[dt.date], months: int) -> tuple[tuple[float, ...], str]:
    keep = SPARK_PERIODS[months]
    shown = [(s, v) for s, v in zip(starts, values, strict=True) if pd.notna(v)][-keep:]
    if not shown:
        return (), ""
    unit = "Monthly" if months == trends.MONTHLY else "Quarterly"
    first, last = (trends.period_label(shown[i][0], months) for i in (0, -1))
    return tuple(float(v) for _, v in shown), f"{unit} values, {first} to {last}"


def _rate_line(found: rates.Rates, force: str, peers: tuple[str, ...]) -> tuple[str | None, float | None, dict]:
    latest = found.latest()
    if latest.empty:
        return None, None, {}
    by_area = dict(zip(latest["area"], latest["rate"], strict=True))
    rate = by_area.get(force)
    national = by_area.get(trends.NATIONAL)
    peer_rates = {p: by_area.get(p) for p in peers}
    if rate is None or pd.isna(rate):
        return "No rate per 1,000: the population is not loaded.", None, peer_rates
    own = latest[latest["area"] == force].iloc[0]
    others = []
    if national is not None and not pd.isna(national):
        others.append(f"England and Wales {national:.2f}")
    known = [r for r in peer_rates.values() if r is not None and not pd.isna(r)]
    if known:
        others.append(f"peers {min(known):.2f} to {max(known):.2f}")
    line = f"**{rate:.2f}** per 1,000 people" + (f" ({'; '.join(others)})" if others else "")
    line += f"; {rates.population_words(own)}"
    if own["stale"]:
        line = "⚠ " + line
    return line, float(rate), peer_rates


def _in_period(frame: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    return trends.in_period(frame, inputs.filters.start, inputs.filters.end)


@dataclass(frozen=True)
class _Recorded:
    card: Card
    comparison: metrics.YearEndingComparison | None
    control: trends.Control | None
    rate: float | None
    national: float | None
    peer_rates: dict
    rates_end: dt.date | None
    months: int = trends.QUARTERLY  # months per period of the variation reading (measures.spc_months)
    total_months: int = trends.QUARTERLY  # months per period of the source of the year endings
    rate_basis: str = ""  # which population the force's latest rate divides by (rates.population_words)
    basis_sentence: str = ""  # the same, as a sentence (rates.basis_sentence)


def _recorded(inputs: Inputs, title: str, categories: tuple[str, ...]) -> _Recorded:
    chosen, settings = inputs.filters, inputs.settings
    codes = trends.codes_for(settings, categories)
    reading = measures.recorded(inputs, codes)
    comparison, control, series = reading.comparison, reading.control, reading.series
    months = reading.spc_months
    peers = tuple(p for p in chosen.peers if p != chosen.force)
    found = rates.year_ending_rates(
        inputs.recorded, inputs.population, settings, [chosen.force, *peers, trends.NATIONAL], codes, inputs.published
    )
    in_range = found.frame.assign(
        period_start=[periods.add_months(e.replace(day=1), -2) for e in found.frame["period_end"]]
    )
    found = replace(found, frame=_in_period(in_range, inputs))
    rate_line, rate, peer_rates = _rate_line(found, chosen.force, peers)
    latest = found.latest()
    national = latest.loc[latest["area"] == trends.NATIONAL, "rate"]
    delta, change = delta_text(comparison)
    has_year = comparison is not None and comparison.current is not None
    spark, spark_words = _spark(series["count"], list(series["period_start"]), months)
    lines = tuple(line for line in (rate_line, variation_line(control, months)) if line)
    card = Card(
        title=title,
        value=metrics.format_count(comparison.current) if has_year else "No full year",
        period=_period(comparison.end, delta) if has_year else "Too little data for a year ending",
        delta=delta,
        change=change,
        lines=lines,
        sparkline=spark,
        sparkline_words=spark_words,
    )
    return _Recorded(
        card,
        comparison,
        control,
        rate,
        float(national.iloc[0]) if len(national) and pd.notna(national.iloc[0]) else None,
        peer_rates,
        latest["period_end"].iloc[0] if len(latest) else None,
        months,
        reading.total_months,
        *_basis(latest, chosen.force),
    )


def _basis(latest: pd.DataFrame, force: str) -> tuple[str, str]:
    own = latest[(latest["area"] == force) & latest["rate"].notna()]
    if not len(own):
        return "", ""
    return rates.population_words(own.iloc[0]), rates.basis_sentence(own.iloc[0])


def _quarters(frame: pd.DataFrame) -> list[dt.date]:
    return [pd.Timestamp(v).date() for v in frame["period_start"]]


CHARGE_TITLE = "Charge or summons rate"
ORDERS_TITLE = "Stalking Protection Orders granted"


def _not_loaded(title: str, why: str) -> Card:
    return Card(title=title, value="Not loaded", period="", lines=(why,))


def _charge(inputs: Inputs) -> tuple[Card | None, str | None]:
    reading = measures.charge_rate(inputs)
    if reading is None:
        return _not_loaded(CHARGE_TITLE, f"No crime outcomes are loaded for {inputs.filters.force}."), None
    measure, settings = reading.measure, inputs.settings
    count = settings.outcomes.count(measure.count_column)
    share = reading.share
    sentence = None
    if share is not None or reading.denominator:
        sentence = charge_sentence(share, reading.previous, reading.period, count.label)
    points = messages.points_change(share, reading.previous)
    delta = "No change" if points == 0 else points
    change = None if points is None else round(100 * (share - reading.previous), 1)
    starts = [pd.Timestamp(s).date() for s in reading.quarters["period_start"]]
    awaiting = measures.awaiting_outcome(inputs)
    lines = [
        f"{reading.numerator:,} charged or summonsed of {reading.denominator:,} outcomes",
        f"Counting {count.label.lower()}",
        variation_line(reading.control, trends.QUARTERLY, measure.improvement),
    ]
    if measure.target is not None:
        lines.append(assurance_line(reading.control, measure.target, measure.improvement))
    if awaiting and awaiting.awaiting:
        lines.insert(2, f"{awaiting.awaiting:,} offences recorded in {awaiting.quarter} await an outcome (not counted)")
    values, words = _spark(reading.quarters["percent"], starts, trends.QUARTERLY)
    card = Card(
        title=CHARGE_TITLE,
        value=messages.share_text(share) if share is not None else "No outcomes",
        period=_period(reading.end, delta) if reading.end else "Too little data for a year ending",
        delta=delta,
        change=change,
        neutral=False,
        lines=tuple(lines),
        sparkline=values,
        sparkline_words=words.replace("values", "charge rates (%)"),
    )
    return card, sentence


def _orders(inputs: Inputs) -> tuple[Card | None, str | None]:
    reading = measures.orders_granted(inputs)
    if reading is None:
        returned = inputs.prosecutions
        force = inputs.filters.force
        if returned.empty or returned[(returned["area"] == force) & returned["measure"].isin(ORDER_MEASURES)].empty:
            return _not_loaded(
                ORDERS_TITLE, f"No order figures for {force} are in the prosecutions and orders return."
            ), None
        return _not_loaded(ORDERS_TITLE, "No order figures fall in the chosen period."), None
    comparison = reading.comparison
    delta, change = delta_text(comparison)
    values, words = _spark(reading.series["count"], list(reading.series["period_start"]), reading.months)
    card = Card(
        title=ORDERS_TITLE,
        value=metrics.format_count(comparison.current) if comparison.current is not None else "No full year",
        period=_period(comparison.end, delta),
        delta=delta,
        change=change,
        lines=(
            f"{reading.full:,} full and {reading.interim:,} interim orders",
            "Source: the local prosecutions and orders return",
        ),
        sparkline=values,
        sparkline_words=words,
    )
    return card, orders_sentence(comparison, reading.full, reading.interim)


def summary(inputs: Inputs) -> Summary | None:
    """The Overview's key messages and cards for the chosen force; None when no recorded crime is loaded for it."""
    chosen, settings = inputs.filters, inputs.settings
    if trends.months_for(inputs.recorded, chosen.force, "year_ending") is None:
        return None
    total = _recorded(inputs, f"{settings.total_label} (total)", trends.total_categories(settings))
    months, total_months = total.months, total.total_months
    categories = [c for c in settings.categories if c in set(chosen.categories)]
    cards = [total.card]
    cards += [_recorded(inputs, category, (category,)).card for category in categories]
    charge_card, charge_message = _charge(inputs)
    orders_card, orders_message = _orders(inputs)
    cards += [card for card in (charge_card, orders_card) if card]

    subject = trends.lower_first(settings.total_label)
    said = [
        messages.change_sentence(settings.total_label, total.comparison),
        variation_sentence(subject, total.control, months),
    ]
    if total.rate is not None and total.rates_end is not None:
        rate = messages.rate_sentence(chosen.force, total.rate, "England and Wales", total.national)
        said.append(f"In the {periods.year_ending_label(total.rates_end)}, {rate}")
        peers = peer_sentence(chosen.force, total.rate, total.peer_rates)
        if peers:
            said[-1] += " " + peers
        said[-1] += " " + total.basis_sentence
    else:
        said.append(f"No rate per 1,000 people can be given for {chosen.force}: its population is not loaded.")
    said += [m for m in (charge_message, orders_message) if m]

    source = f"{chosen.force}'s monthly extract" if total_months == trends.MONTHLY else "the Home Office tables"
    counts_note = f"Counts from {source}" + (
        f": year ending {total.comparison.end:%B %Y} against the year before." if total.card.delta else "."
    )
    rates_note = (
        f"Rates per 1,000 people: Home Office figures for the year ending {total.rates_end:%B %Y}, the latest "
        f"published for every force, over {chosen.force}'s {total.rate_basis}. "
        + rates.method_note(settings.population_lag_months)
        if total.rates_end
        else "No rates: the Home Office table or the population is not loaded."
    )
    return Summary(tuple(said[:5]), tuple(cards), counts_note, rates_note)
