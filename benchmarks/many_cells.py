"""Benchmark: the memory and time a load takes on a workbook of millions of small cells that is no published table.

A few megabytes zipped can hold hundreds of megabytes of worksheet XML: millions of one-number cells under a
header no loader knows. Such a file must be refused with a message, in memory that does not grow with the cells.
The script writes (into /tmp, or ``--folder``) one XLSX per case, then in a fresh child process each:

- project: ``pcc-dashboard load``'s work, ``ingest.load_files`` into a fresh SQLite file, which must refuse it;
- before: the same, with the project as it was in another checkout (``--before FOLDER``, e.g. a git worktree of an
  earlier commit), to measure a change in the same run;
- calamine: python-calamine's ``to_python`` of the sheet, the quickest whole read an analyst would write;
- pandas: ``pandas.read_excel(engine="calamine")``, the same through pandas;
- openpyxl: ``openpyxl.load_workbook(read_only=True)``, every row iterated: what an analyst writes to keep memory down.

    python benchmarks/many_cells.py                              # the default cases, every method but before
    python benchmarks/many_cells.py --cases 5000000:70 --methods project
    git worktree add /tmp/before HEAD~3 && python benchmarks/many_cells.py --before /tmp/before

A case is CELLS:BYTES, the cells and the bytes of XML each takes, with :population to head the cells with a
population table's columns (a kind read whole, so refused by its cells) instead of names no loader knows:
5,000,000 cells of about 70 bytes make the 350 MB of XML of the file that once took 1.85 GB and 36 s; 8,000,000
compact cells of about 30 bytes stay just under the 256 MB above which a file is streamed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
# The child of the "before" method imports the project from the other checkout.
sys.path.insert(0, os.environ.get("PCC_BENCHMARK_ROOT") or str(PROJECT))

from benchmarks.streaming_memory import peak_mb  # noqa: E402
from data_loaders.streaming.text import _column_letters  # noqa: E402

COLUMNS = 20
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
DEFAULT_CASES = ("5000000:70", "8000000:28", "8000000:28:population")
POPULATION = ["Force", "Year", "Population"]


def write_workbook(path: Path, cells: int, width: int, header: list[str] | None = None) -> int:
    """An XLSX of one sheet: a header (of unknown names unless ``header`` is given, padded to ``COLUMNS``), then
    ``cells`` one-number cells of about ``width`` bytes of XML each, ``COLUMNS`` a row; return the worksheet XML's
    size."""
    rows = cells // COLUMNS
    letters = [_column_letters(i) for i in range(COLUMNS)]
    padding = max(1, width - 28)  # the bytes of a compact cell with a one-digit row and value
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{NS}" xmlns:r="{RELS}"><sheets><sheet name="Cells" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" Type="{RELS}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{NS}"><dimension ref="A1:{letters[-1]}{rows + 1}"/><sheetData>'.encode())
            given = (header or [])[:COLUMNS]
            names = [*given, *(f"Column {c}" for c in letters[len(given) :])]
            cells_xml = "".join(
                f'<c r="{c}1" t="inlineStr"><is><t>{n}</t></is></c>' for c, n in zip(letters, names, strict=True)
            )
            sheet.write(f'<row r="1">{cells_xml}</row>'.encode())
            value = "1" * (padding - 8) if padding > 8 else "1"
            extra = ' s="0" t="n"' if padding > 8 else ""
            for row in range(2, rows + 2):
                cells_xml = "".join(f'<c r="{c}{row}"{extra}><v>{value}</v></c>' for c in letters)
                sheet.write(f'<row r="{row}">{cells_xml}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        return archive.getinfo("xl/worksheets/sheet1.xml").file_size


def run_project(path: str) -> str:
    from data_loaders import database, ingest
    from data_loaders.refusals import LoadRefused
    from data_loaders.settings import load_settings

    with tempfile.TemporaryDirectory() as folder:
        engine = database.make_engine(f"sqlite:///{folder}/project.sqlite")
        try:
            ingest.load_files([path], engine, load_settings())
        except LoadRefused as refused:
            return f"refused: {refused.problems[0]}"
        finally:
            engine.dispose()
    return "loaded"


def run_calamine(path: str) -> str:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(path)
    rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    return f"read {len(rows):,} rows"


def run_pandas(path: str) -> str:
    import pandas as pd

    frame = pd.read_excel(path, sheet_name=0, engine="calamine")
    return f"read {len(frame) + 1:,} rows"


def run_openpyxl(path: str) -> str:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return f"read {rows:,} rows"


RUNNERS = {
    "project": run_project,
    "before": run_project,
    "calamine": run_calamine,
    "pandas": run_pandas,
    "openpyxl": run_openpyxl,
}


def child(method: str, path: str) -> None:
    started = time.perf_counter()
    outcome = RUNNERS[method](path)
    print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": peak_mb(), "outcome": outcome}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="+", default=list(DEFAULT_CASES), help="CELLS:BYTES each (see above)")
    parser.add_argument(
        "--methods",
        default="before,project,calamine,pandas,openpyxl",
        help="comma-separated: before (with --before), project, calamine, pandas, openpyxl",
    )
    parser.add_argument("--before", help="a checkout of the project to run the before method from")
    parser.add_argument("--folder", default=tempfile.gettempdir(), help="where the workbooks are written (/tmp)")
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "PATH"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(*options.child)
        return 0
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}\n")
    print("| cells | XML MB | zipped MB | method | seconds | peak MB | outcome |")
    print("| ---: | ---: | ---: | --- | ---: | ---: | --- |")
    for case in options.cases:
        cells, width, *kind = case.split(":")
        cells, width = int(cells), int(width)
        path = Path(options.folder) / f"pcc-many-cells-{cells}-{width}{'-' if kind else ''}{''.join(kind)}.xlsx"
        size = write_workbook(path, cells, width, POPULATION if kind == ["population"] else None)
        try:
            for method in options.methods.split(","):
                if method == "before" and not options.before:
                    continue
                command = [sys.executable, str(Path(__file__).resolve()), "--child", method, str(path)]
                environment = {**os.environ, "PCC_BENCHMARK_ROOT": options.before if method == "before" else ""}
                done = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
                if done.returncode != 0:
                    figures = {"seconds": float("nan"), "peak_mb": float("nan"), "outcome": done.stderr[-300:]}
                else:
                    figures = json.loads(done.stdout.strip().splitlines()[-1])
                print(
                    f"| {cells:,}{' (population)' if kind else ''} | {size / 1e6:,.0f} "
                    f"| {path.stat().st_size / 1e6:,.1f} | {method} "
                    f"| {figures['seconds']:.1f} | {figures['peak_mb']:,.0f} | {figures['outcome'][:200]} |",
                    flush=True,
                )
        finally:
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
