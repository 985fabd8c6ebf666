"""How the demo's outcomes divide: charge and victim-does-not-support shares by code, quarter and force.

The national pattern is the one the published statistics tell: charge rates for stalking falling from about
a third in 2014/15 to well under a tenth, and a large and rising share closed because the victim does not
support action, both mostly in steps at the counting changes. Forces differ as real ones do: each has its
own charge level, follows more or less of the national fall and has turned up or down since 2021; each has
its own share where the victim does not support action, moving at its own pace. The home force follows the
national pattern with one genuine step up in its charge share. The sizes are illustrative parameters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Charge/summons share of assigned outcomes in April 2014 and where the fall ends, by offence code.
CHARGE_SHARE = {
    "8Q": (0.34, 0.065),
    "8L": (0.20, 0.05),
    "8M": (0.30, 0.10),
    "8R": (0.14, 0.035),
    "8U": (0.26, 0.08),
}
# Evidential difficulties where the victim does not support action (types 14 and 16): April 2014, and where the
# rise ends.
VICTIM_DOES_NOT_SUPPORT = (0.24, 0.56)
# The fall in charges and the rise in withdrawn support come mostly in steps at the counting changes (each
# brought in crimes less often charged: courses of conduct recorded in addition from April 2018, former-partner
# conduct as stalking from April 2020; the rule reversed from mid-2023), with a gentle drift within each era.
# Each era starts this far along the way from the first share to the last (the last era from July 2023, the first
# quarter after the change).
ERAS = {(2014, 1): 0.0, (2018, 1): 0.55, (2020, 1): 0.85, (2023, 2): 1.0}
CHARGE_DRIFT = -0.04  # log change a year within an era
VICTIM_DRIFT = 0.08  # log-odds a year within an era
SPLIT_14_16 = {14: 0.2, 16: 0.8}
# Relative weights of the remaining outcome types; they share what charges and types 14/16 leave.
OTHER_TYPES = {15: 0.11, 18: 0.07, 3: 0.045, 8: 0.045, 2: 0.01, 21: 0.02, 10: 0.02, 20: 0.02, 22: 0.01}
MORE_UNIDENTIFIED = {"8R": 2.0}  # malicious communications more often end with no suspect identified
# How forces differ (illustrative spreads between forces, as standard deviations):
CHARGE_LEVEL = 0.22  # a force's charge share against the national one (log scale)
CHARGE_FALL = 0.2  # how much of the national fall a force followed (1 = all of it)
RECENT_FROM = 2021  # from April of this year forces' charge shares turn up or down, each at its own rate
RECENT_TREND = 0.1  # a year, log scale
VICTIM_LEVEL = 0.3  # a force's log-odds of "victim does not support action" against the national
VICTIM_TREND = 0.04  # a year, log-odds
# Quarter to quarter, beyond the counting noise of the draws (log scale for charges, log-odds for the victim share).
CHARGE_NOISE = 0.07
VICTIM_NOISE = 0.05
# The home force's genuine shift: its charge share steps up by this factor from this quarter on
# (July 2021, after the stalking training rolled out in May, a local event of the demo).
HOME_SHIFT = ((2021, 2), 1.4)


def _years(start_year: int, quarter: int) -> float:
    """Years from April 2014 to the start of a financial quarter."""
    return (start_year - 2014) + (quarter - 1) / 4


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def expit(x: float) -> float:
    return 1 / (1 + math.exp(-x))


@dataclass(frozen=True)
class ForceOutcomes:
    """How a force's outcomes differ from the national pattern (all 0 or 1 for the national pattern itself)."""

    charge_level: float = 1.0  # times the national charge share
    charge_fall: float = 1.0  # share of the national fall followed
    recent: float = 0.0  # log change a year from April RECENT_FROM
    victim_level: float = 0.0  # log-odds offset of the victim-does-not-support share
    victim_trend: float = 0.0  # log-odds a year, from April 2019
    shift_from: tuple[int, int] | None = None  # (financial year, quarter) of a genuine step in the charge share
    shift: float = 1.0


def force_profiles(forces: Sequence[str], home: str, seed: int) -> dict[str, ForceOutcomes]:
    """Each force's departure from the national pattern, drawn once per force in name order (seeded).

    The home force follows the national pattern, with one genuine step up in its charge share.
    """
    rng = np.random.default_rng([seed, 0])
    profiles = {}
    for force in sorted(forces):
        drawn = rng.normal(0, [CHARGE_LEVEL, CHARGE_FALL, RECENT_TREND, VICTIM_LEVEL, VICTIM_TREND])
        profiles[force] = ForceOutcomes(
            charge_level=float(np.exp(drawn[0])),
            charge_fall=float(np.clip(1 + drawn[1], 0.5, 1.5)),
            recent=float(drawn[2]),
            victim_level=float(drawn[3]),
            victim_trend=float(drawn[4]),
        )
    if home in profiles:
        profiles[home] = ForceOutcomes(victim_trend=0.01, shift_from=HOME_SHIFT[0], shift=HOME_SHIFT[1])
    return profiles


def _era(start_year: int, quarter: int) -> tuple[float, float]:
    """How far along the way from the first shares to the last a quarter's era starts, and years since it began."""
    begun = max(start for start in ERAS if start <= (start_year, quarter))
    return ERAS[begun], _years(start_year, quarter) - _years(*begun)


def charge_share(code: str, start_year: int, quarter: int, profile: ForceOutcomes = ForceOutcomes()) -> float:
    """The expected charge/summons share of assigned outcomes for an offence code, quarter and force."""
    along, within = _era(start_year, quarter)
    first, last = CHARGE_SHARE.get(code, (0.20, 0.05))
    national = (first + (last - first) * along) * math.exp(CHARGE_DRIFT * within)
    share = first * (national / first) ** profile.charge_fall * profile.charge_level
    share *= math.exp(profile.recent * max(0.0, _years(start_year, quarter) - (RECENT_FROM - 2014)))
    if profile.shift_from and (start_year, quarter) >= profile.shift_from:
        share *= profile.shift
    return share


def victim_share(start_year: int, quarter: int, profile: ForceOutcomes = ForceOutcomes()) -> float:
    """The expected share of assigned outcomes where the victim does not support action (types 14 and 16)."""
    along, within = _era(start_year, quarter)
    first, last = (logit(p) for p in VICTIM_DOES_NOT_SUPPORT)
    trend = profile.victim_trend * (_years(start_year, quarter) - 5)
    return expit(first + (last - first) * along + VICTIM_DRIFT * within + profile.victim_level + trend)


def outcome_mix(code: str, charge: float, withdrawn: float) -> dict[int, float]:
    """Shares of the assigned outcomes by outcome type for a charge share and victim share (they add to 1)."""
    charge, withdrawn = min(charge, 0.6), min(withdrawn, 0.85)
    others = dict(OTHER_TYPES)
    others[18] *= MORE_UNIDENTIFIED.get(code, 1.0)
    rest = max(1.0 - charge - withdrawn, 0.02)
    scale = rest / sum(others.values())
    mix = {1: charge, **{t: withdrawn * s for t, s in SPLIT_14_16.items()}}
    mix.update({t: w * scale for t, w in others.items()})
    total = sum(mix.values())
    return {t: mix[t] / total for t in sorted(mix)}
