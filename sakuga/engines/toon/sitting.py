"""What the portrait reads off a photo once, for every version: the crop, the rig, the
person, each head's outline, hair and colours (`Sitting`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Final

import cv2
import numpy as np
from PIL import Image

from sakuga.engines.base import EngineRequest
from sakuga.engines.draw.svg import vivid
from sakuga.engines.toon.pet import PetEye, cat_face, find_pet_eyes, names_a_pet, pet_mask
from sakuga.imaging.faces import detect_faces
from sakuga.imaging.geometry import (
    AVATAR_ZOOM,
    Box,
    crop_box_for_aspect,
    head_and_shoulders,
    union_box,
)
from sakuga.imaging.rig import CHIN, FACE_OVAL, FOREHEAD, FaceRig, Rig, read_rig
from sakuga.prompt.uses import get_use

RGB = tuple[int, int, int]

WORK_SIDE: Final = 640  # long side of the copy the regions are painted on
RIG_SIDE: Final = 1024  # the rig reads a copy at most this size
JAW_EASE: Final = 0.16  # how much narrower the lower jaw is drawn than the photo's
#: A head turned further than this (`FaceRig.turn`) is a profile: one eye shows.
PROFILE_TURN: Final = 0.55


@dataclass(frozen=True)
class Head:
    """One person's head, in output pixels, with the colours the drawing takes from them."""

    face: FaceRig
    oval: np.ndarray  # (36, 2) the face's outline, jaw eased towards anime proportions
    skin: RGB
    hair: RGB
    iris: RGB
    glasses: bool = False
    hat: RGB | None = None  # a hat's colour, when one is worn
    frame: RGB = (40, 36, 44)  # the glasses' frame colour (when ``glasses``)
    frame_weight: float = 1.0  # and how much heavier than a thin frame it is drawn
    aged: bool = False  # an older face: drawn with the lines of age


@dataclass(frozen=True)
class Sitting:
    """The photo at output size and everything read off it."""

    photo: np.ndarray  # RGB uint8, output size
    work: np.ndarray  # RGB uint8, edge-preserving smoothed, work size
    lab: np.ndarray  # Lab float32 of ``work``
    factor: float  # work size / output size
    person: np.ndarray  # bool, work size
    heads: tuple[Head, ...]
    hair: np.ndarray  # bool, work size: every head's hair
    skin: np.ndarray  # bool, work size: every face (eased outline)
    rig: bool  # whether the rig ran (False: photo painted as a scene)
    #: What every version would compute alike, made by the first (see `memo`).
    _memo: dict[object, np.ndarray] = field(default_factory=dict, compare=False, repr=False)
    #: A pet's eyes (output pixels) and outline (work size), when the photo shows one.
    pet_eyes: tuple[PetEye, PetEye] | None = None
    pet: np.ndarray | None = None
    grey: bool = False  # a greyscale or sepia photo: drawn in a natural palette
    #: Flat fill at the photo's edges (letterbox bars, a rotation's padding), output
    #: size: kept as it is, not painted or inked as part of the picture.
    padding: np.ndarray | None = None

    @property
    def subject(self) -> str:
        """What was found to draw: "person", "people", "pet" or "scene" (no one)."""
        if self.heads:
            return "people" if len(self.heads) > 1 else "person"
        return "pet" if self.pet_eyes is not None else "scene"

    def memo(self, key: object, make: Callable[[], np.ndarray]) -> np.ndarray:
        """``make()``'s result, computed once per sitting for ``key``."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    @property
    def size(self) -> tuple[int, int]:
        return (self.photo.shape[1], self.photo.shape[0])


def _to_rgb_array(image: Image.Image) -> np.ndarray:
    if image.mode == "RGBA":
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)
    return np.asarray(image.convert("RGB"))


def _read(rgb: np.ndarray, *, pose: bool = False) -> Rig | None:
    """The rig on a copy at most `RIG_SIDE`, mapped back to ``rgb``'s pixels."""
    h, w = rgb.shape[:2]
    scale = min(1.0, RIG_SIDE / max(w, h))
    small = (
        rgb
        if scale == 1
        else cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    )
    rig = read_rig(small, pose=pose)
    if rig is None or scale == 1:
        return rig
    person = cv2.resize(rig.person, (w, h), interpolation=cv2.INTER_LINEAR)
    faces = tuple(f.mapped(1 / scale) for f in rig.faces)
    body = None if rig.pose is None else rig.pose * np.array([1 / scale, 1 / scale, 1], np.float32)
    return Rig((w, h), faces, person, body)


def _focus(boxes: list[Box], size: tuple[int, int], avatar: bool) -> Box | None:
    box = union_box(boxes)
    if box is None or not avatar:
        return box
    return head_and_shoulders(box, size)


def eased_oval(face: FaceRig, ease: float = JAW_EASE) -> np.ndarray:
    """The face outline with the lower jaw drawn in towards the chin, as anime faces are."""
    oval = face.at(FACE_OVAL).astype(np.float32)
    top, chin = face.points[FOREHEAD], face.points[CHIN]
    axis = chin - top
    length = float(np.linalg.norm(axis)) or 1.0
    down = axis / length
    across = np.array([down[1], -down[0]], np.float32)
    eyes_t = float(np.dot((face.eye(-1).mean(0) + face.eye(1).mean(0)) / 2 - top, down)) / length
    out = oval.copy()
    for i, p in enumerate(oval):
        t = float(np.dot(p - top, down)) / length
        lower = np.clip((t - eyes_t) / max(1 - eyes_t, 1e-3), 0, 1)
        pull = ease * math.sin(lower * math.pi / 2) ** 1.5
        offset = float(np.dot(p - top, across))
        out[i] = p - across * offset * pull
    # The landmarks' jitter evened out ([1, 2, 1] / 4 around the loop, twice): the
    # drawn face's edge and its line are one smooth curve, not a wobble. (A profile's
    # outline is its silhouette's: kept as read.)
    if abs(face.turn) < PROFILE_TURN:
        for _ in range(2):
            out = ((np.roll(out, 1, axis=0) + 2 * out + np.roll(out, -1, axis=0)) / 4).astype(
                np.float32
            )
    return out


def _median_colour(rgb: np.ndarray, mask: np.ndarray) -> RGB | None:
    if mask.sum() < 12:
        return None
    med = np.median(rgb[mask], axis=0)
    return (int(med[0]), int(med[1]), int(med[2]))


def skin_colour(rgb: np.ndarray, lab: np.ndarray, face: FaceRig, f: float) -> RGB | None:
    """The face's skin in the light, as a painter lays its base tone: the median of the
    face's lighter half (its 50th to 90th percentile of lightness), away from every edge
    (glasses' frames, wrinkles, brows, the eyes and mouth), so ruddy cheeks, a frame
    across them or a shadowed side do not tint the whole face."""
    h, w = rgb.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    cv2.fillPoly(mask, [np.round(face.at(FACE_OVAL) * f).astype(np.int32)], 1)
    for side in (-1, 1):
        cv2.fillPoly(mask, [np.round(face.eye(side) * f).astype(np.int32)], 0)
    edges = cv2.Canny(cv2.GaussianBlur(rgb, (3, 3), 0), 40, 100)
    k = max(3, round(face.width * f / 60)) | 1
    mask[cv2.dilate(edges, np.ones((k, k), np.uint8)) > 0] = 0
    inside = mask.astype(bool)
    if inside.sum() < 24:
        return None
    L = lab[..., 0]
    low, high = np.percentile(L[inside], [50, 90])
    return _median_colour(rgb, inside & (low <= L) & (high >= L))


#: Irises are brown, hazel, amber, green, blue or grey: an iris read as red or
#: magenta (a tortoiseshell frame, a reflection in glasses) is taken as this brown.
NATURAL_IRIS: Final = (112, 74, 50)


def _iris_colour(photo: np.ndarray, face: FaceRig) -> RGB:
    """The iris colour from the ring between pupil and rim, made rich enough to read."""
    samples = []
    for side in (-1, 1):
        (cx, cy), r = face.iris(side)
        ys, xs = np.mgrid[-2:3, -2:3]
        for dy, dx in zip(ys.ravel(), xs.ravel(), strict=True):
            d = math.hypot(dx, dy) / 2
            if 0.4 <= d <= 1.0:
                x = int(np.clip(cx + dx * r * 0.45, 0, photo.shape[1] - 1))
                y = int(np.clip(cy + dy * r * 0.45, 0, photo.shape[0] - 1))
                samples.append(photo[y, x])
    r, g, b = (float(c) for c in np.median(np.array(samples, np.float32), axis=0))
    _, a, yb = cv2.cvtColor(np.array([[[r, g, b]]], np.float32) / 255, cv2.COLOR_RGB2Lab)[0, 0]
    if a > 12 and a > yb * 1.2:  # red or magenta: no eye is that colour
        r, g, b = NATURAL_IRIS
    return vivid((r, g, b), saturation=(0.35, 1.3), value=(0.42, 1.2))


#: Above this fine texture on the cheeks and chin (`aged`), a face is an older one.
AGE_TEXTURE: Final = 3.5


def aged(photo: np.ndarray, face: FaceRig) -> bool:
    """Whether a face is an older one: wrinkled cheeks and chin, read as fine texture
    (the mean |photo − its blur at σ 2| on five skin patches, the face scaled to 256 px
    wide so a photo's size does not count). Measured on every face variant of the
    corpus: 0.6–1.6 on the astronaut and the photographer, 5.8–7.2 on Grace Hopper at
    79; the line sits between."""
    k = 256 / max(face.width, 1.0)
    x0, y0, x1, y1 = (int(v) for v in face.box)
    pad = int(face.width * 0.1)
    x0, y0 = max(0, x0 - pad), max(0, y0 - pad)
    crop = photo[y0 : y1 + pad, x0 : x1 + pad]
    if crop.size == 0:
        return False
    grey = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_RGB2GRAY).astype(np.float32)
    grey = cv2.resize(
        grey, None, fx=k, fy=k, interpolation=cv2.INTER_AREA if k < 1 else cv2.INTER_CUBIC
    )
    fine = np.abs(grey - cv2.GaussianBlur(grey, (0, 0), 2.0))
    texture = []
    for idx in (205, 425, 50, 280, 199):  # both cheeks, twice, and the chin
        x, y = (face.points[idx] - (x0, y0)) * k
        patch = fine[max(0, int(y) - 14) : int(y) + 14, max(0, int(x) - 14) : int(x) + 14]
        if patch.size:
            texture.append(float(patch.mean()))
    return bool(texture) and float(np.median(texture)) > AGE_TEXTURE


def _bridge(face: FaceRig) -> tuple[slice, slice]:
    """Where a frame's bridge crosses the nose: a narrow strip down the nose's top."""
    fw = face.width
    top, bottom = face.points[168], face.points[6]
    x = (top[0] + bottom[0]) / 2
    y0, y1 = max(0, int(top[1] - fw * 0.08)), int(bottom[1] + fw * 0.03)
    x0, x1 = max(0, int(x - fw * 0.05)), int(x + fw * 0.05)
    return slice(y0, y1), slice(x0, x1)


def wears_glasses(photo: np.ndarray, face: FaceRig) -> bool:
    """Whether the face wears glasses: a dark bar across the nose bridge (the frame's
    bridge) and the lower rims' edges on the cheeks just under both eyes."""
    # Only the face is looked at: a crop around it, with the face's points moved there.
    x0, y0, x1, y1 = face.box
    pad = int(face.width * 0.2)
    x0, y0 = max(0, x0 - pad), max(0, y0 - pad)
    x1, y1 = min(photo.shape[1], x1 + pad), min(photo.shape[0], y1 + pad)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return False
    photo = np.ascontiguousarray(photo[y0:y1, x0:x1])
    face = face.mapped(1.0, -x0, -y0)
    gray = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY).astype(np.float32)
    strip = gray[_bridge(face)]
    if strip.size == 0:
        return False
    profile = strip.mean(axis=1)
    dip = (np.median(profile) - profile.min()) / max(float(np.median(profile)), 1.0)
    edges = cv2.Canny(cv2.GaussianBlur(photo, (3, 3), 0), 60, 140)
    density = []
    for side in (-1, 1):
        eye = face.eye(side)
        cx, cy = eye.mean(axis=0)
        ew = float(np.linalg.norm(eye[0] - eye[8]))
        under = np.zeros(gray.shape, np.uint8)
        axes = (max(1, int(ew * 0.8)), max(1, int(ew * 0.25)))
        cv2.ellipse(under, (int(cx), int(cy + ew * 0.55)), axes, 0, 0, 360, 1, -1)
        density.append(float(edges[under.astype(bool)].mean()) / 255 if under.any() else 0.0)
    return bool(dip > 0.3 and min(density) > 0.1)


#: A frame's bridge this thick (on the face's width) is drawn at the usual line weight;
#: thicker frames (a 1950s acetate) are drawn up to `MAX_FRAME` times heavier.
THIN_FRAME: Final = 0.02
MAX_FRAME: Final = 2.6


def glasses_frame(photo: np.ndarray, face: FaceRig) -> tuple[RGB, float]:
    """The frame of glasses a face wears: its colour (the bar across the nose bridge:
    tortoiseshell stays brown, metal stays dark) and how much heavier than a thin frame
    to draw it (the bar's height on the face's width, against `THIN_FRAME`)."""
    grey = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY).astype(np.float32)
    where = _bridge(face)
    strip = grey[where]
    if strip.size == 0:
        return (40, 36, 44), 1.0
    profile = strip.mean(axis=1)
    bar = profile < (float(np.median(profile)) + float(profile.min())) / 2
    colour = _median_colour(photo[where], np.repeat(bar[:, None], strip.shape[1], axis=1))
    weight = float(np.clip(bar.sum() / face.width / THIN_FRAME, 1.0, MAX_FRAME))
    return colour or (40, 36, 44), weight


def _head_masks(
    face: FaceRig, oval: np.ndarray, lab: np.ndarray, rgb: np.ndarray, person: np.ndarray, f: float
) -> tuple[np.ndarray, np.ndarray, RGB, RGB, RGB | None]:
    """Face and hair masks at work size (factor ``f``), the skin and hair colours and a
    hat's colour (None: no hat)."""
    h, w = person.shape
    face_mask = np.zeros((h, w), np.uint8)
    cv2.fillPoly(face_mask, [np.round(oval * f).astype(np.int32)], 1)
    raw = np.zeros((h, w), np.uint8)
    cv2.fillPoly(raw, [np.round(face.at(FACE_OVAL) * f).astype(np.int32)], 1)
    fw, fh = face.width * f, face.height * f
    top = face.points[FOREHEAD] * f
    chin = face.points[CHIN] * f
    cx = float((face.points[234][0] + face.points[454][0]) / 2 * f)

    skin = skin_colour(rgb, lab, face, f) or (230, 190, 170)

    # Hair: person pixels around the head close to the hair's colour, sampled just
    # above the forehead; everything above the forehead inside the head counts.
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    head_cy = (top[1] + chin[1]) / 2 - fh * 0.15
    ellipse = ((xs - cx) / (fw * 1.05)) ** 2 + ((ys - head_cy) / (fh * 0.95)) ** 2
    head = (ellipse < 1) & person
    band = (
        head & (ys < top[1] + fh * 0.02) & (ys > top[1] - fh * 0.3) & (np.abs(xs - cx) < fw * 0.35)
    )
    sample = lab[band & ~raw.astype(bool)]
    if len(sample) < 12:
        sample = lab[head & ~raw.astype(bool)]
    skin_lab = _rgb_lab(skin)
    hat_rgb = None
    if len(sample) >= 12:
        hair_lab = np.median(sample, axis=0)
        spread = float(np.median(np.linalg.norm(sample - hair_lab, axis=1)))
        limit = float(np.clip(spread * 2.4, 14, 32))
        near_hair = np.linalg.norm(lab - hair_lab, axis=2) < limit
        near_skin = np.linalg.norm(lab - skin_lab, axis=2) < np.linalg.norm(lab - hair_lab, axis=2)
        # Around the head, above the mouth, everything of the person that is neither
        # face nor skin is hair (however its light falls); below, only hair-coloured
        # pixels are (long hair), and never the neck under the chin.
        mouth_y = face.points[14][1] * f
        upper = head & (ys < mouth_y) & ~near_skin
        long_zone = (np.abs(xs - cx) < fw * 1.15) & (ys < chin[1] + fh * 1.3) & person
        neck = (np.abs(xs - cx) < fw * 0.42) & (ys > chin[1] - fh * 0.15)
        crown = person & (np.abs(xs - cx) < fw * 1.1)
        cap = crown & ((ys < top[1] - fh * 0.08) | ((ys < top[1]) & ~near_skin))
        lower = long_zone & near_hair & ~near_skin & ~neck
        # Long hair frames the face: hair-coloured beside the cheeks at the mouth's
        # height. Without it (short hair, ears showing), what is hair-coloured below
        # is clothes (a black coat under black hair), not hair.
        band = (np.abs(ys - mouth_y) < fh * 0.12) & ~raw.astype(bool)
        sides = band & (np.abs(xs - cx) > fw * 0.45) & (np.abs(xs - cx) < fw * 0.75) & person
        # And hair the colour of the clothes below cannot be told from them: kept short.
        body = person & (ys > chin[1] + fh * 0.6)
        like_body = body.any() and bool(
            np.linalg.norm(np.median(lab[body], axis=0) - hair_lab) < 12
        )
        if like_body or not sides.any() or (near_hair & ~near_skin)[sides].mean() < 0.35:
            lower = np.zeros_like(lower)
        hair = (cap | upper | lower) & ~face_mask.astype(bool)
        # Fringes over the forehead: inside the face outline, above the brows, hair-coloured.
        brow_y = min(face.points[105][1], face.points[334][1]) * f
        fringe = raw.astype(bool) & (ys < brow_y) & near_hair & ~near_skin
        hair |= fringe
        worn = _hat(lab, person & ~face_mask.astype(bool), face, f, hair_lab, skin_lab)
        beside = None
        if worn is not None:
            # A hat: what is above its brim is the hat (painted as clothes are, its band
            # and emblem as their own shapes); the hair is what shows below it, in the
            # hair's own colour (white hair under a navy cap stays white).
            hat, side_lab = worn
            hat_rgb = _median_colour(rgb, hat)
            hair_lab = side_lab
            skinlike = (np.linalg.norm(lab[..., 1:] - skin_lab[1:], axis=2) < 12) & (
                lab[..., 0] > skin_lab[0] - 35
            )
            unlike_hat = np.linalg.norm(lab - hat_lab(lab, hat), axis=2) > HAT_CONTRAST * 0.6
            around = (head & (ys < mouth_y)) | lower
            hair = around & ~hat & ~skinlike & unlike_hat & ~face_mask.astype(bool)
            beside = _hair_beside(lab, face, f, raw.astype(bool), hat, skinlike, skin_lab)
            if beside is not None:
                # The strip of hair the hat leaves beside the face, read past the
                # person's outline too: white hair against a pale wall falls outside it.
                strip, strip_lab = beside
                hair = (hair & (np.linalg.norm(lab - strip_lab, axis=2) < 20)) | strip
                # Drawn as a tuft at each temple, as anime draws hair under a cap, not
                # the photo's stray wisps: the strip closed and a little fuller.
                k = max(3, round(fw * 0.05)) | 1
                tuft = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
                hair = cv2.dilate(
                    cv2.morphologyEx(hair.astype(np.uint8), cv2.MORPH_CLOSE, tuft), tuft
                ).astype(bool)
                hair &= ~face_mask.astype(bool) & ~hat
                hair_lab = strip_lab
            cap = hair
        # (Under a hat only wisps show: tidied at their own small scale.)
        hair = _tidy(hair, fw if worn is None else fw / 3, seed=cap)
        hair = _fringe_clumps(hair, face, raw.astype(bool), f)
        if worn is None:
            hair |= _end_clumps(hair, face_mask.astype(bool), face, f)
        # Under a hat only the hair's edges show, half in the hat's shadow: its lit half.
        lit = (
            hair
            if worn is None or not hair.any()
            else hair & (lab[..., 0] >= np.median(lab[..., 0][hair]))
        )
        hair_rgb = _median_colour(rgb, lit) or (60, 45, 40)
        if worn is not None and beside is not None:
            hair_rgb = _lab_rgb(beside[1])
        elif worn is not None and _skinlike(hair_rgb, skin_lab):
            # What shows under the hat is ears and the skin's edge, not hair (the hair
            # itself fell outside the person's outline): none drawn — skin-coloured
            # "hair" reads as ear muffs. Its colour is the one beside the temples.
            hair = np.zeros_like(hair)
            hair_rgb = _lab_rgb(worn[1])
    else:
        hair = np.zeros((h, w), bool)
        hair_rgb = (60, 45, 40)
    return face_mask.astype(bool), hair, skin, _silver(hair_rgb, skin_lab), hat_rgb


#: Hair this light (Lab L) and this much less colourful than the skin beside it (its
#: chroma on the skin's) is white or grey hair in the photo's warm or cool light.
SILVER_L: Final = 55.0
SILVER_CHROMA: Final = 0.6


def _silver(hair: RGB, skin_lab: np.ndarray) -> RGB:
    """White or grey hair drawn as anime draws it, silver: the photo's colour cast taken
    out of it (a third of its chroma kept), a little lighter. Other hair as read."""
    L, a, b = (float(v) for v in _rgb_lab(hair))
    skin_chroma = float(np.hypot(skin_lab[1], skin_lab[2]))
    if L < SILVER_L or np.hypot(a, b) >= SILVER_CHROMA * max(skin_chroma, 10.0):
        return hair
    return _lab_rgb(np.array([min(92.0, L + 6), a / 3, b / 3 - 1.5], np.float32))


#: How far (ΔE) the colour above the forehead must be from the hair beside the temples
#: for it to be a hat, not the hair's own lit crown.
HAT_CONTRAST: Final = 30.0


def _hat(
    lab: np.ndarray,
    person: np.ndarray,
    face: FaceRig,
    f: float,
    crown_lab: np.ndarray,
    skin_lab: np.ndarray,
) -> tuple[np.ndarray, np.ndarray] | None:
    """A hat on the head, with the hair's colour under it — or None (bare hair).

    A hat is read where the crown (the colour just above the forehead) is far from the
    hair that shows beside the temples, and that side hair is one colour: the hat is
    everything of the person above its brim (the lowest row of crown colour over the
    forehead's middle), whatever its colours; returns it and the side hair's Lab."""
    h, w = person.shape
    fw, fh = face.width * f, face.height * f
    top_y = float(face.points[FOREHEAD][1] * f)
    cx = float((face.points[234][0] + face.points[454][0]) / 2 * f)
    brow_y = float(min(face.points[105][1], face.points[334][1]) * f)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    off = np.abs(xs - cx)
    eyes_y = float((face.eye(-1)[:, 1].mean() + face.eye(1)[:, 1].mean()) / 2 * f)
    zone = person & (off > fw * 0.4) & (off < fw * 0.8) & (ys > brow_y) & (ys < eyes_y + fh * 0.2)
    # Skin in light or shadow keeps its hue: compared on a and b, and not much darker.
    skinlike = (np.linalg.norm(lab[..., 1:] - skin_lab[1:], axis=2) < 12) & (
        lab[..., 0] > skin_lab[0] - 35
    )
    other = ~skinlike & (np.linalg.norm(lab - crown_lab, axis=2) > HAT_CONTRAST)
    temples = zone & other
    if abs(face.turn) > 0.4:
        return None  # a turned head shows one temple, half of it the back of the head
    if temples.sum() < max(12.0, zone.sum() * 0.2):
        return None  # beside the temples only skin or the crown's colour: no hat seen
    for side in (xs < cx, xs >= cx):  # and hair shows beside both temples under a hat
        if (temples & side).sum() < max(6.0, (zone & side).sum() * 0.08):
            return None
    side = lab[temples].astype(np.float32)
    # The side's main colour (glasses' arms and shadow beside it are the lesser one).
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    _, labels, centres = cv2.kmeans(side, 2, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    counts = np.bincount(labels.ravel(), minlength=2)
    share = counts / len(side)
    # The hair is the lighter colour when both are large (a glasses' arm and the hair's
    # shadow are the darker one), else the main one.
    lighter = int(np.argmax(centres[:, 0]))
    side_lab = centres[lighter] if share[lighter] >= 0.3 else centres[int(np.argmax(counts))]
    # Hair in shadow beside its lit crown is darker and of the same hue: no hat. A hat
    # is of another hue, or darker than the hair it covers (white hair under a cap).
    above = float(side_lab[0] - crown_lab[0])
    hue_apart = float(np.linalg.norm(side_lab[1:] - crown_lab[1:]))
    if above < 20 and hue_apart < 25:
        return None
    crown = person & (off < fw * 0.25) & (ys < top_y + fh * 0.1)
    crown &= np.linalg.norm(lab - crown_lab, axis=2) < 22
    if not crown.any():
        return None
    brim = float(ys[crown].max())
    hat = person & (ys <= brim) & (off < fw * 1.2)
    return hat, side_lab.astype(np.float32)


#: How far (Lab a, b) from the skin's hue the hair beside a hat is read: nearer, it is
#: the skin's own edge (an ear's rim) mixed with the hair.
HAIR_FROM_SKIN: Final = 16.0
#: Under a hat the hair shows as a strip hugging the face's sides, looked for this far
#: out from the face's outline (on the face's width) and grown to `HAIR_REACH`.
HAIR_STRIP: Final = 0.14
HAIR_REACH: Final = 0.24


def _hair_beside(
    lab: np.ndarray,
    face: FaceRig,
    f: float,
    raw: np.ndarray,
    hat: np.ndarray,
    skinlike: np.ndarray,
    skin_lab: np.ndarray,
) -> tuple[np.ndarray, np.ndarray] | None:
    """The hair a hat leaves showing beside the face, and its colour (Lab) — or None.

    Read from the photo, not the person's outline (a segmenter cuts white hair off
    against a pale wall): the strip just outside the face, below the brim and above the
    mouth, less skin (the ears) and the hat's own colour. Of its two main colours the
    hair is the one that hugs the face (the other is the wall behind), and it must be
    seen on both sides and differ from the wall further out."""
    h, w = raw.shape
    fw, fh = face.width * f, face.height * f
    if not hat.any():
        return None
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    cx = float((face.points[234][0] + face.points[454][0]) / 2 * f)
    brim = float(ys[hat].max())
    mouth_y = float(face.points[14][1] * f)
    out = cv2.distanceTransform((~raw).astype(np.uint8), cv2.DIST_L2, 5)
    rows = (ys > brim) & (ys < mouth_y)
    unlike_hat = np.linalg.norm(lab - hat_lab(lab, hat), axis=2) > HAT_CONTRAST * 0.6
    strip = rows & (out > 0) & (out < fw * HAIR_STRIP) & ~hat & ~skinlike & unlike_hat
    wall = rows & (out > fw * 0.35) & (out < fw * 0.6) & ~hat
    sides = (xs < cx, xs >= cx)
    for side in sides:  # the wall behind, seen between the hair's strands: not hair
        if (wall & side).sum() >= 12:
            behind = np.median(lab[wall & side], axis=0)
            strip &= ~(side & (np.linalg.norm(lab - behind, axis=2) < 15))
    if strip.sum() < 24:
        return None
    pixels = lab[strip].astype(np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    k = 3 if len(pixels) >= 60 else 2
    _, labels, centres = cv2.kmeans(pixels, k, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    share = np.bincount(labels.ravel(), minlength=k) / len(pixels)
    # The hair is the lightest of the strip's main colours that is not the skin's edge
    # (its hue, a little off: an ear's rim) — the face's shadowed edge and a glasses'
    # arm are darker; with none such, the main one.
    apart = np.linalg.norm(centres[:, 1:] - skin_lab[1:], axis=1) >= HAIR_FROM_SKIN
    candidates = [i for i in range(k) if share[i] >= 0.15 and apart[i]]
    if candidates:
        hair_lab = centres[max(candidates, key=lambda i: centres[i, 0])]
    else:
        hair_lab = centres[int(np.argmax(share))]
    hair = strip & (np.linalg.norm(lab - hair_lab, axis=2) < 16)
    for side in sides:
        if (hair & side).sum() < max(6.0, (strip & side).sum() * 0.15):
            return None  # hair under a hat shows on both sides
    grown = (
        (ys > brim - fh * 0.05)
        & (ys < mouth_y + fh * 0.1)
        & (out > 0)
        & (out < fw * HAIR_REACH)
        & ~hat
        & ~skinlike
        & (np.linalg.norm(lab - hair_lab, axis=2) < 18)
    )
    count, comps = cv2.connectedComponents(grown.astype(np.uint8), connectivity=8)
    keep = np.zeros(count, bool)
    keep[np.unique(comps[hair])] = True
    keep[0] = False
    # All of the strip is hair, however the hat's shadow falls on it (as the hair around
    # a bare head is); its colour is its lit part's.
    return keep[comps] | strip, hair_lab.astype(np.float32)


def hat_lab(lab: np.ndarray, hat: np.ndarray) -> np.ndarray:
    """A hat's main colour (Lab): the median of its pixels."""
    return np.median(lab[hat], axis=0) if hat.any() else np.zeros(3, np.float32)


def _end_clumps(hair: np.ndarray, face: np.ndarray, rig: FaceRig, f: float) -> np.ndarray:
    """Pointed locks along the hair's lower outer edge, as anime draws a bob's or long
    hair's ends: a tip every quarter of the face's width, pointing outwards (away from
    the head's centre), below the eyes and never over the face. Returns the tips."""
    h, w = hair.shape
    fw = rig.width * f
    eyes_y = float((rig.eye(-1)[:, 1].mean() + rig.eye(1)[:, 1].mean()) / 2 * f)
    centre = np.array(
        [(rig.points[234][0] + rig.points[454][0]) / 2 * f, eyes_y - rig.height * f * 0.15],
        np.float32,
    )
    contours, _ = cv2.findContours(hair.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    tips = np.zeros((h, w), np.uint8)
    period, length = fw / 4.0, fw * 0.11
    near_face = cv2.dilate(face.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    for contour in contours:
        pts = contour.reshape(-1, 2).astype(np.float32)
        if len(pts) < 8:
            continue
        steps = np.linalg.norm(np.diff(pts, axis=0, append=pts[:1]), axis=1)
        along = np.cumsum(steps)
        for mark in np.arange(period / 2, along[-1], period):
            i = int(np.searchsorted(along, mark))
            p = pts[min(i, len(pts) - 1)]
            x, y = int(p[0]), int(p[1])
            if y < eyes_y or near_face[min(y, h - 1), min(x, w - 1)]:
                continue
            out = p - centre
            norm = float(np.linalg.norm(out))
            if norm < 1:
                continue
            out /= norm
            across = np.array([-out[1], out[0]], np.float32)
            apex = p + out * length
            base = [p + across * period * 0.3 - out * 2, p - across * period * 0.3 - out * 2]
            triangle = np.round(np.array([apex, *base])).astype(np.int32)
            cv2.fillPoly(tips, [triangle], 1)
    return tips.astype(bool) & ~near_face


def _fringe_clumps(hair: np.ndarray, face: FaceRig, inside: np.ndarray, f: float) -> np.ndarray:
    """The fringe's lower edge over the forehead cut into pointed clumps, as anime bangs
    are drawn: where the hair comes down over the face, its edge becomes a row of tips
    (about five across the face) with notches between them, in the hair's own line."""
    h, w = hair.shape
    fw = face.width * f
    cx = float((face.points[234][0] + face.points[454][0]) / 2 * f)
    brow_y = min(face.points[105][1], face.points[334][1]) * f
    period = max(4.0, fw / 4.5)
    amp = fw * 0.08
    out = hair.copy()
    x0, x1 = int(max(0, cx - fw * 0.5)), int(min(w, cx + fw * 0.5))
    top = int(max(0, face.points[FOREHEAD][1] * f - fw * 0.3))
    bottom = int(min(h, brow_y + amp))
    for x in range(x0, x1):
        column = hair[top:bottom, x] & inside[top:bottom, x]
        if not column.any():
            continue
        edge = top + int(np.nonzero(column)[0].max())  # the fringe's lowest hair pixel
        if edge < brow_y - fw * 0.35:
            continue  # the forehead is bare here: no fringe to cut
        # A triangle wave: 0 at each clump's tip, 1 at the notch between two.
        t = (abs(((x - cx) / period + 0.5) % 1.0 - 0.5) * 2) ** 0.8
        # Tips never down over the brows: the brows carry the expression.
        new_edge = round(min(edge + amp * (1 - t) * 0.6, brow_y - fw * 0.1) - amp * t)
        if new_edge > edge:
            out[edge : new_edge + 1, x] |= inside[edge : new_edge + 1, x]
        else:
            out[new_edge + 1 : edge + 1, x] &= ~inside[new_edge + 1 : edge + 1, x]
    return out


def _tidy(mask: np.ndarray, scale: float, seed: np.ndarray | None = None) -> np.ndarray:
    """A mask with holes closed, specks gone and a smooth outline, as a drawn shape has."""
    k = max(3, round(scale / 14)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    m = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_CLOSE, kernel)
    m = cv2.morphologyEx(m, cv2.MORPH_OPEN, kernel)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
    keep = np.zeros(count, bool)
    big = max(16, scale * scale * 0.02)
    for i in range(1, count):
        if stats[i, cv2.CC_STAT_AREA] < big:
            continue
        keep[i] = seed is None or bool(seed[labels == i].any())
    m = keep[labels].astype(np.float32)
    m = cv2.GaussianBlur(m, (0, 0), max(1.0, scale / 40))
    return m > 0.5


def read_sitting(request: EngineRequest, work_side: int = WORK_SIDE) -> Sitting:
    """Crop the photo for the output, read the rig and prepare every mask and colour."""
    sitting = _read_sitting(request, work_side)
    return replace(sitting, padding=flat_padding(sitting.photo))


def _read_sitting(request: EngineRequest, work_side: int) -> Sitting:
    assert request.image is not None
    rgb = _to_rgb_array(request.image)
    out_w, out_h = request.output_size
    src_size = (rgb.shape[1], rgb.shape[0])
    subject = str(request.options.get("subject", "auto"))
    # A pet or a scene by the creator's word: no person is looked for.
    first = None if subject in ("pet", "scene") else _read(rgb)
    rig_ok = first is not None or subject in ("pet", "scene")
    if first is not None:
        boxes = [f.box for f in first.faces]
    elif subject in ("pet", "scene"):
        boxes = []
    else:  # no rig: OpenCV's Haar cascades still keep the faces in the crop
        boxes = [f.box for f in detect_faces(rgb, cats=False)]
    use = get_use(request.spec.use) if request.spec.use else None
    avatar = use is not None and use.name == "avatar" and bool(boxes)
    focus = _focus(boxes, src_size, avatar)
    crop = crop_box_for_aspect(src_size, out_w / out_h, focus, zoom=AVATAR_ZOOM if avatar else 1.0)
    region = rgb[crop[1] : crop[3], crop[0] : crop[2]]
    interp = cv2.INTER_AREA if region.shape[1] > out_w else cv2.INTER_CUBIC
    photo = np.ascontiguousarray(cv2.resize(region, (out_w, out_h), interpolation=interp))

    if first is None:
        rig = None
    elif crop == (0, 0, *src_size):  # the whole photo, only resized: the same rig, scaled
        k = out_w / src_size[0]
        rig = Rig(
            (out_w, out_h),
            tuple(fc.mapped(k) for fc in first.faces),
            cv2.resize(first.person, (out_w, out_h), interpolation=cv2.INTER_LINEAR),
            None,
        )
    else:
        rig = _read(photo)
    f = min(1.0, work_side / max(out_w, out_h))
    work_size = (max(8, round(out_w * f)), max(8, round(out_h * f)))
    work = cv2.resize(photo, work_size, interpolation=cv2.INTER_AREA)
    work = cv2.bilateralFilter(work, 9, 40, 7)
    work = cv2.bilateralFilter(work, 9, 40, 7)
    lab = cv2.cvtColor(work.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)
    grey = is_grey(photo)
    if rig is None:
        return _without_person(request, subject, photo, work, lab, f, rig_ok, grey)
    person = cv2.resize(rig.person, work_size, interpolation=cv2.INTER_LINEAR) > 0.5
    faces = [fc for fc in rig.faces if fc.width * f >= 24]
    heads = []
    hair_all = np.zeros(work.shape[:2], bool)
    skin_all = np.zeros(work.shape[:2], bool)
    if not faces:
        # No face: a pet, a scene, a person from behind. The person mask is unreliable
        # on animals, so the whole photo is painted as a scene (or a pet).
        return _without_person(request, subject, photo, work, lab, f, True, grey)
    person = _tidy(person, max(work_size) / 8)
    ovals = [eased_oval(face) for face in faces]
    if grey:
        work = colourize(work, [oval * f for oval in ovals], person)
        lab = cv2.cvtColor(work.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)
    for face, oval in zip(faces, ovals, strict=True):
        face_mask, hair, skin, hair_rgb, hat = _head_masks(face, oval, lab, work, person, f)
        iris = GREY_IRIS if grey else _iris_colour(photo, face)
        if grey:  # the photo's lightness in a natural skin colour, whatever was sampled
            skin = _natural_skin(skin)
        # A profile's glasses cannot be told from its nose bridge: not drawn.
        glasses = abs(face.turn) < 0.4 and wears_glasses(photo, face)
        frame, weight = glasses_frame(photo, face) if glasses else ((40, 36, 44), 1.0)
        heads.append(
            Head(
                face,
                oval,
                skin,
                hair_rgb,
                iris,
                glasses,
                hat=hat,
                frame=frame,
                frame_weight=weight,
                aged=aged(photo, face),
            )
        )
        hair_all |= hair
        skin_all |= face_mask
    person |= hair_all | skin_all
    return Sitting(photo, work, lab, f, person, tuple(heads), hair_all, skin_all, True, grey=grey)


def _without_person(
    request: EngineRequest,
    subject: str,
    photo: np.ndarray,
    work: np.ndarray,
    lab: np.ndarray,
    f: float,
    rig_ok: bool,
    grey: bool,
) -> Sitting:
    """A photo with no face to draw: a pet when its eyes are found (and a cascade or the
    creator says it is one), else a scene."""
    empty = np.zeros(work.shape[:2], bool)
    eyes = None
    if subject == "pet":
        eyes = find_pet_eyes(photo)
    elif subject == "auto":
        box = cat_face(photo)
        if box is not None or names_a_pet(request.text):
            eyes = find_pet_eyes(photo, box)
    pet = None
    if eyes is not None:
        scaled = tuple(PetEye(e.x * f, e.y * f, e.r * f, e.colour) for e in eyes)
        pet = _tidy(pet_mask(work, scaled), max(work.shape[:2]) / 8)  # type: ignore[arg-type]
    return Sitting(
        photo, work, lab, f, empty, (), empty, empty, rig_ok, pet_eyes=eyes, pet=pet, grey=grey
    )


def _skinlike(rgb: RGB, skin_lab: np.ndarray) -> bool:
    """Whether a colour is the skin's, in light or shadow (its hue, not much darker)."""
    lab = _rgb_lab(rgb)
    return bool(np.linalg.norm(lab[1:] - skin_lab[1:]) < 14 and lab[0] > skin_lab[0] - 35)


def _rgb_lab(rgb: RGB) -> np.ndarray:
    """One colour in Lab (L 0–100), as the sitting's ``lab`` images are."""
    return cv2.cvtColor(np.array([[rgb]], np.float32) / 255.0, cv2.COLOR_RGB2Lab)[0, 0]


def _lab_rgb(lab: np.ndarray) -> RGB:
    rgb = cv2.cvtColor(np.array(lab, np.float32).reshape(1, 1, 3), cv2.COLOR_Lab2RGB)[0, 0]
    r, g, b = (int(np.clip(v * 255 + 0.5, 0, 255)) for v in rgb)
    return (r, g, b)


#: A greyscale photo's iris (it has no colour to read): a warm brown.
GREY_IRIS: Final = (128, 86, 58)
#: Skin's chroma (Lab a, b) laid onto a greyscale photo's faces: a natural mid tone. A
#: greyscale photo cannot tell a skin tone; its lightness is kept.
GREY_SKIN_AB: Final = (13.0, 17.0)
GREY_TINT_AB: Final = (1.0, -7.0)


def _natural_skin(sampled: RGB) -> RGB:
    """A greyscale photo's sampled skin: its lightness, in `GREY_SKIN_AB`'s colour."""
    grey = np.array([[sampled]], np.float32) / 255
    L = float(cv2.cvtColor(grey, cv2.COLOR_RGB2Lab)[0, 0, 0])
    lab = np.array([[[L, *GREY_SKIN_AB]]], np.float32)
    rgb = np.clip(cv2.cvtColor(lab, cv2.COLOR_Lab2RGB)[0, 0] * 255 + 0.5, 0, 255)
    return (int(rgb[0]), int(rgb[1]), int(rgb[2]))


#: How far from a face (on its height) a greyscale photo's skin-light pixels are skin.
NEAR_FACE: Final = 0.33


def colourize(work: np.ndarray, ovals: list[np.ndarray], person: np.ndarray) -> np.ndarray:
    """A greyscale photo in a natural palette: skin in a skin colour on the faces (and
    the neck and hands of the same lightness near them), everything else in one gentle
    cool tint — never grey skin."""
    lab = cv2.cvtColor(work.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)
    L = lab[..., 0]
    # One cool slate tint over everything (one hue, so nothing splits by lightness into
    # patches of two colours), deeper in the shadows.
    lab[..., 1] = GREY_TINT_AB[0]
    lab[..., 2] = GREY_TINT_AB[1] * (1.2 - L / 160)
    h, w = L.shape
    faces = np.zeros((h, w), np.uint8)
    for oval in ovals:
        cv2.fillPoly(faces, [np.round(oval).astype(np.int32)], 1)
    face = faces.astype(bool)
    if face.any():
        level = float(np.median(L[face]))
        # Near a face: within a third of its height (a profile's nose and chin, the
        # ears, the neck, a hand at the cheek) — not a camera held a head's length out.
        tall = float(np.median([np.ptp(oval[:, 1]) for oval in ovals]))
        away = cv2.distanceTransform((~face).astype(np.uint8), cv2.DIST_L2, 3)
        near = away < max(3.0, tall * NEAR_FACE)
        skin = face | (person & near & (np.abs(L - level) < 9))
        soft = cv2.GaussianBlur(skin.astype(np.float32), (0, 0), 1.5)
        # Lighter skin a little less saturated, as real skin is.
        k = soft * np.clip(1.15 - L / 200, 0.6, 1.0)
        lab[..., 1] = lab[..., 1] * (1 - soft) + GREY_SKIN_AB[0] * k
        lab[..., 2] = lab[..., 2] * (1 - soft) + GREY_SKIN_AB[1] * k
    rgb = cv2.cvtColor(lab, cv2.COLOR_Lab2RGB)
    return np.clip(rgb * 255 + 0.5, 0, 255).astype(np.uint8)


def flat_padding(photo: np.ndarray) -> np.ndarray | None:
    """Where the photo is one exact colour in pieces touching its edge (letterbox bars,
    the corners a rotation filled), each over 0.5% of the picture; None if nowhere."""
    h, w = photo.shape[:2]
    kernel = np.ones((3, 3), np.uint8)
    spread = (cv2.dilate(photo, kernel).astype(np.int16) - cv2.erode(photo, kernel)).max(axis=2)
    flat = (spread == 0).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(flat, connectivity=4)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    big = [
        i
        for i in edge
        if i > 0 and stats[i, cv2.CC_STAT_AREA] > h * w * 0.005 and _straight(labels == i)
    ]
    if not big:
        return None
    return cv2.dilate(np.isin(labels, big).astype(np.uint8), kernel).astype(bool)


def _straight(piece: np.ndarray) -> bool:
    """Whether a flat piece is padding's shape (a corner triangle, a bar): convex, with
    no holes, not the ragged shape of a photo's own clipped black or white."""
    contours, _ = cv2.findContours(
        piece.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
    )
    if len(contours) != 1:
        return False
    hull = cv2.contourArea(cv2.convexHull(contours[0]))
    return hull > 0 and float(piece.sum()) / hull > 0.97


def is_grey(photo: np.ndarray) -> bool:
    """Whether a photo is greyscale or sepia-toned: its colours hardly vary in hue, with
    very little chroma anywhere."""
    lab = cv2.cvtColor(
        cv2.resize(photo, (96, 96), interpolation=cv2.INTER_AREA).astype(np.float32) / 255,
        cv2.COLOR_RGB2Lab,
    )
    a, b = lab[..., 1].ravel(), lab[..., 2].ravel()
    # Sepia: every pixel's (a, b) close to the photo's one tint.
    spread = np.hypot(a - np.median(a), b - np.median(b))
    return bool(np.percentile(spread, 95) < 4.0)
