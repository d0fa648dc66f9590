"""The anime character as SVG: layered parts, each chosen and coloured by the traits.

Coordinates: the canvas is 1000 units high and ``1000 × aspect`` wide. The
character is drawn in local units with the head's centre at (0, 0) and placed
with one transform, so every use size gets the same drawing, crisp.

Layers, back to front: background, back hair, body (neck, outfit), face,
features (eyes, brows, nose, mouth, blush), front hair, accessories, lighting.
Each layer is a ``<g id=…>``, so a layer can be rendered alone as a mask.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from sakuga.engines.draw.backgrounds import paint_background
from sakuga.engines.draw.svg import (
    RGB,
    blend,
    el,
    fmt,
    group,
    hex_,
    light,
    line_of,
    mix,
    shade,
)
from sakuga.engines.draw.traits import Traits
from sakuga.spec.styles import DrawParams

LAYERS: Final = (
    "background",
    "back_hair",
    "body",
    "face",
    "features",
    "front_hair",
    "accessories",
    "lighting",
)
FIGURE_LAYERS: Final = LAYERS[1:-1]
#: Colour cast of each lighting: (colour, amount, blend mode), applied to every colour.
LIGHT_TINTS: Final[dict[str, tuple[RGB, float, str]]] = {
    "soft": ((255, 236, 210), 0.12, "soft-light"),
    "golden": ((255, 160, 70), 0.3, "soft-light"),
    "neon": ((150, 40, 220), 0.22, "soft-light"),
    "moon": ((80, 110, 210), 0.35, "soft-light"),
}
#: Rim lights of each lighting: (colour, offset); the light comes from the other side.
RIMS: Final[dict[str, list[tuple[RGB, int]]]] = {
    "soft": [((255, 244, 225), -7)],
    "golden": [((255, 190, 110), 9)],
    "neon": [((0, 235, 255), -10), ((255, 50, 200), 10)],
    "moon": [((190, 215, 255), 8)],
}


@dataclass(frozen=True)
class Variation:
    """What changes between versions of the same character."""

    tilt: float = 0.0  # head tilt in degrees
    shoulders: float = 0.0  # shoulder angle in degrees
    intensity: float = 1.0  # expression strength
    background_seed: int = 0
    hue: float = 0.0  # background palette shift in degrees

    @classmethod
    def from_seed(cls, seed: int) -> Variation:
        """Drawn from the seed alone, so a re-run of one version matches its batch."""
        rng = np.random.default_rng(seed)
        spread = 0.75
        return cls(
            tilt=float(rng.uniform(-7, 7)) * spread,
            shoulders=float(rng.uniform(-3, 3)) * spread,
            intensity=float(1 + rng.uniform(-0.2, 0.25) * spread),
            background_seed=int(rng.integers(0, 2**31)),
            hue=float(rng.uniform(-14, 14)) * spread,
        )


@dataclass
class Painter:
    """Writes one SVG document for one character, style and variation."""

    traits: Traits
    params: DrawParams
    variation: Variation
    width: float  # canvas width in units (height is 1000)
    defs: list[str] = field(default_factory=list)
    _tails: list[str] = field(default_factory=list)
    _ids: int = 0
    # Outer shapes of the head and the body, collected while drawing, for rim lights.
    silhouette_head: list[str] = field(default_factory=list)
    silhouette_body: list[str] = field(default_factory=list)

    # ---- helpers -------------------------------------------------------------------

    def uid(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}{self._ids}"

    def c(self, rgb: RGB) -> str:
        """A colour as painted: pastel, then the lighting's tint, then the style's grade."""
        if self.params.pastel:
            rgb = mix(rgb, (255, 255, 255), self.params.pastel)
        tint, amount, mode = LIGHT_TINTS[self.traits.lighting]
        rgb = blend(rgb, tint, amount, mode)
        if self.params.grade is not None and self.params.grade_opacity > 0:
            rgb = blend(rgb, self.params.grade, self.params.grade_opacity, self.params.grade_blend)
        return hex_(rgb)

    @property
    def lw(self) -> float:
        return self.params.line_width

    def ink(self, rgb: RGB) -> str:
        return self.c(line_of(rgb, self.params.ink))

    def shadow(self, rgb: RGB, extra: float = 0.0) -> RGB:
        return shade(rgb, self.params.shadow + extra, self.params.shadow_tint)

    def lit(self, rgb: RGB, extra: float = 0.0) -> RGB:
        return light(rgb, self.params.highlight * 0.6 + extra)

    def shape(
        self,
        d: str,
        fill: RGB,
        outline: RGB | None = None,
        width: float | None = None,
        **attrs: object,
    ) -> str:
        return el(
            "path",
            d=d,
            fill=self.c(fill),
            stroke=self.ink(outline) if outline is not None else None,
            stroke_width=(width or self.lw) if outline is not None else None,
            stroke_linejoin="round",
            stroke_linecap="round",
            **attrs,
        )

    def stroke(self, d: str, colour: str, width: float, **attrs: object) -> str:
        return el(
            "path",
            d=d,
            fill="none",
            stroke=colour,
            stroke_width=width,
            stroke_linecap="round",
            stroke_linejoin="round",
            **attrs,
        )

    def gradient(self, stops: list[tuple[float, RGB]], vertical: bool = True) -> str:
        gid = self.uid("g")
        self.defs.append(
            el(
                "linearGradient",
                [el("stop", offset=f"{o:.2f}", stop_color=self.c(col)) for o, col in stops],
                id=gid,
                x1="0",
                y1="0",
                x2="0" if vertical else "1",
                y2="1" if vertical else "0",
            )
        )
        return f"url(#{gid})"

    def clip(self, d: str) -> str:
        cid = self.uid("c")
        self.defs.append(el("clipPath", [el("path", d=d)], id=cid))
        return f"url(#{cid})"

    # ---- proportions ---------------------------------------------------------------

    @property
    def face_path(self) -> str:
        b = self.traits.build
        w = {"chibi": 165, "adult": 140, "boy": 148}.get(b, 150)
        chin = {"chibi": 150, "adult": 195, "boy": 180}.get(b, 172)
        jaw = {"chibi": 0.62, "adult": 0.42, "boy": 0.5}.get(b, 0.45)
        return (
            f"M {-w} -20 C {-w} -170 {w} -170 {w} -20 "
            f"C {w} 60 {w * 0.85} {chin * 0.62} {w * jaw} {chin * 0.86} "
            f"Q 0 {chin + 10} {-w * jaw} {chin * 0.86} "
            f"C {-w * 0.85} {chin * 0.62} {-w} 60 {-w} -20 Z"
        )

    @property
    def head_width(self) -> float:
        return {"chibi": 165, "adult": 140, "boy": 148}.get(self.traits.build, 150)

    @property
    def eye_size(self) -> tuple[float, float]:
        return {
            "chibi": (104, 118),
            "girl": (96, 104),
            "boy": (86, 84),
            "adult": (80, 72),
        }.get(self.traits.build, (90, 94))

    @property
    def placement(self) -> tuple[float, float, float]:
        """(x, y, scale) of the head centre on the canvas."""
        cx = self.width / 2
        if self.traits.build == "chibi":
            return (cx, 470, 1.3) if self.traits.pose == "bust" else (cx, 380, 0.95)
        return (cx, 420, 1.22) if self.traits.pose == "bust" else (cx, 330, 0.86)

    # ---- the document ---------------------------------------------------------------

    def document(self, size: tuple[int, int], only: set[str] | None = None) -> str:
        """The SVG document at ``size`` pixels; ``only`` keeps just those layers."""
        parts = {
            "back_hair": self.back_hair,
            "body": self.body,
            "face": self.face,
            "features": self.features,
            "front_hair": self.front_hair,
            "accessories": self.accessories,
        }

        def layer(name: str) -> str:
            return group(name, [parts[name]()]) if _wanted(name, only) else ""

        x, y, s = self.placement
        v = self.variation
        turn_head = f"rotate({fmt(v.tilt)} 0 200)"
        # Back hair behind the body; face, features, front hair and accessories in front.
        behind = el("g", [layer("back_hair")], transform=turn_head)
        torso = el("g", [layer("body")], transform=f"rotate({fmt(v.shoulders)} 0 400)")
        front = el(
            "g",
            [layer(n) for n in ("face", "features", "front_hair", "accessories")],
            transform=turn_head,
        )
        rims = (
            self.rims(turn_head, f"rotate({fmt(v.shoulders)} 0 400)")
            if _wanted("lighting", only)
            else []
        )
        figure = el(
            "g",
            [*rims, behind, torso, front],
            id="figure",
            transform=f"translate({fmt(x)} {fmt(y)}) scale({fmt(s)})",
        )
        children: list[str] = []
        if _wanted("background", only):
            painted = paint_background(self, self.traits.background, v.background_seed, v.hue)
            children.append(group("background", [painted]))
        if only is None or any(_wanted(n, only) for n in FIGURE_LAYERS):
            self.defs.append(figure)
            children.append(el("use", href="#figure"))
        if _wanted("lighting", only):
            children.append(group("lighting", [self.lighting()]))
        width, height = size
        return el(
            "svg",
            [el("defs", self.defs), *children],
            xmlns="http://www.w3.org/2000/svg",
            width=str(width),
            height=str(height),
            viewBox=f"0 0 {fmt(self.width)} 1000",
            preserveAspectRatio="xMidYMid slice",
        )

    # ---- hair ------------------------------------------------------------------------

    def back_hair(self) -> str:
        t = self.traits
        hair = t.hair_color
        dark = self.shadow(hair, 0.12)
        w = self.head_width
        out: list[str] = []
        if t.hair_style == "long":
            d = (
                f"M {-w - 25} -60 C {-w - 60} 120 {-w - 90} 330 {-w - 60} 560 "
                f"L {w + 60} 560 C {w + 90} 330 {w + 60} 120 {w + 25} -60 Z"
            )
            out.append(self.shape(d, dark, hair))
            for i in range(5):
                x = -w - 40 + i * (2 * w + 80) / 4
                out.append(
                    self.stroke(
                        f"M {x} 80 Q {x + 10} 300 {x - 5} 540",
                        self.ink(hair),
                        self.lw * 0.6,
                        opacity="0.5",
                    )
                )
        elif t.hair_style == "bob":
            d = (
                f"M {-w - 32} -40 C {-w - 44} 80 {-w - 36} 170 {-w + 2} 205 "
                f"L {w - 2} 205 C {w + 36} 170 {w + 44} 80 {w + 32} -40 Z"
            )
            out.append(self.shape(d, dark, hair))
        elif t.hair_style == "twintails":
            self._tails = []
            for side in (-1, 1):
                x0 = side * (w + 10)
                d = (
                    f"M {x0} -110 C {x0 + side * 150} -60 {x0 + side * 170} 250 {x0 + side * 95} 560 "
                    f"C {x0 + side * 60} 420 {x0 + side * 20} 200 {x0 - side * 10} -40 Z"
                )
                out.append(self.shape(d, hair, hair))
                self._tails.append(d)
                out.append(
                    self.shape(
                        f"M {x0 + side * 40} -40 C {x0 + side * 120} 60 {x0 + side * 120} 300 {x0 + side * 88} 500 "
                        f"C {x0 + side * 70} 360 {x0 + side * 40} 160 {x0 + side * 20} -30 Z",
                        self.shadow(hair),
                        None,
                        opacity="0.55",
                    )
                )
        elif t.hair_style == "ponytail":
            d = (
                f"M {w - 40} -150 C {w + 120} -170 {w + 150} 80 {w + 100} 420 "
                f"C {w + 70} 300 {w + 40} 120 {w - 20} -40 Z"
            )
            out.append(self.shape(d, dark, hair))
        d_back = f"M {-w - 18} 0 C {-w - 30} -190 {w + 30} -190 {w + 18} 0 Z"
        out.append(self.shape(d_back, dark, hair))
        if t.hair_style in ("long", "bob", "ponytail"):
            self.silhouette_head.append(d)
        elif t.hair_style == "twintails":
            self.silhouette_head.extend(self._tails)
        return "".join(out)

    @property
    def bang_layout(self) -> tuple[int, float, float]:
        """(clump count, span, tip height) of the bangs."""
        t = self.traits
        count = 7 if t.hair_style == "spiky" else 5
        tip_y = {
            "short": -30,
            "spiky": -12,
            "bob": -4,
            "long": 0,
            "twintails": -2,
            "ponytail": -10,
        }[t.hair_style]
        return count, 2 * self.head_width + 40, tip_y

    def dome_y(self, x: float) -> float:
        """Height of the crown's outline above ``x`` (the crown is half an ellipse)."""
        rx, ry = self.head_width + 26, 215
        return -ry * math.sqrt(max(0.0, 1 - (x / rx) ** 2))

    def bang_paths(self, dy: float = 0.0) -> list[str]:
        """The bang clumps, swept a little towards the image's left; ``dy`` shifts them down."""
        w = self.head_width
        count, span, tip_y = self.bang_layout
        spiky = self.traits.hair_style == "spiky"
        paths = []
        for i in range(count):
            x0 = -w - 20 + i * span / count
            x1 = x0 + span / count + 18
            mid = (x0 + x1) / 2 - 14
            tip = tip_y + (22 if i in (1, count - 2) else 0) - (18 if spiky and i % 2 else 0) + dy
            # Each clump starts inside the crown's dome, so no corner pokes out of it.
            top0 = self.dome_y(x0) + 40 + dy
            top1 = self.dome_y(x1) + 40 + dy
            paths.append(
                f"M {fmt(x0)} {fmt(top0)} C {fmt(x0 + 2)} {fmt(top0 + 50)} {fmt(mid - 16)} {fmt(tip - 40)} {fmt(mid)} {fmt(tip)} "
                f"C {fmt(mid + 4)} {fmt(tip - 50)} {fmt(x1 - 6)} {fmt(top1 + 60)} {fmt(x1)} {fmt(top1)} Z"
            )
        return paths

    def front_hair(self) -> str:
        t = self.traits
        hair = t.hair_color
        w = self.head_width
        out: list[str] = []
        spiky = t.hair_style == "spiky"
        # The crown: a dome over the skull, ending at the hairline.
        if spiky:
            pts = []
            for i in range(9):
                ang = math.pi * (1 + i / 8)
                r = w + 30 + (38 if i % 2 else 0)
                pts.append((math.cos(ang) * r, math.sin(ang) * r * 1.08 - 40))
            crown = (
                f"M {-w - 22} -20 "
                + " ".join(f"L {fmt(px, py)}" for px, py in pts)
                + f" L {w + 22} -20 Z"
            )
        else:
            crown = (
                f"M {-w - 26} 0 A {w + 26} 215 0 0 1 {w + 26} 0 "
                f"C {w * 0.7} -100 {-w * 0.7} -100 {-w - 26} 0 Z"
            )
        out.append(self.shape(crown, hair, hair))
        self.silhouette_head.append(crown)
        # Highlight band ("angel ring"): a crescent with a jagged lower edge.
        band_top = f"M {-w * 0.8} -136 Q 0 -206 {w * 0.8} -136"
        teeth = " ".join(
            f"L {fmt(w * 0.78 - (i + 0.5) * w * 1.56 / 8, -112 + (10 if i % 2 else -4))}"
            for i in range(8)
        )
        band = f"{band_top} L {w * 0.74} -116 {teeth} L {-w * 0.8} -116 Z"
        out.append(
            el(
                "path",
                d=band,
                fill=self.c(self.lit(hair, 0.1)),
                opacity="0.85",
                clip_path=self.clip(crown),
            )
        )
        # Bangs: clumps hanging from the hairline, tips just over the brows.
        count, span, tip_y = self.bang_layout
        # Filled, then outlined on their sides only: their tops melt into the crown.
        for d in self.bang_paths():
            out.append(el("path", d=d, fill=self.c(hair)))
            out.append(self.stroke(d.removesuffix(" Z"), self.ink(hair), self.lw))
        # Side locks in front of the face edges.
        lock_end = {
            "short": 60,
            "spiky": 70,
            "bob": 170,
            "long": 250,
            "twintails": 170,
            "ponytail": 120,
        }[t.hair_style]
        for side in (-1, 1):
            x0 = side * (w + 18)
            d = (
                f"M {x0} -120 C {x0 + side * 8} -10 {x0 + side * 2} {lock_end * 0.6} {x0 - side * 16} {lock_end} "
                f"C {x0 - side * 26} {lock_end * 0.6} {x0 - side * 34} 10 {x0 - side * 50} -110"
            )
            out.append(el("path", d=d + " Z", fill=self.c(hair)))
            out.append(self.stroke(d, self.ink(hair), self.lw))
            out.append(
                self.shape(
                    f"M {x0 - side * 12} -40 C {x0 - side * 10} 30 {x0 - side * 14} {lock_end * 0.55} {x0 - side * 18} {lock_end * 0.85} "
                    f"C {x0 - side * 22} {lock_end * 0.5} {x0 - side * 26} 20 {x0 - side * 30} -40 Z",
                    self.shadow(hair),
                    None,
                    opacity="0.45",
                )
            )
        # Strand lines for a little texture.
        for i in range(count - 1):
            x = -w + 12 + (i + 0.7) * span / count
            out.append(
                self.stroke(
                    f"M {fmt(x)} -150 Q {fmt(x + 6)} -100 {fmt(x + 2)} {fmt(tip_y - 30)}",
                    self.ink(hair),
                    self.lw * 0.45,
                    opacity="0.6",
                )
            )
        return "".join(out)

    # ---- body --------------------------------------------------------------------------

    def body(self) -> str:
        t = self.traits
        skin = t.skin
        out: list[str] = []
        neck = "M -38 120 L -40 270 Q 0 292 40 270 L 38 120 Z"
        out.append(self.shape(neck, skin, skin))
        out.append(
            self.shape(
                "M -40 140 Q 0 205 40 140 L 40 190 Q 0 230 -40 190 Z",
                self.shadow(skin),
                None,
                opacity="0.8",
            )
        )
        broad = 255 if t.build in ("boy", "adult") else 228
        # Neck, sloping shoulders, rounded shoulder caps, arms down past the frame.
        torso = (
            f"M -42 250 C -80 268 {-broad * 0.6} 276 {-broad * 0.8} 292 "
            f"C {-broad - 10} 312 {-broad - 18} 360 {-broad - 20} 430 "
            f"L {-broad - 30} 1400 L {broad + 30} 1400 L {broad + 20} 430 "
            f"C {broad + 18} 360 {broad + 10} 312 {broad * 0.8} 292 "
            f"C {broad * 0.6} 276 80 268 42 250 Z"
        )
        out.append(self.outfit(torso, broad))
        self.silhouette_body.append(torso)
        # Where the arms meet the chest.
        for side in (-1, 1):
            out.append(
                self.stroke(
                    f"M {side * (broad - 40)} 420 Q {side * (broad - 52)} 600 {side * (broad - 48)} 1400",
                    self.ink(t.outfit_color),
                    self.lw * 0.8,
                    opacity="0.55",
                )
            )
        return "".join(out)

    def outfit(self, torso: str, broad: float) -> str:
        t = self.traits
        base = t.outfit_color
        dark = self.shadow(base)
        out: list[str] = []
        kind = t.outfit
        if kind == "hoodie":
            out.append(
                self.shape(
                    "M -120 300 C -170 250 -120 200 -60 226 L 60 226 C 120 200 170 250 120 300 "
                    "C 80 330 -80 330 -120 300 Z",
                    dark,
                    base,
                )
            )
        body_fill = base
        if kind == "sailor":
            body_fill = (246, 246, 250) if sum(base) < 600 else base
        out.append(self.shape(torso, body_fill, body_fill))
        out.append(
            self.shape(
                f"M {broad * 0.35} 300 C {broad * 0.8} 320 {broad} 360 {broad + 30} 1400 L {broad * 0.5} 1400 Z",
                self.shadow(body_fill),
                None,
                opacity="0.55",
            )
        )
        out.append(
            self.shape(
                "M -60 262 Q 0 330 60 262 L 60 290 Q 0 350 -60 290 Z",
                self.shadow(body_fill, 0.1),
                None,
                opacity="0.6",
            )
        )
        if kind == "hoodie":
            for side in (-1, 1):
                out.append(
                    self.stroke(
                        f"M {side * 28} 290 Q {side * 34} 360 {side * 30} 430",
                        self.c((240, 240, 244)),
                        6,
                    )
                )
                out.append(
                    el("circle", cx=str(side * 30), cy="436", r="7", fill=self.c((220, 220, 226)))
                )
            out.append(self.stroke("M -100 268 Q 0 330 100 268", self.ink(base), self.lw))
        elif kind == "tshirt":
            out.append(self.stroke("M -62 262 Q 0 318 62 262", self.ink(base), self.lw * 1.2))
        elif kind == "sailor":
            navy = base if sum(base) < 600 else (30, 40, 90)
            collar = (
                "M -150 285 L -235 330 L -200 420 L 0 470 L 200 420 L 235 330 L 150 285 L 0 420 Z"
            )
            out.append(self.shape(collar, navy, navy))
            out.append(
                self.stroke(
                    "M -200 336 L -178 404 L 0 446 L 178 404 L 200 336", "#ffffff", 5, opacity="0.9"
                )
            )
            red = (205, 40, 60)
            out.append(
                self.shape("M -34 430 L 0 452 L 34 430 L 22 470 L 0 462 L -22 470 Z", red, red)
            )
            out.append(self.shape("M -12 462 L -40 560 L -10 548 L 0 470 Z", red, red))
            out.append(self.shape("M 12 462 L 40 560 L 10 548 L 0 470 Z", red, red))
        elif kind in ("blazer", "suit"):
            shirt = (248, 248, 250)
            out.append(self.shape("M -56 262 L 0 430 L 56 262 Q 0 300 -56 262 Z", shirt, shirt))
            tie = (170, 30, 50) if kind == "blazer" else (60, 70, 110)
            out.append(self.shape("M -12 288 L 12 288 L 16 420 L 0 450 L -16 420 Z", tie, tie))
            if kind == "suit":
                # A waistcoat under the jacket, and a pocket square.
                vest = self.shadow(base, 0.18)
                out.append(
                    self.shape("M -56 330 L 0 470 L 56 330 L 70 700 L -70 700 Z", vest, vest)
                )
                for by in (500, 560, 620):
                    out.append(
                        el("circle", cx="0", cy=str(by), r="6", fill=self.c(light(vest, 0.4)))
                    )
            for side in (-1, 1):
                lapel = f"M {side * 58} 262 L {side * 8} 440 L {side * 60} 380 L {side * 100} 300 Z"
                if kind == "suit":  # peaked, wider lapels
                    lapel = f"M {side * 58} 262 L {side * 4} 470 L {side * 80} 380 L {side * 150} 330 L {side * 110} 300 Z"
                out.append(self.shape(lapel, self.shadow(base, -0.05), base))
            if kind == "suit":
                square = (250, 250, 252)
                out.append(
                    self.shape(
                        "M 120 420 L 170 420 L 160 392 L 145 410 L 132 392 Z", square, square
                    )
                )
            else:
                # The school's emblem on the chest pocket.
                gold = (225, 185, 70)
                out.append(
                    self.shape("M -170 420 L -110 420 L -110 470 Q -140 500 -170 470 Z", gold, gold)
                )
                out.append(el("circle", cx="-24", cy="520", r="7", fill=self.c(light(base, 0.3))))
        elif kind == "kimono":
            inner = (245, 240, 232)
            out.append(self.shape("M -60 258 L 40 470 L 70 450 L -20 258 Z", inner, inner))
            out.append(
                self.shape("M 60 258 L -40 470 L -10 490 L 95 280 Z", self.shadow(base, 0.1), base)
            )
            obi = (220, 170, 60) if sum(base) < 450 else (150, 40, 60)
            out.append(
                self.shape(
                    f"M {-broad - 20} 560 L {broad + 20} 560 L {broad + 24} 660 L {-broad - 24} 660 Z",
                    obi,
                    obi,
                )
            )
            for i in range(6):
                x = -broad + 30 + i * broad * 0.4
                out.append(
                    el(
                        "circle",
                        cx=fmt(x),
                        cy="360",
                        r="14",
                        fill=self.c(light(base, 0.35)),
                        opacity="0.6",
                    )
                )
        elif kind == "armor":
            steel = (
                (176, 184, 200)
                if sum(base) < 200 or sum(base) > 650
                else mix(base, (190, 195, 210), 0.5)
            )
            plate = self.gradient([(0, light(steel, 0.4)), (0.5, steel), (1, self.shadow(steel))])
            out.append(
                el(
                    "path",
                    d="M -120 300 Q 0 260 120 300 L 150 620 Q 0 680 -150 620 Z",
                    fill=plate,
                    stroke=self.ink(steel),
                    stroke_width=self.lw,
                )
            )
            out.append(self.stroke("M 0 290 L 0 640", self.ink(steel), self.lw * 0.8))
            for side in (-1, 1):
                pauldron = (
                    f"M {side * 90} 280 C {side * 200} 230 {side * (broad + 50)} 300 {side * (broad + 40)} 400 "
                    f"C {side * 200} 420 {side * 130} 380 {side * 90} 330 Z"
                )
                out.append(
                    el("path", d=pauldron, fill=plate, stroke=self.ink(steel), stroke_width=self.lw)
                )
                out.append(
                    self.stroke(
                        f"M {side * 110} 300 C {side * 190} 270 {side * (broad + 20)} 320 {side * (broad + 25)} 380",
                        self.c((230, 190, 90)),
                        5,
                    )
                )
        elif kind == "dress":
            out.append(
                self.shape(
                    "M -100 262 C -90 320 -60 360 0 372 C 60 360 90 320 100 262 Z", t.skin, t.skin
                )
            )
            out.append(
                self.stroke(
                    "M -60 300 Q -30 312 -10 306", self.ink(t.skin), self.lw * 0.6, opacity="0.6"
                )
            )
            out.append(
                self.stroke(
                    "M 60 300 Q 30 312 10 306", self.ink(t.skin), self.lw * 0.6, opacity="0.6"
                )
            )
            out.append(
                self.stroke(
                    "M -100 262 C -90 320 -60 360 0 372 C 60 360 90 320 100 262",
                    self.c(light(base, 0.4)),
                    8,
                )
            )
        elif kind == "jacket":
            inner = (240, 240, 244) if sum(base) < 500 else (40, 40, 48)
            out.append(
                self.shape("M -70 262 L -50 900 L 50 900 L 70 262 Q 0 300 -70 262 Z", inner, inner)
            )
            for side in (-1, 1):
                out.append(
                    self.shape(
                        f"M {side * 60} 255 L {side * 120} 250 L {side * 90} 420 L {side * 55} 330 Z",
                        self.shadow(base, 0.05),
                        base,
                    )
                )
            out.append(self.stroke("M -50 262 Q 0 300 50 262", self.ink(inner), self.lw))
        return "".join(out)

    # ---- face ----------------------------------------------------------------------------

    def face(self) -> str:
        skin = self.traits.skin
        w = self.head_width
        out = []
        for side in (-1, 1):
            out.append(
                el(
                    "ellipse",
                    cx=fmt(side * (w - 2)),
                    cy="20",
                    rx="18",
                    ry="30",
                    fill=self.c(skin),
                    stroke=self.ink(skin),
                    stroke_width=self.lw,
                )
            )
        out.append(self.shape(self.face_path, skin, skin))
        self.silhouette_head.append(self.face_path)
        # The shadow the bangs cast on the forehead: the clumps, a little lower.
        clip = self.clip(self.face_path)
        shadow = self.c(self.shadow(skin))
        out.append(
            el(
                "g",
                [el("path", d=d, fill=shadow) for d in self.bang_paths(dy=16)],
                clip_path=clip,
                opacity="0.7",
            )
        )
        out.append(
            el(
                "path",
                d=f"M {-w} -200 L {w} -200 L {w} -100 L {-w} -100 Z",
                fill=shadow,
                opacity="0.7",
                clip_path=clip,
            )
        )
        # Light from the upper left: a soft crescent of shadow along the right jaw.
        out.append(
            el(
                "path",
                d=f"M {w} -20 C {w} 80 {w * 0.7} 140 {w * 0.25} 178 "
                f"C {w * 0.6} 120 {w * 0.86} 60 {w * 0.9} -20 Z",
                fill=shadow,
                opacity="0.45",
                clip_path=clip,
            )
        )
        return "".join(out)

    def features(self) -> str:
        t = self.traits
        expr = t.expression
        k = self.variation.intensity
        ew, eh = self.eye_size
        eye_y = 30 if t.build != "chibi" else 45
        out: list[str] = []
        blush = expr in ("smile", "laugh", "wink") or t.style == "cute"
        if blush:
            for side in (-1, 1):
                out.append(
                    el(
                        "ellipse",
                        cx=fmt(side * 82),
                        cy=fmt(eye_y + 68),
                        rx="30",
                        ry="11",
                        fill=self.c((255, 130, 150)),
                        opacity="0.35",
                    )
                )
        for side in (-1, 1):
            closed = expr == "laugh" or (expr == "wink" and side == 1)
            out.append(self.eye(side * 68, eye_y, ew, eh, side, closed))
            out.append(self.brow(side * 70, eye_y - 72 - (14 if expr == "surprised" else 0), side))
        out.append(
            self.stroke(f"M 6 {eye_y + 62} L 0 {eye_y + 70}", self.ink(t.skin), self.lw * 0.9)
        )
        out.append(self.mouth(eye_y + 108, k))
        if expr == "sad":
            for side in (-1, 1):
                tx, ty = side * 98, eye_y + 58
                out.append(
                    self.shape(
                        f"M {tx} {ty} Q {tx + 9} {ty + 20} {tx} {ty + 26} Q {tx - 9} {ty + 20} {tx} {ty} Z",
                        (170, 220, 255),
                        (120, 170, 230),
                        self.lw * 0.5,
                        opacity="0.9",
                    )
                )
        return "".join(out)

    def eye(self, ex: float, ey: float, w: float, h: float, side: int, closed: bool) -> str:
        t = self.traits
        expr = t.expression
        ink = self.c(self.params.ink)
        if closed:
            # Happy closed eye: an upward arc with a little lash flick.
            d = f"M {ex - w * 0.45} {ey + h * 0.1} Q {ex} {ey - h * 0.42} {ex + w * 0.45} {ey + h * 0.1}"
            return self.stroke(d, ink, self.lw * 2.2)
        # The lid line: tilted by expression (angry: inner corner down; sad: inner up).
        inner_drop = {"angry": 0.16, "sad": -0.14}.get(expr, 0.0)
        lid_top = {"calm": 0.42, "surprised": 0.62}.get(expr, 0.55)
        inner_x, outer_x = ex - side * w / 2, ex + side * w / 2
        inner_y = ey - h * 0.08 + h * inner_drop
        outer_y = ey - h * 0.14
        top = (
            f"M {fmt(inner_x)} {fmt(inner_y)} C {fmt(inner_x + side * w * 0.2)} {fmt(ey - h * lid_top - h * 0.2)} "
            f"{fmt(outer_x - side * w * 0.25)} {fmt(ey - h * lid_top - h * 0.22)} {fmt(outer_x)} {fmt(outer_y)}"
        )
        bottom = (
            f"C {fmt(outer_x - side * w * 0.05)} {fmt(ey + h * 0.4)} {fmt(inner_x + side * w * 0.15)} "
            f"{fmt(ey + h * 0.46)} {fmt(inner_x)} {fmt(inner_y)} Z"
        )
        opening = f"{top} {bottom}"
        out = [el("path", d=opening, fill=self.c((250, 248, 252)))]
        clip = self.clip(opening)
        iris = t.eye_color
        iris_r = (
            w * (0.28 if expr == "surprised" else 0.35),
            h * (0.36 if expr == "surprised" else 0.46),
        )
        grad = self.gradient([(0, shade(iris, 0.6)), (0.45, iris), (1, light(iris, 0.55))])
        look = side * w * 0.02
        parts = [
            el(
                "path",
                d=f"M {inner_x} {inner_y - h} L {outer_x} {outer_y - h} L {outer_x} {ey + h * 0.05} "
                f"L {inner_x} {ey + h * 0.05} Z",
                fill=self.c(shade((240, 240, 250), 0.18)),
                opacity="0.6",
            ),
            el(
                "ellipse",
                cx=fmt(ex + look),
                cy=fmt(ey + h * 0.08),
                rx=fmt(iris_r[0]),
                ry=fmt(iris_r[1]),
                fill=grad,
                stroke=self.c(shade(iris, 0.65)),
                stroke_width=fmt(self.lw * 0.8),
            ),
            el(
                "ellipse",
                cx=fmt(ex + look),
                cy=fmt(ey + h * 0.06),
                rx=fmt(iris_r[0] * 0.42),
                ry=fmt(iris_r[1] * 0.45),
                fill=self.c(shade(iris, 0.82)),
            ),
            el(
                "ellipse",
                cx=fmt(ex + look + w * 0.02),
                cy=fmt(ey + h * 0.3),
                rx=fmt(iris_r[0] * 0.55),
                ry=fmt(iris_r[1] * 0.2),
                fill=self.c(light(iris, 0.6)),
                opacity="0.7",
            ),
        ]
        out.append(el("g", parts, clip_path=clip))
        # Catchlights over everything in the eye.
        out.append(
            el(
                "ellipse",
                cx=fmt(ex + look - side * w * 0.1),
                cy=fmt(ey - h * 0.08),
                rx=fmt(w * 0.12),
                ry=fmt(h * 0.1),
                fill="#ffffff",
            )
        )
        out.append(
            el(
                "circle",
                cx=fmt(ex + look + side * w * 0.12),
                cy=fmt(ey + h * 0.24),
                r=fmt(w * 0.05),
                fill="#ffffff",
                opacity="0.9",
            )
        )
        # Upper lash: a thick tapered stroke with a flick at the outer corner.
        lash_w = self.lw * 2.4
        flick = f"L {fmt(outer_x + side * w * 0.14)} {fmt(outer_y - h * 0.16)} L {fmt(outer_x - side * w * 0.02)} {fmt(outer_y + h * 0.04)}"
        out.append(
            el(
                "path",
                d=f"{top} {flick}",
                fill="none",
                stroke=ink,
                stroke_width=fmt(lash_w),
                stroke_linecap="round",
                stroke_linejoin="round",
            )
        )
        out.append(
            self.stroke(
                f"M {fmt(outer_x - side * w * 0.08)} {fmt(ey + h * 0.32)} "
                f"Q {fmt(ex + side * w * 0.1)} {fmt(ey + h * 0.46)} {fmt(ex - side * w * 0.1)} {fmt(ey + h * 0.44)}",
                ink,
                self.lw * 0.7,
                opacity="0.8",
            )
        )
        return "".join(out)

    def brow(self, bx: float, by: float, side: int) -> str:
        expr = self.traits.expression
        inner = {"angry": 16, "sad": -14, "surprised": -6}.get(expr, 0)
        x0, x1 = bx - side * 34, bx + side * 34
        colour = self.ink(self.traits.hair_color)
        d = (
            f"M {fmt(x0)} {fmt(by + inner)} Q {fmt(bx)} {fmt(by - 10)} {fmt(x1)} {fmt(by + 4)} "
            f"Q {fmt(bx)} {fmt(by - 2)} {fmt(x0)} {fmt(by + inner + 6)} Z"
        )
        return el(
            "path",
            d=d,
            fill=colour,
            stroke=colour,
            stroke_width=fmt(self.lw * 0.6),
            stroke_linejoin="round",
        )

    def mouth(self, my: float, k: float) -> str:
        expr = self.traits.expression
        ink = self.c(mix(self.params.ink, (160, 60, 70), 0.35))
        inside = self.c((150, 40, 60))
        tongue = self.c((235, 120, 130))
        if expr == "laugh":
            d = f"M -36 {my} Q 0 {my + 8} 36 {my} Q 30 {my + 48 * k} 0 {my + 52 * k} Q -30 {my + 48 * k} -36 {my} Z"
            return el("path", d=d, fill=inside, stroke=ink, stroke_width=fmt(self.lw)) + el(
                "ellipse", cx="0", cy=fmt(my + 38 * k), rx="18", ry=fmt(10 * k), fill=tongue
            )
        if expr == "surprised":
            return el(
                "ellipse",
                cx="0",
                cy=fmt(my + 8),
                rx="12",
                ry=fmt(16 * k),
                fill=inside,
                stroke=ink,
                stroke_width=fmt(self.lw),
            )
        if expr in ("smile", "wink"):
            return self.stroke(f"M -30 {my} Q 0 {my + 22 * k} 30 {my}", ink, self.lw * 1.1)
        if expr == "angry":
            return self.stroke(
                f"M -26 {my + 10} Q 0 {my - 8 * k} 26 {my + 10}", ink, self.lw * 1.1
            ) + self.stroke(f"M 20 {my + 6} L 30 {my + 12}", ink, self.lw * 0.8)
        if expr == "sad":
            return self.stroke(f"M -20 {my + 10} Q 0 {my - 4 * k} 20 {my + 10}", ink, self.lw)
        return self.stroke(f"M -16 {my + 2} Q 0 {my + 6 * k} 16 {my + 1}", ink, self.lw)

    # ---- accessories ---------------------------------------------------------------------

    def accessories(self) -> str:
        t = self.traits
        colour = t.accessory_color
        w = self.head_width
        out: list[str] = []
        if "cat_ears" in t.accessories:
            for side in (-1, 1):
                base_x = side * 92
                ear = f"M {base_x - 52} -150 L {base_x + side * 48} -300 L {base_x + 58} -140 Z"
                out.append(self.shape(ear, t.hair_color, t.hair_color))
                inner = f"M {base_x - 26} -158 L {base_x + side * 40} -262 L {base_x + 30} -150 Z"
                out.append(self.shape(inner, (255, 170, 190), None, opacity="0.9"))
        if "hat" in t.accessories:
            out.append(
                self.shape(
                    f"M {-w - 26} -92 C {-w - 30} -290 {w + 30} -290 {w + 26} -92 Z", colour, colour
                )
            )
            out.append(
                self.shape(
                    f"M {-w - 34} -120 L {w + 34} -120 L {w + 36} -78 L {-w - 36} -78 Z",
                    self.shadow(colour, -0.1),
                    colour,
                )
            )
            for i in range(9):
                x = -w - 20 + i * (2 * w + 40) / 8
                out.append(
                    self.stroke(
                        f"M {fmt(x)} -116 L {fmt(x)} -82",
                        self.ink(colour),
                        self.lw * 0.6,
                        opacity="0.6",
                    )
                )
        if "ribbon" in t.accessories:
            red = colour if colour not in ((32, 32, 40), (255, 255, 255)) else (220, 50, 80)
            cx, cy = w * 0.72, -150
            for side in (-1, 1):
                out.append(
                    self.shape(
                        f"M {cx} {cy} C {cx + side * 40} {cy - 50} {cx + side * 80} {cy - 20} {cx + side * 70} {cy + 12} "
                        f"C {cx + side * 50} {cy + 30} {cx + side * 20} {cy + 10} {cx} {cy} Z",
                        red,
                        red,
                    )
                )
            out.append(
                el(
                    "circle",
                    cx=fmt(cx),
                    cy=fmt(cy),
                    r="14",
                    fill=self.c(self.shadow(red, -0.1)),
                    stroke=self.ink(red),
                    stroke_width=fmt(self.lw),
                )
            )
        if "headphones" in t.accessories:
            band = f"M {-w - 30} 10 C {-w - 52} -300 {w + 52} -300 {w + 30} 10"
            out.append(self.stroke(band, self.ink(colour), 26))
            out.append(self.stroke(band, self.c(colour), 18))
            out.append(
                self.stroke(
                    f"M {-w * 0.7} -200 C {-w * 0.3} -246 {w * 0.3} -246 {w * 0.7} -200",
                    self.c(light(colour, 0.35)),
                    5,
                    opacity="0.8",
                )
            )
            for side in (-1, 1):
                x = side * (w + 30)
                out.append(
                    el(
                        "rect",
                        x=fmt(x - 30),
                        y="-30",
                        width="60",
                        height="104",
                        rx="24",
                        fill=self.c(colour),
                        stroke=self.ink(colour),
                        stroke_width=fmt(self.lw),
                    )
                )
                out.append(
                    el(
                        "rect",
                        x=fmt(x - 30 + (8 if side < 0 else 22)),
                        y="-12",
                        width="12",
                        height="68",
                        rx="6",
                        fill=self.c(light(colour, 0.3)),
                        opacity="0.8",
                    )
                )
        if "glasses" in t.accessories:
            ew, eh = self.eye_size
            ey = 30 if t.build != "chibi" else 45
            for side in (-1, 1):
                out.append(
                    el(
                        "rect",
                        x=fmt(side * 68 - ew * 0.62),
                        y=fmt(ey - eh * 0.5),
                        width=fmt(ew * 1.24),
                        height=fmt(eh * 0.95),
                        rx="22",
                        fill="#ffffff",
                        fill_opacity="0.12",
                        stroke=self.ink(colour),
                        stroke_width=fmt(self.lw * 1.3),
                    )
                )
            out.append(
                self.stroke(
                    f"M {-68 + ew * 0.62} {ey} Q 0 {ey - 12} {68 - ew * 0.62} {ey}",
                    self.ink(colour),
                    self.lw * 1.3,
                )
            )
        if "scarf" in t.accessories:
            scarf = colour if colour != (32, 32, 40) else (200, 60, 60)
            out.append(
                self.shape(
                    "M -110 240 C -60 300 60 300 110 240 L 116 282 C 60 340 -60 340 -116 282 Z",
                    scarf,
                    scarf,
                )
            )
            out.append(
                self.shape(
                    "M 40 300 L 90 300 L 100 470 L 54 470 Z", self.shadow(scarf, -0.05), scarf
                )
            )
        return "".join(out)

    # ---- lighting ------------------------------------------------------------------------

    def rims(self, turn_head: str, turn_body: str) -> list[str]:
        """Rim lights: the silhouette in the light's colour, shifted, behind the figure,
        so a bright edge shows along the contour on the side the light comes from.
        (Plain shapes: an SVG filter doing the same costs more than the whole drawing.)"""
        out = []
        for colour, dx in RIMS[self.traits.lighting]:
            fill = hex_(colour)
            head = el("g", [el("path", d=d) for d in self.silhouette_head], transform=turn_head)
            body = el("g", [el("path", d=d) for d in self.silhouette_body], transform=turn_body)
            out.append(
                el(
                    "g",
                    [head, body],
                    transform=f"translate({-dx * 1.2} 0)",
                    fill=fill,
                    fill_opacity="0.9",
                )
            )
        return out

    def lighting(self) -> str:
        """A vignette over everything (the lighting's colour is already in every colour)."""
        vid = self.uid("v")
        self.defs.append(
            el(
                "radialGradient",
                [
                    el("stop", offset="0.55", stop_color="#000000", stop_opacity="0"),
                    el("stop", offset="1", stop_color="#000000", stop_opacity="0.35"),
                ],
                id=vid,
                cx="0.5",
                cy="0.45",
                r="0.75",
            )
        )
        return el("rect", width="100%", height="100%", x="0", y="0", fill=f"url(#{vid})")


def _wanted(layer: str, only: set[str] | None) -> bool:
    return only is None or layer in only
