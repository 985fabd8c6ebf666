"""The meeting pack's pages: type styles, headings, chart slots, tables and the story from cover to notes.

reportlab sets the words as real PDF text; :func:`place_page` then draws each chart's own PDF page
where its :class:`ChartSlot` landed. No Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

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

from dashboard.charts.base import TEXT
from dashboard.outputs import layout, release
from dashboard.outputs.pack_scorecard import glossary_notes, scorecard_page
from dashboard.outputs.pack_tables import deadline_rows, recommendations_rows, source_lines
from data_loaders.settings import Settings

if TYPE_CHECKING:
    from dashboard.outputs.meeting_pack import Contents

PAGE = landscape(A4)  # 842 x 595 points
MARGIN = 15 * mm
CHART_HEIGHT = 280  # points: the chart's box on its page
MUTED = colors.HexColor("#505A5F")
TEXT_COLOUR = colors.HexColor(TEXT)
OVERDUE = colors.HexColor("#B15400")
FRAME_WIDTH = PAGE[0] - 2 * MARGIN


def paragraph_styles(settings: Settings) -> dict[str, ParagraphStyle]:
    """The pack's paragraph styles by name (body, headings, cells, cover lines, contents), in the office's colour."""
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


class PackDocument(BaseDocTemplate):
    """A4 landscape pages with a rule above the office's name, the meeting and 'Page N of M' at the foot.

    The contents need several passes over the story; each pass numbers its pages 'of' the count
    the pass before it reached, and :func:`~dashboard.outputs.meeting_pack.render` runs one more pass if the last one changed it.
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
        if contents.demo:
            release.mark_page(canvas, PAGE[0], PAGE[1], MARGIN)

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


def pack_story(contents: Contents, styles, chart_width: float, placed: dict) -> list:
    """The pack's flowables from cover to notes, with an empty :class:`ChartSlot` where each chart goes."""
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

    # The Panel's one page
    if contents.scorecard is not None:
        heading = Heading("At a glance: every measure, overdue recommendations, deadlines", styles["h1"], 0)
        room = PAGE[1] - 2 * MARGIN - 18 - 40  # the body frame below the heading
        story += [*scorecard_page(contents.scorecard, styles, FRAME_WIDTH, room, brand, heading), PageBreak()]

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
        footer = layout.footer_lines(chart, 10_000)
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
    out += [Heading("Glossary: reading the figures", styles["h2"], 1), *glossary_notes(styles)]
    if contents.missing:
        section(
            "Charts left out",
            [f"{', '.join(contents.missing)}: the data they need is not loaded for this quarter."],
        )
    return out


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
