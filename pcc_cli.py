"""The command line: ``pcc-dashboard load | status | dump | demo | clear-demo | load-recommendations | load-history |
hash-password | export | figures | pack``.

Exit codes: 0 success; 1 a file or request was refused (the message is on stderr); 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from data_loaders import database, dumps, ingest
from data_loaders.refusals import LoadRefused
from data_loaders.settings import SettingsError, get_settings
from data_loaders.status import read_status


class ProgressBar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, stream=sys.stderr, width: int = 30):
        self.stream = stream
        self.width = width
        self.active = stream.isatty()

    def __call__(self, fraction: float, message: str) -> None:
        if not self.active:
            return
        filled = int(self.width * max(0.0, min(fraction, 1.0)))
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {fraction:4.0%} {message[:60]:<60}")
        if fraction >= 1.0:
            self.stream.write("\n")
        self.stream.flush()


def _engine():
    return database.get_engine(get_settings())


def cmd_load(args: argparse.Namespace) -> int:
    settings = get_settings()
    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"Refused: no such file: {', '.join(missing)}; nothing was written.", file=sys.stderr)
        return 1
    results = ingest.load_files(paths, database.get_engine(settings), settings, progress=ProgressBar())
    for result in results:
        print(result.describe())
    return 0


def _plural(count: int, noun: str) -> str:
    """'1 force', '2 forces', '1,204 rows' (``noun`` given in the plural)."""
    return f"{count:,} {noun[:-1] if count == 1 and noun.endswith('s') else noun}"


def _print_status(status) -> None:
    print(f"Database: {status.database} (schema {status.schema_revision or 'not created'})")
    if status.any_demo:
        print("DEMO DATA: the database holds illustrative demo data, not real figures.")
    if not status.kinds:
        print("Nothing is loaded yet. Load files with: pcc-dashboard load PATH...")
        return
    for warning in status.warnings:
        print(f"WARNING: {warning}")
    for kind in status.kinds:
        demo = " [demo]" if kind.is_demo else ""
        areas = f", {_plural(kind.forces, kind.units)}" if kind.units else ""
        print(f"\n{kind.kind}{demo}: {_plural(kind.rows, 'rows')}{areas}, {kind.first_period} to {kind.last_period}")
        runs: list[tuple[str, str, str]] = []
        for period in kind.periods:
            source = ", ".join(period["files"])
            edition = period["edition_date"].isoformat() if period["edition_date"] else "edition not dated"
            if runs and runs[-1][2] == f"{source} ({edition})":
                runs[-1] = (runs[-1][0], period["period"], runs[-1][2])
            else:
                runs.append((period["period"], period["period"], f"{source} ({edition})"))
        for first, last, source in runs:
            span = first if first == last else f"{first} to {last}"
            print(f"  {span}: from {source}")
    print("\nFiles loaded (newest first):")
    for source in status.sources:
        demo = " [demo]" if source.is_demo else ""
        print(
            f"  {source.file_name}{demo}: {source.kind}, loaded {source.loaded_at:%Y-%m-%d %H:%M} UTC, "
            f"{source.rows_current:,} of {source.rows_loaded:,} rows in force"
        )


def cmd_status(args: argparse.Namespace) -> int:
    status = read_status(_engine())
    if args.json:
        print(json.dumps(status.as_dict(), indent=2))
    else:
        _print_status(status)
    return 0


RATES_COLUMNS = [
    "force",
    "year_ending",
    "count",
    "population",
    "population_year",
    "population_source",
    "rate_per_1000",
    "published_rate_per_1000",
    "published_count",
]


def rates_frame(engine) -> pd.DataFrame:
    """Stalking and harassment per 1,000 people by force (and England and Wales) and year ending, beside ONS's.

    The same figures the pages show (``dashboard.figures.rates``): the dashboard's own count and rate from
    the Home Office tables, and ONS's published rate and count where its tables are loaded.
    """
    from dashboard.figures import rates
    from data_loaders import reads

    settings = get_settings()
    if database.schema_revision(engine) is None:
        return pd.DataFrame(columns=RATES_COLUMNS)
    forces = list(settings.territorial_forces)
    published = reads.published_figures(engine)
    found = rates.year_ending_rates(
        reads.recorded_crime(engine),
        reads.population(engine),
        settings,
        [*forces, rates.NATIONAL],
        settings.total_codes,
        published,
    ).frame
    found["population_source"] = [
        _national_source(row) if row.area == rates.NATIONAL else row.population_source for row in found.itertuples()
    ]
    own = found.rename(columns={"area": "force", "year_ending": "count", "rate": "rate_per_1000"})
    own = own[["force", "period_end", "count", "population", "population_year", "population_source", "rate_per_1000"]]
    theirs = published[published["offence_group"].str.lower() == settings.total_label.lower()]
    theirs = pd.DataFrame(
        {
            "force": theirs["area"],
            "period_end": [pd.Timestamp(d).date() for d in theirs["period_end"]],
            "published_rate_per_1000": theirs["rate"],
            "published_count": theirs["count"],
        }
    )
    theirs = theirs[theirs["force"].isin([*forces, rates.NATIONAL])]
    frame = own.merge(theirs, on=["force", "period_end"], how="outer")
    order = {name: i for i, name in enumerate([*forces, rates.NATIONAL])}
    frame = frame.sort_values(["period_end", "force"], key=lambda c: c.map(order) if c.name == "force" else c)
    frame["year_ending"] = [f"{d:%Y-%m}" for d in frame["period_end"]]
    for column in ("count", "population", "population_year", "published_count"):
        frame[column] = pd.array(frame[column].round(0).tolist(), dtype="Int64")
    for column in ("rate_per_1000", "published_rate_per_1000"):
        frame[column] = frame[column].astype(float).round(3)
    frame["population_source"] = frame["population_source"].fillna("")
    return frame[RATES_COLUMNS].reset_index(drop=True)


def _national_source(row) -> str:
    """England and Wales's population source, with the forces whose estimate is older or missing named."""
    from dashboard.figures.rates import forces_words

    parts = [row.population_source] if row.population_source else []
    if row.older:
        parts.append(f"older estimates than mid-{row.population_wanted} for {forces_words(row.older)}")
    if row.missing and len(row.missing) >= 43:
        parts.append("no population loaded")
    elif row.missing:
        parts.append(f"rate over {43 - len(row.missing)} forces: no population for {forces_words(row.missing)}")
    return "; ".join(parts)


DUMPS = {"rates": lambda engine, settings: rates_frame(engine), **dumps.DUMPS}


def cmd_dump(args: argparse.Namespace) -> int:
    """The cleaned figures as loaded (the analyst's copy: unsuppressed), the demo notice first when it is the demo."""
    from dashboard.outputs import release
    from data_loaders.status import read_status

    engine = _engine()
    frame = DUMPS[args.what](engine, get_settings())
    text = release.csv_notice(illustrative=read_status(engine).any_demo) + frame.to_csv(index=False)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8", newline="")
        print(f"Wrote {len(frame):,} rows to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from data_loaders.demo import dataset as demo

    settings = get_settings()
    engine = database.get_engine(settings)
    if args.if_empty and read_status(engine).sources:
        print("The database already holds data; the demo was not built.")
        return 0
    results = demo.build(engine, settings, folder=Path(args.folder) if args.folder else None, progress=ProgressBar())
    for result in results:
        print(result.describe())
    print("Demo database built: every figure in it is illustrative, not real.")
    return 0


def cmd_clear_demo(args: argparse.Namespace) -> int:
    from data_loaders.demo import guard as demo_guard

    engine = _engine()
    if database.schema_revision(engine) is None:
        print("The database is empty; there is no demo data to clear.")
        return 0
    with database.writing(engine) as connection:
        cleared = demo_guard.clear_demo(connection)
    print(cleared.describe() or "The database holds no demo data; nothing was changed.")
    return 0


def cmd_load_recommendations(args: argparse.Namespace) -> int:
    from data_loaders.recommendations.ingest import load_recommendation_files

    settings = get_settings()
    results = load_recommendation_files(
        args.paths, database.get_engine(settings), settings, author=args.author, prefer_document=args.prefer_document
    )
    for result in results:
        print(result.describe())
    return 0


def cmd_load_history(args: argparse.Namespace) -> int:
    from data_loaders.recommendations.ingest import load_history

    settings = get_settings()
    result = load_history(
        args.path,
        database.get_engine(settings),
        settings,
        report=args.report,
        reference=args.reference,
        author=args.author,
    )
    print(result.describe())
    return 0


def cmd_hash_password(args: argparse.Namespace) -> int:
    import getpass

    from dashboard.ui.sign_in import PASSWORD_SECRET, hash_password

    password = getpass.getpass("Editor password: ")
    if not password or password != getpass.getpass("The same again: "):
        print("Refused: the two entries differ or are empty; nothing was made.", file=sys.stderr)
        return 1
    print(f'{PASSWORD_SECRET} = "{hash_password(password)}"')
    print("Put the line above in .streamlit/secrets.toml (never the password itself).", file=sys.stderr)
    return 0


FILTER_OPTIONS = ("force", "peers", "categories", "start", "end", "granularity", "measure", "outcome_count")


def _chosen_inputs(args: argparse.Namespace, settings):
    """The catalogue's inputs from the database with the filters given on the command line (ValueError if unknown)."""
    from dashboard.outputs.inputs import filters_from_options, inputs_from_database

    inputs = inputs_from_database(database.get_engine(settings), settings)
    options = {name: getattr(args, name) for name in FILTER_OPTIONS}
    return replace(inputs, filters=filters_from_options(settings, inputs.recorded, **options))


def cmd_export(args: argparse.Namespace) -> int:
    from dashboard.charts import catalogue
    from dashboard.outputs import images
    from dashboard.outputs.inputs import load_charts

    charts = load_charts()
    if args.list:
        width = max((len(key) for key in charts), default=0)
        for entry in charts.values():
            print(f"{entry.key:<{width}}  {entry.section}: {entry.title}")
        return 0
    if not args.chart:
        print("Refused: name the chart to export (pcc-dashboard export --list names them).", file=sys.stderr)
        return 2
    if args.chart not in charts:
        print(f"Refused: no chart is named {args.chart!r} (pcc-dashboard export --list names them).", file=sys.stderr)
        return 1
    fmt = args.format or (Path(args.out).suffix.lstrip(".").lower() if args.out else "") or "png"
    if fmt not in images.FORMATS:
        print(f"Refused: cannot tell the format from {args.out!r}: give --format png, svg or pdf.", file=sys.stderr)
        return 1
    progress = ProgressBar()
    try:
        size = images.size_for(args.size, width=args.width, height=args.height, scale=args.scale)
        settings = get_settings()
        progress(0.05, "Reading the database")
        inputs = _chosen_inputs(args, settings)
    except ValueError as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 1
    progress(0.35, f"Building {args.chart}")
    chart = catalogue.build(args.chart, inputs)
    if chart is None:
        print(f"Refused: the data {args.chart} needs is not loaded for {inputs.filters.force}.", file=sys.stderr)
        return 1
    progress(0.55, "Drawing the image")
    try:
        exported = images.export_chart(chart, settings, fmt, size)
    except (images.ExportError, ValueError) as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 1
    out = Path(args.out or exported.file_name)
    out.write_bytes(exported.content)
    written = [str(out)]
    if args.alt_text:
        Path(args.alt_text).write_text(exported.alt + "\n", encoding="utf-8")
        written.append(args.alt_text)
    if args.csv:
        Path(args.csv).write_bytes(images.csv_bytes(chart, settings))
        written.append(args.csv)
    progress(1.0, "Done")
    print(f"Wrote {', '.join(written)} ({size.label}, {fmt.upper()}).")
    print(f"Alt text: {exported.alt}")
    return 0


def cmd_pack(args: argparse.Namespace) -> int:
    import datetime as dt

    from dashboard.outputs import images, meeting_pack

    progress = ProgressBar()
    try:
        meeting_date = dt.date.fromisoformat(args.date) if args.date else None
        settings = get_settings()
        quarter = meeting_pack.quarter_for(args.period, database.get_engine(settings), settings)
        pdf = meeting_pack.meeting_pack(
            database.get_engine(settings),
            settings,
            quarter,
            meeting=args.meeting,
            meeting_date=meeting_date,
            progress=progress,
        )
    except (meeting_pack.PackError, images.ExportError, ValueError) as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 1
    out = Path(args.out or f"panel-pack-{quarter.code.replace('/', '-')}.pdf")
    out.write_bytes(pdf)
    print(f"Wrote {out}: the {args.meeting} pack for {quarter.describe()}.")
    return 0


def cmd_figures(args: argparse.Namespace) -> int:
    from dashboard.outputs import feed

    settings = get_settings()
    try:
        inputs = _chosen_inputs(args, settings)
    except ValueError as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 1
    figures = feed.headline_figures(inputs)
    if args.json:
        print(json.dumps(figures, indent=2, default=str))
        return 0
    if figures["illustrative"]:
        print(figures["notice"].upper())
    print(f"{figures['force']}, data as at {figures['data_as_at'] or 'not known'}")
    for message in figures["messages"]:
        print(f"- {message}")
    for card in figures["cards"]:
        change = f" ({card['change']})" if card["change"] else ""
        print(f"{card['title']}: {card['value']}{change}, {card['period']}")
    return 0


def _filter_options(command: argparse.ArgumentParser) -> None:
    group = command.add_argument_group("filters (default: the home force, its peers, every category, all data)")
    group.add_argument("--force", help="the police force area, as the Home Office spells it")
    group.add_argument("--peers", help="forces to compare with, separated by commas")
    group.add_argument("--categories", help="offence categories, separated by commas")
    group.add_argument("--from", dest="start", metavar="YYYY-MM", help="first month shown")
    group.add_argument("--to", dest="end", metavar="YYYY-MM", help="last month shown")
    group.add_argument("--granularity", help="month, quarter or year_ending")
    group.add_argument("--measure", help="count or rate")
    group.add_argument("--outcome-count", help="recorded or for_offences")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="pcc-dashboard",
        description="Load and inspect the data behind the PCC stalking and harassment dashboard.",
    )
    commands = top.add_subparsers(dest="command", required=True)

    load = commands.add_parser("load", help="load published files (the kind is detected from the columns)")
    load.add_argument("paths", nargs="+", metavar="PATH")
    load.set_defaults(run=cmd_load)

    status = commands.add_parser("status", help="what is loaded, from which files and editions")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(run=cmd_status)

    dump = commands.add_parser("dump", help="write cleaned data as CSV")
    dump.add_argument("what", choices=sorted(DUMPS))
    dump.add_argument("--out", help="file to write (default: standard output)")
    dump.set_defaults(run=cmd_dump)

    clear = commands.add_parser(
        "clear-demo", help="remove every illustrative demo figure and recommendation (loading real data does this too)"
    )
    clear.set_defaults(run=cmd_clear_demo)

    demo = commands.add_parser("demo", help="build the illustrative demo database")
    demo.add_argument("--if-empty", action="store_true", help="only when the database holds no data yet")
    demo.add_argument("--folder", help="keep the generated demo files in this folder")
    demo.set_defaults(run=cmd_demo)

    recs = commands.add_parser(
        "load-recommendations",
        help="load recommendation trackers (CSV/XLSX) and the Commissioner's response documents (.txt)",
    )
    recs.add_argument("paths", nargs="+", metavar="PATH")
    recs.add_argument("--author", help="who is loading, for the audit log (default: the operating-system user)")
    recs.add_argument(
        "--prefer-document",
        action="store_true",
        help="where a response document differs from a stored recommendation (text, addressee, timescale, owner, "
        "response), take the document's value; by default the stored value is kept and the difference reported",
    )
    recs.set_defaults(run=cmd_load_recommendations)

    history = commands.add_parser(
        "load-history", help="add an HMICFRS-style status history to one loaded recommendation"
    )
    history.add_argument("path", metavar="PATH")
    history.add_argument("--report", required=True, help="the report's key, stored title or a known title")
    history.add_argument("--reference", required=True, help="the recommendation's reference, e.g. R1")
    history.add_argument("--author", help="who is loading, for the audit log (default: the operating-system user)")
    history.set_defaults(run=cmd_load_history)

    password = commands.add_parser(
        "hash-password", help="make the hash of a local editor password for .streamlit/secrets.toml"
    )
    password.set_defaults(run=cmd_hash_password)

    export = commands.add_parser(
        "export",
        help="draw one chart as a branded PNG, SVG or PDF (with its alt text); --list names the charts",
        description="Draw one chart of the catalogue as a press-ready image. Needs Chromium (the Debian package).",
    )
    export.add_argument("chart", nargs="?", metavar="CHART", help="the chart's name (see --list)")
    export.add_argument("--list", action="store_true", help="list the charts that can be exported")
    export.add_argument("--format", choices=["png", "svg", "pdf"], help="default: from --out, else png")
    export.add_argument("--size", default="press", choices=["press", "square", "slide", "a4", "custom"])
    export.add_argument("--width", type=int, help="pixels, for --size custom")
    export.add_argument("--height", type=int, help="pixels, for --size custom")
    export.add_argument("--scale", type=float, help="resolution scale for PNG (a4 defaults to 3, for print)")
    export.add_argument("--out", metavar="FILE", help="file to write (default: the chart's name)")
    export.add_argument("--alt-text", metavar="FILE", help="also write the alt text to this file")
    export.add_argument("--csv", metavar="FILE", help="also write the figures behind the chart to this CSV file")
    _filter_options(export)
    export.set_defaults(run=cmd_export)

    figures = commands.add_parser(
        "figures", help="the Overview's headline figures and readings (--json for a website feed or a check)"
    )
    figures.add_argument("--json", action="store_true", help="print JSON")
    _filter_options(figures)
    figures.set_defaults(run=cmd_figures)

    pack = commands.add_parser(
        "pack", help="make the Police and Crime Panel's meeting pack (PDF) for a quarter, e.g. --period 2024/25-Q4"
    )
    pack.add_argument(
        "--period", required=True, help="financial year and quarter, as 2024/25-Q4, or latest (the latest loaded)"
    )
    pack.add_argument("--out", metavar="FILE.pdf", help="file to write (default: panel-pack-YYYY-YY-QN.pdf)")
    pack.add_argument("--meeting", default="Police and Crime Panel", help="the meeting's name, for the cover")
    pack.add_argument("--date", metavar="YYYY-MM-DD", help="the meeting's date (overdue is judged on it)")
    pack.set_defaults(run=cmd_pack)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:
        # The reader went away (`pcc-dashboard dump ... | head`): not a failure of ours.
        sys.stderr.close()
        return 0
    except LoadRefused as refused:
        print(refused.summary(), file=sys.stderr)
        return 1
    except (SettingsError, sa.exc.OperationalError) as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
