"""Benchmark: peak memory and time of reading a community safety partnership edition, streamed and whole.

Writes (with ``data_loaders.ods.write_ods``, into ``benchmarks/out/``, git-ignored) an ODS shaped like
the Home Office ``prc-csp-mar21-mar26-tables-DDMMYY.ods``: a notes sheet, then one long-format sheet per
financial year of 300 CSPs x 150 offence codes x 4 quarters (180,000 rows), in the edition's columns.
Then each method runs in its own child process, so each peak is its own (VmHWM of the child):

- project: ``ingest.load_files`` into a fresh SQLite file, the whole load: a file this size is read as a
  stream, every row checked, the configured codes kept and stored;
- stream: ``streaming.iter_sheets``, counting the rows and keeping those coded 8L, 8M, 8Q, 8R or 8U;
- calamine: python-calamine ``to_python(skip_empty_area=False)`` of every sheet, as
  ``tables.open_workbook`` reads a file today, then the same count and selection;
- pandas: ``pandas.read_excel(path, sheet_name=None, engine="calamine")``, an analyst's way, then the
  same count and selection.

    python benchmarks/streaming_memory.py                 # 1,260,000 rows: content.xml over 1 GB
    python benchmarks/streaming_memory.py --rows 200000   # a quick run
    python benchmarks/streaming_memory.py --methods stream,calamine
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

OUT = Path(__file__).with_name("out")
HEADER = [
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "CSP Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Offence Count",
]
CSPS = 300
OFFENCE_CODES = 150
QUARTERS = 4
ROWS_PER_YEAR = CSPS * OFFENCE_CODES * QUARTERS
DEFAULT_ROWS = 7 * ROWS_PER_YEAR
FIRST_YEAR = 2019
SELECTED_CODES = frozenset({"8L", "8M", "8Q", "8R", "8U"})
STALKING = [
    ("8L", "Harassment"),
    ("8M", "Racially or religiously aggravated harassment"),
    ("8Q", "Stalking"),
    ("8R", "Malicious Communications"),
    ("8U", "Controlling and coercive behaviour"),
]
FORCES = [
    "Avon and Somerset",
    "Devon and Cornwall",
    "Dorset",
    "Gloucestershire",
    "Wiltshire",
    "Hampshire and Isle of Wight",
    "Thames Valley",
    "Kent",
    "Sussex",
    "Surrey",
]
METHODS = ("project", "stream", "calamine", "pandas")
HEADER_SCAN_ROWS = 30


def offence_lines() -> list[tuple[str, str, str, str]]:
    """(code, description, group, subgroup) for the five stalking and harassment codes and synthetic others."""
    lines = [(code, text, "Violence against the person", "Stalking and harassment") for code, text in STALKING]
    lines += [
        (f"B{n:03d}", f"Benchmark offence B{n:03d}", "Benchmark offences", "Benchmark offences")
        for n in range(1, OFFENCE_CODES - len(STALKING) + 1)
    ]
    return lines


class YearRows(Sequence):
    """One financial year's sheet, header first, made row by row as the writer asks: nothing is held in memory."""

    def __init__(self, start_year: int, count: int) -> None:
        self.year = f"{start_year}/{str(start_year + 1)[-2:]}"
        self.count = count
        self.lines = offence_lines()
        self.csps = [f"Partnership {n:03d}" for n in range(1, CSPS + 1)]

    def __len__(self) -> int:
        return self.count + 1

    def __getitem__(self, index: int) -> list[object]:
        if not 0 <= index <= self.count:
            raise IndexError(index)
        if index == 0:
            return HEADER
        position = index - 1
        quarter, rest = divmod(position, CSPS * OFFENCE_CODES)
        csp, line = divmod(rest, OFFENCE_CODES)
        code, description, group, subgroup = self.lines[line]
        count = (position * 7919 + csp * 31) % 89 - 2  # a few negative adjustments, as published
        force = FORCES[csp % len(FORCES)]
        return [self.year, quarter + 1, force, self.csps[csp], description, group, subgroup, code, count]


def year_sheets(rows: int) -> dict[str, Sequence]:
    """A notes sheet, then year sheets of up to 180,000 rows until ``rows`` data rows are written."""
    sheets: dict[str, Sequence] = {
        "Notes": [
            ["Police recorded crime by community safety partnership (benchmark copy)"],
            [None],
            ["Synthetic figures in the shape of the Home Office tables; not published statistics."],
        ]
    }
    year = FIRST_YEAR
    left = rows
    while left > 0:
        count = min(left, ROWS_PER_YEAR)
        sheets[f"{year}_{str(year + 1)[-2:]}"] = YearRows(year, count)
        left -= count
        year += 1
    return sheets


def write_workbook(rows: int, rewrite: bool) -> tuple[Path, float | None]:
    """The benchmark workbook (written unless an earlier run left it) and the seconds writing took."""
    from data_loaders.ods import write_ods

    OUT.mkdir(exist_ok=True)
    path = OUT / f"prc-csp-benchmark-{rows}-rows.ods"
    if path.exists() and not rewrite:
        return path, None
    started = time.perf_counter()
    write_ods(path, year_sheets(rows))
    return path, time.perf_counter() - started


# ---- the methods, each run in a child process ----------------------------------------------------


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def count_rows(sheets: Iterator[tuple[str | None, Iterator[Sequence[object]]]]) -> tuple[int, list[list[object]]]:
    """Data rows under each sheet's header (found by name) and the rows whose offence code is selected."""
    total = 0
    kept: list[list[object]] = []
    for _, rows in sheets:
        code_at = None
        for index, row in enumerate(rows):
            if code_at is None:
                if index >= HEADER_SCAN_ROWS:
                    break
                if "Offence Code" in row:
                    code_at = list(row).index("Offence Code")
                continue
            if not any(cell != "" and cell is not None for cell in row):
                continue
            total += 1
            if len(row) > code_at and row[code_at] in SELECTED_CODES:
                kept.append(list(row))
    return total, kept


def run_stream(path: str) -> tuple[int, int]:
    from data_loaders.streaming import iter_sheets

    total, kept = count_rows((sheet.name, sheet.rows) for sheet in iter_sheets(path))
    return total, len(kept)


def run_calamine(path: str) -> tuple[int, int]:
    from python_calamine import CalamineWorkbook

    with open(path, "rb") as handle:
        book = CalamineWorkbook.from_filelike(handle)
        # Every sheet is read before any is looked at, as tables.open_workbook does.
        sheets = [(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in book.sheet_names]
    total, kept = count_rows((name, iter(rows)) for name, rows in sheets)
    return total, len(kept)


def run_pandas(path: str) -> tuple[int, int]:
    import pandas as pd

    frames = pd.read_excel(path, sheet_name=None, engine="calamine")
    total = kept = 0
    for frame in frames.values():
        if "Offence Code" in frame.columns:
            total += len(frame)
            kept += int(frame["Offence Code"].isin(SELECTED_CODES).sum())
    return total, kept


def run_project(path: str) -> tuple[int, int]:
    """The project's whole load into a fresh SQLite file: read, check every row, store the configured codes."""
    import tempfile

    from data_loaders import database, ingest
    from data_loaders.settings import load_settings

    with tempfile.TemporaryDirectory() as folder:
        engine = database.make_engine(f"sqlite:///{folder}/project.sqlite")
        (result,) = ingest.load_files([path], engine, load_settings())
        engine.dispose()
    return result.rows_read, result.rows_read - result.rows_other_offences


RUNNERS = {"project": run_project, "stream": run_stream, "calamine": run_calamine, "pandas": run_pandas}


def child(method: str, path: str) -> None:
    """Run one method and print its figures as JSON for the parent."""
    before = peak_mb()
    started = time.perf_counter()
    cpu_started = time.process_time()
    rows, kept = RUNNERS[method](path)
    figures = {
        "method": method,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu_started,
        "peak_mb": peak_mb(),
        "start_mb": before,
        "rows": rows,
        "kept": kept,
    }
    print(json.dumps(figures))


def measure(method: str, path: Path) -> dict[str, object]:
    """One method's figures, from a fresh child process."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", method, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{method} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help=f"data rows in all (default {DEFAULT_ROWS:,})")
    parser.add_argument(
        "--methods", default=",".join(METHODS), help="comma-separated: project, stream, calamine, pandas"
    )
    parser.add_argument(
        "--rewrite", action="store_true", help="write the workbook again even if an earlier run left it"
    )
    parser.add_argument("--child", nargs=2, metavar=("METHOD", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in RUNNERS]
    if unknown:
        parser.error(f"unknown methods: {', '.join(unknown)}")

    from data_loaders.streaming import xml_size

    path, write_seconds = write_workbook(args.rows, args.rewrite)
    size = xml_size(path)
    load = os.getloadavg()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {load[0]:.1f}")
    written = f"written in {write_seconds:.1f} s" if write_seconds is not None else "left by an earlier run"
    print(f"{path.name}: {args.rows:,} data rows, {path.stat().st_size / 1e6:,.1f} MB on disk ({written})")
    print(f"content.xml: {size:,} bytes ({size / 1e9:.2f} GB) uncompressed")
    print()
    print("| method | seconds | CPU s | peak MB | start MB | rows | rows/second | kept (8L/8M/8Q/8R/8U) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    results = []
    for method in methods:  # one after another: each child has the machine's memory to itself
        figures = measure(method, path)
        results.append(figures)
        print(
            f"| {method} | {figures['seconds']:.1f} | {figures['cpu_seconds']:.1f} | {figures['peak_mb']:,.0f} "
            f"| {figures['start_mb']:,.0f} | {figures['rows']:,} | {figures['rows'] / figures['seconds']:,.0f} "
            f"| {figures['kept']:,} |",
            flush=True,
        )
    if len({(r["rows"], r["kept"]) for r in results}) > 1:
        print("\nThe methods disagree on the rows read: see the table above.")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
