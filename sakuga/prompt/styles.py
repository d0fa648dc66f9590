"""Art styles as data.

A style carries everything an engine needs to honour it: prompt fragments for AI
engines, parameters for the offline engines (bands, lines, grading), a palette,
and suggestions the prompt critique offers when a part is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from sakuga.errors import SpecError


@dataclass(frozen=True)
class ToonParams:
    """How the offline `toon` engine renders a style.

    Colours are RGB tuples; amounts are in [0, 1] unless said otherwise.
    """

    bands: int = 3  # cel tones on clothes and hair: 2 (base, shadow), 3 (+ lit), 4 (+ deep)
    shadow_soft: float = 0.0  # the shadow's edge: 0 a hard cel line, 1 a soft gradient
    saturation: float = 1.25  # multiplier on painted colours' chroma
    line_weight: float = 1.0  # relative outline thickness
    line_darkness: float = 0.85  # how solid outlines are painted (1 = fully opaque)
    line_color: tuple[int, int, int] = (30, 22, 34)
    shadow_tint: tuple[int, int, int] = (70, 60, 120)  # colour mixed into the darkest band
    highlight_tint: tuple[int, int, int] = (255, 248, 235)  # mixed into the lit tone
    contrast: float = 1.0
    brightness: float = 0.0  # added to L in [-1, 1] units of 100
    grade_shadows: tuple[int, int, int] = (0, 0, 0)  # split-toning target for shadows
    grade_highlights: tuple[int, int, int] = (255, 255, 255)
    grade_amount: float = 0.0
    rim: tuple[int, int, int] | None = None  # rim-light colour on the subject's edges
    glow: float = 0.0  # bloom on highlights
    pastel: float = 0.0  # mix towards white in lit bands
    background_blur: float = 1.0  # depth: how much softer the painted background is
    eyes: float = 1.0  # drawn eye size, relative to the other styles
    jaw: float = 0.16  # how much narrower the drawn lower jaw is than the photo's (V-line)
    # How far a scene (or the place behind a person) is flattened into painted masses:
    # on L0 smoothing's strength; larger, fewer and larger shapes.
    flatten: float = 1.0
    # The scene's line art as glowing neon tubes of this colour instead of dark ink.
    neon: tuple[int, int, int] | None = None
    # A photo's daytime sky painted over: its colour at the top and at the horizon.
    sky: tuple[tuple[int, int, int], tuple[int, int, int]] = ((74, 146, 226), (206, 232, 248))
    # A night or space sky painted over: its colour at the top and at the horizon.
    night: tuple[tuple[int, int, int], tuple[int, int, int]] = ((12, 20, 58), (52, 86, 150))


@dataclass(frozen=True)
class EyeShape:
    """How a style draws an eye, in fractions of the eye's width and height: the shape
    of its lids, its iris, lashes and catchlights (the `draw` engine's faces and the
    `toon` engine's drawn features alike)."""

    height: float = 1.0  # on the eye's height: rounder above 1, narrower below
    lid: float = 0.55  # the upper lid's arch
    outer_lift: float = 0.0  # the outer corner raised (+, upturned) or lowered (−, droopy)
    lower: float = 1.0  # on the lower lid's depth
    iris: float = 1.0  # on the iris's size
    lash: float = 2.4  # the upper lash's weight, in line widths
    flicks: int = 1  # lash flicks at the outer corner (0: a clean line)
    lower_lash: float = 0.7  # the lower lid line's weight (0: none)
    catchlights: str = "two"  # two (round), star (a sparkle), one (soft) or bar (hard)


@dataclass(frozen=True)
class DrawParams:
    """How the offline `draw` engine renders a style (lengths in a 1000-unit-high canvas)."""

    line_width: float = 4.0
    ink: tuple[int, int, int] = (42, 28, 44)
    shadow: float = 0.3  # how dark cel shadows are
    shadow_tint: tuple[int, int, int] = (80, 60, 130)
    highlight: float = 0.45
    saturation: float = 1.0  # applied to the background's palette
    pastel: float = 0.0  # mix of every colour towards white
    grade: tuple[int, int, int] | None = None  # overlay colour for the whole picture
    grade_opacity: float = 0.0
    grade_blend: str = "soft-light"
    eye: EyeShape = field(default_factory=EyeShape)


@dataclass(frozen=True)
class Style:
    """One art style: what AI engines are told and what offline engines do."""

    name: str
    title: str
    description: str
    prompt: tuple[str, ...]
    negative: tuple[str, ...]
    palette: tuple[str, ...]
    toon: ToonParams
    draw: DrawParams = field(default_factory=DrawParams)
    aliases: tuple[str, ...] = ()
    suggestions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


BASE_NEGATIVE = (
    "lowres",
    "bad anatomy",
    "bad hands",
    "extra fingers",
    "missing fingers",
    "deformed face",
    "blurry",
    "jpeg artifacts",
    "watermark",
    "signature",
    "text",
)

_STYLES: tuple[Style, ...] = (
    Style(
        name="cute",
        title="Cute",
        description="Pastel colours, soft thin lines, big sparkling eyes, gentle shading.",
        prompt=("cute anime style", "pastel colors", "soft shading", "sparkling eyes", "kawaii"),
        negative=(*BASE_NEGATIVE, "dark", "gritty", "horror"),
        palette=("#ffd6e7", "#c9e4ff", "#fff3b0", "#d7f9d0", "#e8d5ff"),
        toon=ToonParams(
            jaw=0.08,
            flatten=1.35,  # big soft masses
            sky=((134, 186, 246), (255, 228, 238)),
            night=((38, 40, 104), (186, 136, 196)),
            shadow_soft=0.25,
            eyes=1.14,
            bands=3,
            saturation=1.3,
            line_weight=0.8,
            line_darkness=0.7,
            line_color=(110, 60, 85),
            shadow_tint=(210, 130, 190),
            contrast=0.97,
            brightness=0.05,
            grade_shadows=(170, 120, 200),
            grade_highlights=(255, 225, 235),
            grade_amount=0.16,
            pastel=0.12,
            background_blur=1.4,
        ),
        draw=DrawParams(
            line_width=3.0,
            ink=(120, 70, 95),
            shadow=0.18,
            shadow_tint=(220, 130, 180),
            highlight=0.55,
            pastel=0.12,
            grade=(255, 200, 225),
            grade_opacity=0.18,
            eye=EyeShape(
                height=1.18,
                lid=0.68,
                outer_lift=-0.07,
                lower=1.15,
                iris=1.12,
                lash=2.6,
                flicks=2,
                lower_lash=0.5,
                catchlights="star",
            ),
        ),
        aliases=("kawaii", "chibi", "moe", "pastel"),
        suggestions={
            "hair": ("pastel pink twin tails", "fluffy lavender bob"),
            "outfit": ("oversized pastel hoodie with cat ears", "frilly sailor uniform"),
            "expression": ("big bright smile", "shy blush"),
            "background": ("sakura park on a sunny day", "soft pastel gradient with sparkles"),
            "lighting": ("soft diffused daylight", "gentle backlight"),
            "mood": ("cheerful", "cozy"),
        },
    ),
    Style(
        name="cinematic",
        title="Cinematic",
        description="Film-like contrast, teal–orange grading, depth of field, dramatic light.",
        prompt=(
            "cinematic anime film still",
            "dramatic lighting",
            "depth of field",
            "teal and orange color grading",
            "highly detailed",
        ),
        negative=(*BASE_NEGATIVE, "flat lighting", "oversaturated"),
        palette=("#0f3b4c", "#1f6f78", "#f2a65a", "#f7d08a", "#22223b"),
        toon=ToonParams(
            jaw=0.15,
            flatten=0.55,  # keeps the photo's gradients: light over painted shapes
            sky=((28, 92, 198), (226, 236, 232)),
            night=((6, 14, 44), (40, 96, 156)),
            shadow_soft=0.6,
            eyes=0.9,
            bands=4,
            saturation=1.05,
            line_weight=1.0,
            line_darkness=0.8,
            shadow_tint=(20, 70, 90),
            contrast=1.25,
            brightness=-0.03,
            grade_shadows=(15, 85, 105),
            grade_highlights=(255, 170, 90),
            grade_amount=0.32,
            background_blur=2.2,
        ),
        draw=DrawParams(
            line_width=4.0,
            ink=(35, 28, 40),
            shadow=0.36,
            shadow_tint=(30, 70, 110),
            highlight=0.5,
            grade=(255, 150, 80),
            grade_opacity=0.16,
            eye=EyeShape(
                height=0.84,
                lid=0.42,
                outer_lift=0.05,
                lower=0.8,
                iris=0.9,
                lash=1.8,
                flicks=0,
                lower_lash=0.9,
                catchlights="one",
            ),
        ),
        aliases=("film", "movie", "filmic", "makoto shinkai"),
        suggestions={
            "lighting": ("golden hour backlight", "soft cinematic lighting with lens flare"),
            "background": ("rainy city street at dusk", "train platform at sunset"),
            "mood": ("melancholic", "nostalgic"),
            "pose": ("looking over the shoulder", "standing, wind in the hair"),
        },
    ),
    Style(
        name="webtoon",
        title="Webtoon",
        description="Flat bright colours, thin clean lines, simple two-tone shading.",
        prompt=("webtoon style", "clean line art", "flat bright colors", "simple cel shading"),
        negative=(*BASE_NEGATIVE, "painterly", "heavy texture"),
        palette=("#ff6b6b", "#4ecdc4", "#ffe66d", "#1a535c", "#f7fff7"),
        toon=ToonParams(
            jaw=0.22,
            flatten=1.7,  # the flattest: clean single-tone shapes
            sky=((70, 160, 240), (226, 243, 252)),
            night=((16, 30, 80), (62, 112, 178)),
            bands=2,
            saturation=1.45,
            line_weight=0.7,
            line_darkness=0.95,
            line_color=(20, 20, 28),
            shadow_tint=(90, 90, 150),
            contrast=1.05,
            brightness=0.05,
            background_blur=1.0,
        ),
        draw=DrawParams(
            line_width=2.6,
            ink=(20, 20, 28),
            shadow=0.22,
            shadow_tint=(90, 90, 150),
            highlight=0.4,
            saturation=1.25,
            eye=EyeShape(
                height=0.92,
                lid=0.5,
                outer_lift=0.03,
                lower=0.85,
                iris=1.0,
                lash=2.1,
                flicks=0,
                lower_lash=0.0,
                catchlights="one",
            ),
        ),
        aliases=("manhwa", "comic", "manga", "cel"),
        suggestions={
            "outfit": ("white shirt with a loose tie", "school blazer"),
            "background": ("school hallway", "cafe by the window"),
            "expression": ("smirking", "surprised"),
            "lighting": ("bright flat daylight",),
        },
    ),
    Style(
        name="fantasy",
        title="Fantasy",
        description="Luminous glow, rich jewel tones, painterly backgrounds.",
        prompt=("fantasy anime illustration", "magical glow", "rich colors", "ethereal light"),
        negative=(*BASE_NEGATIVE, "modern city", "photorealistic"),
        palette=("#2e1f5e", "#6a4c93", "#8ac926", "#ffca3a", "#e0aaff"),
        toon=ToonParams(
            jaw=0.18,
            sky=((92, 104, 214), (252, 226, 186)),
            night=((28, 14, 72), (150, 96, 158)),
            shadow_soft=0.35,
            eyes=1.06,
            bands=3,
            saturation=1.3,
            line_weight=0.9,
            line_darkness=0.7,
            line_color=(50, 30, 70),
            shadow_tint=(80, 50, 140),
            contrast=1.05,
            brightness=0.03,
            grade_shadows=(70, 40, 130),
            grade_highlights=(255, 230, 160),
            grade_amount=0.28,
            glow=0.45,
            background_blur=1.8,
        ),
        draw=DrawParams(
            line_width=3.4,
            ink=(60, 30, 80),
            shadow=0.3,
            shadow_tint=(90, 50, 150),
            highlight=0.6,
            grade=(255, 225, 160),
            grade_opacity=0.2,
            grade_blend="screen",
            eye=EyeShape(
                height=0.98,
                lid=0.52,
                outer_lift=0.09,
                lower=1.0,
                iris=1.06,
                lash=2.4,
                flicks=3,
                lower_lash=0.7,
                catchlights="star",
            ),
        ),
        aliases=("magical", "magic", "high fantasy", "isekai", "ethereal"),
        suggestions={
            "outfit": ("silver armour with a flowing cape", "mage robes with gold trim"),
            "background": ("enchanted forest with floating lights", "castle above the clouds"),
            "lighting": ("magical glow from below", "moonlight through mist"),
            "mood": ("mysterious", "epic"),
        },
    ),
    Style(
        name="cyberpunk",
        title="Cyberpunk",
        description="Neon magenta and cyan rim light, deep shadows, hard lines.",
        prompt=("cyberpunk anime", "neon lights", "magenta and cyan rim light", "futuristic city"),
        negative=(*BASE_NEGATIVE, "pastoral", "daylight"),
        palette=("#0d0221", "#ff2a6d", "#05d9e8", "#d1f7ff", "#7b2cbf"),
        toon=ToonParams(
            jaw=0.2,
            sky=((44, 22, 112), (232, 96, 178)),
            flatten=1.2,
            neon=(255, 70, 220),
            night=((14, 6, 38), (140, 28, 126)),
            eyes=0.95,
            bands=3,
            saturation=1.4,
            line_weight=1.25,
            line_darkness=1.0,
            line_color=(10, 5, 25),
            shadow_tint=(40, 10, 80),
            contrast=1.2,
            brightness=-0.06,
            grade_shadows=(20, 30, 110),
            grade_highlights=(255, 80, 200),
            grade_amount=0.35,
            rim=(0, 230, 255),
            glow=0.3,
            background_blur=1.6,
        ),
        draw=DrawParams(
            line_width=4.6,
            ink=(12, 6, 26),
            shadow=0.42,
            shadow_tint=(60, 20, 120),
            highlight=0.5,
            saturation=1.2,
            grade=(120, 40, 200),
            grade_opacity=0.18,
            eye=EyeShape(
                height=0.74,
                lid=0.36,
                outer_lift=0.16,
                lower=0.72,
                iris=0.9,
                lash=2.9,
                flicks=1,
                lower_lash=1.1,
                catchlights="bar",
            ),
        ),
        aliases=("sci-fi", "scifi", "neon noir", "futuristic", "synthwave"),
        suggestions={
            "hair": ("neon pink undercut", "silver hair with cyan streaks"),
            "outfit": ("black techwear jacket with glowing seams", "holographic visor"),
            "background": ("rain-soaked neon alley at night", "megacity rooftop"),
            "lighting": ("magenta and cyan rim light", "neon sign glow"),
            "mood": ("tense", "moody"),
        },
    ),
)

STYLES: Mapping[str, Style] = MappingProxyType({s.name: s for s in _STYLES})
DEFAULT_STYLE = "cinematic"


def get_style(name: str) -> Style:
    """Return the style called ``name`` (or one of its aliases)."""
    key = name.strip().lower()
    if key in STYLES:
        return STYLES[key]
    for style in STYLES.values():
        if key in style.aliases:
            return style
    known = ", ".join(STYLES)
    raise SpecError(f"unknown style {name!r}; choose one of: {known}")
