"""One figure, one definition: the charge rate and the readings of "is it changing?" are the same on the Overview's
card, the Outcomes page's key figure, the charge-rate chart and its CSV, the Panel's pack, the slides and the feed,
on a hand-built database (exact values) and on the demo."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from conftest import DEMO_AS_OF as AS_OF
from files import OUTCOMES_HEADER, RECORDED_CRIME_HEADER

from dashboard.charts import catalogue
from dashboard.figures import key_figures, measures, overview, scorecard, spc, trends
from dashboard.outputs import feed, images, meeting_pack, release, slides
from dashboard.outputs.inputs import inputs_from_database
from dashboard.words import messages, readings
from data_loaders import database, ingest

HEADER = ",".join(OUTCOMES_HEADER)
CRIME_HEADER = ",".join(RECORDED_CRIME_HEADER)
# Eight quarters of Devon and Cornwall's stalking outcomes: charged (type 1), no suspect (18), awaiting (0).
CHARGED = [3, 4, 2, 5, 2, 3, 2, 1]
OTHER = [37, 36, 38, 35, 38, 37, 38, 39]
QUARTERS = [("2023/24", q) for q in (1, 2, 3, 4)] + [("2024/25", q) for q in (1, 2, 3, 4)]


def outcomes_file(folder):
    lines = [HEADER]
    for (year, quarter), charged, other in zip(QUARTERS, CHARGED, OTHER, strict=True):
        stalking = (
            f"{year},{quarter},Devon and Cornwall,Stalking,Violence against the person,Stalking and harassment,8Q"
        )
        lines.append(f"{stalking},Charged/Summonsed,Charged/Summonsed,1,{charged},{charged}")
        lines.append(
            f"{stalking},No suspect identified,Investigation complete: no suspect identified,18,{other},{other}"
        )
        lines.append(f"{stalking},Not yet assigned an outcome,Not yet assigned an outcome,0,6,0")
    path = folder / "prc-outcomes-open-data-mar2025-tables-240725.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def crime_file(folder):
    lines = [CRIME_HEADER]
    for (year, quarter), count in zip(QUARTERS, [300, 310, 290, 305, 320, 330, 325, 340], strict=True):
        lines.append(
            f"{year},{quarter},Devon and Cornwall,Stalking,Violence against the person,Stalking and harassment,8Q,{count}"
        )
    path = folder / "prc-pfa-mar2013-onwards-tables-230725.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def hand_built(engine, settings, tmp_path):
    ingest.load_files([crime_file(tmp_path), outcomes_file(tmp_path)], engine, settings)
    return inputs_from_database(engine, settings, today=AS_OF)


def charge_everywhere(inputs) -> dict[str, str]:
    """The charge rate as each place shows it."""
    summary = overview.summary(inputs)
    card = next(c for c in summary.cards if c.title == overview.CHARGE_TITLE)
    figure = next(f for f in key_figures.outcome_key_figures(inputs) if f.label == "Charge rate")
    _, pack_rows = meeting_pack.headline(inputs)
    pack = next(value for title, value, _, _ in pack_rows if title == overview.CHARGE_TITLE)
    chart = catalogue.build("charge-rate-spc", inputs)
    table = images.csv_bytes(chart, inputs.settings).decode("utf-8")
    if inputs.illustrative:  # made from the demo, and says so first
        notice, table = table.split("\n", 1)
        assert notice == f'"{release.DEMO_NOTICE}"'
    rows = list(csv.DictReader(io.StringIO(table)))[-4:]
    charged = sum(int(r["Charged or summonsed"]) for r in rows)
    assigned = sum(int(r["All assigned outcomes"]) for r in rows)
    fed = feed.headline_figures(inputs)["measures"]["charge_rate"]["latest_text"]
    return {
        "overview card": card.value,
        "outcomes key figure": figure.value,
        "meeting pack": pack,
        "chart CSV (last four quarters)": f"{100 * charged / assigned:.1f}%",
        "feed": fed,
    }


def test_the_charge_rate_is_one_figure_on_a_hand_built_database(hand_built):
    # The year ending March 2025: 2 + 3 + 2 + 1 charged of 40 assigned a quarter (type 0 never counted).
    assert set(charge_everywhere(hand_built).values()) == {"5.0%"}
    reading = measures.charge_rate(hand_built)
    assert (reading.numerator, reading.denominator, reading.share, reading.previous) == (8, 160, 0.05, 0.0875)
    assert reading.end == dt.date(2025, 3, 31)
    card = next(c for c in overview.summary(hand_built).cards if c.title == overview.CHARGE_TITLE)
    assert card.delta == "-3.8 percentage points"


def test_the_charge_rates_spc_reading_is_one_reading(hand_built):
    reading = measures.charge_rate(hand_built)
    chart = catalogue.build("charge-rate-spc", hand_built)
    icon = spc.variation_icon(reading.control.frame)
    card = next(c for c in overview.summary(hand_built).cards if c.title == overview.CHARGE_TITLE)
    assert any(line.startswith(overview.icon_token("variation", icon)) for line in card.lines)
    assert chart.reading == readings.variation("the charge rate", reading.control.frame, "increase")
    assert chart.technical == spc.describe(reading.control.frame, "increase")
    fed = feed.headline_figures(hand_built)["measures"]["charge_rate"]["variation"]
    assert (fed["icon"], fed["reading"], fed["technical"]) == (icon, chart.reading, chart.technical)
    row = next(r for r in scorecard.measure_rows(hand_built) if r.measure == overview.CHARGE_TITLE)
    assert (row.variation, row.reading) == (icon, chart.reading)  # the Panel's scorecard reads it alike
    assert chart.data["Charge rate (%)"].tolist() == [7.5, 10.0, 5.0, 12.5, 5.0, 7.5, 5.0, 2.5]


def test_the_charge_rate_is_one_figure_on_the_demo(demo_inputs):
    shown = charge_everywhere(demo_inputs)
    assert len(set(shown.values())) == 1, shown


def test_is_it_changing_has_one_reading_on_the_demo(demo_inputs):
    """The Overview's key message, the SPC chart, the first slide and the feed read the same periods alike."""
    summary = overview.summary(demo_inputs)
    chart = catalogue.build("recorded-spc", demo_inputs)
    reading = measures.recorded(demo_inputs, demo_inputs.settings.total_codes)
    word = trends.PERIOD_WORDS[reading.spc_months]
    assert word == "quarterly" and chart.text.title.endswith(", quarterly")  # the default filters ask for quarters
    assert summary.messages[1].startswith(chart.reading)
    assert chart.technical == spc.describe(reading.control.frame, "neutral")
    first = slides.slide(demo_inputs, "recorded-spc")
    assert first.chart.reading == chart.reading
    fed = feed.headline_figures(demo_inputs)["measures"]["recorded"]
    assert (fed["variation_periods"], fed["variation"]["technical"]) == (word, chart.technical)
    assert fed["variation"]["reading"] == summary.messages[1]  # the Overview's key message, in its words
    cards = feed.headline_figures(demo_inputs)["cards"]
    assert cards[0]["lines"][-1] == f"{readings.VARIATION_LABELS[fed['variation']['icon']]} (quarterly, since Jul 2023)"
    assert not [line for card in cards for line in card["lines"] if ":mdc/" in line or "**" in line]


def test_asking_for_months_moves_every_reading_to_months(demo_inputs):
    from dataclasses import replace

    monthly = replace(demo_inputs, filters=replace(demo_inputs.filters, granularity="month"))
    summary = overview.summary(monthly)
    chart = catalogue.build("recorded-spc", monthly)
    assert summary.messages[1].startswith(chart.reading) and "this month;" in chart.reading
    assert chart.text.title.endswith(", monthly")


def test_figures_json_prints_the_overview_from_the_same_layer(hand_built, engine, monkeypatch, capsys):
    import pcc_cli

    monkeypatch.setenv("PCC_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    database.engine_for.cache_clear()
    assert pcc_cli.main(["figures", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = feed.headline_figures(hand_built)
    assert printed["messages"] == expected["messages"]
    assert printed["measures"]["charge_rate"]["latest_text"] == "5.0%"
    assert printed["measures"]["charge_rate"]["minimum_base"] == 10
    assert printed["measures"]["recorded"]["latest"] == 1315
    database.engine_for.cache_clear()


def test_every_measure_is_defined_with_its_parts(settings):
    defined = measures.definitions(settings, "for_offences")
    assert set(defined) == {
        "recorded", "rate_per_1000", "csp_recorded", "csp_rate_per_1000", "charge_rate", "victim_does_not_support",
        "conviction_rate", "orders_granted",
    }  # fmt: skip
    assert (defined["csp_rate_per_1000"].unit, defined["csp_rate_per_1000"].minimum_base) == ("per 1,000 people", 10)
    charge = defined["charge_rate"]
    assert (charge.unit, charge.minimum_base, charge.improvement) == ("percent", 10, "increase")
    assert charge.count_column == "outcomes_for_offences_recorded"
    assert charge.numerator == "outcomes of type 1 (charged or summonsed)"
    assert charge.denominator.startswith("all assigned outcomes (")
    assert defined["victim_does_not_support"].improvement == "decrease"


def test_a_target_is_one_figure_of_its_measure_everywhere_it_is_judged(hand_built):
    """The charge-rate target (settings [targets]) is the measure's, read by the card, chart, scorecard and feed."""
    from dataclasses import replace

    settings = replace(hand_built.settings, raw={**hand_built.settings.raw, "targets": {"charge_rate": 6.5}})
    targeted = replace(hand_built, settings=settings)
    defined = measures.definitions(settings)
    assert defined["charge_rate"].target == 6.5
    assert [key for key, measure in defined.items() if measure.target is not None] == ["charge_rate"]
    reading = measures.charge_rate(targeted)
    assurance = spc.assurance(reading.control.frame, 6.5, "increase")
    card = next(c for c in overview.summary(targeted).cards if c.title == overview.CHARGE_TITLE)
    assert any(line.startswith(overview.icon_token("assurance", assurance)) for line in card.lines)
    row = next(r for r in scorecard.measure_rows(targeted) if r.measure == overview.CHARGE_TITLE)
    assert row.assurance == assurance
    chart = catalogue.build("charge-rate-spc", targeted)
    assert [t for t in chart.figure.data if t.name and t.name.startswith("Target")]
    fed = feed.headline_figures(targeted)["measures"]["charge_rate"]
    assert (fed["target"], fed["unit"]) == (6.5, "percent")
    assert measures.definitions(hand_built.settings)["charge_rate"].target is None


def test_the_conviction_rate_and_orders_are_one_figure_on_the_demo(demo_inputs):
    area = key_figures.key_figures_area(demo_inputs)
    reading = measures.conviction_rate(demo_inputs, area)
    figure = next(f for f in key_figures.prosecution_key_figures(demo_inputs) if f.label == "Conviction rate")
    assert figure.value == messages.share_text(reading.share)
    assert reading.share == reading.numerator / reading.denominator
    orders = measures.orders_granted(demo_inputs)
    card = next(c for c in overview.summary(demo_inputs).cards if c.title == overview.ORDERS_TITLE)
    assert card.value == f"{orders.comparison.current:,}" and orders.full + orders.interim == orders.comparison.current


def test_the_scorecard_rows_on_a_hand_built_database(hand_built):
    card = scorecard.scorecard(hand_built, today=AS_OF)
    rows = {row.measure: row for row in card.rows}
    assert list(rows) == [
        "Stalking and harassment",
        "Stalking",
        "Charge or summons rate",
        "Victim does not support action",
    ]
    victim = rows["Victim does not support action"]
    assert (victim.latest, victim.change) == ("0.0%", "No change")  # no outcome of types 14 or 16 was loaded
    total = rows["Stalking and harassment"]
    assert (total.latest, total.period, total.change) == ("1,315", "Year ending March 2025", "+9% (+110)")
    assert total.variation == spc.variation_icon(measures.recorded(hand_built, ("8Q",)).control.frame)
    assert total.reading == (
        "Recorded stalking and harassment offences are within their usual range: the last 7 quarters went up and down "
        "only as much as chance would. An early judgement: only 7 quarters so far."
    )  # the last 7 of the 8 quarters: the limits start again after the break of June 2023
    assert total.reading == catalogue.build("recorded-spc", hand_built).reading
    charge = rows["Charge or summons rate"]
    assert (charge.latest, charge.period, charge.change) == ("5.0%", "Year ending March 2025", "-3.8 percentage points")
    assert charge.reading == catalogue.build("charge-rate-spc", hand_built).reading
    assert charge.assurance is None
    assert (card.overdue, card.recommendations, card.deadlines) == ((), 0, ())


def test_the_scorecard_on_the_demo(demo_inputs):
    card = scorecard.scorecard(demo_inputs, today=AS_OF)
    assert [row.measure for row in card.rows] == [
        "Stalking and harassment", "Stalking", "Harassment", "Malicious communications",
        "Controlling or coercive behaviour", "Charge or summons rate", "Victim does not support action",
        "Stalking Protection Orders granted",
    ]  # fmt: skip
    summary = overview.summary(demo_inputs)
    cards = {c.title: c for c in summary.cards}
    for row in card.rows[:6] + card.rows[7:]:  # the Overview's cards' figures: one figure, one definition
        shown = cards[row.measure if row.measure != "Stalking and harassment" else "Stalking and harassment (total)"]
        assert row.latest == shown.value, row.measure
    total = card.rows[0]
    assert total.reading == catalogue.build("recorded-spc", demo_inputs).reading
    assert summary.messages[1].startswith(total.reading)
    overdue = demo_inputs.recommendations[demo_inputs.recommendations["overdue"]]
    assert len(card.overdue) == len(overdue) > 0 and card.recommendations == len(demo_inputs.recommendations)
    assert [o.days_overdue for o in card.overdue] == sorted((o.days_overdue for o in card.overdue), reverse=True)
    assert {o.status for o in card.overdue} <= {"not started", "in progress"}
