"""Illustrative outcomes, prosecutions and orders, and local events, consistent with the demo's recorded crime.

:func:`write_files` takes the demo's quarterly recorded-crime rows (the stored shape) and writes:

- one Home Office style crime outcomes workbook per financial year
  (``prc-outcomes-open-data-marYYYY-tables-DDMMYY.ods``, dated ``as_of``): a notes sheet, then
  every force, quarter, offence code and outcome type with both counts. The Home Office publishes
  these as XLSX too; the loader reads either, and the demo writes ODS because the fast writer in
  :mod:`data_loaders.ods` takes a second where a spreadsheet library takes many;
- a prosecutions and orders return for the home force and its CPS Area, quarterly from 2018/19
  to the last complete quarter before ``as_of`` (Stalking Protection Order measures from the
  quarter the orders became available), in the template of :mod:`data_loaders.sources.prosecutions`;
- a handful of local events (``files/local-events.csv``) in the template of :mod:`data_loaders.sources.events`.

The story the figures tell is the one the published statistics tell: for each offence recorded,
outcomes of the same magnitude, drawn (not apportioned) from the shares of
:mod:`data_loaders.demo.outcome_shares`, which differ by force and step at the counting changes;
and many offences from the latest quarters not yet assigned an outcome. Every number comes from
seeded generators, so the same inputs give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd

from data_loaders.demo.outcome_shares import (
    CHARGE_NOISE,
    VICTIM_NOISE,
    charge_share,
    expit,
    force_profiles,
    logit,
    outcome_mix,
    victim_share,
)
from data_loaders.demo.writing import NOTICE, write_csv
from data_loaders.ods import write_ods
from data_loaders.periods import financial_period_of, quarter_start
from data_loaders.settings import Settings
from data_loaders.sources.outcomes import COLUMNS as OUTCOME_COLUMNS
from data_loaders.sources.prosecutions import period_end

SEED = 20240724
WORKBOOK_NAME = "prc-outcomes-open-data-mar{end_year}-tables-{edition:%d%m%y}.ods"
RETURN_NAME = "demo-prosecutions-and-orders-return.csv"
EVENTS_NAME = "demo-local-events.csv"
HEADER = [column.label for column in OUTCOME_COLUMNS]
OFFENCE_GROUP = ("Violence against the person", "Stalking and harassment")
RETURN_FROM = (2018, 1)  # financial year 2018/19, quarter 1

# Share of a quarter's offences not yet assigned an outcome, by quarters before the latest published.
NOT_YET_ASSIGNED = (0.62, 0.38, 0.22, 0.13, 0.08, 0.05, 0.035, 0.025)
NOT_YET_ASSIGNED_OLD = 0.004
DESCRIPTIONS = {
    0: ("Not yet assigned an outcome", "Not yet assigned an outcome"),
    1: ("Charged/Summonsed", "Charged/Summonsed"),
    2: ("Caution - youths", "Out-of-court (formal)"),
    3: ("Caution - adults", "Out-of-court (formal)"),
    8: ("Community Resolution", "Out-of-court (informal)"),
    10: ("Formal action not in public interest", "Prosecution prevented or not in the public interest"),
    14: ("Evidential difficulties: suspect not identified; victim does not support further action",
         "Evidential difficulties (victim does not support action)"),
    15: ("Evidential difficulties: suspect identified; victim supports action",
         "Evidential difficulties (suspect identified; victim supports action)"),
    16: ("Evidential difficulties: suspect identified; victim does not support further action",
         "Evidential difficulties (victim does not support action)"),
    18: ("Investigation complete - no suspect identified", "Investigation complete - no suspect identified"),
    20: ("Action undertaken by another body/agency", "Action undertaken by another body/agency"),
    21: ("Further investigation to support formal action not in the public interest - police decision",
         "Further investigation to support formal action not in the public interest"),
    22: ("Diversionary, educational or intervention activity", "Diversionary, educational or intervention activity"),
}  # fmt: skip
# The local events, their kinds as keys of [[event_kinds]] (written as the settings label them).
EVENTS_FILE = Path(__file__).with_name("files") / "local-events.csv"


def not_yet_assigned_share(age: int) -> float:
    """Share of a quarter's offences still without an outcome, ``age`` quarters before the latest."""
    return NOT_YET_ASSIGNED[age] if age < len(NOT_YET_ASSIGNED) else NOT_YET_ASSIGNED_OLD


def _quarter_index(financial_year: str, quarter: int) -> int:
    return int(financial_year[:4]) * 4 + quarter - 1


def generate_outcomes(recorded: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Both outcome counts for every force, quarter, offence code and outcome type of ``recorded``.

    ``recorded`` is quarterly recorded crime in the stored shape. Columns returned: force,
    financial_year, quarter, offence_code, offence_description, outcome_type and the two counts;
    rows where both counts are 0 are left out, as the published tables leave them out.
    """
    quarterly = recorded[recorded["month"] == 0] if "month" in recorded else recorded
    quarterly = quarterly.assign(
        _index=[_quarter_index(fy, q) for fy, q in zip(quarterly["financial_year"], quarterly["quarter"], strict=True)]
    )
    latest = int(quarterly["_index"].max())
    counts = {
        (force, code, index): max(int(count), 0)
        for force, code, index, count in quarterly[["force", "offence_code", "_index", "count"]].itertuples(index=False)
    }
    profiles = force_profiles(sorted(quarterly["force"].unique()), settings.home_force, SEED)
    rows = []
    number = {force: position for position, force in enumerate(profiles)}
    ordered = quarterly.sort_values(["_index", "force", "offence_code"], kind="stable")
    rng, wobble, current = None, (0.0, 0.0), None
    for index, force, code, description, financial_year, quarter, count in ordered[
        ["_index", "force", "offence_code", "offence_description", "financial_year", "quarter", "count"]
    ].itertuples(index=False):
        if (index, force) != current:
            current = (index, force)
            # One generator per quarter and force, so that one force's figures never move another's; one
            # departure per force and quarter, shared by its codes: a quarter is good or bad for the whole force.
            rng = np.random.default_rng([SEED, int(index), number[force]])
            wobble = float(rng.normal(0, CHARGE_NOISE)), float(rng.normal(0, VICTIM_NOISE))
        age, profile = latest - int(index), profiles[force]
        recorded_now = max(int(count), 0)
        start_year = int(financial_year[:4])
        charge = charge_share(code, start_year, int(quarter), profile) * math.exp(wobble[0])
        withdrawn = expit(logit(victim_share(start_year, int(quarter), profile)) + wobble[1])
        mix = outcome_mix(code, charge, withdrawn)
        pending = min(not_yet_assigned_share(age) * float(rng.lognormal(0, 0.08)), 0.95)
        types = [0, *mix]
        for_offences = rng.multinomial(recorded_now, [pending, *((1 - pending) * s for s in mix.values())])
        earlier = counts.get((force, code, int(index) - 1))
        closed = round(0.5 * recorded_now + 0.45 * (earlier if earlier is not None else recorded_now))
        assigned_now = [0, *rng.multinomial(closed, list(mix.values()))]
        for outcome_type, first, second in zip(types, for_offences, assigned_now, strict=True):
            if first or second:
                rows.append(
                    (force, financial_year, int(quarter), code, description, outcome_type, int(first), int(second))
                )
    return pd.DataFrame(
        rows,
        columns=[
            "force",
            "financial_year",
            "quarter",
            "offence_code",
            "offence_description",
            "outcome_type",
            "outcomes_for_offences_recorded",
            "outcomes_recorded",
        ],
    )


def _workbook_sheets(rows: pd.DataFrame, financial_year: str) -> dict[str, list[list[object]]]:
    end_year = int(financial_year[:4]) + 1
    notes = [
        ["Crime outcomes in England and Wales: open data tables"],
        [NOTICE],
        [None],
        ["About", "Generated by the PCC dashboard's demo in the layout of the Home Office outcomes tables."],
        ["Period", f"Financial year {financial_year} (April {end_year - 1} to March {end_year})"],
        [
            "Counts",
            "Force outcomes for offences recorded in quarter: outcomes so far of the offences recorded in the "
            "quarter. Force outcomes recorded in quarter: outcomes assigned in the quarter, whenever recorded.",
        ],
        ["Outcome type 0", "Not yet assigned an outcome: the investigation is open. It is not an outcome."],
    ]
    data: list[list[object]] = [[f"Crime outcomes by police force area, {financial_year}"], [NOTICE], HEADER]
    for force, fy, quarter, code, description, outcome_type, first, second in rows.itertuples(index=False):
        outcome_description, outcome_group = DESCRIPTIONS[outcome_type]
        data.append(
            [fy, quarter, force, description, *OFFENCE_GROUP, code, outcome_description, outcome_group,
             outcome_type, first, second]
        )  # fmt: skip
    return {"Notes": notes, "Outcomes": data}


def write_outcomes(folder: Path, outcomes: pd.DataFrame, as_of: dt.date) -> list[Path]:
    """One outcomes workbook per financial year, each dated ``as_of``."""
    paths = []
    for financial_year, rows in outcomes.groupby("financial_year", sort=True):
        end_year = int(financial_year[:4]) + 1
        path = folder / WORKBOOK_NAME.format(end_year=end_year, edition=as_of)
        paths.append(write_ods(path, _workbook_sheets(rows, str(financial_year))))
    return paths


def _last_complete_quarter(as_of: dt.date) -> tuple[str, int]:
    financial_year, quarter = financial_period_of(as_of)
    start = quarter_start(financial_year, quarter)
    return financial_period_of(start - dt.timedelta(days=1))


def _quarters(first: tuple[int, int], last: tuple[str, int]) -> list[tuple[str, int]]:
    out = []
    year, quarter = first
    last_index = _quarter_index(*last)
    while year * 4 + quarter - 1 <= last_index:
        out.append((f"{year}/{str(year + 1)[-2:]}", quarter))
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return out


def prosecutions_return(outcomes: pd.DataFrame, settings: Settings, as_of: dt.date) -> pd.DataFrame:
    """Quarterly figures for the home force and its CPS Area: period, area, measure (key), value.

    Charges follow the charge/summons outcomes the area's forces assigned in the quarter (beyond
    the latest outcomes table, the level of the last year); prosecutions complete a quarter or two
    after charge and most end in conviction. Stalking Protection Order figures start with the
    quarter the orders became available and grow as the force learns to use them.
    """
    home = settings.home_force
    members = {home: (home,), **{a.name: a.forces for a in settings.cps_areas if home in a.forces}}
    measures = {m.key: m for m in settings.prosecution_measures}
    quarters = _quarters(RETURN_FROM, _last_complete_quarter(as_of))
    charged = outcomes[outcomes["outcome_type"].isin(settings.outcomes.charge_types)]
    rows = []
    for number, (name, forces) in enumerate(members.items()):
        in_area = charged[charged["force"].isin(forces)]
        published = in_area.groupby(["financial_year", "quarter"])["outcomes_recorded"].sum().to_dict()
        size = 1.0 if name == home else 1.9
        rng = np.random.default_rng([SEED, 1, number])
        charges: list[int] = []
        granted: list[int] = []
        for position, (financial_year, quarter) in enumerate(quarters):
            if (financial_year, quarter) in published:
                charges.append(int(published[(financial_year, quarter)]))
            else:
                charges.append(int(rng.poisson(np.mean(charges[-4:]) if charges else 0)))
            before = charges[max(position - 2, 0) : position] or charges[-1:]
            completed = int(rng.binomial(round(0.55 * before[-1] + 0.4 * before[0]), 0.92))
            figures = {
                "charges": charges[-1],
                "prosecutions_completed": completed,
                "convictions": int(rng.binomial(completed, 0.70 + 0.08 * min(position / 24, 1.0))),
            }
            start = quarter_start(financial_year, quarter)
            orders = measures.get("spo_applications")
            if orders and orders.available_from and period_end("quarter", start) >= orders.available_from:
                months = (start.year - orders.available_from.year) * 12 + start.month - orders.available_from.month
                applications = int(rng.poisson(size * min(2 + 0.23 * months, 19)))
                granted.append(int(rng.binomial(applications, 0.65)))
                figures.update(
                    spo_applications=applications,
                    spo_interim_granted=int(rng.binomial(applications, 0.55)),
                    spo_full_granted=granted[-1],
                    spo_breaches=int(rng.poisson(0.12 * sum(granted[-5:-1]))),
                )
            label = f"{financial_year} Q{quarter}"
            rows.extend(
                (label, name, key, value)
                for key, value in figures.items()
                if key in measures
                and (
                    measures[key].available_from is None or period_end("quarter", start) >= measures[key].available_from
                )
            )
    return pd.DataFrame(rows, columns=["period", "area", "measure", "value"])


def write_return(folder: Path, figures: pd.DataFrame, settings: Settings) -> Path:
    """The prosecutions and orders return in the documented template, measures by their labels."""
    labels = {m.key: m.label for m in settings.prosecution_measures}
    rows = [[period, area, labels[key], value] for period, area, key, value in figures.itertuples(index=False)]
    return write_csv(folder / RETURN_NAME, ["Period", "Area", "Measure", "Value"], rows)


def write_events(folder: Path, settings: Settings, as_of: dt.date) -> Path:
    """A handful of local events up to ``as_of`` in the documented template, kinds by their labels."""
    kinds = {k.key: k.label for k in settings.event_kinds}
    with EVENTS_FILE.open(newline="", encoding="utf-8") as handle:
        events = list(csv.reader(handle))[1:]
    rows = [
        [day, label, kinds[kind], detail]
        for day, label, kind, detail in events
        if dt.date.fromisoformat(day) <= as_of and kind in kinds
    ]
    return write_csv(folder / EVENTS_NAME, ["Date", "Label", "Kind", "Detail"], rows)


def write_files(folder: Path, settings: Settings, as_of: dt.date, recorded: pd.DataFrame) -> list[Path]:
    """Write the outcomes workbooks, the prosecutions and orders return and the events file; return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    outcomes = generate_outcomes(recorded, settings)
    return [
        *write_outcomes(folder, outcomes, as_of),
        write_return(folder, prosecutions_return(outcomes, settings, as_of), settings),
        write_events(folder, settings, as_of),
    ]
