"""Comic pages from panels (#37): a 4-koma strip, a manga page of two or three tiers,
or a webtoon's vertical scroll, each panel framed and lettered (`bubbles`).

A page that reads right to left (Japanese dialogue: a manga page, a 4-koma of more than
one column) puts its first panel on the right of each tier, and its bubbles in that
order; Japanese dialogue on a manga page or a 4-koma is set vertically. A webtoon is
800 px wide, as WEBTOON Canvas takes it, and is cut into slices at most 1280 px tall
(each at most 2 MB; an episode at most 20 MB), between its panels where it can be.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from PIL import Image, ImageDraw

from sakuga.compose.bubbles import INK, Lettering, Placed, letter_panel, set_horizontal, text_image
from sakuga.compose.fonts import TITLE_CHAIN, choose_font
from sakuga.compose.text import Box

#: A webtoon's width, and the tallest slice an upload takes (WEBTOON Canvas).
WEBTOON_WIDTH: Final = 800
WEBTOON_SLICE: Final = 1280
WEBTOON_SLICE_BYTES: Final = 2 * 1024 * 1024
WEBTOON_EPISODE_BYTES: Final = 20 * 1024 * 1024
#: The long side a panel is drawn at before it is fitted to its frame.
PANEL_SIDE: Final = 768
#: A manga page's tiers by its number of panels (panels per tier, top to bottom).
TIERS: Final = {
    1: (1,),
    2: (1, 1),
    3: (1, 2),
    4: (2, 2),
    5: (2, 1, 2),
    6: (2, 2, 2),
    7: (2, 3, 2),
    8: (3, 2, 3),
    9: (3, 3, 3),
    10: (3, 4, 3),
    11: (4, 3, 4),
    12: (4, 4, 4),
}
PAPER: Final = (255, 255, 255)
BORDER: Final = 4


@dataclass(frozen=True)
class PanelArt:
    """One panel as drawn: its image, each named character's head box in the image's
    pixels, other heads found (no name), and its lines (kind, text, speaker, manner)."""

    image: Image.Image
    heads: dict[str, Box]
    others: tuple[Box, ...] = ()
    lines: tuple[tuple[str, str, str | None, str], ...] = ()


@dataclass(frozen=True)
class Frames:
    """Where a page's panels go: its size, each panel's frame (in reading order), the
    title's band, the lettering's size, and how it reads."""

    layout: str
    size: tuple[int, int]
    frames: tuple[Box, ...]
    title: Box | None
    text_size: int
    right_to_left: bool


@dataclass
class Page:
    image: Image.Image
    frames: Frames
    #: Each panel's lettering: what went where, and what could not be placed.
    lettering: list[Lettering] = field(default_factory=list)
    #: Each panel's heads on the page, by name (a test checks no bubble covers one).
    heads: list[dict[str, Box]] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [w for done in self.lettering for w in done.warnings]

    def placed(self) -> list[Placed]:
        return [p for done in self.lettering for p in done.placed]


def frames_for(layout: str, count: int, *, right_to_left: bool, title: bool) -> Frames:
    """The frames of a page of ``count`` panels laid out as ``layout``."""
    if layout == "4koma":
        return _yonkoma(count, right_to_left, title)
    if layout == "webtoon":
        return _webtoon(count, title)
    return _manga(count, right_to_left, title)


def _yonkoma(count: int, right_to_left: bool, title: bool) -> Frames:
    """Panels of one size stacked four to a column; more columns side by side, the
    first on the right when the page reads right to left."""
    pw, ph, gutter, side, top = 900, 620, 28, 50, 40
    band = 110 if title else 0
    columns = -(-count // 4)
    rows = min(4, count)
    width = columns * pw + (columns - 1) * 60 + 2 * side
    height = top + band + rows * ph + (rows - 1) * gutter + 50
    frames: list[Box] = []
    for k in range(count):
        column, row = divmod(k, 4)
        if right_to_left:
            column = columns - 1 - column
        x = side + column * (pw + 60)
        y = top + band + row * (ph + gutter)
        frames.append((x, y, x + pw, y + ph))
    title_box = (side, top, width - side, top + band - 20) if title else None
    return Frames("4koma", (width, height), tuple(frames), title_box, 30, right_to_left)


def _manga(count: int, right_to_left: bool, title: bool) -> Frames:
    """A B5-shaped page of two or three tiers (one for a single panel), the panels of a
    tier side by side, read from the right when the page reads right to left."""
    width, height, margin, gutter, tier_gap = 1400, 2000, 70, 24, 40
    band = 130 if title else 0
    tiers = TIERS[count]
    tier_h = (height - 2 * margin - band - tier_gap * (len(tiers) - 1)) / len(tiers)
    frames: list[Box] = []
    for t, across in enumerate(tiers):
        y0 = margin + band + t * (tier_h + tier_gap)
        pw = (width - 2 * margin - gutter * (across - 1)) / across
        for i in range(across):
            slot = across - 1 - i if right_to_left else i
            x0 = margin + slot * (pw + gutter)
            frames.append((round(x0), round(y0), round(x0 + pw), round(y0 + tier_h)))
    title_box = (margin, margin - 20, width - margin, margin + band - 30) if title else None
    return Frames("manga", (width, height), tuple(frames), title_box, 34, right_to_left)


def _webtoon(count: int, title: bool) -> Frames:
    """Panels down one scroll 800 px wide, with room between them (a webtoon's pace)."""
    pw, ph, side, gap, top = WEBTOON_WIDTH - 80, 900, 40, 220, 80
    band = 170 if title else 0
    frames = tuple(
        (side, top + band + k * (ph + gap), side + pw, top + band + k * (ph + gap) + ph)
        for k in range(count)
    )
    height = frames[-1][3] + 200
    title_box = (side, top, WEBTOON_WIDTH - side, top + band - 40) if title else None
    return Frames("webtoon", (WEBTOON_WIDTH, height), frames, title_box, 30, False)


def panel_size(frame: Box) -> tuple[int, int]:
    """The size to draw a panel at for ``frame``: its shape, the long side `PANEL_SIDE`,
    in multiples of 8."""
    w, h = frame[2] - frame[0], frame[3] - frame[1]
    k = PANEL_SIDE / max(w, h)
    return max(64, round(w * k / 8) * 8), max(64, round(h * k / 8) * 8)


def fit(image: Image.Image, frame: Box, keep: Sequence[Box]) -> tuple[Image.Image, float, int, int]:
    """``image`` scaled to cover ``frame`` and cropped to it, the crop centred on the
    heads in ``keep`` (all of them inside where they fit); returns the image, the scale
    and the crop's offset (so a box of the image maps to the page)."""
    fw, fh = frame[2] - frame[0], frame[3] - frame[1]
    scale = max(fw / image.width, fh / image.height)
    w, h = round(image.width * scale), round(image.height * scale)
    if keep:
        top = min(b[1] for b in keep) * scale
        cx = (min(b[0] for b in keep) + max(b[2] for b in keep)) / 2 * scale
        cy = (top + max(b[3] for b in keep) * scale) / 2
        ox = round(min(max(cx - fw / 2, 0), w - fw))
        # Centred on the heads, but never below the top of the highest one.
        oy = round(min(max(cy - fh / 2, 0), max(0, min(h - fh, top))))
    else:
        ox, oy = round((w - fw) / 2), round((h - fh) / 2)
    scaled = image.convert("RGB").resize((w, h), Image.Resampling.LANCZOS)
    return scaled.crop((ox, oy, ox + fw, oy + fh)), scale, ox, oy


def _on_page(box: Box, frame: Box, scale: float, ox: int, oy: int) -> Box | None:
    """A box of a panel's image on the page, clipped to the frame (None if outside)."""
    x0 = max(frame[0], round(box[0] * scale - ox + frame[0]))
    y0 = max(frame[1], round(box[1] * scale - oy + frame[1]))
    x1 = min(frame[2], round(box[2] * scale - ox + frame[0]))
    y1 = min(frame[3], round(box[3] * scale - oy + frame[1]))
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


def lay_page(
    panels: Sequence[PanelArt],
    layout: str,
    *,
    title: str | None = None,
    right_to_left: bool = False,
    vertical: bool = False,
) -> Page:
    """The page of ``panels`` as ``layout``: each fitted to its frame, bordered and
    lettered; the title (if any) set across the top."""
    frames = frames_for(layout, len(panels), right_to_left=right_to_left, title=bool(title))
    page = Page(Image.new("RGB", frames.size, PAPER), frames)
    draw = ImageDraw.Draw(page.image)
    for panel, frame in zip(panels, frames.frames, strict=True):
        image, scale, ox, oy = fit(panel.image, frame, [*panel.heads.values()])
        page.image.paste(image, frame[:2])
        draw.rectangle(frame, outline=INK, width=BORDER)
        heads = {
            who: placed
            for who, box in panel.heads.items()
            if (placed := _on_page(box, frame, scale, ox, oy)) is not None
        }
        others = [p for b in panel.others if (p := _on_page(b, frame, scale, ox, oy)) is not None]
        inner = (frame[0] + BORDER, frame[1] + BORDER, frame[2] - BORDER, frame[3] - BORDER)
        page.heads.append(heads)
        page.lettering.append(
            letter_panel(
                page.image,
                inner,
                panel.lines,
                heads,
                others=others,
                right_to_left=frames.right_to_left,
                vertical=vertical and layout != "webtoon",
                size=frames.text_size,
            )
        )
    if title and frames.title is not None:
        _title(page.image, frames.title, title)
    return page


def _title(image: Image.Image, box: Box, title: str) -> None:
    """The title, as large as fits its band, centred."""
    typeface = choose_font(title, chain=TITLE_CHAIN)
    width, height = box[2] - box[0], box[3] - box[1]
    size = height
    block = set_horizontal(title, typeface, size, width)
    while size > 14 and (block.width > width or block.height > height):
        size = round(size * 0.9)
        block = set_horizontal(title, typeface, size, width)
    ink = text_image(block)
    x = box[0] + (width - block.width) // 2
    y = box[1] + (height - block.height) // 2
    image.paste(ink, (x, y), ink)


def webtoon_slices(page: Page) -> list[Image.Image]:
    """A webtoon page cut into slices at most `WEBTOON_SLICE` tall, each cut in the gap
    between two panels where one falls in reach, never through a face."""
    image = page.image
    gaps = [(a[3] + b[1]) // 2 for a, b in itertools.pairwise(page.frames.frames)]
    cuts = [0]
    while image.height - cuts[-1] > WEBTOON_SLICE:
        reach = cuts[-1] + WEBTOON_SLICE
        fitting = [g for g in gaps if cuts[-1] + 200 < g <= reach]
        cuts.append(fitting[-1] if fitting else _clear_cut(page, cuts[-1], reach))
    cuts.append(image.height)
    return [image.crop((0, a, image.width, b)) for a, b in itertools.pairwise(cuts)]


def _clear_cut(page: Page, start: int, reach: int) -> int:
    """The lowest row in reach of a slice that runs through no head, bubble or text."""
    busy = [b for heads in page.heads for b in heads.values()]
    busy += [p.box for p in page.placed()]
    for y in range(reach, start + 200, -4):
        if not any(b[1] - 6 <= y <= b[3] + 6 for b in busy):
            return y
    return reach


def encoded(image: Image.Image, limit: int) -> tuple[bytes, str]:
    """``image`` as PNG, or as JPEG (at the best quality under ``limit`` bytes) when
    the PNG is larger: a webtoon slice must stay under its upload's cap."""
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    if out.tell() <= limit:
        return out.getvalue(), "png"
    for quality in (95, 90, 85, 80, 70):
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=quality)
        if out.tell() <= limit:
            break
    return out.getvalue(), "jpg"
