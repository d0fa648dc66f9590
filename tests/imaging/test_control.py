"""ControlNet maps: canny, XDoG line art and OpenPose skeletons, on the astronaut."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sakuga.errors import SpecError
from sakuga.imaging import control, rig


def _near(mask: np.ndarray, radius: int) -> np.ndarray:
    import cv2

    kernel = np.ones((2 * radius + 1, 2 * radius + 1), np.uint8)
    return cv2.dilate(mask.astype(np.uint8), kernel) > 0


def test_canny_is_white_edges_on_black(astronaut: Image.Image) -> None:
    edges = np.asarray(control.canny(astronaut))
    assert edges.shape == (*astronaut.size[::-1], 3)
    assert set(np.unique(edges)) <= {0, 255}
    assert 0.02 < (edges[..., 0] > 0).mean() < 0.25
    flat = np.asarray(control.canny(Image.new("RGB", (64, 64), (120, 90, 200))))
    assert not flat.any()


def test_line_art_follows_the_contours_and_drops_flat_areas(astronaut: Image.Image) -> None:
    lines = np.asarray(control.lineart(astronaut))[..., 0]
    edges = np.asarray(control.canny(astronaut))[..., 0] > 0
    ink = lines > 128
    # Strokes, not fills: a small share of the picture, nearly all on a contour.
    assert 0.01 < ink.mean() < 0.2
    assert (ink & _near(edges, 3)).sum() / ink.sum() > 0.85
    # The face's outline is drawn: the canny contour of the face is mostly inked nearby.
    face = (slice(60, 220), slice(160, 300))  # the astronaut's head, 512 px photo
    assert (_near(ink, 3)[face] & edges[face]).sum() / edges[face].sum() > 0.5
    flat = np.asarray(control.lineart(Image.new("RGB", (64, 64), (40, 40, 40))))
    assert not flat.any()


def test_openpose_keypoints_map_from_mediapipe_and_draw_in_its_colours() -> None:
    landmarks = np.zeros((33, 3), np.float32)  # nothing seen …
    landmarks[12] = (40, 50, 0.9)  # … but the right shoulder
    landmarks[11] = (80, 50, 0.9)  # the left shoulder
    landmarks[0] = (60, 20, 0.9)  # the nose
    landmarks[14] = (30, 70, 0.1)  # and, barely, the right elbow
    points = control.coco18(landmarks)
    assert len(points) == 18
    assert points[1] == (60.0, 50.0)  # the neck: the shoulders' midpoint
    assert points[2] == (40.0, 50.0) and points[5] == (80.0, 50.0)
    assert points[3] is None
    drawn = np.asarray(control.draw_openpose((128, 96), [points]))
    # Each joint is a dot of its own OpenPose colour; a limb with a missing end is not drawn.
    assert tuple(drawn[50, 40]) == control.COLOURS[2]
    assert tuple(drawn[20, 60]) == control.COLOURS[0]
    assert tuple(drawn[0, 0]) == (0, 0, 0) and tuple(drawn[70, 30]) == (0, 0, 0)
    # The limb neck → right shoulder, in its colour at 60% over black.
    assert tuple(drawn[50, 50]) == tuple(round(c * 0.6) for c in control.COLOURS[0])


def test_unknown_kinds_are_refused_with_the_list() -> None:
    with pytest.raises(SpecError, match="canny, lineart, pose"):
        control.control_map(Image.new("RGB", (8, 8)), "depth")


@pytest.mark.skipif(
    not rig.rig_available() and not os.environ.get("SAKUGA_REQUIRE_RIG"),
    reason=f"no rig: {rig.rig_status()}",
)
def test_the_astronauts_pose_map_puts_the_head_above_the_shoulders(
    astronaut: Image.Image,
) -> None:
    found = rig.read_rig(np.asarray(astronaut))
    assert found is not None and found.pose is not None
    points = control.coco18(found.pose)
    nose, neck, right, left = points[0], points[1], points[2], points[5]
    assert nose and neck and right and left
    assert nose[1] < neck[1] and right[0] < left[0]  # her right shoulder on the image's left
    drawn = np.asarray(control.openpose(astronaut))
    assert drawn.shape == (512, 512, 3) and (drawn.max(axis=2) > 0).mean() > 0.005
    x, y = round(nose[0]), round(nose[1])
    assert tuple(drawn[y, x]) == control.COLOURS[0]


def test_sakuga_control_writes_a_map(tmp_path: Path) -> None:
    from tests.test_cli import in_process

    code, out, err = in_process(
        "control", "sample:astronaut", "--kind", "canny", "-o", str(tmp_path / "m.png"),
        home=tmp_path,
    )  # fmt: skip
    assert code == 0, err
    written = Image.open(out.strip())
    assert written.size == (512, 512) and written.mode == "RGB"
    code, _, err = in_process("control", "no-such-photo.png", "--kind", "depth", home=tmp_path)
    assert code != 0 and "canny, lineart, pose" in err  # the kind is checked first
