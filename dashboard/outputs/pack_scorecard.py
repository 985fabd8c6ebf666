"""The meeting pack's Panel page (the scorecard, its second page) and its glossary notes, set by reportlab.

The page is :func:`dashboard.figures.scorecard.scorecard` as a table: each measure's latest figure, change,
plain reading and Making Data Count icon (drawn by :mod:`dashboard.outputs.icons`, its label beside it),
then the overdue recommendations and the statutory responses still open. No Streamlit.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepInFrame, Paragraph, Spacer, Table, TableStyle

from dashboard.figures.scorecard import Scorecard
from dashboard.outputs import icons
from dashboard.words import glossary, messages

ICON = 15  # points
OVERDUE_SHOWN = 3  # overdue recommendations listed on the page; the rest are counted
DEADLINES_SHOWN = 3
RULE = colors.HexColor("#B1B4B6")


class IconLabel(Flowable):
    """A Making Data Count icon with its label written beside it: colour is never the only cue."""

    def __init__(self, family: str, kind: str, width: float):
        super().__init__()
        self.family, self.kind, self.width, self.height = family, kind, width, ICON + 2

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        icons.draw(self.canv, self.family, self.kind, 0, 1, ICON)
        self.canv.setFont("Helvetica", 8.5)
        self.canv.setFillColor(colors.black)
        self.canv.drawString(ICON + 4, 5, icons.label(self.family, self.kind))


def _p(text: object, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _table(rows, widths, header_colour, highlight=()) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    commands = [
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, header_colour),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    commands += [("BACKGROUND", (0, row), (-1, row), colors.HexColor("#FBEEE6")) for row in highlight]
    table.setStyle(TableStyle(commands))
    return table


def scorecard_page(card: Scorecard, styles, width: float, height: float, brand, heading) -> list:
    """The flowables of the Panel's one page, ``width`` x ``height`` points below ``heading`` (the contents entry)."""
    cell, bold, small = styles["cell"], styles["cell_bold"], styles["small"]
    story: list = [
        _p(
            f"{card.force}. The icons and terms are explained in the glossary in the notes at the end of the pack.",
            styles["subtitle"],
        ),
        Spacer(1, 4),
    ]
    icon_width = 118
    widths = (150, 62, 78, icon_width, width - 408)
    rows: list[list] = [[_p(h, bold) for h in ("Measure", "Latest", "Change on the year before", "Icon", "Reading")]]
    for row in card.rows:
        picture = (
            [IconLabel("variation", row.variation, icon_width - 6)] if row.variation else [_p("A count only", small)]
        )
        if row.assurance:
            picture.append(IconLabel("assurance", row.assurance, icon_width - 6))
        rows.append(
            [
                Paragraph(f"<b>{escape(row.measure)}</b><br/>{escape(row.period)}", cell),
                _p(row.latest, bold),
                _p(row.change, cell),
                picture,
                _p(row.reading, cell),
            ]
        )
    story.append(_table(rows, widths, brand))

    story += [Spacer(1, 6), _p("Recommendations past their due date", styles["h2"])]
    overdue = messages.overdue_sentence(len(card.overdue), card.recommendations)
    if not card.overdue:
        story.append(_p(f"{overdue}.", cell))
    else:
        story.append(
            _p(
                f"{overdue}. Overdue: past the due date and neither complete nor closed. The longest overdue first.",
                cell,
            )
        )
        rows = [[_p(h, bold) for h in ("Report", "Ref", "Recommendation", "Due", "Overdue by", "Status")]]
        for item in card.overdue[:OVERDUE_SHOWN]:
            rows.append(
                [
                    _p(item.report, cell),
                    _p(item.reference, cell),
                    _p(item.text, cell),
                    _p(f"{item.due:%-d %b %Y}", cell),
                    _p(f"{item.days_overdue:,} days", cell),
                    _p(item.status, cell),
                ]
            )
        story.append(_table(rows, (130, 28, width - 418, 70, 70, 120), brand))
        more = len(card.overdue) - OVERDUE_SHOWN
        if more > 0:
            story.append(_p(f"And {more} more: every one is in the recommendations table.", small))

    story += [Spacer(1, 4), _p("Statutory responses still open (56 days from publication)", styles["h2"])]
    if not card.deadlines:
        story.append(_p("No response is due: every report loaded has its response published.", cell))
    for item in card.deadlines[:DEADLINES_SHOWN]:
        story.append(_p(f"{item.report}: due {item.due:%-d %B %Y}, {item.where}.", cell))
    # One page, always: a long list of measures or recommendations is set smaller rather than spilling over.
    return [heading, KeepInFrame(width, height, story, mode="shrink")]


def glossary_notes(styles) -> list:
    """The glossary as the notes' "Reading the figures" pages: the same text as the app's Glossary page."""
    out: list = []
    for heading, body in glossary.sections().items():
        out.append(_p(heading, styles["h2"]))
        for level, text in glossary.paragraphs(body):
            marked = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escape(text))
            if level == 0:
                out.append(Paragraph(marked, styles["body"]))
            elif level == 1:
                out.append(Paragraph(marked, styles["bullet"], bulletText="\u2022"))
            else:
                out.append(Paragraph(marked, _indented(styles["bullet"]), bulletText="\u2013"))
    return out


def _indented(style):
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        f"{style.name}_2", parent=style, leftIndent=style.leftIndent + 14, bulletIndent=style.bulletIndent + 14
    )
