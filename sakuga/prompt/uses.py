"""Final uses as data: the size, aspect, safe area and format each one needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Literal

from sakuga.errors import SpecError
from sakuga.prompt.limits import check_size

ImageFormat = Literal["png", "jpeg", "webp"]


@dataclass(frozen=True)
class SafeArea:
    """Insets, as fractions of width/height, that text and faces should stay inside."""

    left: float = 0.05
    top: float = 0.05
    right: float = 0.05
    bottom: float = 0.05

    def box(self, width: int, height: int) -> tuple[int, int, int, int]:
        """The safe rectangle ``(x0, y0, x1, y1)`` in pixels for a ``width``×``height`` image."""
        return (
            round(width * self.left),
            round(height * self.top),
            round(width * (1 - self.right)),
            round(height * (1 - self.bottom)),
        )


@dataclass(frozen=True)
class Use:
    """A final use: what the picture is for decides its size and format."""

    name: str
    title: str
    width: int
    height: int
    format: ImageFormat
    notes: str
    prompt: str  # the composition hint AI engines receive
    transparent: bool = False
    circle_crop: bool = False
    safe_area: SafeArea = field(default_factory=SafeArea)
    aliases: tuple[str, ...] = ()
    suggestions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    @property
    def aspect(self) -> str:
        ratio = Fraction(self.width, self.height)
        return f"{ratio.numerator}:{ratio.denominator}"


_USES: tuple[Use, ...] = (
    Use(
        name="avatar",
        title="Avatar / profile picture",
        width=1024,
        height=1024,
        format="png",
        notes="square; keep the face inside the circle crop",
        prompt="head and shoulders portrait, centered, looking at the viewer",
        circle_crop=True,
        # A circle inscribed in the square: keep faces inside its central square.
        safe_area=SafeArea(0.15, 0.15, 0.15, 0.15),
        aliases=("pfp", "profile picture", "profile", "icon", "avatar picture"),
        suggestions={
            "pose": ("bust portrait, looking at the viewer", "head tilted, close-up"),
            "background": ("simple gradient background", "soft bokeh background"),
        },
    ),
    Use(
        name="poster",
        title="Poster",
        width=1024,
        height=1536,
        format="png",
        notes="2:3 portrait; leave the top or bottom third for the title",
        prompt="vertical poster composition, room for a title",
        safe_area=SafeArea(0.06, 0.06, 0.06, 0.06),
        aliases=("movie poster", "flyer"),
        suggestions={
            "pose": ("full body, dynamic pose", "standing, looking up"),
            "background": ("wide city skyline at dusk", "vast starry sky"),
        },
    ),
    Use(
        name="cover",
        title="Music cover",
        width=3000,
        height=3000,
        format="png",
        notes="streaming stores ask for at least 3000×3000; artist and title must read small",
        prompt="square album cover composition, striking focal point",
        safe_area=SafeArea(0.08, 0.08, 0.08, 0.08),
        aliases=("music cover", "album cover", "album art", "cover art", "single cover"),
        suggestions={
            "mood": ("dreamy", "melancholic"),
            "lighting": ("neon glow", "sunset backlight"),
        },
    ),
    Use(
        name="thumbnail",
        title="Video thumbnail",
        width=1280,
        height=720,
        format="jpeg",
        notes="16:9; a short big title must stay legible at 320 px wide",
        prompt="bold readable composition, expressive face",
        safe_area=SafeArea(0.05, 0.08, 0.05, 0.08),
        aliases=("youtube thumbnail", "video thumbnail", "yt thumbnail"),
        suggestions={
            "expression": ("surprised, wide eyes", "excited grin"),
            "pose": ("pointing at the viewer", "upper body, leaning in"),
        },
    ),
    Use(
        name="social",
        title="Social post",
        width=1080,
        height=1350,
        format="jpeg",
        notes="4:5 portrait feed post",
        prompt="vertical 4:5 composition",
        aliases=("social post", "instagram", "instagram post", "post"),
    ),
    Use(
        name="wallpaper",
        title="Story scene / wallpaper",
        width=1920,
        height=1080,
        format="png",
        notes="16:9 landscape scene",
        prompt="wide cinematic scene",
        aliases=("story scene", "scene", "desktop wallpaper", "desktop background", "landscape"),
        suggestions={
            "background": ("sweeping city view at night", "sakura-lined river at sunset"),
            "pose": ("small figure in a wide shot", "walking away from the viewer"),
        },
    ),
    Use(
        name="banner",
        title="Channel banner",
        width=2560,
        height=1440,
        format="png",
        notes="YouTube channel art; the title and the face inside the middle 1546×423, "
        "the part every device shows",
        prompt="wide channel banner, the character in the middle, open space beside",
        # YouTube's safe area for text and logos: 1546×423 in the middle of 2560×1440.
        safe_area=SafeArea(0.198, 0.353, 0.198, 0.353),
        aliases=("channel banner", "youtube banner", "channel art", "header", "banner art"),
        suggestions={
            "pose": ("upper body, waving", "bust portrait, smiling"),
            "background": ("wide neon city skyline", "soft gradient sky"),
        },
    ),
    Use(
        name="sticker",
        title="Sticker",
        width=512,
        height=512,
        format="png",
        notes="transparent cut-out with a white outline",
        prompt="die-cut sticker, full body, simple white background, thick outline",
        transparent=True,
        safe_area=SafeArea(0.06, 0.06, 0.06, 0.06),
        aliases=("stickers", "emote", "emoji", "line sticker"),
        suggestions={
            "pose": ("chibi full body, waving", "peace sign"),
            "background": ("transparent background",),
            "expression": ("laughing", "crying comically"),
        },
    ),
    Use(
        name="sheet",
        title="Character sheet",
        width=2048,
        height=1024,
        format="png",
        notes="a grid of views or expressions of one character",
        prompt="character reference sheet, multiple views, plain background",
        aliases=("character sheet", "reference sheet", "ref sheet", "model sheet", "turnaround"),
        suggestions={
            "pose": ("front, side and back views", "T-pose, neutral"),
            "background": ("plain white background",),
        },
    ),
)

USES: Mapping[str, Use] = MappingProxyType({u.name: u for u in _USES})


def get_use(name: str) -> Use:
    """Return the use called ``name`` (or one of its aliases)."""
    key = name.strip().lower().replace("_", " ").replace("-", " ")
    for use in USES.values():
        if key == use.name or key in use.aliases:
            return use
    known = ", ".join(USES)
    raise SpecError(f"unknown use {name!r}; choose one of: {known}")


def parse_size(text: str) -> tuple[int, int]:
    """Parse ``"WxH"`` into ``(W, H)``, with a clear error for anything else."""
    parts = text.lower().replace("×", "x").split("x")
    digits = [p.strip() for p in parts]
    # ASCII digits only ("²".isdigit() is true), and few enough to be a size.
    if len(parts) != 2 or not all(d.isascii() and d.isdigit() and len(d) <= 5 for d in digits):
        raise SpecError(f"size must look like 1024x768, got {text!r}")
    width, height = (int(p) for p in parts)
    check_size(width, height)
    return width, height
