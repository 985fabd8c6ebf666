"""Benchmark: one warm PNG export against plotly.io.to_image of the same bare figure, and a full meeting pack.

On the demo database (built into a temporary folder unless ``--database URL`` names one):

- **export**: ``dashboard.outputs.images.export_chart(chart, settings, "png", press size)``: suppression,
  the layout for the size, the branded strip, the render and the PNG's text chunks;
- **bare**: ``plotly.io.to_image(chart.figure, format="png", width=1200, height=675)``: the page's
  figure as it is, drawn by the same kaleido browser.

Both are timed warm (the browser started and a first image drawn), ``--repeats`` times each,
alternating; the medians are compared. Then the Panel's meeting pack for ``--period`` is made
twice: once with the browser already running ("warm") and the chart count is reported.

Targets: the warm export within 1.5 times the bare figure; a pack of at least 12 charts under 15 s.

    python benchmarks/export.py
    python benchmarks/export.py --repeats 20 --period 2024/25-Q4
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

import plotly  # noqa: E402
import plotly.io as pio  # noqa: E402

from dashboard.charts import catalogue  # noqa: E402
from dashboard.outputs import images, meeting_pack  # noqa: E402
from dashboard.outputs.inputs import inputs_from_database, load_charts  # noqa: E402
from data_loaders import database  # noqa: E402
from data_loaders.demo import dataset as demo  # noqa: E402
from data_loaders.settings import load_settings  # noqa: E402

CHART = "recorded-spc"


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a database URL (default: a fresh demo database in a temporary folder)")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--period", default="2024/25-Q4")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # plotly.io notes that kaleido's options are ignored by a running server

    with tempfile.TemporaryDirectory(prefix="pcc-export-benchmark-") as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'demo.sqlite'}"
        settings = load_settings()
        engine = database.make_engine(url)
        if not args.database:
            started = time.perf_counter()
            demo.build(engine, settings)
            print(f"Demo database built in {time.perf_counter() - started:.1f} s")

        inputs = inputs_from_database(engine, settings)
        load_charts()
        chart = catalogue.build(CHART, inputs)
        size = images.SIZES["press"]
        cold = timed(lambda: images.export_chart(chart, settings, "png", size))
        pio.to_image(chart.figure, format="png", width=size.width, height=size.height)

        exports, bares = [], []
        for _ in range(args.repeats):
            exports.append(timed(lambda: images.export_chart(chart, settings, "png", size)))
            bares.append(timed(lambda: pio.to_image(chart.figure, format="png", width=size.width, height=size.height)))
        export_median, bare_median = statistics.median(exports), statistics.median(bares)
        ratio = export_median / bare_median

        quarter = meeting_pack.parse_quarter(args.period)
        contents = []
        pack_seconds = timed(lambda: contents.append(meeting_pack.gather(engine, settings, quarter)))
        pdf = []
        pack_seconds += timed(lambda: pdf.append(meeting_pack.render(contents[0])))
        charts = len(contents[0].charts)
        engine.dispose()

    print(
        f"\n{os.cpu_count()} CPUs, Python {platform.python_version()}, plotly {plotly.__version__}, "
        f"browser {images.browser_path()}; load average {os.getloadavg()[0]:.1f}"
    )
    print("\n| measure | median s | min s | max s | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    print(f"| first export (starts the browser) | {cold:.3f} | | | |")
    print(
        f"| warm PNG export, {CHART}, press size | {export_median:.3f} | {min(exports):.3f} | {max(exports):.3f} | "
        f"{ratio:.2f}x the bare figure (target 1.5x): {'met' if ratio <= 1.5 else 'NOT MET'} |"
    )
    print(f"| plotly.io.to_image, bare figure | {bare_median:.3f} | {min(bares):.3f} | {max(bares):.3f} | |")
    print(
        f"| meeting pack {quarter.code}, {charts} charts, {len(pdf[0]) / 1e6:.1f} MB | {pack_seconds:.2f} | | | "
        f"under 15 s with 12+ charts: {'met' if pack_seconds < 15 and charts >= 12 else 'NOT MET'} |"
    )
    return 0 if ratio <= 1.5 and pack_seconds < 15 and charts >= 12 else 1


if __name__ == "__main__":
    sys.exit(main())
