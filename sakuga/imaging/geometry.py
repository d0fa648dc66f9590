"""Crops and resizes that respect a focus region (faces, subject) and the target aspect."""

from __future__ import annotations

from PIL import Image

Box = tuple[int, int, int, int]


def crop_box_for_aspect(
    size: tuple[int, int], aspect: float, focus: Box | None = None, *, zoom: float = 1.0
) -> Box:
    """The largest box of ``aspect`` (w/h) inside ``size``, centred on ``focus`` when given.

    ``zoom`` > 1 makes the box smaller (tighter around the focus), but never smaller
    than the focus itself.
    """
    width, height = size
    box_w: float
    box_h: float
    if width / height > aspect:
        box_h, box_w = height, height * aspect
    else:
        box_w, box_h = width, width / aspect
    if zoom > 1 and focus is not None:
        fw, fh = focus[2] - focus[0], focus[3] - focus[1]
        scale = max(1 / zoom, fw / box_w, fh / box_h)
        box_w, box_h = box_w * min(1.0, scale), box_h * min(1.0, scale)
    if focus is None:
        cx, cy = width / 2, height / 2
    else:
        cx, cy = (focus[0] + focus[2]) / 2, (focus[1] + focus[3]) / 2
    x0 = min(max(cx - box_w / 2, 0), width - box_w)
    y0 = min(max(cy - box_h / 2, 0), height - box_h)
    return (round(x0), round(y0), round(x0 + box_w), round(y0 + box_h))


def fit_cover(image: Image.Image, size: tuple[int, int], focus: Box | None = None) -> Image.Image:
    """``image`` cropped to the aspect of ``size`` (around ``focus``) and resized to it."""
    if image.size == size:
        return image
    box = crop_box_for_aspect(image.size, size[0] / size[1], focus)
    return image.resize(size, Image.Resampling.LANCZOS, box=box)


def union_box(boxes: list[Box]) -> Box | None:
    """The smallest box holding all ``boxes``, or None for none."""
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
