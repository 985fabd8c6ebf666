"""Time the Places figures (every partnership's year ending, change, rate and SPC reading) on a demo database.

    .venv/bin/python benchmarks/places.py --database sqlite:////tmp/demo.sqlite --repeats 5

Compared, in the same run, with what an analyst would write in pandas for the counts and rates alone (a
groupby of the last four quarters and the year before, a population join, a division): the product's
extra cost is the SPC reading of each partnership and the checks a published figure needs.
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd

from dashboard.figures import measures
from dashboard.outputs.inputs import inputs_from_database
from data_loaders import database
from data_loaders import places as place_lookup
from data_loaders.settings import get_settings


def baseline(places: pd.DataFrame, districts: pd.DataFrame, force: str, codes: tuple[str, ...]) -> pd.DataFrame:
    """Counts and rates as an analyst would work them out: no SPC, no boundary or edition checks."""
    rows = places[(places["force"] == force) & places["offence_code"].isin(codes)]
    last = rows["period_start"].max()
    year = rows[rows["period_start"] > last - pd.DateOffset(months=12)].groupby("csp")["count"].sum()
    before = (
        rows[
            (rows["period_start"] <= last - pd.DateOffset(months=12))
            & (rows["period_start"] > last - pd.DateOffset(months=24))
        ]
        .groupby("csp")["count"]
        .sum()
    )
    people = place_lookup.csp_population(districts)
    people = people[people["year"] == people["year"].max()].set_index("csp")["population"]
    return pd.DataFrame({"count": year, "previous": before, "rate": 1000 * year / people})


def timed(function, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def demo_inputs(description: str):
    """The command line's ``--database`` and ``--repeats``, the settings, and the chart inputs read from the demo."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database", required=True, help="a database holding the demo (pcc-dashboard demo)")
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args()
    settings = get_settings()
    return arguments, settings, inputs_from_database(database.make_engine(arguments.database), settings)


def main() -> None:
    arguments, settings, inputs = demo_inputs(__doc__.splitlines()[0])
    codes = tuple(settings.offence_codes)
    ours = timed(lambda: measures.places(inputs), arguments.repeats)
    theirs = timed(
        lambda: baseline(inputs.places, inputs.district_population, settings.home_force, codes), arguments.repeats
    )
    partnerships = len(measures.places(inputs).frame)
    print(f"partnerships: {partnerships}; CSP rows: {len(inputs.places):,}; repeats: {arguments.repeats}")
    print(f"measures.places (counts, rates, SPC, comparison): median {statistics.median(ours):.3f} s")
    print(f"analyst's pandas (counts and rates only):         median {statistics.median(theirs):.3f} s")
    print(f"ratio: {statistics.median(ours) / statistics.median(theirs):.1f}x")


if __name__ == "__main__":
    main()
