"""Every limit a request has, in one place: the CLI's flags, the API's bodies (and so
the OpenAPI schema), the ArtSpec and the engine request all read these."""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import Field

#: Versions one request makes.
MAX_IMAGES: Final = 10
#: Seeds are unsigned 32-bit: versions use seed, seed+1, … (mod 2**32).
SEED_SPACE: Final = 2**32
MAX_SEED: Final = SEED_SPACE - 1
#: A seed and a count of versions as every request body, payload and prompt declares
#: them: checked against these limits wherever a request comes in.
Seed = Annotated[int, Field(ge=0, le=MAX_SEED)]
Count = Annotated[int, Field(ge=1, le=MAX_IMAGES)]
#: Characters in a prompt (and a character's description).
MAX_PROMPT_LENGTH: Final = 4000
#: Output width and height, in pixels.
MIN_SIDE: Final = 16
MAX_SIDE: Final = 8192
#: Pixels in one image, read or written: Sakuga reads back everything it writes, so an
#: output may be 8192 wide or tall, but not both (8192x8192 is 67 MP).
MAX_PIXELS: Final = 40_000_000


def check_size(width: int, height: int) -> None:
    """Raise `SpecError` unless ``width``x``height`` is a size Sakuga makes."""
    from sakuga.errors import SpecError

    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise SpecError(
            f"width and height must be between {MIN_SIDE} and {MAX_SIDE}, got {width}x{height}"
        )
    if width * height > MAX_PIXELS:
        side = int(MAX_PIXELS**0.5)
        raise SpecError(
            f"{width}x{height} is {width * height / 1e6:.0f} megapixels, over the "
            f"{MAX_PIXELS / 1e6:.0f} MP an image may have (the largest square is {side}x{side})"
        )
