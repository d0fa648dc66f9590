"""The face rig: MediaPipe's models, checked by hash, read real photos."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest
from PIL import Image

from sakuga.imaging import rig

# CI sets SAKUGA_REQUIRE_RIG=1: there, a missing rig fails these tests instead of skipping.
pytestmark = pytest.mark.skipif(
    not rig.rig_available() and not os.environ.get("SAKUGA_REQUIRE_RIG"),
    reason=f"no rig: {rig.rig_status()}",
)


def _read(image: Image.Image) -> rig.Rig:
    found = rig.read_rig(np.asarray(image.convert("RGB")))
    assert found is not None
    return found


def test_reads_the_face_the_irises_and_the_person(astronaut: Image.Image) -> None:
    found = _read(astronaut)
    assert len(found.faces) == 1
    face = found.faces[0]
    assert face.points.shape == (478, 2)
    x0, y0, x1, y1 = face.box
    assert 150 < (x0 + x1) / 2 < 280 and 40 < (y0 + y1) / 2 < 180  # her face, upper middle
    for side in (-1, 1):
        (cx, cy), radius = face.iris(side)
        eye = face.eye(side)
        assert eye[:, 0].min() < cx < eye[:, 0].max() and eye[:, 1].min() < cy < eye[:, 1].max()
        assert 1 < radius < 10
        assert face.openness(side) > 0.2  # eyes open
    assert abs(face.roll) < 8
    assert face.mouth["smile"] > 0 and face.mouth["opening"] > 0.05  # a smile, teeth showing
    # The person mask covers her face and not the top-right corner (the wall).
    cx, cy = face.points[rig.NOSE_TIP]
    assert found.person[int(cy), int(cx)] > 0.5
    assert found.person[10, -10] < 0.5


def test_head_roll_follows_a_tilted_photo(astronaut: Image.Image) -> None:
    tilted = astronaut.rotate(-20, resample=Image.Resampling.BICUBIC, fillcolor=(200, 200, 200))
    face = _read(tilted).faces[0]
    upright = _read(astronaut).faces[0]
    assert abs((face.roll - upright.roll) - 20) < 3


def test_a_changed_model_file_means_no_rig(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rig, "_solutions", {})
    monkeypatch.setattr(rig, "_status", None)
    name = next(iter(rig.MODELS))
    monkeypatch.setitem(rig.MODELS, name, "0" * 64)
    assert rig.read_rig(np.zeros((64, 64, 3), np.uint8)) is None
    assert rig.rig_status() == f"model file {name} does not match its known SHA-256"


def test_without_mediapipe_there_is_no_rig_and_it_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rig, "_solutions", {})
    monkeypatch.setattr(rig, "_status", None)
    monkeypatch.setitem(sys.modules, "mediapipe", None)
    assert not rig.rig_available()
    assert "mediapipe cannot be imported" in (rig.rig_status() or "")
