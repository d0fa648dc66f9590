"""Real sample photos that ship inside packages, so demos and tests need no downloads.

``sample:astronaut`` and ``sample:cat`` come from scikit-image (``pip install
'sakuga[samples]'``); ``sample:couple`` puts the astronaut beside her mirror image,
a stand-in for a two-person photo.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from PIL import Image

from sakuga.errors import ImageError

PREFIX: Final = "sample:"
SAMPLES: Final = ("astronaut", "cat", "couple")


def is_sample(name: str) -> bool:
    return name.startswith(PREFIX)


def load_sample(name: str) -> Image.Image:
    """The sample photo ``name`` (with or without the ``sample:`` prefix) as RGB."""
    key = name.removeprefix(PREFIX)
    if key not in SAMPLES:
        raise ImageError(f"unknown sample {key!r}; samples: {', '.join(SAMPLES)}")
    try:
        from skimage import data
    except ImportError:
        raise ImageError(
            "sample photos come from scikit-image: pip install 'sakuga[samples]'"
        ) from None
    if key == "astronaut":
        array = data.astronaut()
    elif key == "cat":
        array = data.chelsea()
    else:
        one = data.astronaut()
        array = np.concatenate([one, one[:, ::-1]], axis=1)
    return Image.fromarray(np.ascontiguousarray(array), "RGB")
