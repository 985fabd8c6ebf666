"""Plain readings: each figure's answer to "is it changing?" and "will it meet the target?" in one line.

Written for a councillor reading a printed pack: no statistical terms in the sentence itself. The
technical description (:func:`dashboard.figures.spc.describe`) stays one click away, beside the
glossary (``dashboard/content/glossary.md``), which explains the terms behind these words.
Pure Python: no Streamlit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.figures import spc, trends

# The Making Data Count icons' short labels, always written beside the picture: colour is never the only cue.
VARIATION_LABELS = {
    "common_cause": "Usual variation",
    "neutral_high": "Unusually high",
    "neutral_low": "Unusually low",
    "improvement_high": "Improving: high",
    "improvement_low": "Improving: low",
    "concern_high": "Concern: high",
    "concern_low": "Concern: low",
}
ASSURANCE_LABELS = {
    "consistent_pass": "Meets the target every time",
    "consistent_fail": "Misses the target every time",
    "hit_and_miss": "Sometimes meets the target",
    "none": "Target not yet judged",
}
UNITS = {trends.MONTHLY: ("month", "months"), trends.QUARTERLY: ("quarter", "quarters")}


def _subject(subject: str) -> str:
    return subject[:1].upper() + subject[1:]


def _when(x: object, months: int) -> str:
    return trends.period_label(pd.Timestamp(x).date(), months)


def _run_length(values: np.ndarray, direction: int) -> int:
    """How many of the last values in a row match ``direction`` (1 or -1)."""
    return int(np.argmin(np.append(values[::-1] == direction, False)))


def variation(
    subject: str, frame: pd.DataFrame, improvement: str, months: int = trends.QUARTERLY, *, plural: bool = False
) -> str:
    """'Recorded stalking offences are higher than usual: the last 8 quarters were all above the average.'

    ``subject`` names the figure as a sentence starts it ("recorded stalking offences", "the charge rate";
    ``plural`` for a plural one); ``frame`` is :func:`dashboard.figures.spc.xmr` output of the periods
    the reading uses, ``months`` their length.
    """
    is_, its, it_has = ("are", "their", "they have") if plural else ("is", "its", "it has")
    unit, units = UNITS.get(months, ("period", "periods"))
    name = _subject(subject)
    observed = frame[frame["value"].notna()]
    if observed.empty:
        return f"There are no figures for {subject} to judge yet."
    last = observed.iloc[-1]
    segment = observed[observed["segment"] == last["segment"]]
    label = last["special_cause_type"]
    direction = spc.DIRECTION[label]
    judged = ""
    if direction and improvement != "neutral":
        better = direction > 0 if improvement == "increase" else direction < 0
        judged = ", an improvement" if better else ", a concern"
    higher = "higher" if direction > 0 else "lower"
    if label in ("Above UCL", "Below LCL"):
        edge = "highest" if direction > 0 else "lowest"
        text = (
            f"{name} {is_} unusually {'high' if direction > 0 else 'low'}{judged}: the latest {unit} "
            f"({_when(last['x'], months)}) was beyond the {edge} level expected by chance."
        )
    elif label.startswith("7 Point Trend"):
        steps = _run_length(np.sign(np.diff(segment["value"].to_numpy())).astype(int), direction)
        text = f"{name} {is_} {'rising' if direction > 0 else 'falling'}{judged}: {it_has} gone {'up' if direction > 0 else 'down'} {steps} {units} in a row."
    elif label.startswith("2 in 3"):
        edge = "highest" if direction > 0 else "lowest"
        text = f"{name} {is_} {higher} than usual{judged}: 2 of the last 3 {units} were close to the {edge} level expected by chance."
    elif label.startswith("7 Points"):
        sides = np.sign(segment["value"].to_numpy() - last["mean"]).astype(int)
        text = (
            f"{name} {is_} {higher} than usual{judged}: the last {_run_length(sides, direction)} {units} were all "
            f"{'above' if direction > 0 else 'below'} the average."
        )
    elif pd.isna(last["lpl"]):
        return f"{name} cannot be judged yet: too few {units}, or too little change between them, to set a usual range."
    else:
        signals = segment[segment["special_cause_type"] != "Common Cause"]
        if signals.empty:
            text = f"{name} {is_} within {its} usual range: the last {len(segment)} {units} went up and down only as much as chance would."
        else:
            text = (
                f"{name} {is_} within {its} usual range this {unit}; the last unusual {unit} was "
                f"{_when(signals.iloc[-1]['x'], months)}."
            )
    if last["trial_limits"]:
        text += f" An early judgement: only {len(segment)} {units} so far."
    return text


def assurance(subject: str, kind: str, target_text: str) -> str:
    """'The charge rate will meet the 12% target only some of the time: the target is within its usual range.'"""
    name = _subject(subject)
    return {
        "consistent_pass": f"{name} should meet the {target_text} target every time: even its usual worst is on the right side of it.",
        "consistent_fail": f"{name} will keep missing the {target_text} target unless something changes: even its usual best falls short.",
        "hit_and_miss": f"{name} will meet the {target_text} target only some of the time: the target is within its usual range.",
        "none": f"The {target_text} target for {subject} cannot be judged yet: there is no usual range to compare it with.",
    }[kind]


# How a sentence names each share measure (``dashboard.figures.measures``), by its key.
SHARE_SUBJECTS = {
    "charge_rate": "the charge rate",
    "victim_does_not_support": "the share where the victim does not support action",
}


def share_reading(subject: str, frame: pd.DataFrame, improvement: str, target: float | None) -> tuple[str, str]:
    """A share's SPC reading in plain words and in statistical terms, each with the target's assurance if it has one.

    ``frame`` is the :func:`dashboard.figures.spc.xmr` output of the share's quarterly percents.
    """
    words = variation(subject, frame, improvement)
    technical = spc.describe(frame, improvement)
    if target is not None:
        target_text = f"{target:g}%"
        kind, assured = spc.describe_assurance(frame, target, improvement, target_text)
        words += " " + assurance(subject, kind, target_text)
        technical += f" {assured}."
    return words, technical
