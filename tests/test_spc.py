"""XmR charts against the published checks and hand-built vectors, one per rule."""

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.figures import spc

PUBLISHED = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
# set.seed(123); rnorm(20) in R
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
    -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
    0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip
WIDE = [0, 10, 0, 10, 0, 10]  # wide limits, alternating sides, no trend
STABLE = [4, 6] * 8
MONTHS = pd.date_range("2023-01-01", periods=19, freq="MS")


def signals(frame: pd.DataFrame, rule: str) -> list[int]:
    return [int(i) for i in np.flatnonzero(frame[rule].to_numpy())]


def special(frame: pd.DataFrame) -> list[int]:
    return [int(i) for i in np.flatnonzero((frame["point_type"] != "common_cause").to_numpy())]


# Published checks


def test_published_check_screened_limits():
    row = spc.xmr(PUBLISHED).iloc[0]
    assert (row["lpl"], row["mean"], row["upl"]) == pytest.approx((-0.715556, 1.944444, 4.604444), abs=1e-6)
    assert row["amr"] == pytest.approx(1.0)


def test_published_check_unscreened_limits():
    row = spc.xmr(PUBLISHED, screen_outliers=False).iloc[0]
    assert (row["lpl"], row["mean"], row["upl"]) == pytest.approx((-3.06, 1.94, 6.95), abs=5e-3)
    assert row["amr"] == pytest.approx(32 / 17)


@pytest.mark.parametrize("screen", [True, False])
def test_published_check_the_ten_is_the_only_signal(screen):
    frame = spc.xmr(PUBLISHED, screen_outliers=screen)
    assert special(frame) == [4]
    assert frame["special_cause_type"].iloc[4] == "Above UCL"
    assert frame["point_type"].iloc[4] == "special_cause_neutral_high"


def test_rnorm_seed_123_matches_r():
    frame = spc.xmr(RNORM_123)
    row = frame.iloc[0]
    assert row["mean"] == pytest.approx(0.1416238, abs=1e-7)
    assert row["lpl"] == pytest.approx(-3.01138, abs=1e-5)
    assert row["upl"] == pytest.approx(3.294627, abs=1e-6)
    # no moving range reaches 3.267 x AMR, so screening changes nothing here
    assert row["amr"] == pytest.approx(spc.xmr(RNORM_123, screen_outliers=False)["amr"].iloc[0])
    assert special(frame) == []


def test_screening_drops_a_moving_range_exactly_at_the_limit():
    # moving ranges 3267, 748 x 8 and 749: AMR 1000, and 3.267 x 1000 == 3267 exactly in floating point
    steps = [3267] + [748] * 8 + [749]
    y = np.cumsum([0] + [step * (-1) ** i for i, step in enumerate(steps)])
    assert spc.xmr(y)["amr"].iloc[0] == pytest.approx(6733 / 9)
    assert spc.xmr(y, screen_outliers=False)["amr"].iloc[0] == pytest.approx(1000)


def test_band_is_two_thirds_of_the_limits():
    row = spc.xmr(PUBLISHED).iloc[0]
    assert row["inner_upper"] - row["mean"] == pytest.approx((2 / 3) * 2.66 * row["amr"])
    assert row["mean"] - row["inner_lower"] == pytest.approx((2 / 3) * 2.66 * row["amr"])


# Rule 2: trend


def test_seven_rising_points_are_a_trend():
    frame = spc.xmr(WIDE + [1, 2, 3, 4, 5, 6, 7] + WIDE)
    assert signals(frame, "trend") == list(range(6, 13))
    assert set(frame["special_cause_type"].iloc[6:13]) == {"7 Point Trend (Increasing)"}
    assert special(frame) == list(range(6, 13))


def test_every_further_point_extends_the_trend():
    frame = spc.xmr(WIDE + [1, 2, 3, 4, 5, 6, 7, 8] + WIDE)
    assert signals(frame, "trend") == list(range(6, 14))


@pytest.mark.parametrize("run", [[1, 2, 3, 4, 5, 6, 6], [1, 2, 3, 3, 4, 5, 6]], ids=["tie-at-end", "tie-inside"])
def test_a_tie_breaks_a_trend(run):
    assert signals(spc.xmr(WIDE + run + WIDE), "trend") == []


def test_falling_trend_is_improvement_when_lower_is_better():
    frame = spc.xmr(WIDE + [9, 8, 7, 6, 5, 4, 3] + WIDE, improvement="decrease")
    assert set(frame["special_cause_type"].iloc[6:13]) == {"7 Point Trend (Decreasing)"}
    assert set(frame["point_type"].iloc[6:13]) == {"special_cause_improvement"}


# Rule 4: shift

SHIFTS = [0, 10, 0, 10, 0, 6, 7, 6, 7, 6, 7, 6, 0, 10, 0, 10, 4, 3, 4, 3, 4, 3, 4, 10, 0, 10]  # mean exactly 5


def test_seven_points_on_one_side_are_a_shift():
    frame = spc.xmr(SHIFTS, improvement="increase")
    assert frame["mean"].iloc[0] == 5
    assert signals(frame, "shift") == [*range(5, 12), *range(16, 23)]
    assert special(frame) == [*range(5, 12), *range(16, 23)]
    assert set(frame["special_cause_type"].iloc[5:12]) == {"7 Points Above CL"}
    assert set(frame["point_type"].iloc[5:12]) == {"special_cause_improvement"}
    assert set(frame["special_cause_type"].iloc[16:23]) == {"7 Points Below CL"}
    assert set(frame["point_type"].iloc[16:23]) == {"special_cause_concern"}


def test_a_point_exactly_on_the_mean_breaks_a_shift():
    y = list(SHIFTS)
    y[8], y[19] = 5, 5  # the middle of each run, keeping the mean at 5
    frame = spc.xmr(y)
    assert frame["mean"].iloc[0] == 5
    assert signals(frame, "shift") == []
    assert special(frame) == []


# Rule 3: two in three near a limit


def test_two_of_three_beyond_the_band_flags_exactly_those_two():
    frame = spc.xmr(STABLE + [10, 6, 10] + [4, 6] * 4)
    assert frame["inner_upper"].iloc[0] < 10 < frame["upl"].iloc[0]
    assert frame["mean"].iloc[0] < 6 < frame["inner_upper"].iloc[0]
    assert signals(frame, "two_in_three") == [16, 18]
    assert special(frame) == [16, 18]
    assert set(frame["special_cause_type"].iloc[[16, 18]]) == {"2 in 3 Above CL"}


def test_three_of_three_beyond_the_band_flags_all_three():
    frame = spc.xmr(STABLE + [10, 6, 10, 10] + [4, 6] * 4)
    assert signals(frame, "two_in_three") == [16, 18, 19]


def test_two_in_three_needs_all_three_on_one_side_of_the_mean():
    frame = spc.xmr(STABLE + [10, 4, 10] + [4, 6] * 4)
    assert frame["inner_upper"].iloc[0] < 10 and frame["value"].iloc[17] < frame["mean"].iloc[0]
    assert special(frame) == []


def test_a_point_outside_the_limits_does_not_count_towards_two_in_three():
    # as NHSRplotthedots: only points between the band and the limit are "close to the limits"
    frame = spc.xmr(STABLE + [13, 6, 10.5] + [4, 6] * 4)
    assert frame["upl"].iloc[0] < 13 and frame["inner_upper"].iloc[0] < 10.5 < frame["upl"].iloc[0]
    assert special(frame) == [16]
    assert frame["special_cause_type"].iloc[16] == "Above UCL"


# Rule 1 and the classification


@pytest.mark.parametrize(
    ("values", "improvement", "expected"),
    [
        (PUBLISHED, "increase", "special_cause_improvement"),
        (PUBLISHED, "decrease", "special_cause_concern"),
        (PUBLISHED, "neutral", "special_cause_neutral_high"),
        ([3 - v for v in PUBLISHED], "increase", "special_cause_concern"),
        ([3 - v for v in PUBLISHED], "decrease", "special_cause_improvement"),
        ([3 - v for v in PUBLISHED], "neutral", "special_cause_neutral_low"),
    ],
)
def test_outside_limits_is_classified_by_direction(values, improvement, expected):
    frame = spc.xmr(values, improvement=improvement)
    assert signals(frame, "outside_limits") == [4]
    assert frame["point_type"].iloc[4] == expected
    assert frame["special_cause_type"].iloc[4] == ("Above UCL" if values[4] > 5 else "Below LCL")


def test_outside_limits_outranks_a_trend_in_the_opposite_direction():
    y = [4, 6] * 10 + [12, 10.5, 9, 8, 7, 6, 5.5] + [4, 6] * 3
    frame = spc.xmr(y, improvement="increase")
    assert signals(frame, "trend") == list(range(20, 28))  # 12 down to 4, eight falling points
    assert signals(frame, "outside_limits") == [20]
    assert frame["special_cause_type"].iloc[20] == "Above UCL"
    assert frame["point_type"].iloc[20] == "special_cause_improvement"
    assert set(frame["special_cause_type"].iloc[21:28]) == {"7 Point Trend (Decreasing)"}
    assert set(frame["point_type"].iloc[21:28]) == {"special_cause_concern"}


def test_a_trend_outranks_a_shift():
    y = [4, 6] * 10 + [12, 10.5, 9, 8, 7, 6, 5.5] + [4, 6] * 3
    frame = spc.xmr(y, improvement="increase")
    both = frame["trend"] & frame["shift"] & ~frame["outside_limits"]
    assert both.sum() == 5
    assert set(frame.loc[both, "special_cause_type"]) == {"7 Point Trend (Decreasing)"}


def test_invalid_improvement_is_refused():
    with pytest.raises(ValueError, match="improvement"):
        spc.xmr([1, 2, 3], improvement="up")


# Rebasing


def test_rebase_gives_each_segment_its_own_limits():
    frame = spc.xmr([1, 3] * 6 + [11, 13] * 6, rebase_at=[12])
    first, second = frame.iloc[0], frame.iloc[12]
    assert list(frame["segment"]) == [0] * 12 + [1] * 12
    assert (first["lpl"], first["mean"], first["upl"]) == pytest.approx((-3.32, 2.0, 7.32))
    assert (second["lpl"], second["mean"], second["upl"]) == pytest.approx((6.68, 12.0, 17.32))
    assert math.isnan(frame["moving_range"].iloc[12])
    assert special(frame) == []


def test_without_rebase_the_same_values_share_one_set_of_limits():
    frame = spc.xmr([1, 3] * 6 + [11, 13] * 6)
    assert frame["lpl"].nunique() == 1
    assert (frame["lpl"].iloc[0], frame["mean"].iloc[0], frame["upl"].iloc[0]) == pytest.approx((1.68, 7.0, 12.32))
    assert frame["moving_range"].iloc[12] == 8


def test_a_trend_across_a_rebase_is_not_one_run():
    y = [5, 1, 5, 1, 5, 1, 5, 1, 1, 2, 3, 4] + [5, 6, 7, 8, 2, 9, 2, 9, 2, 9, 2, 9]
    assert signals(spc.xmr(y), "trend") == list(range(8, 16))
    assert signals(spc.xmr(y, rebase_at=[12]), "trend") == []


def test_a_shift_across_a_rebase_is_not_one_run():
    y = [0, 4, 0, 4, 0, 4, 0, 4, 3, 3, 3, 3] + [5, 5, 5, 5, 0, 8, 0, 8, 0, 8, 0, 8]
    frame = spc.xmr(y, rebase_at=[12])
    above = (frame["value"] > frame["mean"]).to_numpy()
    assert above[7:16].all()  # nine points above their own segment's mean
    assert special(frame) == []


@pytest.mark.parametrize("positions", [[-1], [24]])
def test_rebase_outside_the_values_is_refused(positions):
    with pytest.raises(ValueError, match="rebase"):
        spc.xmr([1, 3] * 12, rebase_at=positions)


# Trial limits, no limits, edge cases


def test_fewer_than_twelve_points_give_trial_limits():
    assert spc.xmr(PUBLISHED[:11])["trial_limits"].all()
    assert not spc.xmr(PUBLISHED[:12])["trial_limits"].any()
    assert not math.isnan(spc.xmr(PUBLISHED[:11])["upl"].iloc[0])


def test_trial_limits_are_judged_per_segment():
    frame = spc.xmr([1, 3] * 6 + [11, 13, 11, 13, 11], rebase_at=[12])
    assert list(frame["trial_limits"]) == [False] * 12 + [True] * 5


@pytest.mark.parametrize("screen", [True, False])
def test_constant_values_have_no_limits(screen):
    frame = spc.xmr([5] * 15, screen_outliers=screen)
    assert frame["amr"].iloc[0] == 0
    assert frame[["lpl", "upl", "inner_lower", "inner_upper"]].isna().all().all()
    assert (frame["mean"] == 5).all()
    assert special(frame) == []


def test_with_no_limits_only_runs_can_signal():
    # the one jump is screened out, leaving an AMR of 0: no limits, but eight points below the mean
    frame = spc.xmr([5] * 8 + [15])
    assert frame["amr"].iloc[0] == 0 and frame["upl"].isna().all()
    assert signals(frame, "outside_limits") == []
    assert signals(frame, "shift") == list(range(8))
    assert frame["point_type"].iloc[8] == "common_cause"


def test_a_single_value():
    frame = spc.xmr([3.0])
    assert len(frame) == 1 and frame["mean"].iloc[0] == 3
    assert math.isnan(frame["amr"].iloc[0]) and math.isnan(frame["upl"].iloc[0])
    assert frame["trial_limits"].iloc[0] and frame["point_type"].iloc[0] == "common_cause"


def test_an_empty_input_gives_an_empty_frame_with_the_columns():
    frame = spc.xmr([])
    assert frame.empty and list(frame.columns) == spc.COLUMNS


def test_missing_values_are_skipped():
    y = [*PUBLISHED[:6], np.nan, *PUBLISHED[6:]]
    frame = spc.xmr(y, improvement="increase")
    complete = spc.xmr(PUBLISHED, improvement="increase")
    gap = frame.iloc[6]
    assert pd.isna(gap["point_type"]) and pd.isna(gap["special_cause_type"]) and math.isnan(gap["moving_range"])
    assert not gap[["outside_limits", "trend", "two_in_three", "shift"]].any()
    assert gap["upl"] == pytest.approx(complete["upl"].iloc[0])
    observed = frame.drop(index=6).reset_index(drop=True)
    for column in ["moving_range", "mean", "lpl", "upl", "point_type"]:
        pd.testing.assert_series_equal(observed[column], complete[column], check_dtype=False)


def test_nullable_integers_with_missing_values_are_accepted():
    frame = spc.xmr(pd.Series([1, 2, None, 3], dtype="Int64"))
    assert frame["value"].isna().tolist() == [False, False, True, False]


def test_a_series_keeps_its_index_and_the_target_is_carried():
    values = pd.Series(range(19), index=MONTHS)
    frame = spc.xmr(values, target=4)
    assert frame.index.equals(MONTHS) and list(frame["x"]) == list(MONTHS)
    assert (frame["target"] == 4).all()


# Variation icon


def _frame(rows, **columns):
    return pd.DataFrame({"value": [1.0] * len(rows), "segment": 0, **columns}).assign(
        point_type=[r[0] for r in rows], special_cause_type=[r[1] for r in rows]
    )


@pytest.mark.parametrize(
    ("point_type", "special_cause_type", "icon"),
    [
        ("common_cause", "Common Cause", "common_cause"),
        ("special_cause_improvement", "Above UCL", "improvement_high"),
        ("special_cause_improvement", "7 Point Trend (Decreasing)", "improvement_low"),
        ("special_cause_concern", "7 Points Above CL", "concern_high"),
        ("special_cause_concern", "2 in 3 Below CL", "concern_low"),
        ("special_cause_neutral_high", "Above UCL", "neutral_high"),
        ("special_cause_neutral_low", "Below LCL", "neutral_low"),
    ],
)
def test_variation_icon_is_the_last_points_type_and_direction(point_type, special_cause_type, icon):
    frame = _frame([("special_cause_concern", "Below LCL"), (point_type, special_cause_type)])
    assert spc.variation_icon(frame) == icon


def test_variation_icon_skips_a_missing_last_value():
    frame = _frame([("special_cause_improvement", "Below LCL"), ("common_cause", "Common Cause")])
    frame.loc[1, ["value", "point_type", "special_cause_type"]] = [np.nan, None, None]
    assert spc.variation_icon(frame) == "improvement_low"


def test_variation_icon_from_xmr():
    assert spc.variation_icon(spc.xmr(PUBLISHED[:5], improvement="decrease")) == "common_cause"  # trial, 10 inside
    assert spc.variation_icon(spc.xmr(SHIFTS[:12], improvement="decrease")) == "concern_high"
    assert spc.variation_icon(spc.xmr([], improvement="decrease")) == "common_cause"


# Assurance


def _limits(lpl=2.0, upl=8.0):
    return pd.DataFrame({"value": [5.0, 5.0], "segment": [0, 1], "lpl": [20.0, lpl], "upl": [30.0, upl]})


@pytest.mark.parametrize(
    ("target", "improvement", "expected"),
    [
        (1, "increase", "consistent_pass"),
        (2, "increase", "consistent_pass"),
        (5, "increase", "hit_and_miss"),
        (8, "increase", "consistent_fail"),
        (9, "increase", "consistent_fail"),
        (9, "decrease", "consistent_pass"),
        (8, "decrease", "consistent_pass"),
        (5, "decrease", "hit_and_miss"),
        (2, "decrease", "consistent_fail"),
        (1, "decrease", "consistent_fail"),
        (5, "neutral", "none"),
        (None, "increase", "none"),
        (math.nan, "decrease", "none"),
    ],
)
def test_assurance_against_the_last_segments_limits(target, improvement, expected):
    assert spc.assurance(_limits(), target, improvement) == expected


def test_assurance_without_limits_is_none():
    assert spc.assurance(_limits(math.nan, math.nan), 5, "increase") == "none"
    assert spc.assurance(spc.xmr([]), 5, "increase") == "none"


def test_assurance_from_xmr():
    frame = spc.xmr([1, 3] * 6 + [11, 13] * 6, rebase_at=[12], improvement="increase")
    assert spc.assurance(frame, 5, "increase") == "consistent_pass"  # below the last segment's 6.68
    assert spc.assurance(frame, 12, "increase") == "hit_and_miss"
    assert spc.assurance(frame, 18, "increase") == "consistent_fail"


# Captions


def test_describe_no_signal():
    assert spc.describe(spc.xmr(STABLE), "neutral") == "No signal beyond normal variation in the last 16 points."


def test_describe_latest_point_above_the_upper_limit():
    frame = spc.xmr([1, 2] * 6 + [10])
    assert spc.describe(frame, "neutral") == (
        "The latest point is above the upper process limit (special cause, neutral direction)."
    )


def test_describe_run_below_the_mean():
    frame = spc.xmr(pd.Series([0, 10] * 6 + [4, 3, 4, 3, 4, 3, 4], index=MONTHS), improvement="increase")
    assert (
        spc.describe(frame, "increase") == "A run of 7 points below the mean since Jan 2024 (special cause, concern)."
    )


def test_describe_trend_up():
    frame = spc.xmr(pd.Series([0, 10] * 6 + [1, 2, 3, 4, 5, 6, 7], index=MONTHS), improvement="increase")
    assert spc.describe(frame, "increase") == (
        "A run of 7 points rising in a row since Jan 2024 (special cause, improvement)."
    )


def test_describe_two_in_three():
    frame = spc.xmr(STABLE + [10, 6, 10], improvement="decrease")
    assert spc.describe(frame, "decrease") == (
        "2 of the latest 3 points are near the upper process limit (special cause, concern)."
    )


def test_describe_an_earlier_signal():
    text = spc.describe(spc.xmr(PUBLISHED), "neutral")
    assert text == (
        "No signal at the latest point; the most recent special cause in the last 18 points "
        "was above the upper process limit at 4."
    )


def test_describe_trial_limits():
    assert spc.describe(spc.xmr([4, 6, 4, 6, 5]), "neutral") == (
        "No signal beyond normal variation in the last 5 points. The limits are trial limits: fewer than 12 points."
    )


def test_describe_amr_zero():
    assert spc.describe(spc.xmr([5] * 15), "neutral") == (
        "No signal beyond normal variation in the last 15 points. There are no limits: the values do not vary."
    )


def test_describe_amr_zero_after_screening():
    text = spc.describe(spc.xmr([5] * 8 + [15]), "increase")
    assert text.endswith("There are no limits: apart from the screened-out jumps the values do not vary.")


def test_describe_single_and_empty():
    assert spc.describe(spc.xmr([3]), "neutral") == (
        "No signal beyond normal variation in the only point. There are no limits: one point has no moving range."
    )
    assert spc.describe(spc.xmr([]), "neutral") == "No values to chart."
