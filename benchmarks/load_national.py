"""Benchmark: load a national all-offence Home Office workbook, the project's way and the plain pandas way.

Writes a workbook shaped like ``prc-pfa-mar2013-onwards-tables-DDMMYY`` (a notes sheet, then one
long-format sheet per financial year, 2012_13 to 2023_24, every force x offence code x quarter)
as ODS and XLSX, then times on fresh SQLite databases:

- project: ``ingest.load_files([path], engine, settings)``: reads every row with python-calamine,
  validates every cell, and stores the configured stalking and harassment codes;
- baseline: ``pandas.read_excel(path, sheet_name=None)`` with pandas' default engine (odf for
  ODS, openpyxl for XLSX), ``pandas.concat`` of the year sheets, then ``DataFrame.to_sql``: it
  stores every row and checks nothing.

The offence lines are the demo's real Home Office codes followed by synthetic ``Bnnn`` codes
("Benchmark offence Bnnn") that make up the volume of the real table's ~160 codes.

    python benchmarks/load_national.py                      # ODS and XLSX, 12 x 30,080 rows
    python benchmarks/load_national.py --formats ods --skip-baseline
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from data_loaders import database, ingest
from data_loaders.demo import FRAUD, OTHER_OFFENCES, STALKING_AND_HARASSMENT, Offence, fy_label, sheet_name
from data_loaders.ods import write_ods
from data_loaders.settings import Settings, load_settings

OUT = Path(__file__).with_name("out")
FIRST_YEAR, LAST_YEAR = 2012, 2023  # sheets 2012_13 to 2023_24
QUARTERS = 4
DEFAULT_ROWS_PER_SHEET = 47 * 160 * QUARTERS
SEED = 20231019
HEADER = [
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Number of Offences",
]
SPEEDUP_TARGET = 10.0
PROJECT_SECONDS_TARGET = 20.0


def offence_lines(count: int) -> list[Offence]:
    """The demo's real offence lines, then synthetic ones, ``count`` in all."""
    real = [*STALKING_AND_HARASSMENT.values(), *OTHER_OFFENCES, FRAUD]
    synthetic = [
        Offence(f"B{n:03d}", f"Benchmark offence B{n:03d}", "Benchmark offences", "Benchmark offences")
        for n in range(1, max(count - len(real), 0) + 1)
    ]
    return (real + synthetic)[:count]


def year_frame(year: int, forces: list[str], offences: list[Offence], rng: np.random.Generator) -> pd.DataFrame:
    """One financial year sheet: every quarter x force x offence line, in the official columns."""
    n_forces, n_offences = len(forces), len(offences)
    quarter = np.repeat(np.arange(1, QUARTERS + 1), n_forces * n_offences)
    force = np.tile(np.repeat(np.array(forces, dtype=object), n_offences), QUARTERS)
    line = np.tile(np.arange(n_offences), QUARTERS * n_forces)
    scale = rng.lognormal(3, 1.5, size=(n_forces, n_offences))
    counts = rng.poisson(np.tile(scale.ravel(), QUARTERS))
    pick = np.array(offences, dtype=object)[line]
    return pd.DataFrame(
        {
            "Financial Year": fy_label(year),
            "Financial Quarter": quarter,
            "Force Name": force,
            "Offence Description": [o.description for o in pick],
            "Offence Group": [o.group for o in pick],
            "Offence Subgroup": [o.subgroup for o in pick],
            "Offence Code": [o.code for o in pick],
            "Number of Offences": counts,
        }
    )


def national_workbook(settings: Settings, rows_per_sheet: int) -> dict[str, pd.DataFrame]:
    """The year sheets of the benchmark workbook, with about ``rows_per_sheet`` rows each (never fewer)."""
    forces = sorted(f.name for f in settings.forces)
    offences = offence_lines(max(1, math.ceil(rows_per_sheet / (len(forces) * QUARTERS))))
    rng = np.random.default_rng(SEED)
    return {sheet_name(year): year_frame(year, forces, offences, rng) for year in range(FIRST_YEAR, LAST_YEAR + 1)}


NOTES = [
    ["Police recorded crime open data tables: police force area (benchmark workbook)"],
    ["Synthetic figures for timing the loaders; not real data."],
]


def write_xlsx(path: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """The workbook as XLSX, written with openpyxl's streaming (write-only) mode."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    notes = book.create_sheet("Notes")
    for row in NOTES:
        notes.append(row)
    for name, frame in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False, name=None):
            sheet.append(row)
    book.save(path)
    return path


def write_workbook(fmt: str, folder: Path, sheets: dict[str, pd.DataFrame]) -> tuple[Path, float]:
    path = folder / f"prc-pfa-mar2013-onwards-tables-benchmark-191023.{fmt}"
    start = time.perf_counter()
    if fmt == "ods":
        write_ods(path, {"Notes": NOTES, **sheets})
    else:
        write_xlsx(path, sheets)
    return path, time.perf_counter() - start


@dataclass
class Timing:
    seconds: float
    rows_read: int
    rows_stored: int


def fresh_engine(folder: Path, name: str) -> sa.Engine:
    path = folder / f"{name}.sqlite"
    for leftover in folder.glob(f"{name}.sqlite*"):
        leftover.unlink()
    return database.make_engine(f"sqlite:///{path}")


def time_project(path: Path, folder: Path, settings: Settings) -> Timing:
    """The project's loader on a fresh, migrated SQLite database (the schema is created before timing)."""
    engine = fresh_engine(folder, "project")
    database.migrate(engine)
    start = time.perf_counter()
    (result,) = ingest.load_files([path], engine, settings)
    seconds = time.perf_counter() - start
    engine.dispose()
    return Timing(seconds, result.rows_read, result.rows_stored)


def time_baseline(path: Path, folder: Path) -> Timing:
    """pandas.read_excel with its default engine, concat of the year sheets, to_sql on a fresh SQLite database."""
    engine = fresh_engine(folder, "baseline")
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas warns that its default xlsx engine will change
        sheets = pd.read_excel(path, sheet_name=None)
    frame = pd.concat([f for f in sheets.values() if "Number of Offences" in f.columns], ignore_index=True)
    frame.to_sql("recorded_crime_baseline", engine, index=False, chunksize=5000)
    seconds = time.perf_counter() - start
    engine.dispose()
    return Timing(seconds, len(frame), len(frame))


def measured(step: Callable[[], Timing], label: str) -> Timing:
    print(f"  timing {label} ...", file=sys.stderr, flush=True)
    gc.collect()
    timing = step()
    print(f"  {label}: {timing.seconds:.1f} s", file=sys.stderr, flush=True)
    return timing


def verdict(fmt: str, project: Timing, baseline: Timing | None) -> str:
    checks = [
        f"project < {PROJECT_SECONDS_TARGET:.0f} s: {'met' if project.seconds < PROJECT_SECONDS_TARGET else 'NOT met'}"
    ]
    if fmt == "ods":
        if baseline is None:
            checks.append(f">= {SPEEDUP_TARGET:.0f}x baseline: not measured")
        else:
            met = baseline.seconds >= SPEEDUP_TARGET * project.seconds
            checks.append(f">= {SPEEDUP_TARGET:.0f}x baseline: {'met' if met else 'NOT met'}")
    return "; ".join(checks)


def report(rows: list[tuple[str, int, Timing, Timing | None]]) -> str:
    table = pd.DataFrame(
        [
            {
                "format": fmt,
                "rows": f"{total:,}",
                "project s": f"{project.seconds:.1f}",
                "project stored": f"{project.rows_stored:,}",
                "baseline s": f"{baseline.seconds:.1f}" if baseline else "skipped",
                "baseline stored": f"{baseline.rows_stored:,}" if baseline else "-",
                "baseline/project": f"{baseline.seconds / project.seconds:.1f}x" if baseline else "-",
                "targets": verdict(fmt, project, baseline),
            }
            for fmt, total, project, baseline in rows
        ]
    )
    return table.to_string(index=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows-per-sheet", type=int, default=DEFAULT_ROWS_PER_SHEET, help="rows in each year sheet")
    parser.add_argument("--formats", default="ods,xlsx", help="comma-separated: ods, xlsx")
    parser.add_argument("--skip-baseline", action="store_true", help="time only the project's loader")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the workbooks and databases")
    args = parser.parse_args(argv)
    formats = [f.strip().lower() for f in args.formats.split(",") if f.strip()]
    unknown = set(formats) - {"ods", "xlsx"}
    if unknown or not formats:
        parser.error(f"--formats takes ods and/or xlsx, not {', '.join(sorted(unknown)) or 'nothing'}")

    settings = load_settings()
    args.out.mkdir(parents=True, exist_ok=True)
    sheets = national_workbook(settings, args.rows_per_sheet)
    total = sum(len(frame) for frame in sheets.values())
    print(
        f"Python {platform.python_version()}, pandas {pd.__version__}, {os.cpu_count()} CPUs; "
        f"{len(sheets)} year sheets, {total:,} rows; configured codes: {', '.join(settings.offence_codes)}"
    )
    results = []
    with tempfile.TemporaryDirectory(dir=args.out, prefix="databases-") as scratch:
        for fmt in formats:
            path, seconds = write_workbook(fmt, args.out, sheets)
            print(f"wrote {path.name} ({path.stat().st_size / 1e6:.1f} MB) in {seconds:.1f} s")
            project = measured(lambda path=path: time_project(path, Path(scratch), settings), f"project loader, {fmt}")
            baseline = None
            if not args.skip_baseline:
                baseline = measured(lambda path=path: time_baseline(path, Path(scratch)), f"pandas baseline, {fmt}")
            results.append((fmt, total, project, baseline))
    print()
    print(report(results))
    print(
        "\nproject stored = configured offence codes only (every row is read and validated); "
        "baseline stored = every row, unvalidated."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
