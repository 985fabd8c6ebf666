"""XmR statistical process control as NHS "Making Data Count" (reference: NHSRplotthedots 0.2.2).

`xmr` returns one row per value with its segment's mean, moving range, limits, 2-sigma band, the four
rules and the point type; `variation_icon`, `assurance` and `describe` summarise that frame.

Choices where the reference is silent or degenerate:
- Missing values are skipped: the rules and moving ranges run over the observed values in order (a
  moving range bridges the gap) and a missing point has no type. NHSRplotthedots instead leaves the two
  moving ranges touching a gap undefined.
- When the average moving range is 0 (or undefined, for a single point) there are no limits: `lpl`,
  `upl` and the band are NaN, so only the run rules (trend, shift) can signal. NHSRplotthedots gets NaN
  limits for constant values with screening on, and then also signals only by runs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

LIMIT = 2.66  # 3 sigma of an individuals chart: 3 / d2, d2 = 1.128
INNER = 2 * LIMIT / 3  # the 2-sigma band
SCREEN = 3.267  # upper range limit (D4 for ranges of two points)
RUN = 7
TRIAL_BELOW = 12
IMPROVEMENTS = ("increase", "decrease", "neutral")
COLUMNS = [
    "x", "value", "segment", "moving_range", "amr", "mean", "lpl", "upl", "inner_lower", "inner_upper",
    "trial_limits", "outside_limits", "trend", "two_in_three", "shift", "special_cause_type", "point_type",
    "target",
]  # fmt: skip

# NHSRplotthedots' special cause labels, with the direction of the deviation each signals.
DIRECTION = {
    "Above UCL": 1, "Below LCL": -1,
    "7 Point Trend (Increasing)": 1, "7 Point Trend (Decreasing)": -1,
    "2 in 3 Above CL": 1, "2 in 3 Below CL": -1,
    "7 Points Above CL": 1, "7 Points Below CL": -1,
    "Common Cause": 0,
}  # fmt: skip
_PHRASE = {
    "Above UCL": "above the upper process limit",
    "Below LCL": "below the lower process limit",
    "7 Point Trend (Increasing)": "a run of 7 or more rising points",
    "7 Point Trend (Decreasing)": "a run of 7 or more falling points",
    "2 in 3 Above CL": "2 of 3 points near the upper process limit",
    "2 in 3 Below CL": "2 of 3 points near the lower process limit",
    "7 Points Above CL": "a run of 7 or more points above the mean",
    "7 Points Below CL": "a run of 7 or more points below the mean",
}


def _check(improvement: str) -> None:
    if improvement not in IMPROVEMENTS:
        raise ValueError(f"improvement must be one of {IMPROVEMENTS}, not {improvement!r}")


def _mean(y: np.ndarray) -> float:
    """Mean refined by a second pass, as R's mean(), so that constant values sit exactly on it."""
    first = math.fsum(y) / len(y)
    return first + math.fsum(y - first) / len(y)


def _amr(moving_range: np.ndarray, screen: bool) -> float:
    """Average moving range, after dropping once the ranges at or above 3.267 x AMR when screening."""
    ranges = moving_range[~np.isnan(moving_range)]
    if ranges.size == 0:
        return math.nan
    amr = ranges.mean()
    if screen and amr > 0:
        # NHSRplotthedots keeps `mr < 3.267 * amr`, so a range exactly at the limit is dropped too.
        amr = ranges[ranges < SCREEN * amr].mean()
    return float(amr)


def _spread(ends: np.ndarray) -> np.ndarray:
    """Flag the point at the end of each qualifying run of 7 and the 6 points before it."""
    padded = np.concatenate([ends, np.zeros(RUN - 1, dtype=bool)])
    return sliding_window_view(padded, RUN).any(axis=1)


def _trend(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points in 7 or more strictly rising or falling values (a tie breaks a run), and the run's direction."""
    n = len(y)
    if n < RUN:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=int)
    step = np.sign(np.diff(y)).astype(int)
    windows = sliding_window_view(step, RUN - 1)
    pad = np.zeros(RUN - 1, dtype=bool)
    rising = _spread(np.concatenate([pad, (windows == 1).all(axis=1)]))
    falling = _spread(np.concatenate([pad, (windows == -1).all(axis=1)]))
    # A turning point shared by a rising and a falling run belongs to the run it starts, as in the reference.
    after = np.append(step, 0)
    direction = np.where(rising & falling, after, np.where(rising, 1, np.where(falling, -1, 0)))
    return rising | falling, direction


def _two_in_three(near: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Points near a limit that are 2 (or 3) of 3 consecutive near points, all 3 on one side of the mean."""
    n = len(near)
    if n < 3:
        return np.zeros(n, dtype=bool)
    hit = (sliding_window_view(near, 3).sum(axis=1) >= 2) & (np.abs(sliding_window_view(side, 3).sum(axis=1)) == 3)
    in_hit = np.zeros(n, dtype=bool)
    for offset in range(3):
        in_hit[offset : offset + len(hit)] |= hit
    return near & in_hit


def _shift(side: np.ndarray) -> np.ndarray:
    """Points in 7 or more in a row on one side of the mean (a point on the mean breaks the run)."""
    n = len(side)
    if n < RUN:
        return np.zeros(n, dtype=bool)
    windows = sliding_window_view(side, RUN)
    ends = (windows == windows[:, :1]).all(axis=1) & (windows[:, 0] != 0)
    return _spread(np.concatenate([np.zeros(RUN - 1, dtype=bool), ends]))


def _point_type(special: pd.Series, improvement: str) -> pd.Series:
    direction = special.map(DIRECTION).to_numpy()
    if improvement == "neutral":
        choices = ["special_cause_neutral_high", "special_cause_neutral_low"]
    else:
        direction = direction * (1 if improvement == "increase" else -1)
        choices = ["special_cause_improvement", "special_cause_concern"]
    return pd.Series(np.select([direction > 0, direction < 0], choices, "common_cause"), index=special.index)


LEVELS = ["amr", "mean", "lpl", "upl", "inner_lower", "inner_upper", "trial_limits"]
POINTS = ["moving_range", "outside_limits", "trend", "two_in_three", "shift", "special_cause_type", "point_type"]


def _segment(y: np.ndarray, screen: bool, improvement: str) -> tuple[dict, pd.DataFrame]:
    """The limits of one segment's observed values, and their rules and point types."""
    mean = _mean(y)
    moving_range = np.abs(np.diff(y, prepend=np.nan))
    amr = _amr(moving_range, screen)
    width = amr if amr > 0 else math.nan
    levels = {
        "amr": amr, "mean": mean, "lpl": mean - LIMIT * width, "upl": mean + LIMIT * width,
        "inner_lower": mean - INNER * width, "inner_upper": mean + INNER * width,
        "trial_limits": len(y) < TRIAL_BELOW,
    }  # fmt: skip
    side = np.sign(y - mean).astype(int)
    outside = (y > levels["upl"]) | (y < levels["lpl"])
    near = ~outside & ((y < levels["inner_lower"]) | (y > levels["inner_upper"]))
    trend, trend_direction = _trend(y)
    two_in_three = _two_in_three(near, side)
    shift = _shift(side)
    above = side > 0
    special = np.select(
        [outside, trend, two_in_three, shift],
        [
            np.where(above, "Above UCL", "Below LCL"),
            np.where(trend_direction > 0, "7 Point Trend (Increasing)", "7 Point Trend (Decreasing)"),
            np.where(above, "2 in 3 Above CL", "2 in 3 Below CL"),
            np.where(above, "7 Points Above CL", "7 Points Below CL"),
        ],
        "Common Cause",
    )
    points = pd.DataFrame(
        {
            "moving_range": moving_range, "outside_limits": outside, "trend": trend,
            "two_in_three": two_in_three, "shift": shift, "special_cause_type": special,
        }
    )  # fmt: skip
    points["point_type"] = _point_type(points["special_cause_type"], improvement)
    return levels, points


def xmr(
    values: Sequence[float] | pd.Series,
    *,
    improvement: str = "neutral",
    screen_outliers: bool = True,
    rebase_at: Iterable[int] = (),
    target: float | None = None,
) -> pd.DataFrame:
    """One row per value (a Series keeps its index, also as column `x`) with limits, rules and point type.

    `rebase_at` holds 0-based positions where a new segment starts; everything is computed per segment.
    """
    _check(improvement)
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=float)
    y = pd.to_numeric(series).to_numpy(dtype=float, na_value=np.nan)
    n = len(y)
    starts = sorted({int(position) for position in rebase_at})
    if any(position < 0 or position >= n for position in starts):
        raise ValueError(f"rebase positions must lie in 0..{n - 1}, got {starts}")
    marks = np.zeros(n, dtype=int)
    marks[[position for position in starts if position > 0]] = 1
    frame = pd.DataFrame({"x": series.index, "value": y, "segment": np.cumsum(marks)})
    levels, points = [], []
    for segment, rows in frame.groupby("segment", sort=True):
        observed = rows["value"].dropna()
        if not observed.empty:
            level, point = _segment(observed.to_numpy(), screen_outliers, improvement)
            levels.append({"segment": segment, **level})
            points.append(point.set_axis(observed.index))
    # Segment-wide values reach the segment's missing points too, so limits draw as unbroken lines.
    frame = frame.join(pd.DataFrame(levels, columns=["segment", *LEVELS]).set_index("segment"), on="segment")
    frame = frame.join(pd.concat(points) if points else pd.DataFrame(columns=POINTS))
    for flag in ["trial_limits", "outside_limits", "trend", "two_in_three", "shift"]:
        frame[flag] = frame[flag].eq(True)
    numeric = ["moving_range", "amr", "mean", "lpl", "upl", "inner_lower", "inner_upper"]
    frame[numeric] = frame[numeric].astype(float)
    frame["target"] = math.nan if target is None else float(target)
    return frame[COLUMNS].set_axis(series.index)


def _last(frame: pd.DataFrame) -> pd.Series | None:
    observed = frame[frame["value"].notna()]
    return None if observed.empty else observed.iloc[-1]


def variation_icon(frame: pd.DataFrame) -> str:
    """The last point's variation icon, e.g. "improvement_high"; "common_cause" when there is no point."""
    last = _last(frame)
    if last is None or last["point_type"] == "common_cause":
        return "common_cause"
    kind = last["point_type"].removeprefix("special_cause_").removesuffix("_high").removesuffix("_low")
    return f"{kind}_{'high' if DIRECTION[last['special_cause_type']] > 0 else 'low'}"


def assurance(frame: pd.DataFrame, target: float | None, improvement: str) -> str:
    """The assurance icon against the last segment's limits: consistent_pass, consistent_fail, hit_and_miss or none.

    "none" without a target or a direction, and also when the last segment has no limits: nothing then says how
    far the values may vary. A target exactly on a limit counts as consistently passed or failed.
    """
    _check(improvement)
    last = _last(frame)
    if target is None or pd.isna(target) or improvement == "neutral" or last is None or pd.isna(last["lpl"]):
        return "none"
    low, high = target <= last["lpl"], target >= last["upl"]
    passes, fails = (low, high) if improvement == "increase" else (high, low)
    return "consistent_pass" if passes else "consistent_fail" if fails else "hit_and_miss"


# The assurance icon in words, after NHS "Making Data Count"; ``{target}`` is the target as written.
ASSURANCE_WORDS = {
    "consistent_pass": "Consistently meets the target of {target}",
    "consistent_fail": (
        "Consistently misses the target of {target}: it lies outside the process limits, so without a change in "
        "how the work is done it will not be met"
    ),
    "hit_and_miss": (
        "Hit and miss against the target of {target}: it lies within the process limits, so it will be met in "
        "some periods and missed in others by chance"
    ),
    "none": "Target {target}: no process limits yet to judge it against",
}


def describe_assurance(frame: pd.DataFrame, target: float, improvement: str, target_text: str) -> tuple[str, str]:
    """The assurance icon (see :func:`assurance`) and its sentence, the target written as ``target_text``."""
    kind = assurance(frame, target, improvement)
    return kind, ASSURANCE_WORDS[kind].format(target=target_text)


def _when(x: object) -> str:
    if isinstance(x, dt.date | np.datetime64):
        return pd.Timestamp(x).strftime("%b %Y")
    return str(x)


def _cause(direction: int, improvement: str) -> str:
    if improvement == "neutral":
        return "special cause, neutral direction"
    good = direction > 0 if improvement == "increase" else direction < 0
    return f"special cause, {'improvement' if good else 'concern'}"


def describe(frame: pd.DataFrame, improvement: str) -> str:
    """A plain-English sentence on the latest point and the last segment, for a chart caption or alt text."""
    _check(improvement)
    last = _last(frame)
    if last is None:
        return "No values to chart."
    segment = frame[(frame["segment"] == last["segment"]) & frame["value"].notna()]
    label = last["special_cause_type"]
    direction = DIRECTION[label]
    cause = _cause(direction, improvement)
    if label in ("Above UCL", "Below LCL"):
        text = f"The latest point is {_PHRASE[label]} ({cause})."
    elif label.startswith("7 Point Trend"):
        steps = np.sign(segment["value"].diff()).to_numpy()[::-1]
        length = 1 + int(np.argmin(np.append(steps == direction, False)))
        word = "rising" if direction > 0 else "falling"
        text = f"A run of {length} points {word} in a row since {_when(segment['x'].iloc[-length])} ({cause})."
    elif label.startswith("2 in 3"):
        text = f"2 of the latest 3 points are near the {'upper' if direction > 0 else 'lower'} process limit ({cause})."
    elif label.startswith("7 Points"):
        sides = np.sign(segment["value"] - last["mean"]).to_numpy()[::-1]
        length = int(np.argmin(np.append(sides == direction, False)))
        where = "above" if direction > 0 else "below"
        text = f"A run of {length} points {where} the mean since {_when(segment['x'].iloc[-length])} ({cause})."
    else:
        signals = segment[segment["special_cause_type"] != "Common Cause"]
        span = f"the last {len(segment)} points" if len(segment) > 1 else "the only point"
        text = f"No signal beyond normal variation in {span}."
        if not signals.empty:
            latest = signals.iloc[-1]
            text = (
                f"No signal at the latest point; the most recent special cause in {span} "
                f"was {_PHRASE[latest['special_cause_type']]} at {_when(latest['x'])}."
            )
    if pd.isna(last["lpl"]):
        if len(segment) == 1:
            return text + " There are no limits: one point has no moving range."
        if segment["value"].nunique() == 1:
            return text + " There are no limits: the values do not vary."
        return text + " There are no limits: apart from the screened-out jumps the values do not vary."
    if last["trial_limits"]:
        text += f" The limits are trial limits: fewer than {TRIAL_BELOW} points."
    return text
