"""The Police and Crime Panel's meeting pack: one PDF for a chosen quarter, printed or read on screen.

Cover (office, meeting, date), contents, headline figures, each chart with its key message and
SPC reading, outcomes and prosecutions, the recommendations table (overdue first), the statutory
response deadlines, and a notes page on sources, editions, series breaks and suppression; page
numbers on every page. The words are real PDF text (set by reportlab), so they can be selected,
searched and read aloud; the charts are vector drawings (kaleido's PDF of each figure, placed on
the page with pypdf), so they print sharp at any size. Every figure passes through the same
small-number protection as any other export. No Streamlit.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import io
import re
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from dashboard.charts import catalogue
from dashboard.charts.base import TEXT
from dashboard.charts.catalogue import Chart, Inputs
from dashboard.outputs import export
from data_loaders.settings import Settings

Progress = Callable[[float, str], None]

PAGE = landscape(A4)  # 842 x 595 points
MARGIN = 15 * mm
CHART_HEIGHT = 280  # points: the chart's box on its page
PX_PER_PT = 4 / 3  # kaleido's PDF page is 0.75 points per layout pixel
PRINT_SCALE = 3  # a chart drawn as an image: 4 pixels per point, about 290 dots per inch
# Drawn once per offence category as well as for the total: the Panel asks about each category.
PER_CATEGORY = ("recorded-spc",)
MUTED = colors.HexColor("#505A5F")
TEXT_COLOUR = colors.HexColor(TEXT)
OVERDUE = colors.HexColor("#B15400")
FRAME_WIDTH = PAGE[0] - 2 * MARGIN
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
        settings, export.default_filters(settings, pd.DataFrame()), reads.recorded_crime(engine), *[pd.DataFrame()] * 3
    )
    quarter = latest_quarter(inputs)
    if quarter is None:
        raise PackError(
            "No Home Office quarterly figures are loaded for the home force, so there is no latest quarter."
        )
    return quarter


def latest_quarter(inputs: Inputs) -> Quarter | None:
    """The latest quarter with Home Office recorded crime for the home force, or None when none is loaded."""
    from data_loaders.tables import financial_period_of

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


def pack_filters(inputs: Inputs, quarter: Quarter):
    """The view the pack shows: the home force and its peers, every category, all periods to the quarter's end."""
    chosen = export.default_filters(inputs.settings, inputs.recorded)
    return dataclasses.replace(chosen, end=quarter.last_month)


def gather_charts(inputs: Inputs, keys: Sequence[str] | None = None, progress: Progress | None = None):
    """The pack's charts in section order (with :data:`PER_CATEGORY` charts once per category); and the keys left out."""
    entries = [e for e in export.ordered_charts() if keys is None or e.key in set(keys)]
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
        chart = export.protect(chart, inputs.settings)
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
    inputs = export.inputs_from_database(engine, settings, today=as_of)
    inputs = export.cut_to(inputs, quarter.last_month)
    if inputs.recorded.empty:
        raise PackError(f"No recorded crime is loaded up to {quarter.describe()}: load the published tables first.")
    inputs = dataclasses.replace(inputs, filters=pack_filters(inputs, quarter))
    charts, missing = gather_charts(inputs, keys, progress)
    messages, cards = headline(inputs)
    status = read_status(engine)
    return Contents(
        quarter=quarter,
        inputs=inputs,
        charts=charts,
        messages=messages,
        cards=cards,
        recommendations=recommendation_queries.recommendations_frame(engine, settings, as_of),
        reports=recommendation_queries.reports_frame(engine, settings, as_of),
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
    from dashboard.figures import overview

    summary = overview.summary(inputs)
    if summary is None:
        return [f"No recorded crime is loaded for {inputs.filters.force}."], []
    return list(summary.messages), [(c.title, c.value, c.period, c.delta or "") for c in summary.cards]


# ---- drawing ----------------------------------------------------------------------------------------


def _styles(settings: Settings) -> dict[str, ParagraphStyle]:
    brand = colors.HexColor(settings.branding.colour)
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName="Helvetica", fontSize=10.5, leading=14)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontSize=8.5, leading=10.5, fontName="Helvetica-Bold"),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=12, bulletIndent=2, spaceAfter=4),
        "h1": ParagraphStyle(
            "h1", parent=base["Heading1"], fontName="Helvetica-Bold", fontSize=20, leading=24, textColor=brand
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontName="Helvetica-Bold",
            fontSize=14,
            leading=17,
            textColor=colors.black,
            keepWithNext=1,
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=10, leading=13, textColor=MUTED),
        "message": ParagraphStyle("message", parent=body, fontSize=11, leading=14.5, spaceBefore=6),
        "cover_office": ParagraphStyle(
            "cover_office", parent=body, fontName="Helvetica-Bold", fontSize=15, leading=19, textColor=brand
        ),
        "cover_title": ParagraphStyle(
            "cover_title", parent=body, fontName="Helvetica-Bold", fontSize=30, leading=36, spaceBefore=30
        ),
        "cover_line": ParagraphStyle("cover_line", parent=body, fontSize=14, leading=20),
        "toc0": ParagraphStyle("toc0", parent=body, fontName="Helvetica-Bold", fontSize=11, leading=16),
        "toc1": ParagraphStyle("toc1", parent=body, fontSize=9.5, leading=12.5, leftIndent=18, textColor=TEXT_COLOUR),
        "warning": ParagraphStyle(
            "warning",
            parent=body,
            fontName="Helvetica-Bold",
            borderColor=OVERDUE,
            borderWidth=1.2,
            borderPadding=6,
            spaceBefore=10,
            spaceAfter=10,
            alignment=TA_LEFT,
        ),
    }


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: figures and names are data, never markup)."""
    return Paragraph(escape(str(text)), style)


class Heading(Paragraph):
    """A heading that goes in the contents (and the PDF's bookmarks) at ``level``."""

    def __init__(self, text: str, style: ParagraphStyle, level: int):
        super().__init__(escape(text), style)
        self.toc_text = text
        self.toc_level = level


class ChartSlot(Flowable):
    """Room for a chart on the page: it records where it landed, and the chart is placed there afterwards."""

    def __init__(self, number: int, width: float, height: float, placed: dict[int, tuple[int, float, float]]):
        super().__init__()
        self.number, self.width, self.height, self.placed = number, width, height, placed

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        x, y = self.canv.absolutePosition(0, 0)
        self.placed[self.number] = (self.canv.getPageNumber(), x, y)


def has_patterns(figure) -> bool:
    """Whether any trace is filled with a pattern: the browser's PDF draws patterns as large images."""
    for trace in figure.data:
        marker = getattr(trace, "marker", None)
        pattern = getattr(marker, "pattern", None) if marker is not None else None
        shapes = pattern.shape if pattern is not None else None
        if shapes and (not isinstance(shapes, tuple | list) or any(shapes)):
            return True
    return False


class PackDocument(BaseDocTemplate):
    """A4 landscape pages with a rule above the office's name, the meeting and 'Page N of M' at the foot.

    The contents need several passes over the story; each pass numbers its pages 'of' the count
    the pass before it reached, and :func:`render` runs one more pass if the last one changed it.
    """

    def __init__(self, buffer, contents: Contents, **kwargs):
        super().__init__(buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, **kwargs)
        self.contents = contents
        self.brand = colors.HexColor(contents.inputs.settings.branding.colour)
        self.total_pages: int | None = None  # the page count of the pass before
        self.pages_counted = 0  # pages of this pass so far
        frame = Frame(MARGIN, MARGIN + 18, FRAME_WIDTH, PAGE[1] - 2 * MARGIN - 18, id="body")
        self.addPageTemplates(
            [
                PageTemplate(id="cover", frames=[frame], onPage=self._cover_page),
                PageTemplate(id="body", frames=[frame], onPage=self._page),
            ]
        )

    def beforeDocument(self):
        if self.pages_counted:
            self.total_pages = self.pages_counted
        self.pages_counted = 0

    def _cover_page(self, canvas, doc):
        canvas.saveState()
        canvas.setFillColor(self.brand)
        canvas.rect(0, PAGE[1] - 14, PAGE[0], 14, stroke=0, fill=1)
        canvas.restoreState()
        self._page(canvas, doc)

    def _page(self, canvas, doc):
        self.pages_counted = doc.page
        contents = self.contents
        of = f" of {self.total_pages}" if self.total_pages else ""
        canvas.saveState()
        canvas.setStrokeColor(self.brand)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, MARGIN + 11, PAGE[0] - MARGIN, MARGIN + 11)
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN, contents.inputs.settings.branding.office)
        canvas.drawRightString(
            PAGE[0] - MARGIN, MARGIN, f"{contents.meeting}, {contents.quarter.code}    Page {doc.page}{of}"
        )
        canvas.restoreState()

    def afterFlowable(self, flowable):
        if isinstance(flowable, Heading):
            key = f"heading-{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.toc_text, key, level=flowable.toc_level, closed=flowable.toc_level > 0)
            self.notify("TOCEntry", (flowable.toc_level, flowable.toc_text, self.page, key))


def _table(rows: list[list[object]], widths: Sequence[float], styles, *, header_colour, highlight=()) -> Table:
    cells = [
        [c if isinstance(c, Flowable) else _p(c, styles["cell_bold" if i == 0 else "cell"]) for c in row]
        for i, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    commands = [
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, header_colour),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#B1B4B6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for row in highlight:
        commands.append(("BACKGROUND", (0, row), (-1, row), colors.HexColor("#FBEEE6")))
    table.setStyle(TableStyle(commands))
    return table


def short_report(title: str, published: object) -> str:
    """'Living in fear (2017)': a report's title up to its colon, with the year it was published."""
    short = str(title).split(":")[0].strip()
    if len(short) > 60:
        short = short[:57].rstrip() + "..."
    year = f" ({pd.Timestamp(published).year})" if published is not None and not pd.isna(published) else ""
    return short + year


def _date(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "not set"
    return f"{pd.Timestamp(value):%-d %b %Y}"


def _words(value: object, default: str = "") -> str:
    """A text cell as words: empty, None and NaN give ``default``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or not str(value).strip():
        return default
    return str(value).strip()


def recommendations_rows(frame: pd.DataFrame, closed: Collection[str] = ()) -> tuple[list[list[str]], list[int]]:
    """The recommendations table: overdue first (most overdue at the top), then open ones by due date, then closed.

    Returns the rows (a header first) and the numbers of the overdue rows, which are marked in
    words as well as shaded.
    """
    header = ["", "Report", "Ref", "Recommendation", "Owner", "Due", "Status"]
    if frame.empty:
        return [header], []
    order = [
        0 if overdue else (2 if category in closed else 1)
        for overdue, category in zip(frame["overdue"], frame["status_category"], strict=True)
    ]
    ordered = frame.assign(_order=order, _due=pd.to_datetime(frame["due_date"])).sort_values(
        ["_order", "_due", "report", "reference"], na_position="last", kind="stable"
    )
    rows, highlight = [header], []
    for row in ordered.itertuples():
        status, category = _words(row.status), _words(row.status_category)
        if status and category and status != category:
            status = f"{status} ({category})"
        rows.append(
            [
                "OVERDUE" if row.overdue else "",
                short_report(row.report, row.publication_date),
                _words(row.reference),
                _words(row.text),
                _words(row.owner, "not named"),
                _date(row.due_date),
                status or category or "no status yet",
            ]
        )
        if row.overdue:
            highlight.append(len(rows) - 1)
    return rows, highlight


def deadline_rows(frame: pd.DataFrame) -> list[list[str]]:
    """Each report's statutory response deadline (56 days from publication) and where it stands."""
    rows = [["Report", "Published", "Response due", "Where it stands"]]
    for row in frame.itertuples():
        rows.append(
            [_words(row.title), _date(row.publication_date), _date(row.response_due), _words(row.response_label)]
        )
    return rows


def _story(contents: Contents, styles, chart_width: float, placed: dict) -> list:
    settings = contents.inputs.settings
    brand = colors.HexColor(settings.branding.colour)
    quarter = contents.quarter
    as_at = f"{contents.inputs.data_as_at:%-d %B %Y}" if contents.inputs.data_as_at else "not recorded"
    story: list = []

    # Cover
    logo = settings.branding.logo
    if logo is not None and logo.suffix.lower() in (".png", ".jpg", ".jpeg"):
        image = Image(str(logo))
        scale = min(60 / image.imageHeight, 220 / image.imageWidth)
        image.drawHeight, image.drawWidth = image.imageHeight * scale, image.imageWidth * scale
        image.hAlign = "LEFT"
        story += [Spacer(1, 10), image]
    story += [
        Spacer(1, 18),
        _p(settings.branding.office, styles["cover_office"]),
        _p(f"{settings.total_label}: quarterly oversight report", styles["cover_title"]),
        Spacer(1, 14),
        _p(contents.meeting, styles["cover_line"]),
        _p(quarter.describe(), styles["cover_line"]),
    ]
    if contents.meeting_date:
        story.append(_p(f"Meeting date: {contents.meeting_date:%-d %B %Y}", styles["cover_line"]))
    story += [
        _p(f"Police force area: {contents.inputs.filters.force}", styles["cover_line"]),
        Spacer(1, 10),
        _p(f"Prepared {contents.prepared:%-d %B %Y}. Data as at {as_at}.", styles["body"]),
    ]
    if contents.demo:
        story.append(_p("Illustrative demo data: these figures are not real.", styles["warning"]))
    story += [NextPageTemplate("body"), PageBreak()]

    # Contents
    toc = TableOfContents(dotsMinLevel=0)
    toc.levelStyles = [styles["toc0"], styles["toc1"]]
    story += [_p("Contents", styles["h1"]), toc, PageBreak()]

    # Headline figures
    story.append(Heading("Headline figures", styles["h1"], 0))
    story.append(
        _p(
            f"{contents.inputs.filters.force}, figures up to the end of {quarter.describe()}; the same sentences "
            "as the dashboard's Overview.",
            styles["subtitle"],
        )
    )
    for message in contents.messages:
        story.append(Paragraph(escape(message), styles["bullet"], bulletText="\u2022"))
    if contents.cards:
        rows = [["Measure", "Figure", "Period", "Change on the year before"], *map(list, contents.cards)]
        story += [Spacer(1, 8), _table(rows, (250, 110, 160, FRAME_WIDTH - 520), styles, header_colour=brand)]

    # Charts, section by section
    section = None
    for number, item in enumerate(contents.charts):
        chart = item.chart
        block: list = []
        if item.section != section:
            section = item.section
            story.append(PageBreak())
            block.append(Heading(section, styles["h1"], 0))
        else:
            story.append(CondPageBreak(CHART_HEIGHT + 140))
        block += [Heading(item.heading, styles["h2"], 1)]
        if chart.text.subtitle:
            block.append(_p(re.sub(r"<br\s*/?>", " ", chart.text.subtitle), styles["subtitle"]))
        block += [Spacer(1, 4), ChartSlot(number, chart_width, CHART_HEIGHT, placed)]
        if chart.reading:
            block.append(Paragraph(f"<b>Key message:</b> {escape(chart.reading)}", styles["message"]))
        footer = export.footer_lines(chart, 10_000)
        block += [_p(line, styles["small"]) for line in footer]
        story.append(KeepTogether(block))

    # Recommendations
    story += [PageBreak(), Heading("Inspection recommendations", styles["h1"], 0)]
    rows, highlight = recommendations_rows(contents.recommendations, settings.recommendations.closed)
    overdue = len(highlight)
    if len(rows) == 1:
        story.append(_p("No inspection recommendations are loaded.", styles["body"]))
    else:
        story.append(
            _p(
                f"{len(rows) - 1} recommendations, {overdue} overdue (past the due date and not complete or closed), "
                f"as at {(contents.meeting_date or contents.prepared):%-d %B %Y}. Overdue recommendations come first.",
                styles["subtitle"],
            )
        )
        story += [
            Spacer(1, 6),
            _table(
                rows, (60, 105, 30, 290, 90, 56, FRAME_WIDTH - 631), styles, header_colour=brand, highlight=highlight
            ),
        ]

    # Statutory deadlines
    story += [Spacer(1, 14), Heading("Statutory response deadlines", styles["h1"], 0)]
    story.append(
        _p(
            "The Police Act 1996, s.55(5A), requires the Commissioner's comments on an HMICFRS report, with the Chief "
            "Constable's, to be published within 56 days beginning with the day the report is published.",
            styles["subtitle"],
        )
    )
    deadlines = deadline_rows(contents.reports)
    if len(deadlines) == 1:
        story.append(_p("No inspection reports are loaded.", styles["body"]))
    else:
        story += [Spacer(1, 6), _table(deadlines, (360, 85, 85, FRAME_WIDTH - 530), styles, header_colour=brand)]

    story += _notes(contents, styles)
    return story


def source_lines(sources: Sequence[tuple[str, str, str]]) -> list[str]:
    """One line per kind of data and edition: the files loaded, named in full when there are few."""
    from dashboard.ui.data_status import kind_name

    grouped: dict[tuple[str, str], list[str]] = {}
    for kind, file, edition in sources:
        grouped.setdefault((kind, edition), []).append(file)
    lines = []
    for (kind, edition), files in grouped.items():
        files = sorted(files)
        named = ", ".join(files) if len(files) <= 3 else f"{len(files)} files, {files[0]} to {files[-1]}"
        lines.append(f"{kind_name(kind)}, edition {edition}: {named}.")
    return lines


def _notes(contents: Contents, styles) -> list:
    settings = contents.inputs.settings
    rules = settings.suppression
    out: list = [PageBreak(), Heading("Notes", styles["h1"], 0)]

    def section(title: str, lines: Sequence[str]) -> None:
        out.append(_p(title, styles["h2"]))
        for line in lines:
            out.append(Paragraph(escape(line), styles["bullet"], bulletText="\u2022"))

    if contents.demo:
        out.append(_p("Illustrative demo data: every figure in this pack is made up, not real.", styles["warning"]))
    section("Sources and editions", source_lines(contents.sources) or ["No files are loaded."])
    section(
        "Series breaks",
        [f"{b.date:%-d %B %Y}: {b.label}. {b.detail}" for b in settings.series_breaks]
        + [
            "Statistical process control limits are recalculated at the breaks marked for it; charts number each "
            "break and local event on their time axis and list them underneath."
        ],
    )
    protected = [n for item in contents.charts for n in item.chart.notes if n.startswith(("[c]", "[x]"))]
    section(
        "Small numbers",
        [
            f"Counts from 1 to {rules.threshold} for areas below force level are shown as [c], and so is the next "
            "smallest figure wherever a total would give one away. Force-level Home Office figures are published "
            "unsuppressed and are shown as published.",
            f"No rate or percentage is given on a base of fewer than {rules.minimum_base}: it is shown as [x].",
            (
                f"Suppression was applied in this pack ({len(protected)} note{'s' if len(protected) != 1 else ''} "
                "beside the charts concerned)."
                if protected
                else "No figure in this pack needed suppression."
            ),
        ],
    )
    section(
        "Reading the charts",
        [
            "Statistical process control (XmR) charts follow NHS England's Making Data Count: the mean, process limits "
            "at 2.66 times the average moving range, and signals for a point beyond the limits, a run of 7 rising or "
            "falling, 2 of 3 near a limit, or 7 on one side of the mean. Fewer than 12 points give trial limits.",
            "A rise in recorded stalking can mean better recording or more confidence to report, not more crime: "
            "recorded counts have no good direction.",
            *(f"{c.label}: {c.definition}" for c in settings.outcomes.counts),
        ],
    )
    if contents.missing:
        section(
            "Charts left out",
            [f"{', '.join(contents.missing)}: the data they need is not loaded for this quarter."],
        )
    return out


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


def place_page(writer, target, source, x: float, y: float, scale: float, name: str) -> None:
    """Draw page ``source`` on ``target`` at (x, y), scaled, as a form XObject.

    A form keeps the chart's own drawing instructions as they are: pypdf's page merge would parse
    and rewrite every instruction of both pages, which takes seconds for a detailed chart.
    """
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject

    contents = source["/Contents"].get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    form = DecodedStreamObject()
    form.set_data(b"\n".join(stream.get_object().get_data() for stream in streams))
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject([FloatObject(v) for v in source.mediabox])
    form[NameObject("/Resources")] = source["/Resources"].get_object().clone(writer)
    form_ref = writer._add_object(form.flate_encode())  # noqa: SLF001 - pypdf has no public call to add a stream

    resources = target["/Resources"].get_object()
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    resources["/XObject"].get_object()[NameObject(f"/{name}")] = form_ref
    draw = DecodedStreamObject()
    draw.set_data(f"q {scale:.6f} 0 0 {scale:.6f} {x:.3f} {y:.3f} cm /{name} Do Q".encode("ascii"))
    page_contents = target["/Contents"].get_object()
    existing = list(page_contents) if isinstance(page_contents, ArrayObject) else [target.raw_get("/Contents")]
    target[NameObject("/Contents")] = ArrayObject([*existing, writer._add_object(draw)])  # noqa: SLF001


def draw(chart: Chart) -> bytes:
    """The chart as a one-page PDF the size of its box in the pack: vector, or an image where patterns fill it."""
    size = export.Size("pack", "Meeting pack", round(FRAME_WIDTH * PX_PER_PT), round(CHART_HEIGHT * PX_PER_PT))
    figure = export.lay_out(chart, size, None, export.Parts(title=False, footer=False, band=False))
    if has_patterns(figure):
        png = export.RENDERER.render(figure, "png", size.width, size.height, PRINT_SCALE)
        return image_page(png, FRAME_WIDTH, CHART_HEIGHT)
    return export.RENDERER.render(figure, "pdf", size.width, size.height)


def render(contents: Contents, progress: Progress | None = None) -> bytes:
    """The pack as PDF bytes: reportlab sets the text, then each chart's drawing is placed in its slot."""
    from pypdf import PdfReader, PdfWriter

    settings = contents.inputs.settings
    styles = _styles(settings)
    chart_width = FRAME_WIDTH
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
    document = PackDocument(
        buffer, contents, title=title, author=settings.branding.office, subject=title, creator=export.CREATOR
    )
    story = _story(contents, styles, chart_width, placed)
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
        place_page(writer, writer.pages[page_number - 1], chart_page, x, y, scale, f"Chart{number}")
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
