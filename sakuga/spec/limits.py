"""Every limit a request has, in one place: the CLI's flags, the API's bodies (and so
the OpenAPI schema), the ArtSpec and the engine request all read these."""

from __future__ import annotations

from typing import Final

#: Versions one request makes.
MAX_IMAGES: Final = 10
#: Seeds are unsigned 32-bit: versions use seed, seed+1, … (mod 2**32).
SEED_SPACE: Final = 2**32
MAX_SEED: Final = SEED_SPACE - 1
#: Characters in a prompt (and a character's description).
MAX_PROMPT_LENGTH: Final = 4000
#: Output width and height, in pixels.
MIN_SIDE: Final = 16
MAX_SIDE: Final = 8192
