"""The face and hand detailer: after a generation, each face (and hand) is drawn again
at the model's native size and pasted back through a feathered mask.

A face that fills a tenth of a 1024 px picture is drawn in about 100 px: too few for
clean eyes. The detailer crops each box with padding, scales the crop up to the
model's native size, inpaints it at a low denoise (0.35–0.45) with the same prompt
plus a face prompt, scales it back and blends it in through a feathered ellipse, so
nothing outside the padded box changes.

Where the boxes come from, first that finds any:

1. the rig (`sakuga.imaging.rig`) on the request's input image (photo → anime, an
   edit), mapped to the generated image: the person's face and hands are where they
   were, and the rig reads photos reliably;
2. the rig on the generated image itself (photo-like output).

Anime faces the rig does not see are left as they are, and the recipe says how many
boxes were detailed. No detector of anime faces with a permissive licence ships in a
package here; the boxes of a ControlNet pose map are a later source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from sakuga.errors import SpecError

#: What ``detail`` may name.
TARGETS: Final = ("face", "hands")
#: The denoise a detail pass uses unless told (ADetailer's own default is 0.4).
DETAIL_STRENGTH: Final = 0.4
#: Added to the prompt for each target's pass.
TARGET_PROMPTS: Final = {
    "face": "detailed face, beautiful detailed eyes",
    "hands": "detailed hands, five fingers",
}
#: Padding around a box, as a share of its longer side, so the pass sees context.
PADDING: Final = 0.35


@dataclass(frozen=True)
class Box:
    """A region to detail, in the generated image's pixels."""

    target: str
    x0: float
    y0: float
    x1: float
    y1: float

    def scaled(self, sx: float, sy: float) -> Box:
        return Box(self.target, self.x0 * sx, self.y0 * sy, self.x1 * sx, self.y1 * sy)

    def padded(self, size: tuple[int, int]) -> tuple[int, int, int, int]:
        """The square crop around the box with padding, inside the image."""
        width, height = size
        side = min(
            round(max(self.x1 - self.x0, self.y1 - self.y0) * (1 + 2 * PADDING)), width, height
        )
        cx, cy = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        x0 = min(max(round(cx - side / 2), 0), width - side)
        y0 = min(max(round(cy - side / 2), 0), height - side)
        return x0, y0, x0 + side, y0 + side


def targets_of(value: object) -> list[str]:
    """The ``detail`` option as a list of targets: "face", "face,hands" or a list."""
    if value in (None, "", False, "none"):
        return []
    items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    found = [str(item).strip() for item in items if str(item).strip()]
    unknown = [t for t in found if t not in TARGETS]
    if unknown:
        raise SpecError(f"detail can be {', '.join(TARGETS)}; got {unknown[0]!r}")
    return list(dict.fromkeys(found))


def find_boxes(
    generated: Image.Image, source: Image.Image | None, targets: Sequence[str]
) -> tuple[list[Box], str]:
    """The boxes to detail in ``generated``, and where they came from."""
    from sakuga.imaging.rig import read_rig

    for where, image in (("the input photo", source), ("the image", generated)):
        if image is None:
            continue
        rig = read_rig(np.asarray(image.convert("RGB")), pose="hands" in targets)
        if rig is None:
            return [], "no rig"
        boxes = _boxes(rig, targets)
        if boxes:
            sx, sy = generated.width / image.width, generated.height / image.height
            return [b.scaled(sx, sy) for b in boxes], f"rig on {where}"
    return [], "none found"


def _boxes(rig: object, targets: Sequence[str]) -> list[Box]:
    from sakuga.imaging.rig import Rig

    assert isinstance(rig, Rig)
    boxes: list[Box] = []
    if "face" in targets:
        for face in rig.faces:
            x0, y0, x1, y1 = face.box
            boxes.append(Box("face", x0, y0, x1, y1))
    if "hands" in targets and rig.pose is not None:
        # MediaPipe pose: wrist, pinky, index and thumb of each hand.
        for points in ((15, 17, 19, 21), (16, 18, 20, 22)):
            seen = [rig.pose[i] for i in points if rig.pose[i][2] >= 0.5]
            if len(seen) >= 3:
                xs, ys = [p[0] for p in seen], [p[1] for p in seen]
                reach = max(max(xs) - min(xs), max(ys) - min(ys), 8.0)
                cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
                boxes.append(Box("hands", cx - reach, cy - reach, cx + reach, cy + reach))
    return boxes


def feather(size: int, box: Box, crop: tuple[int, int, int, int]) -> Image.Image:
    """The blend mask of one crop, ``size`` px square: an ellipse over the box (in the
    crop's coordinates, scaled to ``size``), blurred so its edge fades, and zero on the
    crop's border so the crop's edge never shows."""
    x0, y0, x1, _ = crop
    scale = size / (x1 - x0)
    mask = Image.new("L", (size, size), 0)
    inset = size * 0.04
    ellipse = (
        max(inset, (box.x0 - x0) * scale - size * 0.06),
        max(inset, (box.y0 - y0) * scale - size * 0.06),
        min(size - inset, (box.x1 - x0) * scale + size * 0.06),
        min(size - inset, (box.y1 - y0) * scale + size * 0.06),
    )
    ImageDraw.Draw(mask).ellipse(ellipse, fill=255)
    return mask.filter(ImageFilter.GaussianBlur(size * 0.03))
