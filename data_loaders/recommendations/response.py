"""The Commissioner's published response to an inspection report, read from its text.

The form, as Devon and Cornwall published its response to the 2019 HMICFRS report::

    <REPORT TITLE>

    Chief Constable's comments
    <paragraphs>

    Recommendations<TAB>D&C Response
    <recommendation text><TAB><p>response</p> <p>more response</p> <p>Owner</p>
    ...

    Police & Crime Commissioner's comments
    <paragraphs>

    <name>
    Police and Crime Commissioner
    <area>

Each response is HTML paragraphs, of which the last names the owner. The HTML is kept as
written (it is untrusted and is sanitised when displayed). Recommendations are referenced R1,
R2, ... in table order unless the text carries its own numbers ("1.", "R3", "Recommendation 4:").
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from data_loaders.recommendations.due_dates import split_timescale
from data_loaders.recommendations.fragments import paragraphs, text_of
from data_loaders.refusals import LoadRefused, Problem

KIND = "pcc-response"
DESCRIPTION = (
    "a Commissioner's response to an inspection report (.txt: title, Chief Constable's comments, "
    "a tab-separated 'Recommendations' / '<force> Response' table, Commissioner's comments)"
)

CHIEF_HEADING = re.compile(r"chief\s+constable'?s?\s+(?:comments|response)\s*:?", re.IGNORECASE)
PCC_HEADING = re.compile(
    r"(?:police\s+(?:&|and)\s+crime\s+commissioner|commissioner|pcc)'?s?\s+(?:comments|response)\s*:?", re.IGNORECASE
)
# The table's header row, "Recommendations<TAB><force> Response", is read by :func:`table_header` without
# a pattern: every way of writing it as one (``recommendations?\s*\t+\s*(.*?)\s*response\s*``) backtracks,
# and a line of a few hundred tabs then takes minutes.
HEADER_WORD = re.compile(r"recommendations?", re.IGNORECASE)
RESPONSE_WORD = "response"
NUMBERED = re.compile(r"(?:recommendation\s*)?(?P<ref>R?\d{1,3})\s*[.):\-]\s*|(?P<rref>R\d{1,3})\s+", re.IGNORECASE)
ADDRESSED = re.compile(r"(?:the\s+)?(?P<who>[^.;:]{2,120}?)\s+(?:should|must|will\s+need\s+to)\b", re.IGNORECASE)
OWNER_MAX_WORDS = 15
# The most characters the database stores for a report's title and a recommendation's owner.
MAX_TITLE = 500
MAX_OWNER = 300


@dataclass(frozen=True)
class ResponseRecommendation:
    """One row of the response table."""

    reference: str
    text: str
    timescale: str | None
    addressed_to: str | None
    response_html: str
    owner: str
    line: int


@dataclass(frozen=True)
class ResponseDocument:
    """A response document as read: report-level text and the recommendations in table order."""

    file: str
    title: str
    force_label: str
    chief_constable_comments: str
    recommendations: tuple[ResponseRecommendation, ...]
    pcc_comments: str
    signature: str


def table_header(line: str) -> str | None:
    """The force label of the table's header row (``Recommendations<TAB>D&C Response`` gives ``D&C``), else None.

    The word "Recommendation(s)", white space holding at least one tab, the label, then "Response";
    any case, white space round it all. Read in one pass, whatever the line holds.
    """
    text = line.strip()
    word = HEADER_WORD.match(text)
    if word is None:
        return None
    rest = text[word.end() :]
    label = rest.lstrip()
    gap = rest[: len(rest) - len(label)]
    if "\t" not in gap or label[-len(RESPONSE_WORD) :].lower() != RESPONSE_WORD:
        return None
    label = label[: -len(RESPONSE_WORD)]
    return None if "\n" in label else label.strip()


def addressed_to(text: str) -> str | None:
    """Who a recommendation asks to act: the words before its first "should" (after any timescale).

    >>> addressed_to("Within six months chief constables should ensure that ...")
    'chief constables'
    """
    _, rest = split_timescale(text)
    # Runs of space as one first: the pattern's bounded name followed by white space would otherwise
    # try every split of a long run.
    match = ADDRESSED.match(" ".join(rest.split()))
    return " ".join(match.group("who").split()) if match else None


def _paragraphs(lines: list[str]) -> str:
    """Blank-line separated paragraphs, each on one line, joined by a blank line."""
    blocks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return "\n\n".join(blocks)


def _signature(lines: list[str]) -> tuple[list[str], str]:
    """The comments without the closing signature block (short lines naming the Commissioner)."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    start = end
    while start and lines[start - 1].strip():
        start -= 1
    block = [line.strip() for line in lines[start:end]]
    is_signature = (
        2 <= len(block) <= 6
        and all(len(line) <= 80 for line in block)
        and any("commissioner" in line.lower() for line in block)
    )
    if not is_signature:
        return lines[:end], ""
    return lines[:start], "\n".join(block)


def _split_response(cell: str, file: str, line: int, column: str) -> tuple[str | None, str | None, list[Problem]]:
    found = paragraphs(cell)
    if len(found) < 2:
        return (
            None,
            None,
            [
                Problem(
                    file,
                    "expected the response as HTML paragraphs (<p>...</p>), the last naming the owner",
                    row=line,
                    column=column,
                    found=cell[:80],
                )
            ],
        )
    last = found[-1]
    owner = text_of(last.body)
    problems = []
    if cell[last.end :].strip():
        problems.append(
            Problem(
                file,
                "expected the response to end with the paragraph naming the owner",
                row=line,
                column=column,
                found=cell[last.end :].strip()[:80],
            )
        )
    if not owner or len(owner.split()) > OWNER_MAX_WORDS:
        problems.append(
            Problem(
                file,
                f"expected the last paragraph of the response to name the owner (a role of at most {OWNER_MAX_WORDS} words)",
                row=line,
                column=column,
                found=owner[:80],
            )
        )
    elif len(owner) > MAX_OWNER:
        problems.append(
            Problem(
                file,
                f"expected the last paragraph of the response to name the owner in at most {MAX_OWNER} characters",
                row=line,
                column=column,
                found=owner[:80],
            )
        )
    return cell[: last.start].strip(), owner, problems


def _reference(text: str) -> tuple[str | None, str]:
    """The number a recommendation carries at its start (as R<n>), if any, and the text after it."""
    match = NUMBERED.match(text)
    if not match:
        return None, text
    ref = (match.group("ref") or match.group("rref")).upper()
    return (ref if ref.startswith("R") else f"R{ref}"), text[match.end() :].strip()


def parse(text: str, file: str = "response.txt") -> ResponseDocument:
    """A response document read from its text; raises :class:`LoadRefused` listing every problem.

    Problems name the line of the file (counted from 1) as their row.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2019", "'").split("\n")
    numbered = [(number, line) for number, line in enumerate(lines, start=1)]
    content = [(n, line) for n, line in numbered if line.strip()]
    if not content:
        raise LoadRefused([Problem(file, "the file is empty; expected a Commissioner's response document")])
    title_line, title = content[0]
    title = " ".join(title.split())

    def find(pattern: re.Pattern[str], after: int) -> int | None:
        for number, line in numbered[after:]:
            if pattern.fullmatch(line.strip()):
                return number
        return None

    problems: list[Problem] = []
    if len(title) > MAX_TITLE:
        problems.append(
            Problem(
                file,
                f"expected the report's title on the first line, of at most {MAX_TITLE} characters",
                row=title_line,
                found=title[:80],
            )
        )
    chief = find(CHIEF_HEADING, title_line)
    header = next((n for n, line in numbered[title_line:] if table_header(line) is not None), None)
    if header is None:
        raise LoadRefused(
            [
                Problem(
                    file,
                    "expected a table whose header row is 'Recommendations' and '<force> Response' separated by a tab",
                )
            ]
        )
    pcc = find(PCC_HEADING, header)
    if chief is None or chief > header:
        problems.append(
            Problem(file, 'expected a "Chief Constable\'s comments" heading between the title and the table')
        )
    if pcc is None:
        problems.append(Problem(file, 'expected a "Police & Crime Commissioner\'s comments" heading after the table'))
    force_label = table_header(lines[header - 1]) or ""
    response_column = f"{force_label} Response".strip()

    rows: list[tuple[int, str]] = []
    end = (pcc - 1) if pcc else len(lines)
    for number in range(header + 1, end + 1):
        line = lines[number - 1]
        if not line.strip():
            continue
        rows.append((number, line))

    recommendations = []
    references_given = []
    for index, (number, line) in enumerate(rows, start=1):
        cells = [cell.strip() for cell in line.split("\t")]
        cells = [cell for cell in cells if cell] if len(cells) > 2 else cells
        if len(cells) != 2 or not cells[0] or not cells[1]:
            problems.append(
                Problem(
                    file,
                    "expected a recommendation and the force's response separated by one tab",
                    row=number,
                    found=line.strip()[:80],
                )
            )
            continue
        reference, recommendation = _reference(cells[0])
        references_given.append(reference)
        response_html, owner, cell_problems = _split_response(cells[1], file, number, response_column)
        problems.extend(cell_problems)
        if cell_problems:
            continue
        timescale, _ = split_timescale(recommendation)
        recommendations.append(
            ResponseRecommendation(
                reference=reference or f"R{index}",
                text=" ".join(recommendation.split()),
                timescale=timescale,
                addressed_to=addressed_to(recommendation),
                response_html=response_html,
                owner=owner,
                line=number,
            )
        )
    if not rows:
        problems.append(Problem(file, "the recommendations table has a header but no rows", row=header))
    if any(references_given) and not all(references_given):
        problems.append(
            Problem(
                file,
                "expected every recommendation to carry its number, or none of them",
                row=rows[references_given.index(None)][0],
            )
        )
    seen: dict[str, int] = {}
    for item in recommendations:
        if item.reference in seen:
            problems.append(
                Problem(
                    file,
                    f"each recommendation number may appear once; this repeats line {seen[item.reference]}",
                    row=item.line,
                    found=item.reference,
                )
            )
        seen.setdefault(item.reference, item.line)
    if problems:
        raise LoadRefused(problems)

    comments_end = header - 1
    chief_lines = lines[chief:comments_end] if chief else []
    pcc_lines, signature = _signature(lines[pcc:] if pcc else [])
    return ResponseDocument(
        file=file,
        title=title,
        force_label=force_label,
        chief_constable_comments=_paragraphs(chief_lines),
        recommendations=tuple(recommendations),
        pcc_comments=_paragraphs(pcc_lines),
        signature=signature,
    )


UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode(data: bytes) -> str | None:
    """A text file's text: UTF-16 by its byte-order mark (as Excel and Word save "Unicode Text"), else UTF-8 (with
    or without BOM), else Windows-1252; None for a file that is not text."""
    if data.startswith(UTF16_BOMS):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read(path: str | Path, display_name: str | None = None) -> ResponseDocument:
    """A response document read from a text file (UTF-8, with or without BOM, Windows-1252 or UTF-16 with BOM)."""
    path = Path(path)
    name = display_name or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadRefused([Problem(name, f"the file could not be opened ({exc.strerror or exc})")]) from exc
    text = decode(data)
    if text is None:
        raise LoadRefused([Problem(name, "the file is not text; expected a Commissioner's response as a .txt file")])
    return parse(text, name)
