"""What a person holds before a profile's face — a camera at the eye, a phone, a cup —
found as one object and drawn as one: a clean silhouette in a few flat tones, not
the person mask's ragged edge painted as clothes.

The person mask (a selfie segmenter's) holds such a thing only in part, so its
outline is found again in the photo: GrabCut, seeded with what the mask holds before
the face, inside a box around it. Only a profile has a front (`sitting.in_front`);
an object held before a face turned to the camera is still painted with the
clothes. It is painted by `clothes.paint_held`.
"""

from __future__ import annotations

import cv2
import numpy as np

from sakuga.engines.toon.hair import tidy
from sakuga.engines.toon.tones import regions

#: Less of the mask than this before the face (a share of the picture) holds nothing.
MIN_SHARE = 0.002
#: A part of the cut this close (ΔE) to the clothes around it is their cloth (a glove).
CLOTH_DELTA = 20.0


def held_object(
    work: np.ndarray, lab: np.ndarray, person: np.ndarray, front: np.ndarray, head: np.ndarray
) -> np.ndarray | None:
    """The object before a profile's face (work size), or None when nothing is held
    there. ``head`` (hair and skin) is never part of it."""
    seed = person & front & ~head
    side = max(person.shape)
    if seed.sum() < side * side * MIN_SHARE:
        return None
    ys, xs = np.nonzero(seed)
    pad = max(6, round(side / 40))
    x0, x1 = max(0, xs.min() - pad), min(person.shape[1], xs.max() + 1 + pad)
    y0, y1 = max(0, ys.min() - pad), min(person.shape[0], ys.max() + 1 + pad)
    box = (slice(y0, y1), slice(x0, x1))
    marks = np.full((y1 - y0, x1 - x0), cv2.GC_PR_BGD, np.uint8)
    marks[seed[box]] = cv2.GC_PR_FGD
    core = cv2.erode(seed.astype(np.uint8), np.ones((5, 5), np.uint8))[box] > 0
    marks[core] = cv2.GC_FGD
    marks[head[box]] = cv2.GC_BGD
    # The box's border is the place around the object (where the frame does not cut it).
    for edge, at_frame in (
        ((slice(0, 2), slice(None)), y0 == 0),
        ((slice(-2, None), slice(None)), y1 == person.shape[0]),
        ((slice(None), slice(0, 2)), x0 == 0),
        ((slice(None), slice(-2, None)), x1 == person.shape[1]),
    ):
        if not at_frame:
            marks[edge][marks[edge] != cv2.GC_FGD] = cv2.GC_BGD
    if not (marks == cv2.GC_FGD).any():
        return None
    bgd, fgd = np.zeros((1, 65)), np.zeros((1, 65))
    cv2.setRNGSeed(0)  # GrabCut's GMMs start from k-means: the same photo, the same cut
    bgr = np.ascontiguousarray(work[box][..., ::-1])
    cv2.grabCut(bgr, marks, None, bgd, fgd, 4, cv2.GC_INIT_WITH_MASK)
    cut = np.zeros(person.shape, bool)
    cut[box] = (marks == cv2.GC_FGD) | (marks == cv2.GC_PR_FGD)
    # Only before the face: the body below it (a coat the cut spills onto) stays clothes.
    cut &= front & ~head
    # Of that, what is not the clothes around it: the gloves holding a camera are the
    # sleeves' cloth and stay clothes; the camera's body and lens are the object.
    labels, centres = regions(lab, cut, 3, 0, side / 110, merge=10)
    ring = cv2.dilate(cut.astype(np.uint8), np.ones((5, 5), np.uint8), iterations=2) > 0
    ring &= person & ~cut & ~head
    if ring.sum() >= 16:
        cloth = np.median(lab[ring], axis=0)
        for i, centre in enumerate(centres):
            if np.linalg.norm(centre - cloth) < CLOTH_DELTA:
                cut[labels == i] = False
    held = tidy(cut, side / 8, seed=seed & cut)
    # Its straight sides away from the face; against the face the cut's own edge (cut
    # straight there, it bares a sliver of what lies between them).
    by_face = cv2.dilate(head.astype(np.uint8), np.ones((3, 3), np.uint8), iterations=4) > 0
    held = ((as_object(held) & ~by_face) | (held & by_face)) & ~head
    return held if held.sum() >= side * side * MIN_SHARE else None


def as_object(mask: np.ndarray) -> np.ndarray:
    """A made thing's silhouette as it is drawn: each piece's outline simplified to a
    few straight sides (a camera's box, a cup's side), not the cut's wobbling edge."""
    out = np.zeros(mask.shape, np.uint8)
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    for outline in contours:
        eps = max(1.5, 0.015 * cv2.arcLength(outline, True))
        cv2.fillPoly(out, [cv2.approxPolyDP(outline, eps, True)], 1)
    return out.astype(bool)
