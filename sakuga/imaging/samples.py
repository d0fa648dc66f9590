"""Real sample photos that ship inside packages, so demos and tests need no downloads.

``sample:astronaut`` (a portrait), ``sample:cat`` (a pet), ``sample:camera`` (a man in
profile behind a camera, greyscale), ``sample:coffee``, ``sample:rocket`` and
``sample:motorcycle`` (no one) come from scikit-image (``pip install 'sakuga[samples]'``);
``sample:hopper`` (Grace Hopper's portrait: an older woman in a navy cap, glasses and
uniform with ribbons) ships in matplotlib, which Sakuga installs for its fonts. No
package ships a photo of two people, so there is no couple sample: a mirrored portrait
is not a couple.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from PIL import Image

from sakuga.errors import ImageError
from sakuga.install import install_hint

PREFIX: Final = "sample:"
SAMPLES: Final = ("astronaut", "hopper", "cat", "camera", "coffee", "rocket", "motorcycle")


def is_sample(name: str) -> bool:
    return name.startswith(PREFIX)


def load_sample(name: str) -> Image.Image:
    """The sample photo ``name`` (with or without the ``sample:`` prefix) as RGB."""
    key = name.removeprefix(PREFIX)
    if key not in SAMPLES:
        raise ImageError(f"unknown sample {key!r}; samples: {', '.join(SAMPLES)}")
    if key == "hopper":
        from matplotlib import cbook

        path = cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
        return Image.open(str(path)).convert("RGB")
    try:
        from skimage import data
    except ImportError:
        raise ImageError(
            f"sample photos come from scikit-image: {install_hint('samples')}"
        ) from None
    if key == "motorcycle":
        array = data.stereo_motorcycle()[0]  # the left view
    else:
        array = getattr(data, "chelsea" if key == "cat" else key)()
    return Image.fromarray(np.ascontiguousarray(array)).convert("RGB")
