"""Titles that read: line breaking, auto-fit, outline, shadow, gradient, and contrast.

Colours are chosen against the pixels under the text: WCAG contrast between the
fill and the background must be at least 4.5:1 for 99% of the pixels around the
letters; where the art is too busy, a soft scrim darkens (or lightens) it behind
the text until it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from sakuga.compose.fonts import Font, Typeface, load
from sakuga.imaging.colour import to_linear

Box = tuple[int, int, int, int]
RGB = tuple[int, int, int]
MIN_CONTRAST: Final = 4.5
LINE_GAP: Final = 0.15  # space between lines, as a share of the size
_CJK: Final = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_NO_LINE_START: Final = set("、。，．・ー）」』!?！？")
_NO_LINE_END: Final = {"—", "–", "-", "―", "~", "〜", "「", "『", "（"}


def relative_luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG 2.x relative luminance of sRGB colours (any shape, last axis RGB 0–255)."""
    return to_linear(np.asarray(rgb, np.float64) / 255.0) @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(a: np.ndarray | RGB, b: np.ndarray | RGB) -> np.ndarray:
    la, lb = relative_luminance(np.asarray(a)), relative_luminance(np.asarray(b))
    high, low = np.maximum(la, lb), np.minimum(la, lb)
    return (high + 0.05) / (low + 0.05)


def _tokens(text: str) -> list[tuple[str, str]]:
    """(separator, token) pairs: words for Latin text and single characters for CJK runs
    (they break anywhere), each with the space that came before it in ``text``. A lone
    dash joins the word after it, so a line never ends on "—"."""
    out: list[tuple[str, str]] = []
    for i, word in enumerate(text.split(" ")):
        sep = " " if i else ""
        if not word:
            continue
        for piece in re.split(f"({_CJK.pattern})", word):
            if piece:
                out.append((sep, piece))
                sep = ""
    joined: list[tuple[str, str]] = []
    for sep, token in out:
        if joined and joined[-1][1] in _NO_LINE_END:
            joined[-1] = (joined[-1][0], joined[-1][1] + sep + token)
        else:
            joined.append((sep, token))
    return joined


def text_length(typeface: Typeface, text: str, size: int) -> float:
    """The advance width of ``text`` at ``size``, each run in its own font."""
    total = 0.0
    for run, font in typeface.runs(text):
        total += load(font, size).getlength(run) + 2 * _embolden(typeface, font, size)
    return total


def _embolden(typeface: Typeface, font: Font, size: int) -> int:
    """Stroke width that thickens a fallback font's run to match a bold first font."""
    if not typeface.embolden or font == typeface.fonts[0]:
        return 0
    return max(1, round(size * 0.022))


def phrases(text: str) -> list[str]:
    """``text`` cut before each dash that sets off a phrase ("夜の街 — Neon Nights")
    and after each colon: the places a title breaks best."""
    out = [""]
    for sep, token in _tokens(text):
        if out[-1] and (token[0] in _NO_LINE_END and token[0] in "—–―-~〜"):
            out.append(token)
        else:
            out[-1] = f"{out[-1]}{sep}{token}" if out[-1] else token
        if token[-1] in ":：|":
            out.append("")
    return [p for p in out if p]


def break_lines(
    text: str, typeface: Typeface, size: int, width: int, *, clean: bool = False
) -> list[str]:
    """``text`` broken into lines no wider than ``width`` where it can be: greedily, or
    with ``clean`` only at its phrases (`phrases`), each whole on a line of its own,
    and an empty list where that cannot be done."""
    if text_length(typeface, text, size) <= width:
        return [text]
    if clean:
        parts = phrases(text)
        fits = len(parts) > 1 and all(text_length(typeface, p, size) <= width for p in parts)
        return parts if fits else []
    lines: list[str] = []
    line = ""
    for sep, token in _tokens(text):
        candidate = f"{line}{sep}{token}" if line else token
        if line and text_length(typeface, candidate, size) > width and token not in _NO_LINE_START:
            lines.append(line)
            line = token
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


@dataclass(frozen=True)
class Fitted:
    typeface: Typeface
    size: int
    lines: list[str]
    width: int
    height: int


def sizes(max_size: int, min_size: int) -> range:
    """The sizes to try, largest first, in steps of about 2.5%."""
    return range(max_size, min_size - 1, -max(1, max_size // 40))


def fit_at(
    text: str,
    typeface: Typeface,
    size: int,
    box_w: int,
    box_h: int,
    max_lines: int,
    *,
    clean: bool = False,
) -> Fitted | None:
    """``text`` set at ``size`` in a box ``box_w`` wide, or None where it takes more
    than ``max_lines`` lines, is wider than the box (one long word) or taller. With
    ``clean``, lines break only between phrases."""
    lines = break_lines(text, typeface, size, box_w, clean=clean)
    if not lines or len(lines) > max_lines:
        return None
    widths = [text_length(typeface, line, size) for line in lines]
    height = round(len(lines) * size * (1 + LINE_GAP))
    if max(widths) > box_w or height > box_h:
        return None
    return Fitted(typeface, size, lines, round(max(widths)), height)


@dataclass(frozen=True)
class TextStyle:
    fill: RGB
    fill_bottom: RGB | None  # a vertical gradient to this colour, or flat
    outline: RGB
    outline_ratio: float = 0.07  # outline width as a share of the font size
    shadow: bool = True


def text_mask(
    fitted: Fitted, size: tuple[int, int], origin: tuple[int, int], align: str, stroke: int = 0
) -> Image.Image:
    """``fitted`` as a mask (255 = ink) on a canvas of ``size``, its box's top left at
    ``origin``; ``stroke`` widens every glyph by that many pixels (an outline's mask)."""
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    typeface, font_size = fitted.typeface, fitted.size
    x0, y0 = origin
    step = round(font_size * (1 + LINE_GAP))
    for i, line in enumerate(fitted.lines):
        runs = typeface.runs(line)
        ascent = max(load(font, font_size).getmetrics()[0] for _, font in runs)
        width = text_length(typeface, line, font_size)
        dx = {"left": 0, "center": (fitted.width - width) / 2, "right": fitted.width - width}[align]
        x, baseline = x0 + dx, y0 + i * step + ascent
        for run, font in runs:
            face = load(font, font_size)
            bold = _embolden(typeface, font, font_size)
            draw.text(
                (x + bold, baseline),
                run,
                font=face,
                fill=255,
                anchor="ls",
                stroke_width=stroke + bold,
                stroke_fill=255,
            )
            x += face.getlength(run) + 2 * bold
    return mask


def style_for(background: np.ndarray) -> TextStyle:
    """Light text with a dark outline on darker art, dark text with a light outline on
    lighter art: whichever fill contrasts more with the pixels under the text."""
    pixels = background.reshape(-1, 3)
    light_fill, dark_fill = (255, 255, 255), (20, 18, 28)
    light_score = np.percentile(contrast_ratio(pixels, light_fill), 5)
    dark_score = np.percentile(contrast_ratio(pixels, dark_fill), 5)
    if light_score >= dark_score:
        return TextStyle(fill=light_fill, fill_bottom=(255, 226, 150), outline=(24, 16, 40))
    return TextStyle(fill=dark_fill, fill_bottom=(70, 30, 90), outline=(255, 255, 255))


def draw_text(
    canvas: Image.Image,
    fitted: Fitted,
    origin: tuple[int, int],
    *,
    align: str = "left",
    style: TextStyle | None = None,
) -> tuple[float, TextStyle]:
    """Draw ``fitted`` onto ``canvas`` (RGB, in place); returns the worst contrast (1st
    percentile) between the fill and the pixels around the letters, and the style used.

    All work happens on a crop around the text, so a 3000 px cover costs no more than
    a thumbnail."""
    pad = max(8, fitted.size // 3)
    margin = pad * 3  # room for the scrim's soft edge and the shadow
    crop_box = (
        max(0, origin[0] - margin),
        max(0, origin[1] - margin),
        min(canvas.width, origin[0] + fitted.width + margin),
        min(canvas.height, origin[1] + fitted.height + margin),
    )
    patch = canvas.crop(crop_box).convert("RGB")
    local = (origin[0] - crop_box[0], origin[1] - crop_box[1])
    box = (local[0], local[1], local[0] + fitted.width, local[1] + fitted.height)
    region = (
        max(0, box[0] - pad),
        max(0, box[1] - pad),
        min(patch.width, box[2] + pad),
        min(patch.height, box[3] + pad),
    )
    style = style or style_for(np.asarray(patch.crop(region)))
    stroke = max(1, round(fitted.size * style.outline_ratio))
    glyphs = text_mask(fitted, patch.size, local, align)
    outlined = text_mask(fitted, patch.size, local, align, stroke)
    # A scrim, only as strong as needed, where the art is too busy for 4.5:1. It
    # reaches past the measured region so its soft edge never lies under the text.
    dark_text = relative_luminance(np.asarray(style.fill)) < 0.5
    scrim_colour = (255, 255, 255) if dark_text else (8, 6, 16)
    scrim_box = (region[0] - pad, region[1] - pad, region[2] + pad, region[3] + pad)
    fills = (style.fill, style.fill_bottom or style.fill)
    for opacity in (0.0, 0.35, 0.55, 0.75, 0.9):
        trial = patch
        if opacity:
            band = Image.new("L", patch.size, 0)
            ImageDraw.Draw(band).rounded_rectangle(scrim_box, radius=pad, fill=round(255 * opacity))
            band = band.filter(ImageFilter.GaussianBlur(pad / 2))
            trial = Image.composite(Image.new("RGB", patch.size, scrim_colour), patch, band)
        worst = min(_worst_contrast(trial, outlined, region, colour) for colour in fills)
        if worst >= MIN_CONTRAST or opacity == 0.9:
            break
    if style.shadow:
        shadow = outlined.filter(ImageFilter.GaussianBlur(max(2, fitted.size // 14)))
        shadow = shadow.point(lambda v: int(v * 0.6))
        offset = max(2, fitted.size // 18)
        shifted = Image.new("L", patch.size, 0)
        shifted.paste(shadow, (offset, offset))
        trial = Image.composite(Image.new("RGB", patch.size, (0, 0, 0)), trial, shifted)
    trial = Image.composite(Image.new("RGB", patch.size, style.outline), trial, outlined)
    trial = Image.composite(_gradient(patch.size, box, *fills), trial, glyphs)
    canvas.paste(trial, crop_box[:2])
    return worst, style


def _worst_contrast(image: Image.Image, outlined: Image.Image, region: Box, fill: RGB) -> float:
    """The 1st-percentile contrast between ``fill`` and the background around the letters."""
    area = np.asarray(outlined.crop(region)) < 16
    pixels = np.asarray(image.crop(region).convert("RGB"))[area]
    if pixels.size == 0:
        return float("inf")
    return float(np.percentile(contrast_ratio(pixels, fill), 1))


def _gradient(size: tuple[int, int], box: Box, top: RGB, bottom: RGB) -> Image.Image:
    width, height = size
    t = np.clip((np.arange(height) - box[1]) / max(1, box[3] - box[1]), 0, 1)[:, None, None]
    rows = (np.array(top) * (1 - t) + np.array(bottom) * t).astype(np.uint8)
    return Image.fromarray(np.repeat(rows, width, axis=1), "RGB")
