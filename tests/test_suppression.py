"""Small-number protection on hand-built tables: primary, secondary (the classic cases exactly) and small bases."""

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.charts.base import ChartText
from dashboard.charts.catalogue import Chart
from dashboard.outputs import release, suppression
from dashboard.outputs.suppression import LOW_BASE, SUPPRESSED, Line, Spec
from data_loaders.settings import SuppressionRules

RULES = SuppressionRules(threshold=4, minimum_base=10)


def _shown(table: pd.DataFrame, cells, marker: str) -> pd.DataFrame:
    out = table.astype(object)
    for row, column in cells:
        out.loc[row, column] = marker
    return out


def suppress_table(
    table: pd.DataFrame,
    rules: SuppressionRules,
    *,
    total_row=None,
    total_column=None,
    force_level_rows=(),
) -> suppression.Protected:
    """A cross-table of counts (rows are areas) protected by the outputs' ``protect_cells``: small counts below force
    level and their giveaways as ``[c]``.

    ``total_row`` and ``total_column`` name the margins when the table has them; rows named in
    ``force_level_rows`` (and the total row) are force level and never hidden. A line without a
    margin is still taken to add up to a published total: over the areas, the force's own figure.
    """
    protected_rows = set(force_level_rows) | ({total_row} if total_row is not None else set())
    rows = [r for r in table.index if r not in protected_rows]
    columns = [c for c in table.columns if c != total_column]
    values = {(r, c): table.loc[r, c] for r in table.index for c in table.columns}
    lines = []
    if len(columns) > 1:
        lines += [
            Line(tuple((r, c) for c in columns), (r, total_column) if total_column is not None else None) for r in rows
        ]
    for column in [*columns, *([total_column] if total_column is not None else [])]:
        lines.append(Line(tuple((r, column) for r in rows), (total_row, column) if total_row is not None else None))
    primary, secondary = suppression.protect_cells(
        values, lines, threshold=rules.threshold, suppressible=lambda cell: cell[0] not in protected_rows
    )
    return suppression.Protected(_shown(table, primary | secondary, SUPPRESSED), primary, secondary, rules=rules)


C = SUPPRESSED


def cross_table(rows: dict[str, list[int]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns)


def shown(protected) -> dict[str, list[object]]:
    return {row: list(values) for row, values in protected.table.iterrows()}


def test_one_small_cell_takes_the_next_smallest_in_its_row_and_column():
    table = cross_table(
        {
            "CSP North": [3, 10, 12, 25],
            "CSP South": [8, 7, 20, 35],
            "Force": [11, 17, 32, 60],
        },
        ["Stalking", "Harassment", "Malicious communications", "Total"],
    )
    protected = suppress_table(table, RULES, total_row="Force", total_column="Total")
    assert protected.primary == {("CSP North", "Stalking")}
    # Row: 10 is the next smallest; column: 8; then the harassment column holds one hidden cell, so 7 goes too.
    assert protected.secondary == {("CSP North", "Harassment"), ("CSP South", "Stalking"), ("CSP South", "Harassment")}
    assert shown(protected) == {
        "CSP North": [C, C, 12, 25],
        "CSP South": [C, C, 20, 35],
        "Force": [11, 17, 32, 60],
    }


def test_two_small_cells_in_a_row_protect_each_other_there_but_not_in_their_columns():
    table = cross_table(
        {"A": [2, 3, 40, 45], "B": [9, 12, 50, 71], "C": [15, 6, 30, 51], "Force": [26, 21, 120, 167]},
        ["x", "y", "z", "Total"],
    )
    protected = suppress_table(table, RULES, total_row="Force", total_column="Total")
    assert protected.primary == {("A", "x"), ("A", "y")}
    # Row A already hides two cells; column x takes B's 9 (smallest), column y takes C's 6.
    assert protected.secondary == {("B", "x"), ("C", "y"), ("B", "y"), ("C", "x")}
    assert shown(protected)["A"] == [C, C, 40, 45]
    assert shown(protected)["Force"] == [26, 21, 120, 167]


def test_an_area_total_that_is_itself_small_is_hidden_with_its_parts_and_recovered_by_nothing():
    table = cross_table(
        {"X": [1, 2, 3], "Y": [10, 20, 30], "Z": [11, 25, 36], "Force": [22, 47, 69]},
        ["a", "b", "Total"],
    )
    protected = suppress_table(table, RULES, total_row="Force", total_column="Total")
    assert protected.primary == {("X", "a"), ("X", "b"), ("X", "Total")}
    assert protected.secondary == {("Y", "a"), ("Y", "b"), ("Y", "Total")}
    assert shown(protected) == {"X": [C, C, C], "Y": [C, C, C], "Z": [11, 25, 36], "Force": [22, 47, 69]}


def test_zero_is_not_small_and_the_threshold_is_configurable():
    table = cross_table({"A": [0, 3], "B": [5, 6]}, ["x", "y"])
    assert not suppress_table(table, SuppressionRules(threshold=2, minimum_base=10)).applied
    strict = suppress_table(table, SuppressionRules(threshold=5, minimum_base=10))
    assert strict.primary == {("A", "y"), ("B", "x")}
    # The zero is no small number; it is hidden only because row A's total would give its 3 away.
    assert ("A", "x") in strict.secondary


def test_a_zero_is_hidden_only_when_nothing_else_is_left_in_the_line():
    table = cross_table({"A": [2, 0], "B": [30, 40]}, ["x", "y"])
    protected = suppress_table(table, RULES)
    # Row A: only the zero is left to hide; column x: B's 30; then column y and row B need one more: 40.
    assert protected.primary == {("A", "x")}
    assert protected.secondary == {("A", "y"), ("B", "x"), ("B", "y")}


def test_force_level_figures_are_published_unsuppressed():
    table = cross_table({"Devon and Cornwall": [3, 2], "Dorset": [1, 4]}, ["Q1", "Q2"])
    protected = suppress_table(table, RULES, force_level_rows=["Devon and Cornwall", "Dorset"])
    assert not protected.applied
    assert shown(protected) == {"Devon and Cornwall": [3, 2], "Dorset": [1, 4]}


def test_a_line_without_a_published_total_needs_no_secondary_suppression():
    values = {"a": 2, "b": 50, "c": 60}
    primary, secondary = suppression.protect_cells(values, [], threshold=4, suppressible=lambda cell: True)
    assert (primary, secondary) == ({"a"}, set())
    primary, secondary = suppression.protect_cells(
        values, [Line(("a", "b", "c"))], threshold=4, suppressible=lambda cell: True
    )
    assert (primary, secondary) == ({"a"}, {"b"})


def test_ties_take_the_first_cell_in_the_line():
    primary, secondary = suppression.protect_cells(
        {"a": 1, "b": 7, "c": 7}, [Line(("a", "b", "c"))], threshold=4, suppressible=lambda cell: True
    )
    assert secondary == {"b"}


CSP_ROWS = pd.DataFrame(
    {
        "csp": ["Exeter", "Plymouth", "Torbay", "Devon and Cornwall"] * 2,
        "quarter": ["2024/25 Q1"] * 4 + ["2024/25 Q2"] * 4,
        "offences": [120, 3, 40, 163, 130, 150, 45, 325],
        "charged": [20, 1, 6, 27, 25, 30, 2, 57],
        "assigned": [100, 3, 35, 138, 110, 120, 9, 239],
    }
)
CSP_ROWS["charge_rate"] = (100 * CSP_ROWS["charged"] / CSP_ROWS["assigned"]).round(1)


def csp_spec(**changes) -> Spec:
    spec = dict(
        area="csp",
        force_level=("Devon and Cornwall",),
        counts=("offences", "charged", "assigned"),
        keys=("quarter",),
        rates={"charge_rate": ("charged", "assigned")},
        x="quarter",
        series="csp",
        y="offences",
    )
    spec.update(changes)
    return Spec(**spec)


def test_long_figures_below_force_level_are_protected_within_each_quarter():
    protected = suppression.suppress_frame(CSP_ROWS, csp_spec(), RULES)
    table = protected.table
    # Q1: Plymouth's 3 offences, 1 charge and 3 assigned are small; Torbay's figures are the next smallest.
    assert list(table.loc[:3, "offences"]) == [120, C, C, 163]
    assert list(table.loc[:3, "charged"]) == [20, C, C, 27]
    assert list(table.loc[:3, "assigned"]) == [100, C, C, 138]
    # Q2: only Torbay's 2 charges are small; Exeter's 25 is the next smallest charge.
    assert list(table.loc[4:, "offences"]) == [130, 150, 45, 325]
    assert list(table.loc[4:, "charged"]) == [C, 30, C, 57]
    # Rates go with their counts: a rate whose count or base is hidden is hidden too (Torbay's Q2 base of 9
    # would be too small anyway: [c] says more than [x]).
    assert list(table["charge_rate"]) == [20.0, C, C, 19.6, C, 25.0, C, 23.8]
    assert protected.low_base == set()


def test_a_rate_on_a_small_base_is_withheld_even_at_force_level():
    rows = pd.DataFrame({"force": ["Devon and Cornwall", "Dorset"], "charged": [2, 30], "assigned": [8, 200]})
    rows["charge_rate"] = 100 * rows["charged"] / rows["assigned"]
    spec = Spec(below_force_level=False, area="force", rates={"charge_rate": ("charged", "assigned")})
    protected = suppression.suppress_frame(rows, spec, RULES)
    assert list(protected.table["charge_rate"]) == [LOW_BASE, 15.0]
    assert list(protected.table["charged"]) == [2, 30]  # force-level counts stay as published
    assert protected.notes() == ["[x] No rate or percentage is given on a base of fewer than 10."]


def test_a_csp_table_without_a_spec_is_taken_to_be_below_force_level():
    rows = pd.DataFrame({"csp": ["Exeter", "Torbay", "Plymouth"], "offences": [2, 40, 50]})
    spec = suppression.spec_for(rows)
    assert spec == Spec(area="csp", counts=("offences",), keys=())
    assert list(suppression.suppress_frame(rows, spec, RULES).table["offences"]) == [C, C, 50]
    assert suppression.spec_for(rows.rename(columns={"csp": "force"})) is None


def with_rules(settings, rules: SuppressionRules):
    """The settings with ``[suppression]`` giving ``rules``' threshold and minimum base."""
    section = {"threshold": rules.threshold, "minimum_base": rules.minimum_base}
    return replace(settings, raw={**settings.raw, "suppression": section})


def csp_chart() -> Chart:
    data = CSP_ROWS[CSP_ROWS["csp"] != "Devon and Cornwall"][["csp", "quarter", "offences"]].reset_index(drop=True)
    data.attrs["suppression"] = Spec(
        area="csp", counts=("offences",), keys=("quarter",), x="quarter", series="csp", y="offences"
    )
    figure = go.Figure(
        [
            go.Bar(x=list(rows["quarter"]), y=list(rows["offences"]), name=csp)
            for csp, rows in data.groupby("csp", sort=False)
        ]
    )
    return Chart("csp-offences", figure, ChartText("Offences by CSP"), data, "Bar chart of offences by CSP.")


def test_a_chart_leaving_the_app_loses_the_hidden_bars_and_says_so(settings):
    chart = csp_chart()
    protected = release.protect(chart, with_rules(settings, RULES))
    bars = {trace.name: list(trace.y) for trace in protected.figure.data}
    assert bars == {"Exeter": [120, 130], "Plymouth": [None, 150], "Torbay": [None, 45]}
    assert list(protected.data["offences"]) == [120, C, C, 130, 150, 45]
    assert protected.data["note"].iloc[1].startswith("[c] Suppression applied: counts of 1 to 4")
    assert protected.data["note"].iloc[0] == ""
    assert protected.notes[-1].startswith("[c] Suppression applied")
    # The page's own chart is untouched.
    assert list(chart.figure.data[1].y) == [3, 150]


def test_a_force_level_chart_leaves_unchanged(settings):
    data = pd.DataFrame({"quarter": ["Q1", "Q2"], "offences": [2, 3]})
    chart = Chart("force", go.Figure(go.Bar(x=data["quarter"], y=data["offences"])), ChartText("t"), data, "alt")
    assert release.protect(chart, with_rules(settings, RULES)) is chart


@pytest.mark.parametrize("value, small", [(0, False), (1, True), (4, True), (4.0, True), (5, False), (None, False)])
def test_what_counts_as_small(value, small):
    assert suppression.is_small(value, 4) is small
