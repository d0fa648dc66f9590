from __future__ import annotations

import numpy as np
import pytest

from sakuga.engines.base import Engine, EngineRequest, Task
from sakuga.engines.fake import FakeEngine, seed_colour
from tests.engines.contract import EngineContract


class TestFakeContract(EngineContract):
    @pytest.fixture()
    def engine(self) -> Engine:
        return FakeEngine()


def test_fake_pixels_are_exact() -> None:
    result = FakeEngine().run(EngineRequest(Task.TEXT_TO_IMAGE, n=2, seed=7, size=(16, 32)))
    top_row = np.asarray(result.images[0])[0, 0]
    assert tuple(int(c) for c in top_row) == seed_colour(7)
    assert tuple(int(c) for c in np.asarray(result.images[1])[0, 0]) == seed_colour(8)
    assert result.seeds == [7, 8]


def test_fake_is_never_the_default() -> None:
    assert FakeEngine().priority < 0
