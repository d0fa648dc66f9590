"""Layouts per use: the art cropped around its faces to the use's size, and its text
typeset inside the safe area, away from faces, legible against what is under it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np
from PIL import Image, ImageDraw

from sakuga.compose.fonts import BODY_CHAIN, FontError, check_text, choose_font
from sakuga.compose.sticker import make_sticker
from sakuga.compose.text import Box, Fitted, TextStyle, draw_text, fit
from sakuga.imaging.faces import find_faces
from sakuga.imaging.geometry import fit_cover, union_box
from sakuga.spec.uses import Use, get_use

#: Below this cap height at 320 px wide, a thumbnail title is hard to read.
THUMBNAIL_MIN_PX: Final = 18


@dataclass
class Layout:
    image: Image.Image
    use: str
    faces: list[Box]
    text_boxes: dict[str, Box] = field(default_factory=dict)
    contrast: dict[str, float] = field(default_factory=dict)
    styles: dict[str, TextStyle] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    preview: Image.Image | None = None


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _grow(box: Box, amount: float) -> Box:
    w, h = box[2] - box[0], box[3] - box[1]
    return (
        round(box[0] - w * amount),
        round(box[1] - h * amount),
        round(box[2] + w * amount),
        round(box[3] + h * amount),
    )


def _place(
    fitted: Fitted,
    safe: Box,
    faces: list[Box],
    taken: list[Box],
    prefer: tuple[str, ...],
    align: str,
) -> tuple[int, int] | None:
    """The first position (band in ``prefer`` order) where the text clears faces and
    other text, inside the safe area."""
    x0, y0, x1, y1 = safe
    width, height = fitted.width, fitted.height
    x = {"left": x0, "center": (x0 + x1 - width) // 2, "right": x1 - width}[align]
    steps = 12
    candidates: list[int] = []
    for band in prefer:
        if band == "bottom":
            candidates += [y1 - height - i * (y1 - y0 - height) // steps for i in range(steps // 2)]
        elif band == "top":
            candidates += [y0 + i * (y1 - y0 - height) // steps for i in range(steps // 2)]
        else:
            candidates.append((y0 + y1 - height) // 2)
    for y in candidates:
        box = (x, y, x + width, y + height)
        if all(not _overlaps(box, f) for f in faces) and all(not _overlaps(box, t) for t in taken):
            return (x, y)
    return None


def compose(
    art: Image.Image,
    use_name: str,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    credits: str | None = None,
    font: str | None = None,
) -> Layout:
    """The art laid out for ``use_name`` with its text."""
    use = get_use(use_name)
    if use.name == "sheet":
        raise FontError("export for sheet is not built yet: use `sakuga character sheet NAME`")
    if use.name == "sticker":
        notes: list[str] = []
        sticker = make_sticker(art, use.width, notes)
        return Layout(image=sticker, use=use.name, faces=[], warnings=notes)
    rgb = art.convert("RGB")
    faces_src = find_faces(np.asarray(rgb))
    focus = union_box(faces_src)
    image = fit_cover(rgb, use.size, focus)
    faces = [_grow(box, 0.12) for box in find_faces(np.asarray(image))]
    layout = Layout(image=image, use=use.name, faces=faces)
    safe = use.safe_area.box(use.width, use.height)
    taken: list[Box] = []
    texts = [
        # Credits take the bottom edge first, as on a film poster; the title sits above.
        ("credits", credits, 0.028, 3),
        ("title", title, 0.16, 3),
        ("subtitle", subtitle, 0.06, 2),
    ]
    base = min(use.width, use.height)
    align = "center" if use.name in ("poster", "avatar", "social") else "left"
    prefer: tuple[str, ...] = ("bottom", "top", "middle")
    for key, text, scale, max_lines in texts:
        if not text:
            continue
        text = check_text(text, key)
        chosen = choose_font(
            text,
            font if key == "title" else None,
            chain=("sans-bold", "gothic-jp") if key == "title" else BODY_CHAIN,
        )
        box_w = safe[2] - safe[0]
        box_h = (safe[3] - safe[1]) // (2 if key == "title" else 4)
        max_size = max(
            12, round(base * (0.13 if use.name == "thumbnail" and key == "title" else scale))
        )
        fitted = fit(
            text,
            chosen,
            box_w,
            box_h,
            max_size=max_size,
            min_size=max(10, max_size // 4),
            max_lines=2 if use.name == "thumbnail" and key == "title" else max_lines,
        )
        origin = _place(fitted, safe, faces, taken, prefer, align)
        if origin is None and faces:
            # Wide art with a face in the middle: set the text in a column beside the
            # faces, on the side with more room.
            gap = base // 40
            free = {
                "left": min(f[0] for f in faces) - safe[0] - gap,
                "right": safe[2] - max(f[2] for f in faces) - gap,
            }
            for side in sorted(free, key=lambda k: -free[k]):
                if free[side] < base // 6:
                    continue
                fitted = fit(
                    text,
                    chosen,
                    free[side],
                    box_h,
                    max_size=max_size,
                    min_size=max(10, max_size // 4),
                    max_lines=max_lines + 1,
                )
                origin = _place(fitted, safe, faces, taken, prefer, side)
                if origin is not None:
                    break
        if origin is None:
            raise FontError(
                f"no room for the {key} in the {use.name} without covering a face; shorten it"
            )
        layout.contrast[key], layout.styles[key] = draw_text(
            layout.image, fitted, origin, align=align
        )
        layout.text_boxes[key] = (
            origin[0],
            origin[1],
            origin[0] + fitted.width,
            origin[1] + fitted.height,
        )
        taken.append(_grow(layout.text_boxes[key], 0.05))
        if key == "title" and use.name == "thumbnail":
            at_320 = fitted.size * 320 / use.width * 0.72  # cap height ≈ 0.72 of the size
            limit = THUMBNAIL_MIN_PX * 0.72
            if at_320 < limit:
                layout.warnings.append(
                    f"the title is {at_320:.1f} px tall at 320 px wide; under {limit:.1f} px "
                    "it is hard to read: shorten it"
                )
    if use.circle_crop:
        layout.preview = circle_preview(layout.image, use)
    return layout


def circle_preview(image: Image.Image, use: Use) -> Image.Image:
    """How a profile picture shows in a circle: transparent corners and a ring."""
    size = image.size
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).ellipse((0, 0, size[0] - 1, size[1] - 1), fill=255)
    preview = image.convert("RGBA")
    preview.putalpha(mask)
    ring = max(4, size[0] // 60)
    ImageDraw.Draw(preview).ellipse(
        (ring // 2, ring // 2, size[0] - ring // 2 - 1, size[1] - ring // 2 - 1),
        outline=(255, 255, 255, 255),
        width=ring,
    )
    return preview
