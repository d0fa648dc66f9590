"""Contact sheets: versions side by side, labelled, for comparing and choosing."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
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
    line_h = max(16, cell // 12)
    font = ImageFont.load_default(size=max(10, line_h - 4))
    # A label that does not fit one line takes two (never clipped: "rejecte").
    fitted = [] if labels is None else [_fit(label, font, cell - 4) for label in labels]
    label_h = 0 if labels is None else line_h * max(len(lines) for lines in fitted) + 2
    width = columns * cell + (columns + 1) * gap
    height = rows * (cell + label_h) + (rows + 1) * gap
    sheet = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(sheet)
    for i, image in enumerate(images):
        row, col = divmod(i, columns)
        x = gap + col * (cell + gap)
        y = gap + row * (cell + label_h + gap)
        thumb = _opaque(image)  # a sticker over a checker, not black
        thumb.thumbnail((cell, cell), Image.Resampling.LANCZOS)
        sheet.paste(thumb, (x + (cell - thumb.width) // 2, y + (cell - thumb.height) // 2))
        for n, line in enumerate(fitted[i] if fitted else ()):
            draw.text((x + 2, y + cell + 1 + n * line_h), line, fill=(230, 230, 235), font=font)
    return sheet


def _fit(label: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    """``label`` in at most two lines of ``width`` pixels, broken between words; what
    still does not fit is cut with an ellipsis (a verdict, last, is never the part cut
    when the label's words fit two lines)."""
    words = label[:120].split()
    lines: list[str] = []
    while words and len(lines) < 2:
        line = words.pop(0)
        while words and font.getlength(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words:
        lines[-1] = f"{lines[-1]} {' '.join(words)}"
    for n, line in enumerate(lines):
        if font.getlength(line) > width:
            while line and font.getlength(line + "…") > width:
                line = line[:-1]
            lines[n] = line + "…"
    return lines or [""]


def character_sheet(
    views: Sequence[tuple[str, Image.Image]],
    expressions: Sequence[tuple[str, Image.Image]],
    name: str,
    palette: Sequence[tuple[str, tuple[int, int, int]]],
    size: tuple[int, int] = (2048, 1024),
    background: tuple[int, int, int] = (244, 242, 238),
) -> Image.Image:
    """A character reference sheet on the sheet use's page: the name, the character
    whole in each of ``views`` (front, back), a grid of labelled expressions, and the
    palette as labelled swatches."""
    width, height = size
    sheet = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(sheet)
    ink = (40, 36, 48)
    title_font = ImageFont.load_default(size=56)
    label_font = ImageFont.load_default(size=26)
    draw.text((36, 24), name[:60], fill=ink, font=title_font)
    draw.line((36, 100, width - 36, 100), fill=(200, 196, 204), width=3)
    # The character large, on the left: each view (front, back) whole, labelled.
    side = height - 170
    x = 36
    for label, image in views:
        view_w = round(side * image.width / image.height)
        view = image.convert("RGB").resize((view_w, side), Image.Resampling.LANCZOS)
        sheet.paste(view, (x, 118))
        draw.rectangle((x, 118, x + view_w - 1, 118 + side - 1), outline=(200, 196, 204), width=2)
        draw.text((x + 4, 118 + side + 6), label[:30], fill=ink, font=label_font)
        x += view_w + 16
    # Expressions: a grid beside them (as many columns as fit, two rows at most),
    # each labelled.
    left = x + 24
    room = width - left - 36
    columns = max(3, min(len(expressions), room // (300 + 24)))
    if math.ceil(len(expressions) / columns) > 2:
        columns = math.ceil(len(expressions) / 2)
    cell = min((room - (columns - 1) * 24) // columns, 300)
    for i, (label, image) in enumerate(expressions):
        row, col = divmod(i, columns)
        x = left + col * (cell + 24)
        y = 118 + row * (cell + 44)
        thumb = image.convert("RGB").resize((cell, cell), Image.Resampling.LANCZOS)
        sheet.paste(thumb, (x, y))
        draw.rectangle((x, y, x + cell - 1, y + cell - 1), outline=(200, 196, 204), width=2)
        draw.text((x + 4, y + cell + 6), label[:30], fill=ink, font=label_font)
    # The palette: a swatch per colour with its name and hex value.
    rows = math.ceil(len(expressions) / columns)
    top = 118 + rows * (cell + 44) + 10
    # As many swatches to a row as fit beside the views, each with room for its label.
    step = max(150, min(240, (width - left - 36) // max(1, len(palette))))
    per_row = max(1, (width - left - 36) // step)
    rows_needed = math.ceil(len(palette) / per_row)
    swatch = max(40, min(110, step - 126, (height - top - 40) // rows_needed - 16))
    for i, (label, rgb) in enumerate(palette):
        row, col = divmod(i, per_row)
        x = left + col * step
        y_top = top + row * (swatch + 16)
        draw.rectangle((x, y_top, x + swatch, y_top + swatch), fill=rgb, outline=ink, width=2)
        hex_value = "#{:02x}{:02x}{:02x}".format(*rgb)
        draw.text((x + swatch + 10, y_top + 4), label, fill=ink, font=label_font)
        draw.text((x + swatch + 10, y_top + 36), hex_value, fill=(110, 104, 120), font=label_font)
    return sheet


def grid_sheet(
    images: Sequence[Image.Image],
    *,
    columns: Sequence[str],
    rows: Sequence[str] = (),
    blocks: Sequence[str] = (),
    names: Sequence[str] = (),
    cell: int = 320,
    gap: int = 8,
    background: tuple[int, int, int] = (24, 24, 30),
) -> Image.Image:
    """A labelled grid, as A1111's X/Y/Z plot: ``images`` in order, ``columns``
    running fastest, then ``rows``, then ``blocks``; each column and row headed by its
    value, each block titled, and the axes' ``names`` in the corner."""
    n_rows, n_blocks = max(1, len(rows)), max(1, len(blocks))
    if len(images) != len(columns) * n_rows * n_blocks:
        raise ValueError(f"{len(images)} images for a {len(columns)}×{n_rows}×{n_blocks} grid")
    # Each cell's box has the widest image's shape (a wallpaper's cells are wide).
    aspect = max(image.width / image.height for image in images)
    box_w, box_h = min(round(cell * max(aspect, 0.6)), 2 * cell), cell
    line_h = max(18, cell // 12)
    texts = [*columns, *rows, *blocks, *names]
    font = _label_font(" ".join(texts), line_h - 4)
    ink, dim = (235, 235, 240), (150, 150, 165)
    head_lines = max(len(_fit(c, font, box_w - 4)) for c in columns)
    corner = [f"{names[0]} →", f"{names[1]} ↓"] if rows and len(names) > 1 else []
    head_h = max(head_lines, len(corner)) * line_h + gap
    side_w = 0
    if rows:
        lines = [line for r in rows for line in _fit(r, font, 220)] + corner
        side_w = math.ceil(min(220, max(font.getlength(line) for line in lines))) + 2 * gap
    block_h = line_h + gap if blocks else 0
    one_block = block_h + head_h + n_rows * (box_h + gap)
    width = side_w + gap + len(columns) * (box_w + gap)
    height = gap + n_blocks * one_block
    sheet = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(sheet)
    for b in range(n_blocks):
        top = gap + b * one_block
        if blocks:
            named = len(names) > 2 and not blocks[b].startswith(names[2])
            title = f"{names[2]}: {blocks[b]}" if named else blocks[b]
            draw.text((gap, top), _fit(title, font, width - 2 * gap)[0], fill=ink, font=font)
            top += block_h
        for n, line in enumerate(corner):  # which axis runs which way
            draw.text((gap, top + n * line_h), _fit(line, font, side_w)[0], fill=dim, font=font)
        for c, label in enumerate(columns):
            x = side_w + gap + c * (box_w + gap)
            for n, line in enumerate(_fit(label, font, box_w - 4)):
                draw.text((x + 2, top + n * line_h), line, fill=ink, font=font)
        for r in range(n_rows):
            y = top + head_h + r * (box_h + gap)
            if rows:
                for n, line in enumerate(_fit(rows[r], font, side_w - 2 * gap + 1)):
                    draw.text((gap, y + 4 + n * line_h), line, fill=ink, font=font)
            for c in range(len(columns)):
                image = images[(b * n_rows + r) * len(columns) + c]
                x = side_w + gap + c * (box_w + gap)
                thumb = _opaque(image)
                thumb.thumbnail((box_w, box_h), Image.Resampling.LANCZOS)
                at = (x + (box_w - thumb.width) // 2, y + (box_h - thumb.height) // 2)
                sheet.paste(thumb, at)
    return sheet


def _opaque(image: Image.Image) -> Image.Image:
    """``image`` as RGB; a transparent one (a sticker, a cut-out) over a light checker,
    as image editors show transparency, not over black."""
    if "A" not in image.getbands() and image.mode != "P":
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    tile = max(8, rgba.width // 32)
    xs, ys = np.meshgrid(np.arange(rgba.width) // tile, np.arange(rgba.height) // tile)
    checker = np.where(((xs + ys) % 2 == 0)[..., None], 236, 204).astype(np.uint8)
    board = Image.fromarray(np.repeat(checker, 3, axis=2), "RGB")
    board.paste(rgba, (0, 0), rgba)
    return board


def _label_font(text: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A font for labels that may hold any script a prompt does (Japanese included):
    the first body font that has every character, else Pillow's own."""
    from sakuga.compose.fonts import BODY_CHAIN, FONTS, load, missing_glyphs

    for name in BODY_CHAIN:
        font = FONTS[name]
        if font.path is not None and not missing_glyphs(font, text):
            return load(font, size)
    return ImageFont.load_default(size=size)
