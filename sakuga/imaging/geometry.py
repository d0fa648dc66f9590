"""Crops and resizes that respect a focus region (faces, subject) and the target aspect."""

from __future__ import annotations

from PIL import Image

Box = tuple[int, int, int, int]


#: How much tighter than the whole image an avatar's crop may go around the head.
AVATAR_ZOOM = 4.0


def head_and_shoulders(face: Box, size: tuple[int, int]) -> Box:
    """An avatar's focus around a face (or the union of faces): room above the hair
    and to the sides, and the shoulders below, inside an image of ``size``."""
    w, h = face[2] - face[0], face[3] - face[1]
    return (
        max(0, round(face[0] - w * 0.6)),
        max(0, round(face[1] - h * 0.8)),
        min(size[0], round(face[2] + w * 0.6)),
        min(size[1], round(face[3] + h * 0.9)),
    )


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


def grown(box: Box, share: float) -> Box:
    """``box`` grown on every side by ``share`` of its own width and height."""
    w, h = box[2] - box[0], box[3] - box[1]
    return (
        round(box[0] - w * share),
        round(box[1] - h * share),
        round(box[2] + w * share),
        round(box[3] + h * share),
    )


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
