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
from sakuga.engines.draw.svg import RGB
from sakuga.engines.toon.grey import (
    GREY_IRIS,
    colourize,
    exposed,
    exposure_lift,
    flat_padding,
    is_grey,
    natural_hair,
    natural_skin,
)
from sakuga.engines.toon.hair import head_masks, tidy
from sakuga.engines.toon.held import held_object
from sakuga.engines.toon.looks import aged, glasses_frame, iris_colour, wears_glasses
from sakuga.engines.toon.pet import (
    PetEye,
    PetNose,
    cat_face,
    find_pet_eyes,
    find_pet_nose,
    names_a_pet,
    pet_mask,
)
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
    pet_nose: PetNose | None = None  # output pixels, with the eyes
    grey: bool = False  # a greyscale or sepia photo: drawn in a natural palette
    #: Flat fill at the photo's edges (letterbox bars, a rotation's padding), output
    #: size: kept as it is, not painted or inked as part of the picture.
    padding: np.ndarray | None = None
    #: bool, work size: what lies before each profile's face (`in_front`); None with
    #: no face.
    front: np.ndarray | None = None
    #: bool, work size: what is held before a profile's face, drawn as an object
    #: (`held.held_object`); part of ``person``; None when nothing is.
    held: np.ndarray | None = None
    #: bool, work size: the hats worn (painted at their own scale, `clothes.paint_body`);
    #: None when no one wears one.
    hats: np.ndarray | None = None

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
    eyes_t = float(np.dot(face.eyes - top, down)) / length
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
    return profile_outline(face, out)


#: The face's midline from the forehead's top down the nose and the lips' outer edges
#: to the chin: a profile's silhouette.
MIDLINE: Final = (10, 151, 9, 8, 168, 6, 197, 195, 5, 4, 1, 19, 94, 2, 164, 0, 17, 18, 200,
                  199, 175, 152)  # fmt: skip


def profile_outline(face: FaceRig, oval: np.ndarray) -> np.ndarray:
    """A profile's outline: its facing side is the midline (brow, nose, lips, chin), not
    the far cheek's points, which the mesh lays inside the face. The same 36 points in
    FACE_OVAL's order (forehead 0, chin 18), so the jaw's line runs down the nose and
    lips, under the chin to the ear."""
    mid = face.at(MIDLINE).astype(np.float32)
    steps = np.r_[0, np.cumsum(np.linalg.norm(np.diff(mid, axis=0), axis=1))]
    at = np.linspace(0, steps[-1], 19)
    line = np.stack([np.interp(at, steps, mid[:, k]) for k in (0, 1)], axis=1)
    out = oval.copy()
    if face.turn > 0:  # facing the image's right: FACE_OVAL's first half
        out[1:18] = line[1:18]
    else:  # facing left: its second half, chin back up to the forehead
        out[19:36] = line[::-1][1:18]
    return out.astype(np.float32)


def in_front(face: FaceRig, oval: np.ndarray, shape: tuple[int, ...], f: float) -> np.ndarray:
    """A profile's front at work size (factor ``f``): what lies beyond its silhouette
    from the brow's height down to the chin, and below the chin ahead of it — a camera
    at the eye, a cup at the lips, a hand under the chin. Nothing there is its hair or
    its skin (the throat runs down and back). Empty for a face that is not a profile."""
    front = np.zeros(shape, np.uint8)
    if abs(face.turn) < PROFILE_TURN:
        return front.astype(bool)
    side = oval[0:19] if face.turn > 0 else oval[18:36][::-1]  # forehead → chin
    eyes_y = float(face.eyes[1])
    edge = side[side[:, 1] >= eyes_y - face.height * 0.12] * f  # from the brow down
    if len(edge) < 2:
        return front.astype(bool)
    far = shape[1] + 1 if face.turn > 0 else -2
    below = edge[-1, 1] + face.height * f * 0.4
    poly = np.vstack([edge, [[edge[-1, 0], below], [far, below], [far, edge[0, 1]]]])
    cv2.fillPoly(front, [np.round(poly).astype(np.int32)], 1)
    return front.astype(bool)


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
    cat = subject == "auto" and first is not None and _a_cat_instead(rgb, first)
    if cat:
        first = None  # the face mesh fitted a human face to a cat's
    if first is not None:
        boxes = [f.box for f in first.faces]
    elif subject in ("pet", "scene") or cat:
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
    lift = exposure_lift(lab)
    if lift > 1.0:  # a too-dark photo read as if it were exposed right (judge T5)
        work = exposed(work, lift)
        lab = cv2.cvtColor(work.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)
    grey = is_grey(photo)
    if rig is None:
        return _without_person(request, subject, photo, work, lab, f, rig_ok, grey)
    person = cv2.resize(rig.person, work_size, interpolation=cv2.INTER_LINEAR) > 0.5
    faces = [fc for fc in rig.faces if fc.width * f >= 24]
    heads = []
    hair_all = np.zeros(work.shape[:2], bool)
    skin_all = np.zeros(work.shape[:2], bool)
    hats = np.zeros(work.shape[:2], bool)
    if not faces:
        # No face: a pet, a scene, a person from behind. The person mask is unreliable
        # on animals, so the whole photo is painted as a scene (or a pet).
        return _without_person(request, subject, photo, work, lab, f, True, grey)
    person = tidy(person, max(work_size) / 8)
    ovals = [eased_oval(face) for face in faces]
    fronts = [in_front(fc, oval, person.shape, f) for fc, oval in zip(faces, ovals, strict=True)]
    front = np.any(fronts, axis=0)
    if grey:
        work = colourize(work, [oval * f for oval in ovals], person & ~front)
        lab = cv2.cvtColor(work.astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)
    for face, oval, ahead in zip(faces, ovals, fronts, strict=True):
        face_mask, hair, skin, hair_rgb, hat, worn = head_masks(
            face, oval, lab, work, person, f, ahead
        )
        iris = GREY_IRIS if grey else iris_colour(photo, face)
        if grey:  # the photo's lightness in a natural skin and hair colour
            skin = natural_skin(skin)
            hair_rgb = natural_hair(hair_rgb)
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
        hats |= worn
    held = held_object(work, lab, person, front, hair_all | skin_all)
    person |= hair_all | skin_all
    if held is not None:
        person |= held
    person = enclosed_filled(person, HOLE_SHARE)
    return Sitting(
        photo,
        work,
        lab,
        f,
        person,
        tuple(heads),
        hair_all,
        skin_all,
        True,
        grey=grey,
        front=front,
        held=held,
        hats=hats & person & ~hair_all & ~skin_all if hats.any() else None,
    )


#: The largest hole inside a person's outline that is still the person (a share of the
#: frame): the segmentation's misses (a white collar, a glint on a glove), which painted
#: in the backdrop's colour read as holes through the figure. A real gap (an arm on a
#: hip) is larger.
HOLE_SHARE: Final = 0.005


def enclosed_filled(mask: np.ndarray, share: float) -> np.ndarray:
    """``mask`` with the holes it encloses (not reaching the frame's edge) up to
    ``share`` of the frame filled."""
    outside = (~mask).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(outside, connectivity=4)
    h, w = mask.shape
    fill = np.zeros(count, bool)
    for i in range(1, count):
        x, y, bw, bh, area = stats[i]
        inner = x > 0 and y > 0 and x + bw < w and y + bh < h
        fill[i] = inner and area <= share * h * w
    return mask | fill[labels]


#: A face at least this share of the photo's shorter side across is close enough to
#: be a cat's misread by the face mesh (which fits a human face to a cat's close-up).
CAT_CHECK: Final = 0.25


def _a_cat_instead(rgb: np.ndarray, rig: Rig) -> bool:
    """Whether the rig's only face is a cat's: OpenCV's cat-face cascades find one
    (`pet.cat_face`) around the face's middle. Only asked of a close face
    (``CAT_CHECK``), the cascades' tenth of a second being spent there."""
    if len(rig.faces) != 1 or rig.faces[0].width < CAT_CHECK * min(rgb.shape[:2]):
        return False
    box = cat_face(rgb)
    if box is None:
        return False
    cx, cy = rig.faces[0].points[[234, 454]].mean(axis=0)
    return bool(box[0] <= cx <= box[2] and box[1] <= cy <= box[3])


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
    pet = nose = None
    if eyes is not None:
        nose = find_pet_nose(photo, eyes)
        scaled = tuple(PetEye(e.x * f, e.y * f, e.r * f, e.colour) for e in eyes)
        detail = cv2.resize(photo, (work.shape[1], work.shape[0]), interpolation=cv2.INTER_AREA)
        mask = pet_mask(work, scaled, detail)  # type: ignore[arg-type]
        # A drawn animal's outline: smooth, not GrabCut's every tuft.
        pet = tidy(mask, max(work.shape[:2]) / 3)
    return Sitting(
        photo,
        work,
        lab,
        f,
        empty,
        (),
        empty,
        empty,
        rig_ok,
        pet_eyes=eyes,
        pet=pet,
        pet_nose=nose,
        grey=grey,
    )
