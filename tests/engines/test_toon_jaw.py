"""Issue #39: one jaw. The drawn jaw (the eased oval) is narrower than the photo's face;
the skin between them is painted as the side of the head, and the neck is outlined
below the chin alone — its edge beside the jaw, outlined, drew a second jaw (judge T2).
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageOps

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.toon import ToonEngine, lines
from sakuga.engines.toon.sitting import eased_oval, read_sitting
from sakuga.imaging.samples import load_sample
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.styles import get_style


def test_kept_runs_splits_a_curve_where_points_are_dropped() -> None:
    curve = np.array([[x, 10 if x in (3, 4) else 30] for x in range(10)], np.float32)
    runs = lines.kept_runs([curve], lambda c: c[:, 1] > 20)
    assert [len(r) for r in runs] == [3, 5]
    assert runs[0][-1][0] == 2 and runs[1][0][0] == 5


@pytest.mark.parametrize("mirrored", [False, True])
def test_no_second_line_follows_the_jaw(mirrored: bool) -> None:
    photo: Image.Image = load_sample("hopper")
    if mirrored:
        photo = ImageOps.mirror(photo)
    request = EngineRequest(
        Task.PHOTO_TO_ANIME, spec=ArtSpec(style="cinematic"), image=photo, seed=8
    )
    sitting = read_sitting(request)
    out = np.asarray(ToonEngine().run(request).images[0])
    head = sitting.heads[0]
    oval = eased_oval(head.face, get_style("cinematic").toon.jaw)
    h, w = out.shape[:2]
    face = np.zeros((h, w), np.uint8)
    cv2.fillPoly(face, [np.round(oval).astype(np.int32)], 1)
    away = cv2.distanceTransform(1 - face, cv2.DIST_L2, 3)
    ys = np.mgrid[0:h, 0:w][0]
    eyes_y, chin = head.face.eyes[1], head.face.points[152][1]
    # A band just outside the drawn jaw, from below the cheekbones to the chin.
    band = (away > 3) & (away < 9) & (ys > eyes_y + (chin - eyes_y) * 0.3) & (ys < chin)
    ink = cv2.cvtColor(out, cv2.COLOR_RGB2Lab)[..., 0] < 100
    # With the neck outlined beside the jaw, 8% of this band was ink.
    assert ink[band].mean() < 0.03
