"""Contact sheets: versions side by side, labelled, for comparing and choosing."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont


def contact_sheet(
    images: Sequence[Image.Image],
    labels: Sequence[str] | None = None,
    *,
    columns: int | None = None,
    cell: int = 320,
    gap: int = 8,
    background: tuple[int, int, int] = (24, 24, 30),
) -> Image.Image:
    """A grid of ``images`` scaled to fit ``cell``×``cell``, each with its label below."""
    if not images:
        raise ValueError("a contact sheet needs at least one image")
    if labels is not None and len(labels) != len(images):
        raise ValueError(f"got {len(labels)} labels for {len(images)} images")
    columns = columns or min(len(images), max(1, math.ceil(math.sqrt(len(images)))))
    rows = math.ceil(len(images) / columns)
    label_h = 0 if labels is None else max(16, cell // 12)
    font = ImageFont.load_default(size=max(10, label_h - 4))
    width = columns * cell + (columns + 1) * gap
    height = rows * (cell + label_h) + (rows + 1) * gap
    sheet = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(sheet)
    for i, image in enumerate(images):
        row, col = divmod(i, columns)
        x = gap + col * (cell + gap)
        y = gap + row * (cell + label_h + gap)
        thumb = image.convert("RGB")
        thumb.thumbnail((cell, cell), Image.Resampling.LANCZOS)
        sheet.paste(thumb, (x + (cell - thumb.width) // 2, y + (cell - thumb.height) // 2))
        if labels is not None:
            draw.text((x + 2, y + cell + 1), labels[i][:60], fill=(230, 230, 235), font=font)
    return sheet


def titled_sheet(
    images: Sequence[Image.Image],
    labels: Sequence[str],
    title: str,
    *,
    columns: int | None = None,
    cell: int = 400,
    background: tuple[int, int, int] = (24, 24, 30),
) -> Image.Image:
    """A contact sheet under a title band (a character sheet: the name, then the views)."""
    grid = contact_sheet(images, labels, columns=columns, cell=cell, background=background)
    title_h = 70
    sheet = Image.new("RGB", (grid.width, grid.height + title_h), background)
    sheet.paste(grid, (0, title_h))
    font = ImageFont.load_default(size=40)
    ImageDraw.Draw(sheet).text((16, 14), title[:80], fill=(240, 240, 245), font=font)
    return sheet
