"""The contract every engine must pass (the idea of diffusers' PipelineTesterMixin).

Subclass `EngineContract` in an engine's test module and provide the `engine`
fixture. Tests that a task needs are skipped for engines that do not do it, and
the "unsupported task" test runs instead.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from sakuga.engines.base import Engine, EngineRequest, Progress, Task
from sakuga.errors import CancelledError, UnsupportedTaskError
from sakuga.imaging.masks import DEFAULT_SEAM, mask_array, seam_alpha

ODD_SIZE = (72, 40)


def make_request(task: Task, image: Image.Image, **kwargs: object) -> EngineRequest:
    if task is Task.MASKED_EDIT:
        mask = Image.new("L", image.size, 0)
        w, h = image.size
        mask.paste(255, (w // 4, h // 4, w // 2 + 3, h // 2 + 5))
        kwargs.setdefault("mask", mask)
    if task in (Task.PHOTO_TO_ANIME, Task.MASKED_EDIT, Task.VARIATION):
        kwargs.setdefault("image", image)
    return EngineRequest(task, **kwargs)  # type: ignore[arg-type]


class Previews:
    """A progress callback that asks for preview images and keeps every report."""

    wants_previews = True

    def __init__(self) -> None:
        self.seen: list[Progress] = []

    def __call__(self, progress: Progress) -> None:
        self.seen.append(progress)


class EngineContract:
    """Mix into a test class that defines the ``engine`` fixture."""

    @pytest.fixture()
    def engine(self) -> Engine:  # pragma: no cover - overridden
        raise NotImplementedError

    def _tasks(self, engine: Engine) -> list[Task]:
        return [t for t in Task if engine.supports(t)]

    def test_declares_itself(self, engine: Engine) -> None:
        described = engine.describe()
        assert described["name"] == engine.name
        assert described["tasks"], "an engine must do at least one task"
        assert set(described) >= {"available", "reason", "tasks", "deterministic"}
        if not described["available"]:
            assert described["reason"], "an unavailable engine must say why"

    def test_returns_n_images_of_the_asked_size(
        self, engine: Engine, photo_small: Image.Image
    ) -> None:
        for task in self._tasks(engine):
            size = photo_small.size if task is Task.MASKED_EDIT else ODD_SIZE
            request = make_request(task, photo_small, n=3, seed=5, size=size)
            result = engine.run(request)
            assert len(result.images) == 3, task
            assert all(img.size == size for img in result.images), task
            assert result.engine == engine.name
            assert len(result.seeds) == 3

    def test_same_seed_same_pixels(self, engine: Engine, photo_small: Image.Image) -> None:
        if not engine.deterministic:
            pytest.skip("engine is not deterministic")
        for task in self._tasks(engine):
            first = engine.run(
                make_request(task, photo_small, n=2, seed=123, size=photo_small.size)
            )
            again = engine.run(
                make_request(task, photo_small, n=2, seed=123, size=photo_small.size)
            )
            for a, b in zip(first.images, again.images, strict=True):
                assert np.array_equal(np.asarray(a), np.asarray(b)), task

    def test_different_seeds_differ(self, engine: Engine, photo_small: Image.Image) -> None:
        if not engine.seeded:
            pytest.skip("engine has no seed")
        for task in self._tasks(engine):
            result = engine.run(make_request(task, photo_small, n=2, seed=1, size=photo_small.size))
            a, b = (np.asarray(i, dtype=np.int16) for i in result.images)
            assert np.abs(a - b).mean() > 0.5, task

    def test_masked_edit_keeps_every_pixel_outside(
        self, engine: Engine, photo_small: Image.Image
    ) -> None:
        if not engine.supports(Task.MASKED_EDIT):
            pytest.skip("engine does no masked edits")
        request = make_request(Task.MASKED_EDIT, photo_small, n=2, seed=9)
        assert request.mask is not None
        keep = seam_alpha(mask_array(request.mask, photo_small.size), DEFAULT_SEAM) == 0
        original = np.asarray(photo_small.convert("RGB"))
        for image in engine.run(request).images:
            out = np.asarray(image.convert("RGB"))
            assert np.array_equal(out[keep], original[keep])
            changed = ~keep
            assert changed.any()

    def test_unsupported_task_is_a_clear_error(
        self, engine: Engine, photo_small: Image.Image
    ) -> None:
        missing = [t for t in Task if not engine.supports(t)]
        if not missing:
            pytest.skip("engine does every task")
        for task in missing:
            with pytest.raises(UnsupportedTaskError, match=engine.name):
                engine.run(make_request(task, photo_small, seed=1))

    def test_reports_progress_and_can_be_cancelled(
        self, engine: Engine, photo_small: Image.Image
    ) -> None:
        task = self._tasks(engine)[0]
        seen: list[Progress] = []
        engine.run(make_request(task, photo_small, n=2, seed=2, size=ODD_SIZE), seen.append)
        assert seen and all(0 <= p.step <= p.total for p in seen)

        def cancel(_: Progress) -> None:
            raise CancelledError("cancelled by test")

        with pytest.raises(CancelledError):
            engine.run(make_request(task, photo_small, n=2, seed=2, size=ODD_SIZE), cancel)
