from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from sakuga.errors import MaskError
from sakuga.imaging.masks import mask_array, paste_outside_mask, seam_alpha


@pytest.mark.parametrize("size", [(37, 23), (64, 64), (101, 7)])
def test_outside_mask_plus_seam_is_exactly_the_original(size: tuple[int, int]) -> None:
    rng = np.random.default_rng(0)
    w, h = size
    original = Image.fromarray(rng.integers(0, 256, (h, w, 3), np.uint8))
    edited = Image.fromarray(rng.integers(0, 256, (h, w, 3), np.uint8))
    mask = Image.new("L", size, 0)
    mask.paste(255, (w // 3, h // 3, w // 3 + max(1, w // 4), h // 3 + max(1, h // 4)))
    out = np.asarray(paste_outside_mask(original, edited, mask, seam=4))
    selected = mask_array(mask, size)
    alpha = seam_alpha(selected, 4)
    assert np.array_equal(out[alpha == 0], np.asarray(original)[alpha == 0])
    assert np.array_equal(out[selected], np.asarray(edited)[selected])
    # The seam reaches no further than 4 px from the mask.
    xs = np.nonzero(alpha > 0)[1]
    mx = np.nonzero(selected)[1]
    assert xs.min() >= mx.min() - 4 and xs.max() <= mx.max() + 4


def test_rgba_mask_transparent_means_keep() -> None:
    mask = Image.new("RGBA", (10, 10), (255, 255, 255, 0))
    mask.paste((255, 255, 255, 255), (2, 2, 5, 5))
    selected = mask_array(mask, (10, 10))
    assert selected.sum() == 9


def test_wrong_size_mask() -> None:
    with pytest.raises(MaskError, match=r"size of the image \(10x10\), got 8x8"):
        mask_array(Image.new("L", (8, 8), 255), (10, 10))


def test_empty_mask() -> None:
    with pytest.raises(MaskError, match="empty"):
        mask_array(Image.new("L", (8, 8), 0), (8, 8))
