"""Plain readings, the Making Data Count icons and the glossary: exact sentences for each SPC pattern and target."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from dashboard.figures import spc, trends
from dashboard.outputs import icons
from dashboard.words import glossary, readings
from data_loaders import periods

JARGON = re.compile(r"XmR|special cause|common cause|process limit|\bmean\b|points?\b|\bUCL\b|\bLCL\b", re.IGNORECASE)


def quarterly(values, improvement="neutral", **options):
    starts = [periods.add_months(dt.date(2019, 4, 1), 3 * i) for i in range(len(values))]
    return spc.xmr(pd.Series(values, index=starts, dtype=float), improvement=improvement, **options)


STEADY = [10, 12, 11, 13, 10, 12, 11, 12, 10, 13, 11, 12, 10, 11, 12, 13]
SHIFT = [10, 12, 11, 13, 10, 12, 11, 12, 14, 15, 14, 16, 15, 14, 15, 16]
# A gentle climb: each quarter up by 1, so 7 rising in a row, none beyond the limits (the screen drops no range).
TREND = [20, 24, 19, 23, 20, 24, 19, 23, 20, 21, 22, 23, 24, 25, 26]
SPIKE = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 30]
NEAR = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 16.3, 12, 16.3]  # near the upper limit, not beyond


@pytest.mark.parametrize(
    ("values", "improvement", "icon", "expected"),
    [
        (
            STEADY,
            "neutral",
            "common_cause",
            "Recorded stalking offences are within their usual range: the last 16 quarters went up and down only as "
            "much as chance would.",
        ),
        (
            SHIFT,
            "neutral",
            "neutral_high",
            "Recorded stalking offences are higher than usual: the last 8 quarters were all above the average.",
        ),
        (
            SPIKE,
            "neutral",
            "neutral_high",
            "Recorded stalking offences are unusually high: the latest quarter (Apr–Jun 2022) was beyond the highest "
            "level expected by chance.",
        ),
        (
            TREND,
            "neutral",
            "neutral_high",
            "Recorded stalking offences are rising: they have gone up 6 quarters in a row.",
        ),
        (
            NEAR,
            "neutral",
            "neutral_high",
            "Recorded stalking offences are higher than usual: 2 of the last 3 quarters were close to the highest "
            "level expected by chance.",
        ),
        (
            [10, 11, 10, 12],
            "neutral",
            "common_cause",
            "Recorded stalking offences are within their usual range: the last 4 quarters went up and down only as "
            "much as chance would. An early judgement: only 4 quarters so far.",
        ),
        (
            [7],
            "neutral",
            "common_cause",
            "Recorded stalking offences cannot be judged yet: too few quarters, or too little change between them, to "
            "set a usual range.",
        ),
    ],
)
def test_each_pattern_reads_in_one_plain_line(values, improvement, icon, expected):
    frame = quarterly(values, improvement)
    assert spc.variation_icon(frame) == icon
    sentence = readings.variation("recorded stalking offences", frame, improvement, trends.QUARTERLY, plural=True)
    assert sentence == expected
    assert not JARGON.search(sentence), sentence


def test_a_direction_that_is_better_says_improvement_or_concern():
    up = quarterly(SHIFT, "increase")
    down = quarterly([26 - v for v in SHIFT], "increase")
    assert readings.variation("the charge rate", up, "increase") == (
        "The charge rate is higher than usual, an improvement: the last 8 quarters were all above the average."
    )
    assert readings.variation("the charge rate", down, "increase") == (
        "The charge rate is lower than usual, a concern: the last 8 quarters were all below the average."
    )
    assert spc.variation_icon(down) == "concern_low"


def test_an_earlier_signal_is_dated_and_months_are_named_as_months():
    frame = quarterly([10, 11, 10, 11, 30, 11, 10, 11, 10, 11, 10, 11, 10, 11], screen_outliers=True)
    assert readings.variation("stalking", frame, "neutral") == (
        "Stalking is lower than usual: the last 9 quarters were all below the average."
    )
    months = [periods.add_months(dt.date(2024, 1, 1), i) for i in range(16)]
    monthly = spc.xmr(pd.Series(STEADY[:15] + [40], index=months, dtype=float))
    assert readings.variation("stalking", monthly, "neutral", trends.MONTHLY) == (
        "Stalking is unusually high: the latest month (April 2025) was beyond the highest level expected by chance."
    )


@pytest.mark.parametrize(
    ("target", "kind", "expected"),
    [
        (5, "consistent_pass", "The charge rate should meet the 5% target every time: even its usual worst is on the right side of it."),
        (30, "consistent_fail", "The charge rate will keep missing the 30% target unless something changes: even its usual best falls short."),
        (12, "hit_and_miss", "The charge rate will meet the 12% target only some of the time: the target is within its usual range."),
    ],
)  # fmt: skip
def test_each_assurance_case_in_words(target, kind, expected):
    frame = quarterly(STEADY, "increase")  # mean 11.4, limits about 7.6 and 15.3
    assert spc.assurance(frame, target, "increase") == kind
    assert readings.assurance("the charge rate", kind, f"{target}%") == expected


def test_no_limits_no_judgement_of_a_target():
    assert spc.assurance(quarterly([5] * 8, "increase"), 4, "increase") == "none"
    assert readings.assurance("the charge rate", "none", "4%") == (
        "The 4% target for the charge rate cannot be judged yet: there is no usual range to compare it with."
    )


@pytest.mark.parametrize("kind", list(readings.VARIATION_LABELS))
def test_every_variation_icon_is_a_picture_named_by_its_words(kind):
    svg = icons.svg("variation", kind, 40)
    label = readings.VARIATION_LABELS[kind]
    assert svg.startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="40" height="40" role="img"'
    )
    assert f"<title>{label}</title>" in svg and f'aria-label="{label}"' in svg
    colour = {"common": icons.GREY, "improvement": icons.BLUE, "concern": icons.ORANGE, "neutral": icons.PURPLE}
    assert f'stroke="{colour[kind.rsplit("_", 1)[0] if kind != "common_cause" else "common"]}"' in svg
    letter = {"high": ">H<", "low": ">L<"}.get(kind.rsplit("_", 1)[-1])
    assert (letter in svg) if letter else (">H<" not in svg and ">L<" not in svg)
    html = icons.img_html("variation", kind)
    assert 'alt=""' in html and html.endswith(f"<span>{label}</span></span>")


@pytest.mark.parametrize(
    ("kind", "letter", "colour"),
    [("consistent_pass", "P", icons.BLUE), ("consistent_fail", "F", icons.ORANGE), ("hit_and_miss", "?", icons.GREY)],
)
def test_assurance_icons_carry_their_letter(kind, letter, colour):
    svg = icons.svg("assurance", kind)
    assert f">{letter}</text>" in svg and f'stroke="{colour}"' in svg and 'stroke-dasharray="8 6"' in svg
    assert f"<title>{readings.ASSURANCE_LABELS[kind]}</title>" in svg


def test_an_icon_draws_the_same_shapes_on_a_pdf_canvas():
    import io

    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(100, 100))
    icons.draw(canvas, "variation", "concern_high", 0, 0, 100)
    canvas.save()
    page = PdfReader(io.BytesIO(buffer.getvalue())).pages[0]
    assert page.extract_text().strip() == "H"


def test_the_glossary_explains_the_terms_the_readings_leave_out():
    sections = glossary.sections()
    assert list(sections) == [
        glossary.SPC, glossary.ICONS, glossary.TARGETS, glossary.OUTCOMES, glossary.COUNTS, glossary.STATUS,
    ]  # fmt: skip
    text = " ".join(sections.values())
    for term in ("XmR chart", "process limits", "common cause", "special cause", "trial limits", "type 0",
                 "types 14 and 16", "Force outcomes recorded in quarter", "Force outcomes for offences recorded in quarter",
                 "hit and miss", "being-progressed"):  # fmt: skip
        assert term in text, term
    assert glossary.for_chart("recorded-spc") == (glossary.SPC, glossary.ICONS)
    assert glossary.for_chart("victim-does-not-support") == (glossary.OUTCOMES, glossary.COUNTS)
    assert glossary.for_chart("recommendation-status-mix") == (glossary.STATUS,)
    assert glossary.for_chart("recorded-by-code") == ()
    items = glossary.paragraphs(sections[glossary.SPC])
    assert items[0][0] == 0 and items[0][1].startswith("Every figure goes up and down")
    assert [level for level, _ in items].count(2) == 4  # the four signals, one level in


def test_the_slides_open_on_the_scorecard_and_end_on_the_overdue_recommendations():
    from dashboard.figures.scorecard import Overdue, Row, Scorecard
    from dashboard.outputs import slides

    assert slides.deck(["recorded-spc", "charge-rate-spc"]) == [
        "at-a-glance", "key-messages", "recorded-spc", "charge-rate-spc", "overdue-recommendations",
    ]  # fmt: skip
    card = Scorecard(
        "Kent",
        (
            Row(
                "Stalking",
                "1,315",
                "Year ending March 2025",
                "+9% (+110)",
                "Recorded <stalking> offences ...",
                "neutral_high",
            ),
        ),
        (Overdue("Living in fear", "R2", "Record every report.", dt.date(2018, 1, 5), 400, "in progress"),),
        15,
        (),
    )
    table = slides.scorecard_html(card, 28)
    assert "<td><strong>1,315</strong></td><td>+9% (+110)</td>" in table
    assert (
        f"{icons.img_html('variation', 'neutral_high', 28)}</td><td>Recorded &lt;stalking&gt; offences ...</td>"
        in table
    )
    assert "<td>5 Jan 2018</td><td>400 days</td><td>in progress</td>" in slides.overdue_html(card)
