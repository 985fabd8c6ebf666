"""The Police and Crime Panel's meeting pack: one PDF for a chosen quarter, printed or read on screen.

Cover (office, meeting, date), contents, headline figures, each chart with its key message and
SPC reading, outcomes and prosecutions, the recommendations table (overdue first), the statutory
response deadlines, and a notes page on sources, editions, series breaks and suppression; page
numbers on every page. The words are real PDF text (set by reportlab), so they can be selected,
searched and read aloud; the charts are vector drawings (kaleido's PDF of each figure, placed on
the page with pypdf), so they print sharp at any size. Every figure passes through the same
small-number protection as any other export. The pages themselves are set by
:mod:`dashboard.outputs.pack_pages`. No Streamlit.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

import pandas as pd

from dashboard.charts import catalogue
from dashboard.charts.catalogue import Chart, Inputs
from dashboard.figures import scorecard
from dashboard.outputs import images, layout, pack_pages, public_summary
from dashboard.outputs.inputs import default_filters, inputs_from_database, ordered_charts
from data_loaders.settings import Settings

Progress = Callable[[float, str], None]

PX_PER_PT = 4 / 3  # kaleido's PDF page is 0.75 points per layout pixel
PRINT_SCALE = 3  # a chart drawn as an image: 4 pixels per point, about 290 dots per inch
# Drawn once per offence category as well as for the total: the Panel asks about each category.
PER_CATEGORY = ("recorded-spc",)
# Charts are drawn (by the one shared browser) in the background while the next ones are built.
DRAWING = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pack-drawing")


class PackError(ValueError):
    """The pack cannot be made as asked (a quarter written wrongly, or no data for it)."""


# ---- the quarter ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    """A financial quarter as the Home Office writes it: ``2024/25`` quarter 4 is January to March 2025."""

    financial_year: str
    number: int

    @property
    def start(self) -> dt.date:
        first_year = int(self.financial_year[:4])
        month = 4 + 3 * (self.number - 1)
        return dt.date(first_year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def last_month(self) -> dt.date:
        """The first day of the quarter's last month (data up to and including that month is used)."""
        return dt.date(self.start.year + (self.start.month + 2 > 12), (self.start.month + 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        following = dt.date(self.last_month.year + (self.last_month.month == 12), self.last_month.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def code(self) -> str:
        return f"{self.financial_year}-Q{self.number}"

    def describe(self) -> str:
        """'Quarter 4 2024/25 (January to March 2025)'."""
        return f"Quarter {self.number} {self.financial_year} ({self.start:%B} to {self.end:%B %Y})"


def parse_quarter(text: str) -> Quarter:
    """``2024/25-Q4`` (also ``2024/25 Q4``, ``2024/25Q4``) as a :class:`Quarter`; ``PackError`` saying what is wrong."""
    match = re.fullmatch(r"\s*(\d{4})/(\d{2})\s*[- ]?\s*[Qq]([1-4])\s*", text or "")
    if not match:
        raise PackError(f"{text!r} is not a quarter: write the financial year and quarter as 2024/25-Q4")
    first, second, number = match.groups()
    if (int(first) + 1) % 100 != int(second):
        raise PackError(f"{first}/{second} is not a financial year: the second year follows the first, as 2024/25")
    return Quarter(f"{first}/{second}", int(number))


def quarter_for(text: str, engine, settings: Settings) -> Quarter:
    """The quarter named (``2024/25-Q4``), or for ``latest`` the latest loaded for the home force."""
    if text.strip().lower() != "latest":
        return parse_quarter(text)
    from data_loaders import reads

    inputs = Inputs(
        settings, default_filters(settings, pd.DataFrame()), reads.recorded_crime(engine), *[pd.DataFrame()] * 3
    )
    quarter = latest_quarter(inputs)
    if quarter is None:
        raise PackError(
            "No Home Office quarterly figures are loaded for the home force, so there is no latest quarter."
        )
    return quarter


def latest_quarter(inputs: Inputs) -> Quarter | None:
    """The latest quarter with Home Office recorded crime for the home force, or None when none is loaded."""
    from data_loaders.periods import financial_period_of

    rows = inputs.recorded[(inputs.recorded["force"] == inputs.settings.home_force) & (inputs.recorded["month"] == 0)]
    if rows.empty:
        return None
    year, number = financial_period_of(pd.Timestamp(rows["period_start"].max()).date())
    return Quarter(year, number)


# ---- what goes in it --------------------------------------------------------------------------------


@dataclass
class PackChart:
    """A chart in the pack, protected for publication, under its section, and its drawing as it is made."""

    section: str
    chart: Chart
    heading: str
    drawing: Future | None = None  # the chart's one-page PDF (see :func:`draw`)


@dataclass
class Contents:
    """Everything the pack shows, gathered before anything is drawn."""

    quarter: Quarter
    inputs: Inputs
    charts: list[PackChart]
    messages: list[str]
    cards: list[tuple[str, str, str, str]]  # measure, figure, period, change on the year before
    recommendations: pd.DataFrame
    reports: pd.DataFrame
    sources: list[tuple[str, str, str]]  # kind, file, edition
    demo: bool
    meeting: str
    meeting_date: dt.date | None
    prepared: dt.date
    missing: list[str] = field(default_factory=list)
    scorecard: scorecard.Scorecard | None = None  # the Panel's one page, the pack's second


def pack_filters(inputs: Inputs, quarter: Quarter):
    """The view the pack shows: the home force and its peers, every category, all periods to the quarter's end."""
    chosen = default_filters(inputs.settings, inputs.recorded)
    return dataclasses.replace(chosen, end=quarter.last_month)


def gather_charts(inputs: Inputs, keys: Sequence[str] | None = None, progress: Progress | None = None):
    """The pack's charts in section order (with :data:`PER_CATEGORY` charts once per category); and the keys left out."""
    entries = [e for e in ordered_charts() if keys is None or e.key in set(keys)]
    plan: list[tuple[catalogue.Entry, Inputs, str]] = []
    for entry in entries:
        plan.append((entry, inputs, ""))
        if entry.key in PER_CATEGORY:
            for category in inputs.settings.categories:
                chosen = dataclasses.replace(inputs.filters, categories=(category,))
                plan.append((entry, dataclasses.replace(inputs, filters=chosen), category))
    charts, missing = [], []
    for index, (entry, chart_inputs, category) in enumerate(plan):
        if progress:
            progress(0.1 + 0.3 * index / max(len(plan), 1), f"Building {entry.key}")
        chart = catalogue.build(entry.key, chart_inputs)
        if chart is None:
            missing.append(f"{entry.key} ({category})" if category else entry.key)
            continue
        chart = images.protect(chart, inputs.settings)
        # The browser draws this chart while the next one is built: the two work on different processors.
        charts.append(PackChart(entry.section, chart, chart.text.title, DRAWING.submit(draw, chart)))
    return charts, missing


def gather(
    engine,
    settings: Settings,
    quarter: Quarter,
    *,
    meeting: str = "Police and Crime Panel",
    meeting_date: dt.date | None = None,
    today: dt.date | None = None,
    keys: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Contents:
    """Read the database and build everything the pack for ``quarter`` shows (data cut at the quarter's end)."""
    from data_loaders.recommendations import queries as recommendation_queries
    from data_loaders.status import read_status

    today = today or dt.date.today()
    as_of = meeting_date or today
    if progress:
        progress(0.02, "Reading the database")
    inputs = inputs_from_database(engine, settings, today=as_of)
    recommendations = inputs.recommendations
    inputs = inputs.cut_to(quarter.last_month)
    if inputs.recorded.empty:
        raise PackError(f"No recorded crime is loaded up to {quarter.describe()}: load the published tables first.")
    # Recommendation charts end with the quarter too: no month after it, none that has not ended.
    inputs = dataclasses.replace(inputs, filters=pack_filters(inputs, quarter), as_of=min(quarter.end, as_of))
    charts, missing = gather_charts(inputs, keys, progress)
    messages, cards = headline(inputs)
    status = read_status(engine)
    reports = recommendation_queries.reports_frame(engine, settings, as_of)
    # The scorecard's overdue recommendations and deadlines are as at the meeting, like the tables.
    panel = scorecard.scorecard(dataclasses.replace(inputs, recommendations=recommendations), reports, as_of)
    return Contents(
        quarter=quarter,
        inputs=inputs,
        charts=charts,
        messages=messages,
        cards=cards,
        recommendations=recommendations,
        reports=reports,
        scorecard=panel,
        sources=[
            (s.kind, s.file_name, f"{s.edition_date:%-d %B %Y}" if s.edition_date else "not dated")
            for s in status.sources
            if s.rows_current
        ],
        demo=status.any_demo,
        meeting=meeting,
        meeting_date=meeting_date,
        prepared=today,
        missing=missing,
    )


def headline(inputs: Inputs) -> tuple[list[str], list[tuple[str, str, str, str]]]:
    """The Overview's key messages, and its cards as rows: measure, figure, period, change on the year before."""
    summary = public_summary.summary(inputs)
    if summary is None:
        return [f"No recorded crime is loaded for {inputs.filters.force}."], []
    return list(summary.messages), [(c.title, c.value, c.period, c.delta or "") for c in summary.cards]


# ---- drawing the charts and setting the pages --------------------------------------------------------


def has_patterns(figure) -> bool:
    """Whether any trace is filled with a pattern: the browser's PDF draws patterns as large images."""
    for trace in figure.data:
        marker = getattr(trace, "marker", None)
        pattern = getattr(marker, "pattern", None) if marker is not None else None
        shapes = pattern.shape if pattern is not None else None
        if shapes and (not isinstance(shapes, tuple | list) or any(shapes)):
            return True
    return False


def image_page(png: bytes, width: float, height: float) -> bytes:
    """A one-page PDF of ``width`` x ``height`` points holding the image: placed like any vector chart."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    canvas.drawImage(ImageReader(io.BytesIO(png)), 0, 0, width, height)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def draw(chart: Chart) -> bytes:
    """The chart as a one-page PDF the size of its box in the pack: vector, or an image where patterns fill it."""
    width, height = pack_pages.FRAME_WIDTH, pack_pages.CHART_HEIGHT
    size = images.Size("pack", "Meeting pack", round(width * PX_PER_PT), round(height * PX_PER_PT))
    figure = layout.lay_out(chart, size, None, layout.Parts(title=False, footer=False, band=False))
    if has_patterns(figure):
        png = images.RENDERER.render(figure, "png", size.width, size.height, PRINT_SCALE)
        return image_page(png, width, height)
    return images.RENDERER.render(figure, "pdf", size.width, size.height)


def render(contents: Contents, progress: Progress | None = None) -> bytes:
    """The pack as PDF bytes: reportlab sets the text, then each chart's drawing is placed in its slot."""
    from pypdf import PdfReader, PdfWriter

    settings = contents.inputs.settings
    styles = pack_pages.paragraph_styles(settings)
    chart_width = pack_pages.FRAME_WIDTH
    drawings = []
    for index, item in enumerate(contents.charts):
        if progress:
            progress(0.4 + 0.5 * index / max(len(contents.charts), 1), f"Drawing {item.chart.key}")
        drawings.append(item.drawing.result() if item.drawing is not None else draw(item.chart))

    if progress:
        progress(0.92, "Setting the pages")
    placed: dict[int, tuple[int, float, float]] = {}
    buffer = io.BytesIO()
    title = f"{contents.meeting}: {settings.total_label.lower()}, {contents.quarter.describe()}"
    document = pack_pages.PackDocument(
        buffer, contents, title=title, author=settings.branding.office, subject=title, creator=images.CREATOR
    )
    story = pack_pages.pack_story(contents, styles, chart_width, placed)
    document.multiBuild(story)
    if document.total_pages != document.pages_counted:
        document.multiBuild(story)

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    for number, drawing in enumerate(drawings):
        if number not in placed:
            continue
        page_number, x, y = placed[number]
        chart_page = PdfReader(io.BytesIO(drawing)).pages[0]
        scale = chart_width / float(chart_page.mediabox.width)
        pack_pages.place_page(writer, writer.pages[page_number - 1], chart_page, x, y, scale, f"Chart{number}")
    writer.add_metadata({"/Title": title, "/Author": settings.branding.office, "/Subject": title})
    out = io.BytesIO()
    writer.write(out)
    if progress:
        progress(1.0, "Meeting pack ready")
    return out.getvalue()


def meeting_pack(engine, settings: Settings, quarter: Quarter, **options) -> bytes:
    """The Panel's pack for ``quarter`` as PDF bytes, from the database (see :func:`gather` for the options)."""
    progress = options.get("progress")
    return render(gather(engine, settings, quarter, **options), progress)
