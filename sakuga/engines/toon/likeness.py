"""A person's look read off a photo, as a saved character's traits (`character create
--from-photo`): hair colour, length and style; eye colour; skin tone; glasses; face shape;
an older face; a hat and its colour."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from PIL import Image

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.draw.svg import RGB
from sakuga.engines.draw.words import SKIN_TONES
from sakuga.engines.toon.sitting import read_sitting
from sakuga.engines.toon.tones import to_lab
from sakuga.errors import ImageError, SpecError
from sakuga.imaging.rig import CHIN, FaceRig, rig_status
from sakuga.prompt.vocab import COLOR_RGB

#: The colour words a character's hair and eyes are named with (the draw engine and
#: AI engines both know them).
HAIR_NAMES: Final = (
    "black", "brown", "chestnut", "chocolate", "auburn", "ginger", "copper", "blonde",
    "platinum", "silver", "grey", "white", "red", "pink", "blue", "purple", "green",
)  # fmt: skip
HAT_NAMES: Final = (
    "black", "navy", "blue", "white", "grey", "red", "green", "brown", "beige", "pink",
)  # fmt: skip
EYE_NAMES: Final = ("brown", "amber", "blue", "sky blue", "green", "grey", "black", "violet")


def nearest_name(rgb: RGB, names: tuple[str, ...]) -> str:
    """The colour name whose colour is nearest ``rgb`` (CIELAB distance)."""
    lab = to_lab(rgb)
    return min(names, key=lambda n: float(np.linalg.norm(to_lab(COLOR_RGB[n]) - lab)))


@dataclass(frozen=True)
class Likeness:
    hair: RGB
    hair_name: str
    hair_length: str  # short, bob (to the jaw or shoulders), long
    eyes: RGB
    eye_name: str
    skin: RGB
    skin_name: str  # one of the draw engine's skin tones
    glasses: bool
    face_shape: str  # round, oval, long
    elderly: bool = False
    hat: str | None = None  # "navy cap": a hat's colour name, when one is worn
    #: In a photo of several people, the box (left, top, right, bottom) around the one
    #: read: what their reference image is cropped to.
    portrait: tuple[int, int, int, int] | None = None

    def traits(self) -> dict[str, str]:
        """The saved character's parts: who (eyes, skin, face, glasses) and hair."""
        who = [f"{self.eye_name} eyes", f"{self.skin_name} skin", f"{self.face_shape} face"]
        if self.glasses:
            who.append("glasses")
        if self.hat:
            who.append(self.hat)
        person = "elderly person" if self.elderly else "person"
        return {
            "character": f"{person} with " + ", ".join(who),
            "hair": f"{self.hair_name} {self.hair_length} hair",
        }


def read_likeness(image: Image.Image, person: int | None = None) -> Likeness:
    """Read the look of the face in ``image``; in a photo of several people, of the
    ``person``-th from the left (counting from 1), which must then be said: the wrong
    one is never read silently."""
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=image, size=image.size))
    if not sitting.rig:
        raise ImageError(f"cannot read a face without the face rig: {rig_status()}")
    if not sitting.heads:
        raise ImageError("no face found in the photo")
    heads = sorted(sitting.heads, key=lambda h: float(h.face.points[:, 0].mean()))
    count = len(heads)
    if person is not None and not 1 <= person <= count:
        people = "one person" if count == 1 else f"{count} people"
        raise SpecError(f"the photo shows {people}: person {person} is not one of them")
    if person is None and count > 1:
        raise SpecError(
            f"the photo shows {count} people: say which to read, 1 to {count} from the "
            "left (--person N)"
        )
    head = heads[(person or 1) - 1]
    face = head.face
    f = sitting.factor
    ys = np.nonzero(sitting.hair)[0]
    below = (ys.max() / f - face.points[CHIN][1]) / face.height if len(ys) else -1.0
    length = "short" if below < 0.15 else "bob" if below < 0.9 else "long"
    ratio = face.width / max(face.height, 1.0)
    shape = "round" if ratio > 0.95 else "long" if ratio < 0.78 else "oval"
    skin_lab = to_lab(head.skin)
    skin_name = min(
        SKIN_TONES, key=lambda n: float(np.linalg.norm(to_lab(SKIN_TONES[n]) - skin_lab))
    )
    return Likeness(
        hair=head.hair,
        hair_name=nearest_name(head.hair, HAIR_NAMES),
        hair_length=length,
        eyes=head.iris,
        eye_name=nearest_name(head.iris, EYE_NAMES),
        skin=head.skin,
        skin_name=skin_name,
        glasses=head.glasses,
        face_shape=shape,
        elderly=head.aged,
        hat=None if head.hat is None else f"{nearest_name(head.hat, HAT_NAMES)} cap",
        portrait=_portrait(face, image.size) if count > 1 else None,
    )


def _portrait(face: FaceRig, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """A head-and-shoulders box around ``face``, inside a picture of ``size``."""
    left, top = face.points.min(axis=0)
    right, bottom = face.points.max(axis=0)
    w, h = right - left, bottom - top
    box = (left - 0.8 * w, top - 0.9 * h, right + 0.8 * w, bottom + 1.2 * h)
    return (
        max(0, int(box[0])),
        max(0, int(box[1])),
        min(size[0], int(box[2])),
        min(size[1], int(box[3])),
    )
