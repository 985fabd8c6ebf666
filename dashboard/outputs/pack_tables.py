"""The meeting pack's tables as rows of words: recommendations (overdue first), statutory deadlines, files loaded.

Pure pandas: no reportlab, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pandas as pd


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
        # The category, never the source's own word ("being-progressed"): the glossary explains the four.
        category = _words(row.status_category)
        rows.append(
            [
                "OVERDUE" if row.overdue else "",
                short_report(row.report, row.publication_date),
                _words(row.reference),
                _words(row.text),
                _words(row.owner, "not named"),
                _date(row.due_date),
                category or "no status yet",
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
