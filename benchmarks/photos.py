"""Every real photo that ships in this project's dependencies, with variants, split into
a tuning set and a held-out third.

    from benchmarks.photos import corpus
    for photo in corpus(): ...

The photos: scikit-image's colour and greyscale photographs (astronaut, camera,
chelsea, coffee, rocket, hubble_deep_field, moon, clock, and the left view of its
motorcycle pair), matplotlib's portrait of Grace Hopper (an older woman in a navy cap,
glasses and a uniform with ribbons: white hair, a hat, age) and, when scikit-learn is
installed (the `bench` extra), its two sample images (china, flower). Textures,
micrographs, drawings and text pages are not photos people bring, and are left out.

Variants of each: the photo, its mirror image, greyscale, a tight crop around the
centre, a 15° rotation and (from December 2026) a sepia print. The held-out third is
fixed by a hash of the name, not chosen by looking: tune on `split="tune"`, report
`split="held"`. Photos and variants added later are split among themselves, so an
earlier pair never moves between the two sets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image, ImageOps

#: What each photo shows: a face (a person looking at the camera), a profile, a pet, or
#: no one.
KINDS = {
    "astronaut": "face",
    "camera": "profile",
    "chelsea": "pet",
    "coffee": "scene",
    "rocket": "scene",
    "hubble_deep_field": "scene",
    "moon": "scene",
    "clock": "scene",
    "china": "scene",
    "flower": "scene",
    # Added in December 2026 (split among themselves: `BATCHES`).
    "grace_hopper": "face",
    "motorcycle": "scene",
}
#: The photos in the order they joined: each batch's third is held out on its own.
BATCHES = (tuple(KINDS)[:10], ("grace_hopper", "motorcycle"))

#: The variants in the order they joined, split like the photos (`VARIANT_BATCHES`).
VARIANT_BATCHES = (("photo", "mirror", "grey", "crop", "rotated"), ("sepia",))
VARIANTS = tuple(v for batch in VARIANT_BATCHES for v in batch)


@dataclass(frozen=True)
class Photo:
    name: str  # base photo
    variant: str
    kind: str
    image: Image.Image

    @property
    def label(self) -> str:
        return f"{self.name}/{self.variant}"

    @property
    def held_out(self) -> bool:
        return held_out(self.name, self.variant)


def _key(label: str) -> bytes:
    return hashlib.sha256(label.encode()).digest()


#: Every third (name, variant) pair of each batch in the order of their hashes: a third
#: exactly, the same split on every run, and not chosen by looking.
HELD_OUT = frozenset(
    label
    for batch in BATCHES
    for variants in VARIANT_BATCHES
    for label in sorted((f"{n}/{v}" for n in batch for v in variants), key=_key)[::3]
)


def held_out(name: str, variant: str) -> bool:
    return f"{name}/{variant}" in HELD_OUT


def _base_photos() -> Iterator[tuple[str, Image.Image]]:
    from skimage import data

    for name in KINDS:
        if name in ("china", "flower", "grace_hopper"):
            continue
        array = data.stereo_motorcycle()[0] if name == "motorcycle" else getattr(data, name)()
        yield name, Image.fromarray(np.ascontiguousarray(array)).convert("RGB")
    from sakuga.imaging.samples import load_sample

    yield "grace_hopper", load_sample("hopper")
    try:
        from sklearn.datasets import load_sample_image
    except ImportError:
        return
    for name in ("china", "flower"):
        yield name, Image.fromarray(load_sample_image(f"{name}.jpg")).convert("RGB")


def variant_of(image: Image.Image, variant: str) -> Image.Image:
    w, h = image.size
    if variant == "mirror":
        return ImageOps.mirror(image)
    if variant == "grey":
        return ImageOps.grayscale(image).convert("RGB")
    if variant == "crop":
        return image.crop((round(w * 0.15), round(h * 0.1), round(w * 0.85), round(h * 0.9)))
    if variant == "sepia":  # the usual toning matrix, its highlights clipped
        rgb = np.asarray(image.convert("RGB"), np.float32)
        tone = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]])
        return Image.fromarray(np.clip(rgb @ tone.T, 0, 255).astype(np.uint8))
    if variant == "rotated":
        return image.rotate(
            15, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(128,) * 3
        )
    return image


def corpus(split: Literal["all", "tune", "held"] = "all") -> Iterator[Photo]:
    """Every photo × every variant in ``split``."""
    for name, image in _base_photos():
        for variant in VARIANTS:
            if split != "all" and held_out(name, variant) != (split == "held"):
                continue
            yield Photo(name, variant, KINDS[name], variant_of(image, variant))
