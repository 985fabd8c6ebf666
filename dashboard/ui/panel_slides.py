"""Presentation mode's Panel slides: the scorecard, the key messages and the overdue recommendations.

The words and tables come from :mod:`dashboard.figures.scorecard` and :mod:`dashboard.outputs.slides`,
the same as the meeting pack's second page, so the room and the printed pack agree.
"""

from __future__ import annotations

import dataclasses
from html import escape

import streamlit as st

from dashboard import queries
from dashboard.figures import overview, scorecard
from dashboard.outputs import slides
from dashboard.ui import components
from dashboard.words import messages

STYLE = """<style>
table.pcc-slide-table { border-collapse: collapse; width: 100%; font-size: 1.15rem; line-height: 1.35; }
table.pcc-slide-table th { text-align: left; border-bottom: 2px solid #12436D; padding: 0.35rem 0.6rem; }
table.pcc-slide-table td { border-bottom: 1px solid #B1B4B6; padding: 0.35rem 0.6rem; vertical-align: top; }
table.pcc-slide-table .pcc-icon { white-space: nowrap; }
p.pcc-slide-note { font-size: 1.15rem; line-height: 1.35; margin: 0.6rem 0 0 0; }
@media (max-width: 1500px), (max-height: 900px) {
  table.pcc-slide-table { font-size: 0.95rem; line-height: 1.25; }
  table.pcc-slide-table td, table.pcc-slide-table th { padding: 0.2rem 0.45rem; }
  p.pcc-slide-note { font-size: 0.95rem; line-height: 1.25; margin-top: 0.4rem; }
}
</style>"""


def panel_card(chosen) -> scorecard.Scorecard:
    """The scorecard for the filters' force, with the statutory responses still open today."""
    card = queries.derived(scorecard.scorecard, chosen)
    return dataclasses.replace(card, deadlines=scorecard.deadline_rows(queries.oversight_table("inspection_reports")))


def show(key: str, chosen, where: str) -> str:
    """Slide ``key`` (one of :data:`slides.PANEL_SLIDES`) under its title, ``where`` saying which slide it is; returns
    the title, which the slide change announces."""
    st.html(STYLE)
    card = panel_card(chosen)
    if key == slides.SCORECARD:
        title = f"At a glance: {chosen.force}"
        st.title(title)
        st.caption(f"{where} · Each measure's latest figure, its change and what its recent quarters say")
        # The overdue count and the statutory deadlines sit under the table in its type, so that the
        # whole slide fits a 1366 x 768 projector without scrolling.
        notes = [
            f"<strong>{messages.overdue_sentence(len(card.overdue), card.recommendations)}.</strong>",
            *(
                escape(f"Statutory response to {item.report}: due {item.due:%-d %B %Y}, {item.where}.")
                for item in card.deadlines
            ),
        ]
        st.html(slides.scorecard_html(card, 28) + "".join(f'<p class="pcc-slide-note">{note}</p>' for note in notes))
    elif key == slides.HEADLINE:
        title = f"Key messages: {chosen.force}"
        st.title(title)
        st.caption(where)
        summary = queries.derived(overview.summary, chosen)
        said = summary.messages if summary else (f"No recorded crime is loaded for {chosen.force}.",)
        st.markdown("\n".join(f"- {components.escape_markdown(sentence)}" for sentence in said))
    else:
        title = "Overdue recommendations"
        st.title(title)
        st.caption(f"{where} · Past the due date and not complete or closed, the longest overdue first")
        if card.overdue:
            st.html(slides.overdue_html(card))
        else:
            st.markdown(f"{messages.overdue_sentence(0, card.recommendations)}.")
    return title
