"""The press office's pack: one ZIP of branded chart images, their alt text and figures, and the key figures.

Every chart is released (:mod:`dashboard.outputs.release`: small numbers suppressed, demo figures
labelled) before anything is written. No Streamlit.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence

from dashboard.charts import catalogue
from dashboard.charts.catalogue import Chart, Inputs
from dashboard.outputs import images, release, suppression
from dashboard.outputs.inputs import key_messages, load_charts

Progress = Callable[[float, str], None]


def key_figures_text(inputs: Inputs, charts: Sequence[Chart], *, today: dt.date | None = None) -> str:
    """The press pack's key figures: the Overview's key messages for the chosen force, with their provenance."""
    settings, chosen = inputs.settings, inputs.filters
    today = today or dt.date.today()
    as_at = f"{inputs.data_as_at:%-d %B %Y}" if inputs.data_as_at else "not recorded"
    lines = [
        f"{settings.total_label}: key figures for {chosen.force}",
        settings.branding.office,
        f"Prepared {today:%-d %B %Y}. Data as at {as_at}.",
        "",
        *(f"- {sentence}" for sentence in key_messages(inputs)),
        "",
        "Charts in this pack:",
        *(f"- {chart.text.title} ({images.stem(chart)})" for chart in charts),
    ]
    notes = list(
        dict.fromkeys(
            n for chart in charts for n in chart.notes if n.startswith((suppression.SUPPRESSED, suppression.LOW_BASE))
        )
    )
    if notes:
        lines += ["", "Small numbers:", *(f"- {note}" for note in notes)]
    sources = list(dict.fromkeys(chart.text.source.rstrip(".") for chart in charts))
    lines += ["", "Sources:", *(f"- {source.removeprefix('Source: ')}" for source in sources)]
    return "\n".join(release.label_lines(lines, illustrative=inputs.illustrative)) + "\n"


def press_pack(
    inputs: Inputs,
    keys: Iterable[str],
    fmt: str,
    size: images.Size,
    *,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> tuple[bytes, list[str]]:
    """One ZIP for the press office: per chart its image, alt text (.txt) and CSV, plus ``key-figures.txt``.

    Returns the ZIP's bytes and the keys left out because their data is not loaded.
    """
    load_charts()
    settings = inputs.settings
    keys = list(keys)
    built, missing = [], []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, key in enumerate(keys):
            if progress:
                progress(index / (len(keys) + 1), f"Drawing {key}")
            chart = catalogue.build(key, inputs)
            if chart is None:
                missing.append(key)
                continue
            chart = images.protect(chart, settings)
            exported = images.export_chart(chart, settings, fmt, size, protected=True)
            archive.writestr(f"{images.stem(chart)}.{fmt}", exported.content)
            archive.writestr(f"{images.stem(chart)}-alt-text.txt", exported.alt + "\n")
            archive.writestr(f"{images.stem(chart)}.csv", images.csv_bytes(chart, settings, protected=True))
            built.append(chart)
        archive.writestr("key-figures.txt", key_figures_text(inputs, built, today=today))
    if progress:
        progress(1.0, "Press pack ready")
    return buffer.getvalue(), missing
