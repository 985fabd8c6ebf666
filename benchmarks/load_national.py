"""Benchmark: load the national all-offence Home Office table, the project's way against an analyst's pandas way.

Writes a workbook shaped like ``prc-pfa-mar2013-onwards-tables-191023.ods`` as published: a cover
sheet and a notes sheet, then one long-format sheet per financial year (``2012-13`` to ``2023-24``),
every force and body x offence line x quarter. The offence lines are the Home Office's code list
(``benchmarks/data/home-office-offence-lines.csv``: dotted codes such as ``4.10`` and ``37.2``, the
combined ``1/4.1/4.10/4.2``, bodies' names ``FFA UK`` and ``UK Finance``), and in the 2012-13 sheet
the dotted codes are numeric cells, as in the real table. The five stalking and harassment codes
carry the real published rows from ``../shared/data/`` when that folder is present (so the stored
totals are checked against the published ones); every other count is synthetic.

Each method runs in a child process of its own, so its peak memory is its own, on a fresh SQLite
database:

- project: ``ingest.load_files([path], engine, settings)``: reads every row, checks the structure
  of every row (year, quarter, force, count), and stores the configured codes;
- calamine baseline (the best a competent analyst would write today): ``pandas.read_excel(path,
  sheet_name=None, engine="calamine")``, ``concat`` of the year sheets, keep the five codes,
  ``to_sql``; it checks nothing;
- default-engine baseline (``--default-engine``): the same with pandas' default readers (odf for
  ODS, openpyxl for XLSX), which is what ``read_excel`` does when no engine is named.

    python benchmarks/load_national.py                      # ODS and XLSX
    python benchmarks/load_national.py --formats ods --default-engine
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))  # run as a script, the project's root is not on the path

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from data_loaders import database, ingest  # noqa: E402
from data_loaders.ods import write_ods  # noqa: E402
from data_loaders.settings import load_settings  # noqa: E402
from tests.files import RECORDED_CRIME_HEADER as HEADER  # noqa: E402
from tests.files import write_xlsx  # noqa: E402

OUT = HERE / "out"
LINES_FILE = HERE / "data" / "home-office-offence-lines.csv"
REAL_ROWS = HERE.parent.parent / "shared" / "data" / "home-office-prc-pfa-stalking-harassment-191023.csv"
FIRST_YEAR, LAST_YEAR = 2012, 2023  # sheets 2012-13 to 2023-24 (the last with its first quarter only)
SEED = 20231019
STALKING = ("8L", "8M", "8Q", "8R", "8U")
FRAUD_BODIES = ("Action Fraud", "CIFAS", "UK Finance")
# Devon and Cornwall and England and Wales (43 forces), 2022/23, as published on 19 October 2023.
PUBLISHED_2022 = {"Devon and Cornwall": 12_129, "England and Wales": 707_210}


def offence_lines() -> list[dict[str, str]]:
    """The Home Office's offence lines: code, description, group, subgroup."""
    with LINES_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def real_rows() -> dict[tuple[str, int, str, str], int]:
    """The published stalking and harassment counts by (financial year, quarter, force, code), when present."""
    if not REAL_ROWS.is_file():
        return {}
    frame = pd.read_csv(REAL_ROWS, dtype={"Offence Code": str})
    return {
        (fy, int(q), force, code): int(n)
        for fy, q, force, code, n in frame[
            ["Financial Year", "Financial Quarter", "Force Name", "Offence Code", "Number of Offences"]
        ].itertuples(index=False)
    }


def _cell_code(code: str, year: int) -> object:
    """The 2012-13 sheet stores dotted codes as numbers (``37.2`` as ``37.200000000000003``)."""
    if year == FIRST_YEAR and code.replace(".", "", 1).isdigit() and "." in code:
        return float(code)
    return code


def year_sheet(year: int, forces: list[str], lines: list[dict[str, str]], real: dict, rng) -> list[list[object]]:
    """One financial year: the header, then every quarter x force x offence line the force reports."""
    fy = f"{year}/{str(year + 1)[-2:]}"
    quarters = [1] if year == LAST_YEAR else [1, 2, 3, 4]
    rows: list[list[object]] = [HEADER]
    for quarter in quarters:
        for force in forces:
            for line in lines:
                code = line["code"]
                fraud = line["group"] == "Fraud offences"
                if (force in FRAUD_BODIES) != fraud:
                    continue
                if code in STALKING and real:
                    count = real.get((fy, quarter, force, code))
                    if count is None:
                        continue  # the code was not counted that year (8Q before 2014/15, 8U before 2020/21)
                else:
                    count = int(rng.poisson(rng.lognormal(3, 1.4)))
                rows.append(
                    [fy, quarter, force, line["description"], line["group"], line["subgroup"], _cell_code(code, year),
                     count]
                )  # fmt: skip
    return rows


def workbook(settings) -> dict[str, list[list[object]]]:
    forces = [f.name for f in settings.forces]
    lines = offence_lines()
    real = real_rows()
    rng = np.random.default_rng(SEED)
    sheets = {
        "Cover": [["Police recorded crime open data tables: police force area (benchmark copy)"]],
        "Notes": [["Notes"], ["Counts other than the stalking and harassment codes are synthetic."]],
    }
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        sheets[f"{year}-{str(year + 1)[-2:]}"] = year_sheet(year, forces, lines, real, rng)
    return sheets


@dataclass
class Timing:
    seconds: float
    rows_read: int
    rows_stored: int
    peak_mb: float
    totals: dict[str, int]


def _totals(frame: pd.DataFrame, settings) -> dict[str, int]:
    """2022/23 stalking and harassment totals of ``year, force, count`` rows: Devon and Cornwall and the 43 forces."""
    by_force = frame[frame["year"] == "2022/23"].groupby("force")["count"].sum()
    return {
        "Devon and Cornwall": int(by_force.get("Devon and Cornwall", 0)),
        "England and Wales": int(sum(by_force.get(f, 0) for f in settings.territorial_forces)),
    }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _project(path: str, db: str, queue) -> None:
    settings = load_settings()
    engine = database.make_engine(f"sqlite:///{db}")
    database.migrate(engine)
    start = time.perf_counter()
    (result,) = ingest.load_files([path], engine, settings)
    seconds = time.perf_counter() - start
    stored = pd.read_sql("SELECT financial_year AS year, force, count FROM recorded_crime", engine)
    totals = _totals(stored, settings)
    queue.put(Timing(seconds, result.rows_read, result.rows_stored, _peak_mb(), totals))


def _baseline(path: str, db: str, engine_name: str | None, queue) -> None:
    settings = load_settings()
    engine = database.make_engine(f"sqlite:///{db}")
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheets = pd.read_excel(path, sheet_name=None, engine=engine_name)
    frame = pd.concat([f for f in sheets.values() if "Number of Offences" in f.columns], ignore_index=True)
    read = len(frame)
    frame = frame[frame["Offence Code"].astype(str).isin(STALKING)]
    frame.to_sql("baseline", engine, index=False, chunksize=5000)
    seconds = time.perf_counter() - start
    columns = {"Financial Year": "year", "Force Name": "force", "Number of Offences": "count"}
    totals = _totals(frame.rename(columns=columns), settings)
    queue.put(Timing(seconds, read, len(frame), _peak_mb(), totals))


def measured(target, *args) -> Timing:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    timing = queue.get()
    process.join()
    return timing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--formats", default="ods,xlsx", help="comma-separated: ods, xlsx")
    parser.add_argument("--default-engine", action="store_true", help="also time read_excel's default engine")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the workbooks and databases")
    args = parser.parse_args(argv)
    formats = [f.strip().lower() for f in args.formats.split(",") if f.strip()]
    if not formats or set(formats) - {"ods", "xlsx"}:
        parser.error("--formats takes ods and/or xlsx")

    settings = load_settings()
    args.out.mkdir(parents=True, exist_ok=True)
    sheets = workbook(settings)
    total = sum(len(rows) - 1 for name, rows in sheets.items() if name[:1].isdigit())
    codes = len(offence_lines())
    print(
        f"Python {platform.python_version()}, pandas {pd.__version__}, {os.cpu_count()} CPUs; "
        f"{len(sheets) - 2} year sheets, {total:,} rows, {codes} offence lines; "
        f"stalking rows {'from the real release of 19 October 2023' if real_rows() else 'synthetic'}"
    )
    table = []
    for fmt in formats:
        path = args.out / f"prc-pfa-mar2013-onwards-tables-191023.{fmt}"
        start = time.perf_counter()
        write_ods(path, sheets) if fmt == "ods" else write_xlsx(path, sheets, write_only=True)
        print(f"wrote {path.name} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s")
        methods = [("project", _project, ()), ("pandas read_excel calamine", _baseline, ("calamine",))]
        if args.default_engine:
            methods.append(("pandas read_excel default", _baseline, (None,)))
        with tempfile.TemporaryDirectory(dir=args.out, prefix="databases-") as scratch:
            timings = {}
            for label, target, extra in methods:
                print(f"  timing {label} ({fmt}) ...", file=sys.stderr, flush=True)
                timings[label] = measured(target, str(path), str(Path(scratch) / f"{len(timings)}.sqlite"), *extra)
        project = timings["project"]
        for label, timing in timings.items():
            table.append(
                {
                    "format": fmt,
                    "method": label,
                    "seconds": f"{timing.seconds:.1f}",
                    "x project": f"{timing.seconds / project.seconds:.2f}",
                    "peak MB": f"{timing.peak_mb:,.0f}",
                    "rows read": f"{timing.rows_read:,}",
                    "rows stored": f"{timing.rows_stored:,}",
                    "D&C 2022/23": f"{timing.totals['Devon and Cornwall']:,}",
                    "E&W 2022/23": f"{timing.totals['England and Wales']:,}",
                }
            )
    print()
    print(pd.DataFrame(table).to_string(index=False))
    if real_rows():
        print(f"\npublished 2022/23: Devon and Cornwall {PUBLISHED_2022['Devon and Cornwall']:,}, "
              f"England and Wales {PUBLISHED_2022['England and Wales']:,}")  # fmt: skip
    print("'x project' is each method's time over the project's in the same run: above 1 is slower than the project.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
