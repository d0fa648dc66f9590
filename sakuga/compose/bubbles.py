"""Speech bubbles, captions and sound effects on a comic panel (#37).

Each line of dialogue is set in a bubble placed where no face is, as near its speaker
as it can be and in reading order (the first line first: top, and left — or right on a
page that reads right to left), with a tail that points at the speaker's mouth and
stops short of it. Latin text is set in lines; Japanese can be set vertically
(tategaki): columns from right to left, each read top to bottom, with the vertical
forms of brackets and the long-vowel mark, small kana and commas in their corner.
Narration is a box in a corner; a sound effect is large outlined letters, tilted, in
the panel's emptiest part.

Every placement is returned with its box, so a test (or a page's recipe) can say
where each one went.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import cv2
import numpy as np
from PIL import Image, ImageDraw

from sakuga.compose.fonts import (
    BODY_CHAIN,
    TITLE_CHAIN,
    Typeface,
    choose_font,
    load,
    missing_glyphs,
)
from sakuga.compose.text import Box, break_lines, text_length
from sakuga.imaging.geometry import grown
from sakuga.prompt.story import is_japanese

_Area = tuple[float, float, float, float]
INK: Final = (18, 18, 24)
PAPER: Final = (255, 255, 255)
CAPTION: Final = (250, 246, 226)
#: Characters set turned a quarter in a vertical column, and those that have a
#: vertical form of their own.
_VERTICAL_FORMS: Final = {
    "「": "﹁",
    "」": "﹂",
    "『": "﹃",
    "』": "﹄",
    "（": "︵",
    "）": "︶",
    "(": "︵",
    ")": "︶",
    "…": "︙",
    "、": "︑",
    "。": "︒",
    "，": "︐",
}
_TURNED: Final = set("ー―—〜~-–")
#: Small kana sit up and to the right of a full one's square.
_SMALL: Final = set("ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
#: What may not start a column (kinsoku): it hangs at the end of the one before.
_NO_COLUMN_START: Final = set("、。，．︑︒ー」』）!?！？…︙") | _SMALL


@dataclass(frozen=True)
class Glyph:
    """One character of vertical text: where its square's centre is (from the text
    block's top left), and whether it is turned a quarter."""

    char: str
    x: float
    y: float
    turned: bool = False


@dataclass(frozen=True)
class SetText:
    """Text set in a block: its size, and either lines (horizontal) or glyphs
    (vertical), each line's or column's order as read."""

    typeface: Typeface
    size: int
    width: int
    height: int
    lines: tuple[str, ...] = ()
    glyphs: tuple[Glyph, ...] = ()
    vertical: bool = False

    def columns(self) -> list[list[Glyph]]:
        """The vertical text's columns, as read: right to left."""
        by_x: dict[float, list[Glyph]] = {}
        for glyph in self.glyphs:
            by_x.setdefault(glyph.x, []).append(glyph)
        return [by_x[x] for x in sorted(by_x, reverse=True)]


def set_horizontal(text: str, typeface: Typeface, size: int, width: int) -> SetText:
    """``text`` broken into lines no wider than ``width`` (where it can be)."""
    lines = break_lines(text, typeface, size, width) or [text]
    widest = max(text_length(typeface, line, size) for line in lines)
    height = round(size * (len(lines) + 0.25 * (len(lines) - 1)))
    return SetText(typeface, size, math.ceil(widest), height, tuple(lines))


def set_vertical(text: str, typeface: Typeface, size: int, height: int) -> SetText:
    """``text`` in columns at most ``height`` tall, read top to bottom, the columns
    right to left; a comma, a full stop or a small kana never starts a column."""
    per_column = max(1, height // size)
    columns: list[list[str]] = [[]]
    for char in text.replace(" ", "\u3000"):
        if len(columns[-1]) >= per_column and char not in _NO_COLUMN_START:
            columns.append([])
        columns[-1].append(char)
    pitch = size * 1.35
    glyphs: list[Glyph] = []
    width = round(pitch * (len(columns) - 1) + size)
    for c, column in enumerate(columns):
        x = width - size / 2 - c * pitch
        for r, char in enumerate(column):
            form = _VERTICAL_FORMS.get(char, char)
            if not _has(typeface, form):
                form = char
            dx, dy = (0.0, 0.0)
            if char in _SMALL:
                dx, dy = size * 0.1, -size * 0.1
            elif form == char and char in "、。，":  # no vertical form: to the corner
                dx, dy = size * 0.55, -size * 0.55
            glyphs.append(Glyph(form, x + dx, size * (r + 0.5) + dy, char in _TURNED))
    tallest = max(len(c) for c in columns)
    return SetText(typeface, size, width, tallest * size, glyphs=tuple(glyphs), vertical=True)


def _has(typeface: Typeface, char: str) -> bool:
    return any(not missing_glyphs(font, char) for font in typeface.fonts if font.path)


def text_image(block: SetText, fill: tuple[int, int, int] = INK) -> Image.Image:
    """``block`` as RGBA: its letters in ``fill`` on transparency."""
    mask = Image.new("L", (block.width + 2, block.height + 2), 0)
    draw = ImageDraw.Draw(mask)
    size = block.size
    if block.vertical:
        for glyph in block.glyphs:
            (font,) = block.typeface.used(glyph.char)[:1] or block.typeface.fonts[:1]
            face = load(font, size)
            if glyph.turned:
                square = Image.new("L", (size * 2, size * 2), 0)
                ImageDraw.Draw(square).text(
                    (size, size), glyph.char, font=face, fill=255, anchor="mm"
                )
                square = square.rotate(-90)
                mask.paste(square, (round(glyph.x - size), round(glyph.y - size)), square)
            else:
                draw.text((glyph.x, glyph.y), glyph.char, font=face, fill=255, anchor="mm")
    else:
        step = size * 1.25
        for i, line in enumerate(block.lines):
            x = (block.width - text_length(block.typeface, line, size)) / 2
            for run, font in block.typeface.runs(line):
                face = load(font, size)
                draw.text((x, i * step + size * 0.88), run, font=face, fill=255, anchor="ls")
                x += face.getlength(run)
    layer = Image.new("RGBA", mask.size, (*fill, 0))
    layer.putalpha(mask)
    return layer


@dataclass(frozen=True)
class Placed:
    """Where one line went on the page: its kind, speaker, the bubble's (or box's)
    box, the text's box, and the point its tail ends at (None without a tail)."""

    kind: str
    who: str | None
    box: Box
    text_box: Box
    tail: tuple[int, int] | None = None
    vertical: bool = False
    size: int = 0
    manner: str = "say"


@dataclass
class Lettering:
    """What a panel's lettering did: every line placed, and what could not be placed
    clear of the faces (said, never silently dropped)."""

    placed: list[Placed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _overlap(a: Box | _Area, b: Box | _Area) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h)


def letter_panel(
    page: Image.Image,
    frame: Box,
    lines: Sequence[tuple[str, str, str | None, str]],
    heads: dict[str, Box],
    *,
    others: Sequence[Box] = (),
    right_to_left: bool = False,
    vertical: bool = False,
    size: int = 28,
) -> Lettering:
    """Letter one panel of ``page`` (in place): ``lines`` are (kind, text, speaker,
    manner: said, thought, shouted or whispered);
    ``heads`` each character's head box in page pixels (a bubble never covers one;
    ``others`` are more heads, of no one named); ``vertical`` sets Japanese in columns."""
    done = Lettering()
    faces = [*heads.values(), *others]
    taken: list[Box] = []
    for kind, text, who, manner in lines:
        japanese = is_japanese(text)
        if kind == "narration":
            placed = _narration(page, frame, text, faces, taken, right_to_left, size, done)
        elif kind == "sfx":
            placed = _sfx(page, frame, text, faces, taken, size, done)
        else:
            speaker = heads.get(who) if who else None
            placed = _bubble(
                page,
                frame,
                text,
                who,
                speaker,
                faces,
                taken,
                right_to_left=right_to_left,
                vertical=vertical and japanese,
                size=size,
                done=done,
                manner=manner,
            )
        if placed is not None:
            done.placed.append(placed)
            taken.append(placed.box)
    return done


def _bubble(
    page: Image.Image,
    frame: Box,
    text: str,
    who: str | None,
    speaker: Box | None,
    faces: list[Box],
    taken: list[Box],
    *,
    right_to_left: bool,
    vertical: bool,
    size: int,
    done: Lettering,
    manner: str = "say",
) -> Placed | None:
    """A speech bubble for ``text``: the largest size (down to 60%) at which it fits in
    the panel clear of every face and of the bubbles before it; a cloud for a thought,
    spikes for a shout, a dashed line for a whisper."""
    grow = _GROW.get(manner, 1.0)
    typeface = choose_font(text, chain=BODY_CHAIN)
    fw, fh = frame[2] - frame[0], frame[3] - frame[1]
    for scale in (1.0, 0.88, 0.76, 0.66, 0.6):
        at = max(12, round(size * scale))
        if vertical:
            block = set_vertical(text, typeface, at, round(fh * 0.42))
        else:
            block = set_horizontal(text, typeface, at, round(fw * 0.36))
        # An ellipse round the text block: its half-axes √2 times the block's.
        rx = (block.width / 2 * 1.3 + at * 0.6) * grow
        ry = (block.height / 2 * 1.3 + at * 0.6) * grow
        spot = _best_spot(frame, rx, ry, speaker, faces, taken, right_to_left)
        if spot is None:
            continue
        cx, cy = spot
        box = (round(cx - rx), round(cy - ry), round(cx + rx), round(cy + ry))
        tail = _tail_end(box, speaker)
        _draw_bubble(page, box, tail, manner)
        ink = text_image(block)
        origin = (round(cx - block.width / 2), round(cy - block.height / 2))
        page.paste(ink, origin, ink)
        text_box = (*origin, origin[0] + block.width, origin[1] + block.height)
        return Placed("say", who, box, text_box, tail, vertical, at, manner)
    done.warnings.append(
        f"{who or 'a line'}: {text!r} does not fit in its panel clear of the faces; "
        "shorten it or give it a panel of its own"
    )
    return None


def _best_spot(
    frame: Box,
    rx: float,
    ry: float,
    speaker: Box | None,
    faces: list[Box],
    taken: list[Box],
    right_to_left: bool,
) -> tuple[float, float] | None:
    """The centre for an ellipse of half-axes ``rx``, ``ry`` inside ``frame``, clear of
    every face and earlier bubble: near its speaker's head (above or beside it), high
    in the panel, and after the earlier bubbles in reading order; None if none is clear."""
    inset = 10
    x0, y0 = frame[0] + inset + rx, frame[1] + inset + ry
    x1, y1 = frame[2] - inset - rx, frame[3] - inset - ry
    if x1 < x0 or y1 < y0:
        return None
    fw, fh = frame[2] - frame[0], frame[3] - frame[1]
    guarded = [grown(f, 0.06) for f in faces]
    # Below each head its figure: a bubble may cover it where it must, not by choice.
    bodies = [
        (f[0] - (f[2] - f[0]) * 0.3, f[3], f[2] + (f[2] - f[0]) * 0.3, frame[3]) for f in faces
    ]
    area = 4 * rx * ry
    best: tuple[float, tuple[float, float]] | None = None
    steps = 14
    for i in range(steps + 1):
        for j in range(steps + 1):
            cx = x0 + (x1 - x0) * i / steps
            cy = y0 + (y1 - y0) * j / steps
            box = (cx - rx * 0.92, cy - ry * 0.92, cx + rx * 0.92, cy + ry * 0.92)
            if any(_overlap(box, f) > 0 for f in guarded):
                continue
            if any(_overlap(box, t) > 0 for t in taken):
                continue
            score = (cy - frame[1]) / fh * 0.8  # high in the panel
            score += sum(_overlap(box, body) for body in bodies) / area * 0.8
            if speaker is not None:
                sx, sy = (speaker[0] + speaker[2]) / 2, (speaker[1] + speaker[3]) / 2
                score += math.hypot((cx - sx) / fw, (cy - sy) / fh) * 1.6
            for t in taken:  # read after the earlier ones: below, or level and past them
                tx = (t[0] + t[2]) / 2
                below = box[1] >= t[1] + (t[3] - t[1]) * 0.5
                past = (cx < tx) if right_to_left else (cx > tx)
                if not below and not (past and box[3] > t[1]):
                    score += 2.0
            if best is None or score < best[0]:
                best = (score, (cx, cy))
    return None if best is None else best[1]


def _tail_end(box: Box, speaker: Box | None) -> tuple[int, int] | None:
    """Where a bubble's tail ends: most of the way from the bubble to the speaker's
    mouth, never into the head."""
    if speaker is None:
        return None
    mx = (speaker[0] + speaker[2]) / 2
    my = speaker[1] + (speaker[3] - speaker[1]) * 0.72
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    rx, ry = (box[2] - box[0]) / 2, (box[3] - box[1]) / 2
    dx, dy = mx - cx, my - cy
    distance = math.hypot(dx, dy)
    if distance < 1:
        return None
    # The ellipse's edge on the way to the mouth, then most of the gap beyond it.
    edge = 1 / math.sqrt((dx / distance / rx) ** 2 + (dy / distance / ry) ** 2)
    gap = max(0.0, distance - edge)
    shortest = edge + max(10.0, min(rx, ry) * 0.3)  # a tail always shows
    reach = max(shortest, edge + min(gap * 0.7, max(rx, ry) * 1.6))
    head = grown(speaker, 0.04)

    def at(length: float) -> tuple[float, float]:
        return cx + dx / distance * length, cy + dy / distance * length

    end = at(reach)
    while reach > shortest and head[0] <= end[0] <= head[2] and head[1] <= end[1] <= head[3]:
        reach = max(shortest, reach - max(rx, ry) * 0.08)  # back until short of the head
        end = at(reach)
    return round(end[0]), round(end[1])


#: How much further than its text's ellipse a bubble reaches: a shout's spikes, a
#: thought's puffs.
_GROW: Final = {"shout": 1.2, "think": 1.18}


def _draw_bubble(
    page: Image.Image, box: Box, tail: tuple[int, int] | None, manner: str = "say"
) -> None:
    """A white bubble in ``box`` with an ink outline, drawn at three times the size and
    scaled down: an ellipse with its tail (a wedge to ``tail``) in one outline; spikes
    round it for a shout; puffs round it, and a trail of small ones to the speaker
    instead of a tail, for a thought; a dashed outline for a whisper."""
    pad = 40
    xs = [box[0], box[2]] + ([tail[0]] if tail else [])
    ys = [box[1], box[3]] + ([tail[1]] if tail else [])
    region = (
        max(0, min(xs) - pad),
        max(0, min(ys) - pad),
        min(page.width, max(xs) + pad),
        min(page.height, max(ys) + pad),
    )
    k = 3
    w, h = (region[2] - region[0]) * k, (region[3] - region[1]) * k

    def local(x: float, y: float) -> tuple[float, float]:
        return (x - region[0]) * k, (y - region[1]) * k

    shape = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(shape)
    grow = _GROW.get(manner, 1.0)
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    rx, ry = (box[2] - box[0]) / 2 / grow, (box[3] - box[1]) / 2 / grow
    draw.ellipse((*local(cx - rx, cy - ry), *local(cx + rx, cy + ry)), fill=255)
    if manner == "shout":  # spikes all round, the points out to the box
        points = []
        for i in range(24):
            angle = 2 * math.pi * i / 24
            reach = grow if i % 2 else 0.96
            points.append(
                local(cx + rx * reach * math.cos(angle), cy + ry * reach * math.sin(angle))
            )
        draw.polygon(points, fill=255)
    elif manner == "think":  # puffs round the edge
        puff = min(rx, ry) * (grow - 1) * 1.5
        for i in range(14):
            angle = 2 * math.pi * i / 14
            px, py = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
            draw.ellipse((*local(px - puff, py - puff), *local(px + puff, py + puff)), fill=255)
        if tail is not None:  # small puffs going off towards the one who thinks it
            dx, dy = tail[0] - cx, tail[1] - cy
            length = math.hypot(dx, dy) or 1.0
            edge = 1 / math.sqrt((dx / length / rx) ** 2 + (dy / length / ry) ** 2)
            for step, share in ((0.28, 0.13), (0.55, 0.09), (0.8, 0.06)):
                far = edge + puff + (length - edge - puff) * step
                bx, by = cx + dx / length * far, cy + dy / length * far
                r = min(rx, ry) * share
                draw.ellipse((*local(bx - r, by - r), *local(bx + r, by + r)), fill=255)
        tail = None
    if tail is not None:
        dx, dy = tail[0] - cx, tail[1] - cy
        length = math.hypot(dx, dy)
        nx, ny = -dy / length, dx / length
        half = min(box[2] - box[0], box[3] - box[1]) * 0.13
        draw.polygon(
            [
                local(cx + nx * half, cy + ny * half),
                local(cx - nx * half, cy - ny * half),
                local(*tail),
            ],
            fill=255,
        )
    stroke = 3 * k
    outline = _dilated(shape, stroke)
    if manner == "whisper":  # the outline in dashes, round the centre
        ys, xs = np.mgrid[0:h, 0:w]
        angle = np.arctan2(ys - (cy - region[1]) * k, xs - (cx - region[0]) * k)
        dashes = (np.floor((angle + math.pi) / (math.pi / 18)) % 2 == 0).astype(np.uint8)
        line = np.asarray(outline).astype(np.int32) - np.asarray(shape).astype(np.int32)
        outline = Image.fromarray(
            (np.clip(line, 0, 255) * dashes + np.asarray(shape)).astype(np.uint8)
        )
    size = (region[2] - region[0], region[3] - region[1])
    outline, shape = (m.resize(size, Image.Resampling.LANCZOS) for m in (outline, shape))
    patch = page.crop(region)
    patch.paste(Image.new("RGB", size, INK), (0, 0), outline)
    patch.paste(Image.new("RGB", size, PAPER), (0, 0), shape)
    page.paste(patch, region[:2])


def _dilated(mask: Image.Image, by: int) -> Image.Image:
    """``mask`` grown by ``by`` pixels all round (a round pen): an outline's shape."""
    pen = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * by + 1, 2 * by + 1))
    return Image.fromarray(cv2.dilate(np.asarray(mask), pen))


def _narration(
    page: Image.Image,
    frame: Box,
    text: str,
    faces: list[Box],
    taken: list[Box],
    right_to_left: bool,
    size: int,
    done: Lettering,
) -> Placed | None:
    """A caption box in a top corner (the reading side's first), else a bottom one."""
    typeface = choose_font(text, chain=BODY_CHAIN)
    fw = frame[2] - frame[0]
    for scale in (0.9, 0.76, 0.64):
        at = max(12, round(size * scale))
        block = set_horizontal(text, typeface, at, round(fw * 0.5))
        pad = round(at * 0.5)
        bw, bh = block.width + 2 * pad, block.height + 2 * pad
        left, right = frame[0] + 8, frame[2] - 8 - bw
        xs = (right, left) if right_to_left else (left, right)
        for y in (frame[1] + 8, frame[3] - 8 - bh):
            for x in xs:
                box = (x, y, x + bw, y + bh)
                if any(_overlap(box, f) for f in faces) or any(_overlap(box, t) for t in taken):
                    continue
                draw = ImageDraw.Draw(page)
                draw.rectangle(box, fill=CAPTION, outline=INK, width=2)
                ink = text_image(block)
                page.paste(ink, (x + pad, y + pad), ink)
                inner = (x + pad, y + pad, x + pad + block.width, y + pad + block.height)
                return Placed("narration", None, box, inner, None, False, at)
    done.warnings.append(f"narration {text!r} does not fit in a corner clear of the faces")
    return None


def _sfx(
    page: Image.Image,
    frame: Box,
    text: str,
    faces: list[Box],
    taken: list[Box],
    size: int,
    done: Lettering,
) -> Placed | None:
    """A sound effect: large letters, ink with a white outline, tilted, where the panel
    has the most room clear of faces and bubbles."""
    typeface = choose_font(text, chain=TITLE_CHAIN)
    fw, fh = frame[2] - frame[0], frame[3] - frame[1]
    for scale in (2.0, 1.6, 1.3, 1.0):
        at = round(size * scale)
        block = set_horizontal(text, typeface, at, round(fw * 0.6))
        ink = text_image(block).rotate(8, expand=True, resample=Image.Resampling.BICUBIC)
        alpha = ink.getchannel("A")
        halo = _dilated(alpha, max(2, at // 10))
        w, h = ink.size
        best: tuple[float, Box] | None = None
        for i in range(9):
            for j in range(9):
                x = round(frame[0] + 6 + (fw - w - 12) * i / 8)
                y = round(frame[1] + 6 + (fh - h - 12) * j / 8)
                if fw - w - 12 < 0 or fh - h - 12 < 0:
                    continue
                box = (x, y, x + w, y + h)
                if any(_overlap(box, f) for f in faces) or any(_overlap(box, t) for t in taken):
                    continue
                score = abs(y - frame[1] - fh * 0.15) / fh + abs(x - frame[0] - fw / 2) / fw * 0.3
                if best is None or score < best[0]:
                    best = (score, box)
        if best is None:
            continue
        box = best[1]
        page.paste(Image.new("RGB", ink.size, PAPER), box[:2], halo)
        page.paste(Image.new("RGB", ink.size, INK), box[:2], alpha)
        return Placed("sfx", None, box, box, None, False, at)
    done.warnings.append(f"sound {text!r} does not fit in its panel clear of the faces")
    return None
