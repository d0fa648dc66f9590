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

from sakuga.engines.draw import catalogue
from sakuga.engines.draw.backgrounds import paint_background, room_after_dark
from sakuga.engines.draw.backgrounds.common import night_in_windows
from sakuga.engines.draw.backgrounds.ground import (
    bed_from_above,
    body_shadow,
    ground_from_above,
    sofa_from_above,
)
from sakuga.engines.draw.canvas import TURNED_WIDTH
from sakuga.engines.draw.parts.accessories import AccessoryPainter
from sakuga.engines.draw.parts.arms import ArmPainter
from sakuga.engines.draw.parts.back import BackPainter
from sakuga.engines.draw.parts.body import BodyPainter
from sakuga.engines.draw.parts.face import FacePainter
from sakuga.engines.draw.parts.hair import HairPainter
from sakuga.engines.draw.parts.light import LightPainter
from sakuga.engines.draw.parts.marks import MarkPainter
from sakuga.engines.draw.parts.profile import ProfilePainter
from sakuga.engines.draw.parts.things import ThingPainter
from sakuga.engines.draw.parts.weather import WeatherPainter
from sakuga.engines.draw.svg import (
    RGB,
    el,
    fmt,
    group,
)
from sakuga.engines.draw.traits import Traits
from sakuga.engines.draw.words import Framing
from sakuga.prompt.styles import DrawParams

#: Scenes indoors: the weather is outside, beyond their windows.
ROOMS: Final = frozenset(e.name for e in catalogue.PLACES if "indoors" in e.implies)
LAYERS: Final = (
    "background",
    "back_hair",
    "legs",
    "body",
    "face",
    "features",
    "front_hair",
    "accessories",
    "arms",
    "lighting",
    "weather",
)
FIGURE_LAYERS: Final = LAYERS[1:-2]


#: The framings versions choose among when neither the prompt nor the use chose one.
VERSION_FRAMINGS: Final[tuple[Framing | None, ...]] = (None, "knees", "half")
#: Where versions stand the figure across the frame (canvas units from the centre):
#: left of centre, in the middle, right of centre — a composition, not a nudge.
VERSION_SPOTS: Final = (-190.0, 0.0, 190.0)


#: How far (figure units) an old figure's head sinks towards its shoulders: a stoop.
ELDER_STOOP: Final = 34.0


@dataclass(frozen=True)
class Variation:
    """What changes between versions of the same character."""

    tilt: float = 0.0  # head tilt in degrees
    shoulders: float = 0.0  # shoulder angle in degrees
    intensity: float = 1.0  # expression strength
    background_seed: int = 0
    hue: float = 0.0  # background palette shift in degrees
    hand_side: int = 1  # which side a raised hand is on (+1: the image's right)
    zoom: float = 1.0  # the camera: closer or further
    offset: float = 0.0  # the camera: the figure left or right of centre (canvas units)
    #: Which of the version poses (`canvas.VERSION_POSES`) this version strikes when the
    #: prompt asks for no gesture: cycling with the seed, so neighbours differ.
    pose: int = 0
    light: int = 1  # where the key light comes from: +1 the image's left, -1 its right
    turn: float = 0.0  # how far the head turns (towards the light), when the prompt says not
    framing: Framing | None = None  # a wider framing for this version, when none was chosen
    outfit: float = 0.0  # which outfit of the place's wardrobe, when none was said (0..1)
    mirror: bool = False  # the scene seen from the other side (its layout mirrored)

    @classmethod
    def from_seed(cls, seed: int) -> Variation:
        """Drawn from the seed alone, so a re-run of one version matches its batch.

        The composition cycles with the seed, so neighbours in a batch always differ:
        where the figure stands (right, left, middle), the framing when the prompt left
        it open (close, to the knees, to the waist) and which way the scene faces. The
        rest comes from the seed's random stream (its draws kept in their order)."""
        rng = np.random.default_rng(seed)
        spread = 0.75
        spot = VERSION_SPOTS[(seed + 2) % 3]
        # The raised hand towards the open side of the frame, not out of it.
        toward_room = -1 if spot > 0 else 1 if spot < 0 else 0
        tilt, shoulders, intensity = (
            float(rng.uniform(*r)) for r in ((-7, 7), (-3, 3), (-0.2, 0.25))
        )
        scene, hue = int(rng.integers(0, 2**31)), float(rng.uniform(-14, 14))
        hand = 1 if rng.uniform() < 0.6 else -1
        zoom, jitter = float(rng.uniform(0.93, 1.08)), float(rng.uniform(-1, 1))
        rng.integers(6)  # (once the gesture's draw: the stream stays in step)
        light = 1 if rng.uniform() < 0.65 else -1
        turn = [0.0, 0.15, 0.22, 0.3][int(rng.integers(4))]
        rng.integers(6)  # (once the framing's draw: the stream stays in step)
        return cls(
            tilt=tilt * spread,
            shoulders=shoulders * spread,
            intensity=1 + intensity * spread,
            background_seed=scene,
            hue=hue * spread,
            hand_side=toward_room or hand,
            zoom=zoom,
            offset=jitter * 25 + spot,
            pose=seed % 4,
            light=light,
            turn=turn,
            framing=VERSION_FRAMINGS[(seed + 2) % 3],
            outfit=float(rng.uniform()),
            mirror=seed % 2 == 1,
        )


@dataclass
class Painter(
    ProfilePainter,
    BodyPainter,
    BackPainter,
    HairPainter,
    FacePainter,
    AccessoryPainter,
    ArmPainter,
    LightPainter,
    MarkPainter,
    WeatherPainter,
    ThingPainter,
):
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
    # The panes of a room's windows, set by its background: weather shows through them.
    windows: list[str] = field(default_factory=list)

    def cape(self) -> str:
        """A cape from the shoulders, flaring to below the knees, in its colour with a
        darker fold down its middle: wider than the shoulders, so it shows beside the
        body in every framing (a bust hid one the shoulders' width)."""
        colour = self.traits.cape_color or (150, 34, 44)
        b = self.broad
        outline = (
            f"M -70 236 Q {fmt(-b - 10)} 236 {fmt(-b - 40)} 320 Q {fmt(-b - 90)} 700 "
            f"{fmt(-b - 150)} 1180 Q 0 1230 {fmt(b + 150)} 1180 Q {fmt(b + 90)} 700 "
            f"{fmt(b + 40)} 320 Q {fmt(b + 10)} 236 70 236 Z"
        )
        return self.shape(outline, self.shadow(colour, 0.2), colour) + self.stroke(
            "M 0 300 Q -20 760 0 1200", self.colour(self.shadow(colour, 0.35)), self.line_width
        )

    @property
    def on_sofa(self) -> RGB | None:
        """The colour of the sofa the figure lies on, when one is said under it."""
        if self.traits.stance != "lie":
            return None
        couch = next((p for p in self.traits.things if p.vector.name == "couch-and-lamp"), None)
        return None if couch is None else couch.colour or (72, 92, 160)

    @property
    def on_bed(self) -> bool:
        """Whether the figure lies in bed: a bed said, or their bedroom."""
        return self.traits.stance == "lie" and (
            self.traits.background == "bedroom"
            or any(p.vector.name == "bed" for p in self.traits.things)
        )

    # ---- the document ---------------------------------------------------------------

    def figure_place(self) -> tuple[float, float, float]:
        """Where the figure stands in the canvas: its middle's x, its y and its scale,
        the version's camera (zoom, the figure off centre) applied."""
        x, y, s = self.placement
        v = self.variation
        # The camera never comes so close that it cuts a standing figure off.
        s = s * (min(v.zoom, 1.0) if self.traits.pose == "full" else v.zoom)
        # Off centre as far as the frame has room beside the figure (its shoulders about
        # 330 figure units from its middle; a tall frame keeps a bust centred).
        spare = max(0.0, self.width / 2 - 330 * s * 0.8)
        return x + v.offset * min(1.0, spare / 150), y, s

    def head_box(self, size: tuple[int, int]) -> tuple[int, int, int, int] | None:
        """The head, hair and face, in the picture's pixels (where a title must not go);
        None when no head stands up in the frame (no figure, or one lying down)."""
        if self.traits.alone or self.traits.stance == "lie":
            return None
        x, y, s = self.figure_place()
        w, chin = self.head_width + 60, 230
        px = size[1] / 1000  # canvas units to pixels (the canvas is 1000 tall)
        box = ((x - w * s) * px, (y - 250 * s) * px, (x + w * s) * px, (y + chin * s) * px)
        x0, y0, x1, y1 = (round(v) for v in box)
        return max(0, x0), max(0, y0), min(size[0], x1), min(size[1], y1)

    def document(self, size: tuple[int, int], only: set[str] | None = None) -> str:
        """The SVG document at ``size`` pixels; ``only`` keeps just those layers."""
        parts = {
            "back_hair": self.back_hair,
            "legs": self.legs,
            "body": self.body,
            "face": self.face,
            "features": lambda: self.features() + self.marks(),
            "front_hair": lambda: self.front_hair() + self.braid() + self.strays(),
            "accessories": lambda: self.accessories() + self.marks(over_hair=True),
            "arms": self.arms,
        }
        if self.traits.facing == "back":  # the back of the head instead of the face
            parts |= {
                "back_hair": lambda: "",
                "face": self.back_of_head,
                "features": lambda: "",
                "front_hair": lambda: "",
                "accessories": self.back_accessories,
            }
        if self.traits.facing == "over_shoulder":  # the back, the head in profile over it
            parts |= {
                "back_hair": lambda: "",
                "face": self.profile_head,
                "features": lambda: "",
                "front_hair": lambda: "",
                "accessories": self.back_accessories,
            }

        # The bangs follow a turned face a little.
        shifts = {"front_hair": self.turn * 0.12 * self.head_width}

        def layer(name: str) -> str:
            if not _wanted(name, only):
                return ""
            drawn = parts[name]()
            if shifts.get(name):
                drawn = el("g", [drawn], transform=f"translate({fmt(shifts[name])} 0)")
            return group(name, [drawn])

        x, y, s = self.figure_place()
        v = self.variation
        # Standing figures keep their shoulders level (a turn about the chest would
        # swing the feet).
        full = self.full_figure
        shoulders = 0.0 if full else v.shoulders
        turn_head = f"rotate({fmt(v.tilt)} 0 200)"
        if self.traits.elderly:  # the stoop of age: the head sunk between the shoulders
            turn_head = f"translate(0 {fmt(ELDER_STOOP)}) {turn_head}"
        # Back hair behind the body; face, features, front hair and accessories in front.
        behind = el("g", [layer("back_hair")], transform=turn_head)
        # A figure asked in three-quarter view turns its body too: narrower across.
        across = f" scale({TURNED_WIDTH} 1)" if self.body_turned else ""
        # A chibi drawn whole: its body squashed below the neck (two and a half heads).
        across += self.squash_transform
        legs = el("g", [layer("legs")], transform=across.strip() or None) if full else ""
        torso = el("g", [layer("body")], transform=f"rotate({fmt(shoulders)} 0 400){across}")
        front = el(
            "g",
            [layer(n) for n in ("face", "features", "front_hair", "accessories")],
            transform=turn_head,
        )
        arms = el("g", [layer("arms")], transform=f"rotate({fmt(shoulders)} 0 400){across}")
        rims = (
            self.rims(turn_head, f"rotate({fmt(shoulders)} 0 400){self.squash_transform}")
            if _wanted("lighting", only)
            else []
        )
        lying = self.traits.stance == "lie" and full
        place = f"translate({fmt(x)} {fmt(y)}) scale({s:.4f})"  # fmt keeps one decimal
        if self.traits.stance == "run" and full:  # leaning into the run, about the feet
            place += f" rotate({fmt(self.run_lean)} 0 {fmt(self.sole_y)})"
        if lying:
            # On the ground seen from above, head to the left: straight across a wide
            # frame, on the diagonal of a square or tall one (the figure is larger so).
            angle = -90.0 if self.width >= 1400 else -55.0
            dx, dy = -math.sin(math.radians(angle)), math.cos(math.radians(angle))
            length = 2330 + 300  # crown to soles, and the hair and arms beside them
            s = min(0.92 * self.width / (length * abs(dx)), 0.92 * 1000 / (length * abs(dy) + 420))
            centre = 947  # halfway from the crown (-215) to the soles (2110)
            x = self.width / 2 - centre * s * dx + v.offset * 0.5
            y = 500 - centre * s * dy
            place = f"translate({fmt(x)} {fmt(y)}) rotate({angle:g}) scale({s:.4f})"
        # The outer contour, heavier than the lines inside the figure: the silhouettes
        # stroked behind it, so only the outer half of the line shows.
        contour = (
            self.contour(turn_head, f"rotate({fmt(shoulders)} 0 400){across}")
            if only is None or any(_wanted(n, only) for n in FIGURE_LAYERS)
            else ""
        )
        # The library's things by the figure: beside it behind, on the lap in front.
        things = _wanted("arms", only) and not lying
        beside = self.things_on_figure(x, s, front=False) if things else ""
        if lying and _wanted("arms", only):  # on the ground by her, seen from above
            beside = self.things_by_lying(angle)
        on_lap = self.things_on_figure(x, s, front=True) if things else ""
        # Crouching, the knees come up in front of the body.
        # A cape over the outfit hangs behind the whole figure, from the shoulders.
        cape = (
            el("g", [self.cape()], transform=f"rotate({fmt(shoulders)} 0 400){across}")
            if self.traits.cape_color is not None and _wanted("torso", only)
            else ""
        )
        order = (
            [beside, cape, *rims, contour, behind, torso, legs, front, on_lap, arms]
            if self.traits.stance == "crouch" and full
            else [beside, cape, *rims, contour, behind, legs, torso, front, on_lap, arms]
        )
        figure = el(
            "g",
            order,
            id="figure",
            transform=place,
        )
        children: list[str] = []
        indoors = self.traits.background in ROOMS and not lying
        if _wanted("background", only):
            under = ""  # under a lying figure, where it lies (never mirrored with the scene)
            if lying:
                sofa = self.on_sofa
                painted = ground_from_above(
                    self, self.traits.background, v.background_seed, indoors=sofa is not None
                )
                under = (
                    bed_from_above(self, (x, y), s, angle, v.background_seed)
                    if self.on_bed
                    else sofa_from_above(self, (x, y), s, angle, sofa)
                    if sofa is not None
                    else body_shadow(x, y, s, angle)
                )
            else:
                painted = paint_background(self, self.traits.background, v.background_seed, v.hue)
                painted += self.things_far(x)
            flip = f"translate({fmt(self.width)} 0) scale(-1 1)" if v.mirror else None
            if indoors and self.windows:  # the night seen through the room's windows
                head = self.head_box((round(self.width), 1000))  # canvas units
                box = None
                if head is not None:
                    x0, y0, x1, y1 = (float(c) for c in head)
                    # In the unmirrored room's units (the room is mirrored after).
                    box = (
                        (self.width - x1, y0, self.width - x0, y1) if v.mirror else (x0, y0, x1, y1)
                    )
                sky = night_in_windows(self, self.windows, box)
                if sky:
                    painted += el("g", [sky], clip_path=self.clip(*self.windows))
            scene = [el("g", [painted], transform=flip), under]
            if lying and self.traits.background in ROOMS:  # lying in a room after dark
                scene = [room_after_dark(self, scene)]
            children.append(group("background", scene))
        if self.traits.weather and indoors and _wanted("weather", only):
            # Indoors, rain and snow fall outside: seen through the windows, behind the
            # figure.
            panes = self.clip(*self.windows or ["M 0 0 Z"])
            outside = el("g", [self.weather(outside=True)], clip_path=panes)
            if v.mirror:  # the windows are where the mirrored room has them
                outside = el(
                    "g", [outside], transform=f"translate({fmt(self.width)} 0) scale(-1 1)"
                )
            children.append(group("weather", [outside]))
        if self.traits.alone:
            # No one in the picture: what it is about, large, on the ground.
            if only is None or any(_wanted(n, only) for n in FIGURE_LAYERS):
                children.append(group("subject", [self.subject_scene()]))
        elif only is None or any(_wanted(n, only) for n in FIGURE_LAYERS):
            self.defs.append(figure)
            children.append(el("use", href="#figure"))
            if not lying:
                children.append(self.things_near(x, s))
        if _wanted("lighting", only):
            children.append(group("lighting", [self.lighting(), self.grade()]))
        in_a_room = self.traits.background in ROOMS
        if self.traits.weather and _wanted("weather", only) and not (lying and in_a_room):
            # Outdoors all of it; in a room the effects in its air (sparkles, hearts);
            # lying in a room, seen from above, no window shows the weather.
            face = self.head_box((round(self.width), 1000))  # canvas units; None lying
            children.append(group("weather", [self.weather(None if not indoors else False, face)]))
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


def _wanted(layer: str, only: set[str] | None) -> bool:
    return only is None or layer in only
