"""Running a plan, one way for every place a job runs: `Studio.run` (the CLI), the
in-process queue's workers and the Celery worker. `run_plan` makes the plan's images
and builds their record; `JobProgress` is the progress callback a queue gives it.
Writing the record (`Library.commit_record`) is the caller's: each marks its job done
in its own way (a row updated, an in-memory job answered first, a lease checked)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from sakuga.engines.base import EngineResult, Progress, ProgressCallback
from sakuga.errors import CancelledError, TimeLimitError
from sakuga.studio.library.library import PendingRecord

if TYPE_CHECKING:
    from sakuga.studio.service.studio import Plan, Studio

#: Seconds between a running job's progress writes, on every queue: a page polling
#: its job sees it move, and a job of many short steps costs few writes.
PROGRESS_EVERY: Final = 0.25


@dataclass(frozen=True)
class Prepared:
    """A plan's images made, and their record built but not yet written."""

    result: EngineResult
    pending: PendingRecord
    seconds: float  # the engine's wall time
    #: A grid's cells, each as made (their results and records are also in the above).
    cells: tuple[Prepared, ...] = ()


def run_plan(studio: Studio, plan: Plan, progress: ProgressCallback | None = None) -> Prepared:
    """Make ``plan``'s images with ``studio``'s engines (finished for its use) and build
    their record: every image encoded as stored, with its recipe, lineage and time. A
    grid's plan makes every cell, then its layout."""
    if plan.grid is not None:
        return _run_grid(studio, plan, progress)
    started = time.perf_counter()
    result = studio.make(plan, progress)
    seconds = time.perf_counter() - started
    pending = studio.library.prepare_record(
        plan.request,
        result,
        parent_id=plan.parent_id,
        character_id=plan.character_id,
        seconds=seconds,
        stored=plan.stored,
    )
    return Prepared(result, pending, seconds)


def _run_grid(studio: Studio, plan: Plan, progress: ProgressCallback | None) -> Prepared:
    """Every cell of a grid's ``plan`` made and its record built, one after another,
    then the grid's layout of them: one record of all, written together. The result's
    images are the cells' in order, then the layout."""
    from sakuga.studio.service.grid import grid_request, lay_out

    grid = plan.grid
    assert grid is not None
    started = time.perf_counter()
    made: list[Prepared] = []
    for number, cell in enumerate(grid.cells):
        report = None if progress is None else _CellProgress(progress, number, grid.count())
        made.append(run_plan(studio, cell.plan, report))
    cells = [m.result.images[0] for m in made]
    layout = lay_out(grid, cells)
    ids = [m.pending.generations[0].id for m in made]
    sheet = studio.library.prepare_record(
        grid_request(grid, grid.cells[0].plan.request, ids),
        layout,
        parent_id=plan.parent_id,
        seconds=time.perf_counter() - started,
        stored=grid.cells[0].plan.stored,
    )
    parts = [m.pending for m in made] + [sheet]
    pending = PendingRecord(
        generations=[g for p in parts for g in p.generations],
        images=[i for p in parts for i in p.images],
        files=[f for p in parts for f in p.files],
        rows=[r for p in parts for r in p.rows],
        recipes=[r for p in parts for r in p.recipes],
    )
    result = EngineResult(
        images=[*cells, *layout.images],
        engine="compose",
        model="grid",
        seeds=[*(m.result.seeds[0] if m.result.seeds else None for m in made), None],
    )
    return Prepared(result, pending, time.perf_counter() - started, tuple(made))


class _CellProgress:
    """A grid's progress: cell ``number`` of ``count``, as steps of the whole grid."""

    def __init__(self, progress: ProgressCallback, number: int, count: int) -> None:
        self._progress, self._number, self._count = progress, number, count
        self.wants_previews = getattr(progress, "wants_previews", False)

    def __call__(self, p: Progress) -> None:
        total = max(1, p.total)
        self._progress(
            Progress(
                self._number * total + min(p.step, total),
                self._count * total,
                f"cell {self._number + 1} of {self._count}: {p.message}".rstrip(": "),
                p.preview,
            )
        )


class JobProgress:
    """A queued job's progress callback: stops the job at the engine's next step when
    ``cancelled()`` says so (`CancelledError`) or past ``max_seconds``
    (`TimeLimitError`); hands every preview to ``show`` (few are made; a streamed
    answer sends each); writes the progress with ``write`` at most every
    `PROGRESS_EVERY` seconds. The first write waits a full interval too: a short job
    costs no progress write at all (its claim wrote 0 and its end writes 1)."""

    def __init__(
        self,
        write: Callable[[float, str], None],
        *,
        cancelled: Callable[[], bool],
        show: Callable[[Progress], None] | None = None,
        max_seconds: float | None = None,
    ) -> None:
        self._write = write
        self._cancelled = cancelled
        self._show = show
        self._max_seconds = max_seconds
        self._deadline = None if max_seconds is None else time.monotonic() + max_seconds
        self._last = time.monotonic()
        #: Engines make previews only for a caller that keeps them.
        self.wants_previews = show is not None

    def __call__(self, p: Progress) -> None:
        if self._cancelled():
            raise CancelledError("cancelled")
        if self._deadline is not None and time.monotonic() > self._deadline:
            # Engines report between steps: a job that runs on past the limit stops at
            # its next step instead of holding a worker for good.
            raise TimeLimitError(
                f"stopped: the job ran past this server's limit of {self._max_seconds:g} s"
            )
        if p.preview is not None and self._show is not None:
            self._show(p)
        now = time.monotonic()
        if now - self._last >= PROGRESS_EVERY:
            self._last = now
            self._write(p.fraction, p.message)
