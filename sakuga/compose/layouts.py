"""Layouts per use: the art fitted to the use's size, and its text typeset inside the
safe area, away from faces, legible against what is under it.

Text adapts before it refuses, as a designer would: the largest size that fits, in
one to three lines, over the bottom or the top of the art, beside the faces, on a band
or panel of its own (the art made smaller, its edge fading into a colour taken from
it), and at last down to a legibility floor. Only when nothing legible clears the
faces is it an error, and the error says how much of the text would fit.

Art whose shape is far from the use's (a square portrait on a 2:3 poster or a 16:9
thumbnail) is not cropped to it, which would cut off hair and shoulders: it keeps its
whole frame and the text gets the band.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from PIL import Image, ImageDraw

from sakuga.compose.fonts import (
    BODY_CHAIN,
    TITLE_CHAIN,
    FontError,
    Typeface,
    check_text,
    choose_font,
)
from sakuga.compose.sticker import make_sticker
from sakuga.compose.text import Box, Fitted, TextStyle, draw_text, fit_at, phrases, sizes
from sakuga.imaging.faces import find_faces
from sakuga.imaging.geometry import (
    AVATAR_ZOOM,
    crop_box_for_aspect,
    grown,
    head_and_shoulders,
    union_box,
)
from sakuga.prompt.uses import Use, get_use

#: Below this cap height at 320 px wide, a thumbnail title is hard to read (a warning).
THUMBNAIL_MIN_PX: Final = 18
#: Below this, not legible at all at 320 px wide: the floor a thumbnail title stops at.
THUMBNAIL_FLOOR_PX: Final = 11
#: A crop to the use's shape that keeps less than this share of the art's width (or
#: height) gives way to a band for the text, the art kept whole.
BAND_BELOW: Final = 0.8
#: The band's least share of the frame's height (poster) or width (thumbnail).
BAND_SHARE: Final = 0.26


@dataclass
class Layout:
    image: Image.Image
    use: str
    faces: list[Box]
    text_boxes: dict[str, Box] = field(default_factory=dict)
    contrast: dict[str, float] = field(default_factory=dict)
    styles: dict[str, TextStyle] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)  # font size in px, per text
    warnings: list[str] = field(default_factory=list)
    preview: Image.Image | None = None


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _intersect(a: Box, b: Box) -> Box | None:
    box = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return box if box[0] < box[2] and box[1] < box[3] else None


@dataclass(frozen=True)
class _Text:
    key: str
    text: str
    typeface: Typeface
    max_size: int
    floor: int  # the legibility floor: no smaller than this
    comfortable: int  # tried first everywhere before smaller sizes in tighter spots
    max_lines: int
    height_share: float  # of the safe area's height, at most


@dataclass(frozen=True)
class _Frame:
    """The art placed on the use's canvas, where its faces fell, and the band (a part
    of the canvas kept for text) when there is one."""

    image: Image.Image
    faces: list[Box]
    band: Box | None = None
    band_align: str = "center"


@dataclass(frozen=True)
class _Placed:
    key: str
    fitted: Fitted
    origin: tuple[int, int]
    align: str

    @property
    def box(self) -> Box:
        x, y = self.origin
        return (x, y, x + self.fitted.width, y + self.fitted.height)


def _texts(
    use: Use,
    title: str | None,
    subtitle: str | None,
    credits: str | None,
    font: str | None,
) -> list[_Text]:
    """The texts to set, checked and with their fonts, before any pixel work. Credits
    come first: they take the bottom edge, as on a film poster; the title sits above."""
    base = min(use.width, use.height)
    thumbnail = use.name == "thumbnail"
    out = []
    for key, text, scale, max_lines in (
        ("credits", credits, 0.028, 3),
        ("title", title, 0.16, 2 if thumbnail else 3),
        ("subtitle", subtitle, 0.06, 2),
    ):
        if not text:
            continue
        text = check_text(text, key)
        typeface = choose_font(
            text, font if key == "title" else None, TITLE_CHAIN if key == "title" else BODY_CHAIN
        )
        max_size = max(12, round(base * (0.13 if thumbnail and key == "title" else scale)))
        if key == "title":
            floor = (
                round(THUMBNAIL_FLOOR_PX / 0.72 * use.width / 320)
                if thumbnail
                else round(base * 0.03)
            )
        else:
            floor = max(12, round(base * 0.014))
        floor = min(floor, max_size)
        comfortable = max(floor, round(max_size * 0.6))
        share = 0.5 if key == "title" else 0.25
        out.append(_Text(key, text, typeface, max_size, floor, comfortable, max_lines, share))
    return out


def _cover(rgb: Image.Image, use: Use, faces: list[Box]) -> _Frame:
    """The art cropped to the use's shape around its faces, and scaled to its size."""
    focus = union_box(faces)
    if use.name == "avatar" and focus is not None:
        # Head and shoulders, as `sakuga anime --for avatar` crops them.
        focus = head_and_shoulders(focus, rgb.size)
        crop = crop_box_for_aspect(rgb.size, use.width / use.height, focus, zoom=AVATAR_ZOOM)
    else:
        crop = crop_box_for_aspect(rgb.size, use.width / use.height, focus)
    image = rgb.resize(use.size, Image.Resampling.LANCZOS, box=crop)
    scale = use.width / (crop[2] - crop[0])
    return _Frame(image, _moved(faces, crop[:2], scale, (0, 0), use.size))


def _banded(rgb: Image.Image, use: Use, faces: list[Box]) -> _Frame:
    """The whole art, made smaller where needed, beside a band for text: below it on a
    tall or square canvas, to its left on a wide one. The band is a colour taken from
    the art's edge and deepened, and the art's edge fades into it."""
    width, height = use.size
    aspect = rgb.width / rgb.height
    if width / height <= aspect * 1.05:
        # Tall or square: the band below. The art is as wide as the canvas (or as fits
        # above a band of at least BAND_SHARE).
        art_h = min(round(width / aspect), round(height * (1 - BAND_SHARE)))
        art_w = round(art_h * aspect)
        at = ((width - art_w) // 2, 0)
        band: Box = (0, art_h, width, height)
        side, align = "bottom", "center"
    else:
        art_w = min(round(height * aspect), round(width * (1 - BAND_SHARE * 1.3)))
        art_h = round(art_w / aspect)
        at = (width - art_w, (height - art_h) // 2)
        band = (0, 0, width - art_w, height)
        side, align = "left", "left"
    art = rgb.resize((art_w, art_h), Image.Resampling.LANCZOS)
    pixels = np.asarray(art, np.float32)
    edge = pixels[-max(2, art_h // 20) :] if side == "bottom" else pixels[:, : max(2, art_w // 20)]
    colour = np.median(edge.reshape(-1, 3), axis=0) * 0.45 + np.array([14, 12, 24]) * 0.55
    deep = colour * 0.7
    t = np.linspace(0, 1, height)[:, None, None]
    canvas = np.broadcast_to(colour * (1 - t) + deep * t, (height, width, 3))
    image = Image.fromarray(canvas.astype(np.uint8), "RGB")
    image.paste(art, at, _feather(art.size, at, use.size))
    scale = art_w / rgb.width
    moved = _moved(faces, (0, 0), scale, at, use.size)
    return _Frame(image, moved, band, align)


def _feather(size: tuple[int, int], at: tuple[int, int], canvas: tuple[int, int]) -> Image.Image:
    """An alpha mask that fades the art out along every edge not on the canvas's edge."""
    w, h = size
    fade = max(8, round(min(w, h) * 0.24))
    alpha = np.ones((h, w), np.float32)
    t = np.linspace(0, 1, fade, dtype=np.float32)
    ramp = t * t * (3 - 2 * t)  # smoothstep: no visible start or end to the fade
    if at[0] > 0:
        alpha[:, :fade] *= ramp[None, :]
    if at[0] + w < canvas[0]:
        alpha[:, -fade:] *= ramp[::-1][None, :]
    if at[1] > 0:
        alpha[:fade] *= ramp[:, None]
    if at[1] + h < canvas[1]:
        alpha[-fade:] *= ramp[::-1][:, None]
    return Image.fromarray((alpha * 255).astype(np.uint8), "L")


def _moved(
    faces: list[Box],
    origin: tuple[int, int],
    scale: float,
    at: tuple[int, int],
    canvas: tuple[int, int],
) -> list[Box]:
    """Face boxes from the art's pixels to the canvas's, grown a little to keep text
    off hair and chin; faces cropped away are dropped."""
    out = []
    for x0, y0, x1, y1 in faces:
        box = grown(
            (
                round((x0 - origin[0]) * scale + at[0]),
                round((y0 - origin[1]) * scale + at[1]),
                round((x1 - origin[0]) * scale + at[0]),
                round((y1 - origin[1]) * scale + at[1]),
            ),
            0.12,
        )
        kept = _intersect(box, (0, 0, *canvas))
        if kept is not None and (kept[2] - kept[0]) * (kept[3] - kept[1]) > 0.3 * (
            (box[2] - box[0]) * (box[3] - box[1])
        ):
            out.append(kept)
    return out


def _positions(region: Box, height: int, vertical: str) -> list[int]:
    """Tops to try for a block ``height`` tall: from the bottom up, the top down, or
    the middle outwards."""
    y0, y1 = region[1], region[3] - height
    if y1 < y0:
        return []
    steps = 8
    span = [y0 + (y1 - y0) * i // steps for i in range(steps + 1)]
    if vertical == "bottom":
        return span[::-1][: steps // 2 + 1]
    if vertical == "top":
        return span[: steps // 2 + 1]
    middle = (y0 + y1) // 2
    return sorted(span, key=lambda y: abs(y - middle))


def _regions(frame: _Frame, safe: Box, use: Use) -> list[tuple[Box, str, str, bool]]:
    """Where text may go, best first: (box, horizontal align, vertical order, wide) —
    the band, then the whole safe width from the bottom and from the top, then the
    columns beside the faces (tried only below a comfortable size)."""
    align = "center" if use.name in ("poster", "avatar", "social") else "left"
    out: list[tuple[Box, str, str, bool]] = []
    if frame.band is not None:
        band = _intersect(frame.band, safe)
        if band is not None:
            out.append((band, frame.band_align, "band", True))
    out += [(safe, align, "bottom", True), (safe, align, "top", True)]
    if frame.faces:
        gap = min(use.size) // 40
        left = (safe[0], safe[1], min(f[0] for f in frame.faces) - gap, safe[3])
        right = (max(f[2] for f in frame.faces) + gap, safe[1], safe[2], safe[3])
        for column, side in sorted(
            ((left, "right"), (right, "left")), key=lambda c: c[0][0] - c[0][2]
        ):
            if column[2] - column[0] >= min(use.size) // 6:
                out.append((column, side, "middle", False))
    out.append((safe, align, "middle", True))
    return out


def _place(
    text: _Text,
    frame: _Frame,
    safe: Box,
    use: Use,
    taken: list[Box],
    words: str | None = None,
    near: list[tuple[Box, str, str, bool]] | None = None,
) -> _Placed | None:
    """Where ``text`` goes, in three passes: at a comfortable size or larger, first with
    lines broken only between its phrases, then anyhow, region by region in order (the
    band first); then the largest size down to the floor in any region."""
    value = text.text if words is None else words
    regions = [r for r in (near or []) if r[0][1] < r[0][3]] + _regions(frame, safe, use)
    comfortable = sizes(text.max_size, text.comfortable)
    for clean in (True, False) if len(phrases(value)) > 1 else (False,):
        for region in (r for r in regions if r[3]):
            for size in comfortable:
                spot = _try(text, value, size, region, frame, safe, taken, clean)
                if spot is not None:
                    return spot
    for size in sizes(text.max_size, text.floor):
        for region in regions:
            spot = _try(text, value, size, region, frame, safe, taken, False)
            if spot is not None:
                return spot
    return None


def _try(
    text: _Text,
    value: str,
    size: int,
    region: tuple[Box, str, str, bool],
    frame: _Frame,
    safe: Box,
    taken: list[Box],
    clean: bool,
) -> _Placed | None:
    box, align, vertical, wide = region
    width, height = box[2] - box[0], box[3] - box[1]
    limit = round((safe[3] - safe[1]) * text.height_share)
    lines = text.max_lines if wide else text.max_lines + 1
    fitted = fit_at(value, text.typeface, size, width, min(height, limit), lines, clean=clean)
    if fitted is None:
        return None
    x = {
        "left": box[0],
        "center": (box[0] + box[2] - fitted.width) // 2,
        "right": box[2] - fitted.width,
    }[align]
    if vertical == "band":  # credits at the band's foot, the rest from its middle
        vertical = "bottom" if text.key == "credits" else "middle"
    for y in _positions(box, fitted.height, vertical):
        placed = _Placed(text.key, fitted, (x, y), align)
        if not any(_overlaps(placed.box, f) for f in frame.faces) and not any(
            _overlaps(placed.box, t) for t in taken
        ):
            return placed
    return None


def _set(texts: list[_Text], frame: _Frame, use: Use) -> tuple[list[_Placed], _Text | None]:
    """Every text placed on ``frame``, or those placed before the first that fits nowhere."""
    safe = use.safe_area.box(use.width, use.height)
    placed: list[_Placed] = []
    for text in texts:
        title = next((p for p in placed if p.key == "title"), None)
        near = _beside(title, safe, use) if text.key == "subtitle" and title else []
        spot = _place(text, frame, safe, use, [grown(p.box, 0.05) for p in placed], near=near)
        if spot is None:
            return placed, text
        placed.append(spot)
    return placed, None


def _beside(title: _Placed, safe: Box, use: Use) -> list[tuple[Box, str, str, bool]]:
    """Regions just below and just above the title, aligned with it: a subtitle is
    tried there first so the two read as one block."""
    x0, y0, x1, y1 = title.box
    gap = max(4, title.fitted.size // 5)
    if title.align == "left":
        across = (x0, safe[2])
    elif title.align == "right":
        across = (safe[0], x1)
    else:
        half = min((x0 + x1) // 2 - safe[0], safe[2] - (x0 + x1) // 2)
        across = ((x0 + x1) // 2 - half, (x0 + x1) // 2 + half)
    return [
        ((across[0], y1 + gap, across[1], safe[3]), title.align, "top", True),
        ((across[0], safe[1], across[1], y0 - gap), title.align, "bottom", True),
    ]


def _what_fits(text: _Text, frame: _Frame, use: Use, placed: list[_Placed]) -> str:
    """The refusal: which text, its floor, and the longest start of it that would fit."""
    safe = use.safe_area.box(use.width, use.height)
    taken = [grown(p.box, 0.05) for p in placed]
    words = text.text.split(" ")
    fits = ""
    for n in range(len(words) - 1, 0, -1):
        start = " ".join(words[:n])
        if _place(text, frame, safe, use, taken, start) is not None:
            fits = start
            break
    hint = f"'{fits}' would fit" if fits else "not even its first word fits"
    return (
        f"no room for the {text.key} in the {use.name} at a legible size "
        f"({text.floor} px or more) without covering a face: {hint}; shorten it, "
        "or choose a use with more room (poster, wallpaper)"
    )


def compose(
    art: Image.Image,
    use_name: str,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    credits: str | None = None,
    font: str | None = None,
    known_faces: Sequence[Box] = (),
) -> Layout:
    """The art laid out for ``use_name`` with its text; ``known_faces``: where the art's
    own engine drew heads (pixels of ``art``), kept clear as the faces found are — a
    face detector misses many drawn faces."""
    use = get_use(use_name)
    if use.name == "sheet":
        raise FontError("export for sheet is not built yet: use `sakuga character sheet NAME`")
    if use.name == "sticker":
        notes: list[str] = []
        sticker = make_sticker(art, use.width, notes)
        return Layout(image=sticker, use=use.name, faces=[], warnings=notes)
    texts = _texts(use, title, subtitle, credits, font)
    rgb = art.convert("RGB")
    found = find_faces(np.asarray(rgb))
    faces = found + [b for b in known_faces if not any(_overlaps(b, f) for f in found)]
    crop = crop_box_for_aspect(rgb.size, use.width / use.height)
    kept = min((crop[2] - crop[0]) / rgb.width, (crop[3] - crop[1]) / rgb.height)
    frames = [lambda: _cover(rgb, use, faces)]
    if texts:
        # Banded first where a crop would cut the art down; else only when the cropped
        # art leaves the text nowhere legible.
        frames.insert(0 if kept < BAND_BELOW else 1, lambda: _banded(rgb, use, faces))
    failed: tuple[_Text, _Frame, list[_Placed]] | None = None
    for make in frames:
        frame = make()
        placed, unplaced = _set(texts, frame, use)
        if unplaced is None:
            break
        if failed is None or len(placed) >= len(failed[2]):
            failed = (unplaced, frame, placed)  # the frame that came closest, later first
    else:
        assert failed is not None
        raise FontError(_what_fits(failed[0], failed[1], use, failed[2]))
    layout = Layout(image=frame.image, use=use.name, faces=frame.faces)
    for spot in placed:
        layout.contrast[spot.key], layout.styles[spot.key] = draw_text(
            layout.image, spot.fitted, spot.origin, align=spot.align
        )
        layout.text_boxes[spot.key] = spot.box
        layout.sizes[spot.key] = spot.fitted.size
        if spot.key == "title" and use.name == "thumbnail":
            at_320 = spot.fitted.size * 320 / use.width * 0.72  # cap height ≈ 0.72 of size
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
