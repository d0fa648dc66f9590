"""Stickers: the subject cut out onto transparency, with a white outline and a soft shadow.

The cut-out uses, in order: the art's own transparency when it has some (the draw
engine renders stickers without a background); the face rig's person mask when it
sees a person; otherwise GrabCut, seeded with the faces (probable subject: the head
and the body below it) and the image border (background), on a small copy, then
upsampled and cleaned. A GrabCut that found no subject (nearly all the frame, or
nearly none of it) gives way to a clean rounded-frame sticker, and says so.
"""

from __future__ import annotations

from typing import Final

import cv2
import numpy as np
from PIL import Image, ImageChops, ImageFilter

from sakuga.compose.fonts import TITLE_CHAIN, FontError, check_text, choose_font
from sakuga.compose.text import Fitted, fit_at, sizes, text_mask
from sakuga.imaging.faces import Box, detect_faces

STICKER_SIZE: Final = 512
WORK_SIDE: Final = 320


def cutout_mask(image: Image.Image) -> np.ndarray:
    """The subject as a uint8 mask (255 = subject) at the image's size."""
    return cutout(image)[0]


def cutout(image: Image.Image) -> tuple[np.ndarray, str]:
    """The subject as a uint8 mask (255 = subject) at the image's size, and how it was
    found: "alpha", "person", "grabcut" or "frame" (no subject found: a rounded frame)."""
    if image.mode == "RGBA":
        alpha = np.asarray(image.getchannel("A"))
        if (alpha < 250).mean() > 0.02:
            return alpha, "alpha"
    rgb = np.asarray(image.convert("RGB"))
    person, faces = _person(rgb)
    if person is not None:
        return person, "person"
    subject = _grabcut(rgb, faces)
    share = float((subject > 127).mean())
    if not 0.04 < share < 0.9 or _solidity(subject) < SOLID:
        return _frame(rgb.shape[:2]), "frame"
    return subject, "grabcut"


#: Below this share of its convex hull, a cut-out is ragged (GrabCut caught pieces of
#: fur and background, not a subject): the rounded frame is the better sticker.
SOLID: Final = 0.8


def _solidity(mask: np.ndarray) -> float:
    contours, _ = cv2.findContours(
        (mask > 127).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
    )
    if not contours:
        return 0.0
    largest = max(contours, key=cv2.contourArea)
    hull = cv2.contourArea(cv2.convexHull(largest))
    return float(cv2.contourArea(largest) / hull) if hull else 0.0


def _person(rgb: np.ndarray) -> tuple[np.ndarray | None, list[Box]]:
    """The rig's person mask, when it sees a face and a person of a plausible size; and
    the faces (for GrabCut's seeds otherwise: the rig's, plus Haar's cats, or Haar's
    alone without the rig), read once."""
    from sakuga.imaging.rig import read_rig

    height, width = rgb.shape[:2]
    factor = min(1.0, 512 / max(height, width))
    small = cv2.resize(rgb, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    rig = read_rig(small, pose=False)
    if rig is None:
        return None, [f.box for f in detect_faces(rgb)]
    faces: list[Box] = [
        (round(x0 / factor), round(y0 / factor), round(x1 / factor), round(y1 / factor))
        for x0, y0, x1, y1 in (f.box for f in rig.faces)
    ]
    if not faces:
        return None, [f.box for f in detect_faces(rgb) if f.kind == "cat"]
    mask = (cv2.GaussianBlur(rig.person, (0, 0), 1.5) > 0.5).astype(np.uint8) * 255
    if not 0.04 < (mask > 0).mean() < 0.95:
        return None, faces
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count > 1:
        largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
        mask = np.where(labels == largest, 255, 0).astype(np.uint8)
    big = cv2.resize(mask, (width, height), interpolation=cv2.INTER_LINEAR)
    big = cv2.GaussianBlur(big, (0, 0), max(1.0, max(width, height) / 400))
    return np.where(big > 127, 255, 0).astype(np.uint8), faces


def _frame(shape: tuple[int, int]) -> np.ndarray:
    """A rounded rectangle a little inside the frame: the whole picture as a sticker."""
    height, width = shape
    inset = round(min(height, width) * 0.04)
    radius = round(min(height, width) * 0.12)
    mask = np.zeros((height, width), np.uint8)
    x0, y0, x1, y1 = inset, inset, width - inset - 1, height - inset - 1
    cv2.rectangle(mask, (x0 + radius, y0), (x1 - radius, y1), 255, -1)
    cv2.rectangle(mask, (x0, y0 + radius), (x1, y1 - radius), 255, -1)
    for cx, cy in ((x0 + radius, y0 + radius), (x1 - radius, y0 + radius),
                   (x0 + radius, y1 - radius), (x1 - radius, y1 - radius)):  # fmt: skip
        cv2.circle(mask, (cx, cy), radius, 255, -1, cv2.LINE_AA)
    return mask


def _grabcut(rgb: np.ndarray, faces: list[Box]) -> np.ndarray:
    height, width = rgb.shape[:2]
    factor = min(1.0, WORK_SIDE / max(height, width))
    small = cv2.resize(
        rgb,
        (max(8, round(width * factor)), max(8, round(height * factor))),
        interpolation=cv2.INTER_AREA,
    )
    sh, sw = small.shape[:2]
    mask = np.full((sh, sw), cv2.GC_PR_BGD, np.uint8)
    inset_x, inset_y = max(2, sw // 14), max(2, sh // 14)
    mask[inset_y : sh - 1, inset_x : sw - inset_x] = cv2.GC_PR_FGD
    if faces:
        # A portrait: the top and side edges are background.
        mask[: max(1, sh // 40), :] = cv2.GC_BGD
        mask[:, : max(1, sw // 40)] = cv2.GC_BGD
        mask[:, sw - max(1, sw // 40) :] = cv2.GC_BGD
    for face in faces:
        x0, y0, x1, y1 = (round(v * factor) for v in face)
        w = x1 - x0
        mask[max(0, y0) : y1, max(0, x0) : x1] = cv2.GC_FGD
        body = (max(0, x0 - w), min(sh, y1), min(sw, x1 + w), sh)
        mask[body[1] : body[3], body[0] : body[2]] = np.where(
            mask[body[1] : body[3], body[0] : body[2]] == cv2.GC_BGD, cv2.GC_BGD, cv2.GC_PR_FGD
        )
    if not (mask == cv2.GC_FGD).any():
        # No face: the centre of the frame is most likely the subject.
        mask[sh * 2 // 5 : sh * 3 // 5, sw * 2 // 5 : sw * 3 // 5] = cv2.GC_FGD
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    # GrabCut's mixture models start from OpenCV's random generator, which is per
    # thread: seeded here, the same picture gives the same cut-out in any thread.
    cv2.setRNGSeed(0)
    cv2.grabCut(small, mask, None, bgd, fgd, 5, cv2.GC_INIT_WITH_MASK)
    subject = np.where((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD), 255, 0).astype(np.uint8)
    # Keep the largest piece, fill its holes, smooth its edge.
    count, labels, stats, _ = cv2.connectedComponentsWithStats(subject, connectivity=8)
    if count > 1:
        largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
        subject = np.where(labels == largest, 255, 0).astype(np.uint8)
    contours, _ = cv2.findContours(subject, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    filled = np.zeros_like(subject)
    cv2.drawContours(filled, contours, -1, 255, -1)
    big = cv2.resize(filled, (width, height), interpolation=cv2.INTER_LINEAR)
    big = cv2.GaussianBlur(big, (0, 0), max(1.0, max(width, height) / 400))
    return np.where(big > 127, 255, 0).astype(np.uint8)


#: A caption's ink: deep violet, read on the sticker's white die-cut on any chat
#: background; the same in every sticker of a pack.
CAPTION_INK: Final = (54, 40, 86)


def make_sticker(
    image: Image.Image,
    size: int = STICKER_SIZE,
    notes: list[str] | None = None,
    caption: str | None = None,
) -> Image.Image:
    """A size×size transparent sticker: subject, white outline, soft shadow; with a
    ``caption``, the words set bold below the subject, inside the same die-cut. When no
    subject could be cut out, the whole picture in a rounded frame, and ``notes`` (if
    given) says so."""
    alpha, how = cutout(image)
    if how == "frame" and notes is not None:
        notes.append(
            "no subject could be cut out of this picture: the sticker is the whole "
            "picture in a rounded frame"
        )
    ys, xs = np.nonzero(alpha > 127)
    if ys.size == 0:
        raise ValueError("no subject found to cut out")
    rgba = image.convert("RGBA")
    rgba.putalpha(Image.fromarray(alpha))
    box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    subject = rgba.crop(box)
    outline = max(4, size // 40)
    room = size - 4 * outline
    words = _fit_caption(caption, room, size) if caption else None
    below = words.height + 2 * outline if words else 0
    scale = min(room / subject.width, (room - below) / subject.height)
    subject = subject.resize(
        (max(1, round(subject.width * scale)), max(1, round(subject.height * scale))),
        Image.Resampling.LANCZOS,
    )
    top = (size - subject.height - below) // 2
    at = ((size - subject.width) // 2, top)
    placed = Image.new("L", (size, size), 0)
    placed.paste(subject.getchannel("A"), at)
    glyphs = stroked = None
    if words is not None:
        # Under the subject, overlapping its feet a little so one die-cut holds both.
        origin = ((size - words.width) // 2, top + subject.height + outline)
        glyphs = text_mask(words, (size, size), origin, "center")
        stroked = text_mask(words, (size, size), origin, "center", max(2, words.size // 10))
        placed = ImageChops.lighter(placed, stroked)
    # One die-cut: the gaps the subject and its words enclose (between twin tails and
    # the shoulders, under an arm) are filled white, as a cutter would leave them.
    ring = _solid(_closed(placed, outline * 2)).filter(ImageFilter.MaxFilter(outline * 2 + 1))
    ring = ring.filter(ImageFilter.GaussianBlur(1))
    shadow = ring.filter(ImageFilter.GaussianBlur(outline)).point(lambda v: int(v * 0.35))
    shadow_layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    shadow_layer.putalpha(shadow)
    shifted = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    shifted.paste(shadow_layer, (outline // 2, outline))
    canvas = Image.alpha_composite(Image.new("RGBA", (size, size), (0, 0, 0, 0)), shifted)
    white = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    white.putalpha(ring)
    canvas = Image.alpha_composite(canvas, white)
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    layer.paste(subject, at)
    canvas = Image.alpha_composite(canvas, layer)
    if glyphs is not None and stroked is not None:
        # The words: ink with a white outline of their own, over the feet they touch.
        halo = Image.new("RGBA", (size, size), (255, 255, 255, 0))
        halo.putalpha(stroked)
        ink = Image.new("RGBA", (size, size), (*CAPTION_INK, 0))
        ink.putalpha(glyphs)
        canvas = Image.alpha_composite(Image.alpha_composite(canvas, halo), ink)
    return canvas


def _closed(mask: Image.Image, reach: int) -> Image.Image:
    """``mask`` with its gaps narrower than about ``2 × reach`` closed (the slit between
    a figure and its caption, the notch between a raised arm and the head)."""
    array = (np.asarray(mask) > 127).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1))
    closed = cv2.morphologyEx(array, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_CONSTANT)
    return Image.fromarray(np.maximum(np.asarray(mask), closed * 255))


def _solid(mask: Image.Image) -> Image.Image:
    """``mask`` with every hole inside its outer edges filled."""
    array = np.asarray(mask)
    contours, _ = cv2.findContours(
        (array > 127).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
    )
    filled = np.zeros_like(array)
    cv2.drawContours(filled, contours, -1, 255, -1)
    return Image.fromarray(np.maximum(array, filled))


def _fit_caption(caption: str, width: int, size: int) -> Fitted:
    """The caption set as large as fits ``width`` in at most two lines, at most a
    fifth of the sticker tall. Raises `FontError` for a character no font has, or
    words too long to read on a sticker."""
    text = check_text(caption, "caption")
    typeface = choose_font(text, chain=TITLE_CHAIN)
    for font_size in sizes(round(size * 0.15), round(size * 0.06)):
        fitted = fit_at(text, typeface, font_size, width, round(size * 0.3), 2, clean=True)
        if fitted is not None:
            return fitted
    raise FontError(
        f"the caption {caption!r} does not fit a {size} px sticker in two lines at a "
        "readable size: shorten it"
    )
