"""Every channel out of the app applies the release step: each file is made from the demo and read back.

The demo's Stalking Protection Orders return has quarters of 1 to 4 (protected by the shipped
settings), and every figure in it is illustrative: so each export must withhold them (with the
figures that would give them away) and say, inside the file, that it is demo data. Changing
``minimum_base`` in the user's settings file changes what every output withholds.
"""

from __future__ import annotations

import dataclasses
import io
import json
import unicodedata
import zipfile

import numpy as np
import pandas as pd
import pytest
from PIL import Image

import pcc_cli as cli
from dashboard.charts import catalogue
from dashboard.outputs import images, meeting_pack, press_pack, release, slides
from dashboard.outputs.inputs import inputs_from_database
from dashboard.outputs.suppression import LOW_BASE, SUPPRESSED
from data_loaders import database
from data_loaders.settings import load_settings

pytestmark = pytest.mark.slow

SPO = "spo-force"
RETURN_COLUMNS = (
    "Stalking Protection Order applications",
    "Interim Stalking Protection Orders granted",
    "Full Stalking Protection Orders granted",
    "Stalking Protection Order breaches",
)
MARK = release.DEMO_MARK
NOTICE = release.DEMO_NOTICE
MARK_TINT = (230, 184, 184)  # the mark's firebrick at its opacity over the white plot


@pytest.fixture
def demo_inputs(demo_url, settings):
    engine = database.make_engine(demo_url)
    yield inputs_from_database(engine, settings)
    engine.dispose()


def squashed(text: str) -> str:
    """Text as a PDF's text layer gives it, compared without line breaks, spaces or ligatures."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def assert_protected_return(csv_text: str) -> None:
    """A CSV of the return: the notice first, no count from 1 to 4, and no published year with one hidden quarter."""
    lines = csv_text.splitlines()
    assert lines[0] == f'"{NOTICE}"'
    table = pd.read_csv(io.StringIO("\n".join(lines[1:])), dtype=str)
    assert (table[list(RETURN_COLUMNS)] == SUPPRESSED).to_numpy().sum() > 0
    for column in RETURN_COLUMNS:
        assert not table[column].isin(["1", "2", "3", "4"]).any(), column
        for year in (table[column].iloc[-4:], table[column].iloc[-8:-4]):
            assert (year == SUPPRESSED).sum() != 1, column


def tinted_pixels(png: bytes) -> int:
    """How many pixels are the demo mark's colour (within a few levels)."""
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    return int((np.abs(pixels - np.array(MARK_TINT)) <= 6).all(axis=2).sum())


def test_the_command_line_export_withholds_small_numbers_and_labels_every_file(
    demo_url, monkeypatch, tmp_path, capsys, chromium
):
    monkeypatch.setenv("PCC_DATABASE_URL", demo_url)
    for fmt in ("png", "svg", "pdf"):
        out = tmp_path / f"spo.{fmt}"
        extra = ["--csv", str(tmp_path / "spo.csv"), "--alt-text", str(tmp_path / "spo.txt")] if fmt == "png" else []
        assert cli.main(["export", SPO, "--out", str(out), *extra]) == 0, capsys.readouterr().err
    png = (tmp_path / "spo.png").read_bytes()
    text = Image.open(io.BytesIO(png)).text
    assert text["Warning"] == NOTICE
    assert text["Description"].startswith(NOTICE)
    assert (
        "[c] Suppression applied: counts of 1 to 4 in the local prosecutions and orders return" in text["Description"]
    )
    assert tinted_pixels(png) > 2000
    assert (tmp_path / "spo.txt").read_text().startswith(NOTICE)
    assert_protected_return((tmp_path / "spo.csv").read_text())
    svg = (tmp_path / "spo.svg").read_text()
    assert f'<desc id="chart-desc">{NOTICE}' in svg
    assert MARK in svg and NOTICE in svg
    from pypdf import PdfReader

    pdf = PdfReader(tmp_path / "spo.pdf")
    assert pdf.metadata["/Keywords"] == NOTICE and pdf.metadata["/Subject"].startswith(NOTICE)
    layer = squashed(pdf.pages[0].extract_text())
    assert squashed(MARK) in layer and squashed(NOTICE) in layer and squashed("[c] Suppression applied") in layer


def test_the_same_chart_from_real_data_carries_no_mark(demo_inputs, settings, chromium):
    real = dataclasses.replace(demo_inputs, illustrative=False)
    chart = catalogue.build(SPO, real)
    exported = images.export_chart(chart, settings, "png", images.SIZES["press"])
    assert tinted_pixels(exported.content) < 50
    assert "Warning" not in Image.open(io.BytesIO(exported.content)).text
    assert not exported.alt.startswith(NOTICE)
    csv = images.csv_bytes(chart, settings).decode("utf-8")
    assert csv.startswith("Quarter,") and SUPPRESSED in csv  # real data is protected all the same


def test_the_press_pack_withholds_and_labels_every_member(demo_inputs, chromium):
    content, missing = press_pack.press_pack(demo_inputs, [SPO, "recorded-spc"], "svg", images.SIZES["press"])
    assert missing == []
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert_protected_return(archive.read(f"{SPO}.csv").decode())
    assert archive.read("recorded-spc.csv").decode().splitlines()[0] == f'"{NOTICE}"'
    for name in (SPO, "recorded-spc"):
        assert archive.read(f"{name}-alt-text.txt").decode().startswith(NOTICE)
        assert MARK in archive.read(f"{name}.svg").decode()
    key_figures = archive.read("key-figures.txt").decode().splitlines()
    assert key_figures[0] == NOTICE.upper()
    assert any(line.startswith("- [c] Suppression applied") for line in key_figures)


def test_every_page_of_the_meeting_pack_is_marked_and_its_charts_protected(demo_url, settings, chromium):
    engine = database.make_engine(demo_url)
    quarter = meeting_pack.quarter_for("latest", engine, settings)
    contents = meeting_pack.gather(engine, settings, quarter, keys=[SPO])
    pdf_bytes = meeting_pack.render(contents)
    engine.dispose()
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(pdf_bytes)).pages
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert squashed(f"{MARK}. {NOTICE}") in squashed(page.extract_text()), f"page {number}"
    (chart,) = [item.chart for item in contents.charts]
    assert chart.released and chart.illustrative
    assert (chart.data[list(RETURN_COLUMNS)] == SUPPRESSED).to_numpy().sum() > 0


def test_the_feed_and_a_slide_say_they_are_demo_data(demo_url, demo_inputs, monkeypatch, capsys):
    monkeypatch.setenv("PCC_DATABASE_URL", demo_url)
    assert cli.main(["figures", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["illustrative"], figures["notice"]) == (True, NOTICE)
    shown = slides.slide(demo_inputs, SPO)
    assert images.alt_text(shown.chart).startswith(NOTICE)
    small_print = slides.small_print(shown.chart)
    assert small_print[0] != NOTICE and NOTICE in small_print
    assert any(a["text"] == f"<b>{MARK}</b>" for a in shown.figure.to_dict()["layout"]["annotations"])
    assert (shown.chart.data[list(RETURN_COLUMNS)] == SUPPRESSED).to_numpy().sum() > 0


def test_a_dump_of_the_demo_starts_with_the_notice(demo_url, monkeypatch, capsys):
    monkeypatch.setenv("PCC_DATABASE_URL", demo_url)
    assert cli.main(["dump", "prosecutions"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f'"{NOTICE}"'


def withheld_everywhere(inputs, settings) -> dict[str, object]:
    """The charge rates each channel withholds as [x] (export CSV, press pack CSV, slide, meeting pack), and the feed's base."""
    from dashboard.outputs import feed

    inputs = dataclasses.replace(inputs, settings=settings)
    chart = catalogue.build("charge-rate-spc", inputs)
    exported = images.csv_bytes(chart, settings).decode("utf-8").split("\n", 1)[1]
    zipped = zipfile.ZipFile(
        io.BytesIO(press_pack.press_pack(inputs, ["charge-rate-spc"], "svg", images.SIZES["press"])[0])
    )
    packed = zipped.read("charge-rate-spc.csv").decode("utf-8").split("\n", 1)[1]
    shown = slides.slide(inputs, "charge-rate-spc").chart.data
    in_pack = meeting_pack.gather_charts(inputs, ["charge-rate-spc"])[0][0].chart.data

    def withheld(table: pd.DataFrame) -> list[str]:
        return list(table.loc[table["Charge rate (%)"] == LOW_BASE, "Quarter"])

    return {
        "export": withheld(pd.read_csv(io.StringIO(exported), dtype=str)),
        "press pack": withheld(pd.read_csv(io.StringIO(packed), dtype=str)),
        "slide": withheld(shown),
        "meeting pack": withheld(in_pack),
        "feed's minimum base": feed.headline_figures(inputs)["measures"]["charge_rate"]["minimum_base"],
    }


def test_minimum_base_in_the_settings_file_changes_what_every_output_withholds(
    demo_inputs, tmp_path, monkeypatch, chromium
):
    data = catalogue.build("charge-rate-spc", demo_inputs).data
    assert withheld_everywhere(demo_inputs, load_settings()) == {
        "export": [],
        "press pack": [],
        "slide": [],
        "meeting pack": [],
        "feed's minimum base": 10,
    }
    # A minimum base above half the demo's quarters: those quarters' charge rates are withheld everywhere.
    minimum = int(data["All assigned outcomes"].median()) + 1
    small = list(data.loc[data["All assigned outcomes"] < minimum, "Quarter"])
    assert 0 < len(small) < len(data)
    own = tmp_path / "settings.toml"
    own.write_text(f"[suppression]\nminimum_base = {minimum}\n")
    monkeypatch.setenv("PCC_SETTINGS_FILE", str(own))
    strict = load_settings()
    assert withheld_everywhere(demo_inputs, strict) == {
        "export": small,
        "press pack": small,
        "slide": small,
        "meeting pack": small,
        "feed's minimum base": minimum,
    }


def test_a_small_year_of_interim_orders_leaves_the_headline_figures_as_c(demo_inputs):
    from dashboard.figures import overview
    from dashboard.outputs import public_summary

    returned = demo_inputs.prosecutions.copy()
    interim = (returned["area"] == "Devon and Cornwall") & (returned["measure"] == "spo_interim_granted")
    returned.loc[interim, "value"] = 0
    returned.loc[returned.index[interim][-1], "value"] = 3  # the latest quarter: 3 interim orders in the year
    inputs = dataclasses.replace(demo_inputs, prosecutions=returned)
    true = next(c for c in overview.summary(inputs).cards if c.title == overview.ORDERS_TITLE)
    released = public_summary.summary(inputs)
    card = next(c for c in released.cards if c.title == overview.ORDERS_TITLE)
    full = int(true.lines[0].split(" full")[0].replace(",", ""))
    assert true.lines[0] == f"{full:,} full and 3 interim orders"
    # The year's total stays (it is not small); the interim 3 goes, and the full figure with it, or the total
    # would give the 3 back; the sparkline of quarters goes too.
    assert card.value == true.value == f"{full + 3:,}"
    assert card.lines[0] == "[c] full and [c] interim orders"
    assert card.sparkline == () and true.sparkline
    sentence = next(m for m in released.messages if m.startswith("Stalking Protection Orders granted"))
    assert f"{full + 3:,} ([c] full, [c] interim)" in sentence and sentence.endswith(
        "Small numbers are withheld ([c])."
    )
    assert not any(" 3 interim" in m for m in released.messages)


def test_every_partnerships_chart_from_the_demo_leaves_with_no_small_count_and_none_given_away(demo_inputs, settings):
    """Stalking alone, quarter by quarter, in each partnership: the demo's early quarters hold counts of 0 to 4."""
    from dashboard.charts import places as place_charts
    from dashboard.figures import measures

    inputs = dataclasses.replace(
        demo_inputs, filters=dataclasses.replace(demo_inputs.filters, categories=("Stalking",))
    )
    partnerships = list(measures.places(inputs).frame["csp"])
    assert len(partnerships) == 12  # eleven partnerships and the Unassigned row
    shown = {}
    for csp in partnerships:
        chart = release.release(place_charts.csp_spc(inputs, csp), settings)
        text = images.csv_bytes(chart, settings, protected=True).decode("utf-8")
        csv = pd.read_csv(io.StringIO(text), skiprows=1 if text.startswith(f'"{NOTICE}"') else 0)
        assert not csv["count"].isin(["1", "2", "3", "4", "1.0", "2.0", "3.0", "4.0"]).any(), csp
        drawn = [v for t in chart.figure.data if t.name == "Offences recorded" for v in t.y if v is not None]
        assert not [v for v in drawn if 1 <= v <= 4], csp
        shown[csp] = dict(zip(chart.data["period_start"], chart.data["count"], strict=True))
        # Each segment's mean is drawn: a segment never hides exactly one of its quarters.
        per_segment = chart.data.assign(hidden=chart.data["count"] == SUPPRESSED).groupby("mean")["hidden"].sum()
        assert (per_segment != 1).all(), csp
    quarters = pd.DataFrame(shown)
    hidden = (quarters == SUPPRESSED).sum(axis=1)
    assert hidden.sum() > 100  # the early quarters' small counts are there to hide
    # The partnerships add up to the force's published count: no quarter may hide exactly one of them.
    assert (hidden != 1).all(), hidden[hidden == 1]
