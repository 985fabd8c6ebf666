"""What the app writes: loads from the Data page and recommendation updates from the editor's form.

Each action writes through the loaders (all or nothing, as the command line does) and then clears
every cached read, so the next page run shows what was written.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from dashboard.queries import Upload, clear_caches, engine, settings
from data_loaders import ingest
from data_loaders.ingest import LoadResult, Progress
from data_loaders.recommendations import ingest as recommendation_ingest
from data_loaders.recommendations import store as recommendation_store
from data_loaders.recommendations.ingest import RecommendationLoadResult
from data_loaders.recommendations.store import SavedUpdate


@contextlib.contextmanager
def saved_uploads(files: Sequence[Upload]) -> Iterator[tuple[list[Path], list[str]]]:
    """The uploads written to a temporary folder under their own file names, and those names; removed after.

    Loaders read the edition date from the end of a file's name, as the Home Office publishes it.
    """
    names = [Path(upload.name).name.strip(". ") or "upload" for upload in files]
    with tempfile.TemporaryDirectory(prefix="pcc-upload-") as folder:
        paths = []
        for index, (upload, name) in enumerate(zip(files, names, strict=True)):
            # One subfolder per upload: two files may carry the same name.
            path = Path(folder) / str(index) / name
            path.parent.mkdir()
            path.write_bytes(upload.getvalue())
            paths.append(path)
        yield paths, names


def load_uploaded(files: Sequence[Upload], progress: Progress | None = None) -> list[LoadResult]:
    """Load uploaded files all or nothing, as ``pcc-dashboard load`` does; raise ``LoadRefused`` listing every problem.

    Each upload is written under its original file name, because the edition date is read from
    the end of the name as the Home Office publishes it (``...-191023.ods``).
    """
    with saved_uploads(files) as (paths, names):
        results = ingest.load_files(paths, engine(), settings(), display_names=names, progress=progress)
    clear_caches()
    return results


def add_recommendation_update(recommendation_id: int, **update) -> SavedUpdate:
    """Append an update (see :func:`data_loaders.recommendations.store.add_update`); every cache is cleared after a save.

    Raises ``ConcurrentEditError`` when the recommendation has changed since ``expected_version``
    and ``EditRefused`` for an update that cannot be saved; nothing is written then.
    """
    saved = recommendation_store.add_update(engine(), recommendation_id, settings=settings(), **update)
    clear_caches()
    return saved


def load_recommendation_uploads(
    files: Sequence[Upload], author: str, *, prefer_document: bool = False
) -> list[RecommendationLoadResult]:
    """Load uploaded trackers and response documents all or nothing; raise ``LoadRefused`` listing every problem.

    ``author`` is recorded in the history and the audit log as the person who loaded them. Where a
    response document differs from what is stored, the stored value is kept (and the conflict
    reported) unless ``prefer_document``.
    """
    with saved_uploads(files) as (paths, names):
        results = recommendation_ingest.load_recommendation_files(
            paths, engine(), settings(), author=author, display_names=names, prefer_document=prefer_document
        )
    clear_caches()
    return results
