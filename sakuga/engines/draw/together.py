"""Several characters in one drawing (#34): each drawn as a figure of their own, from
their own phrases (`sakuga.prompt.cast`), side by side over one scene.

Each character becomes a prompt of its own — their parts, what they do together, the
scene — and so traits of its own: one's hair never colours the other's. The scene is
painted once (the first character's painter paints it); the figures stand in a row
across it, a little smaller, each with its own version of the pose; the light and the
weather go over all of them. Two holding hands stand closer, each one's inner hand out
to the other's; two hugging, as a side hug, close enough to overlap (the right one's arm
round the other's shoulders, the left one's round their waist, both drawn over the
other; the heads leaning together). Other touching poses (a kiss, back to back) are not
drawn: the report says so. An animal character (`Member.animal`: "her cat familiar, a
black cat") is no figure: it is drawn from the vector library with its person — on the
lap, on a shoulder, in the arms or beside them, in the colour said — or reported.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from typing import Final

from sakuga.engines.draw.canvas import NECK_Y
from sakuga.engines.draw.character import FIGURE_LAYERS, Painter, Variation
from sakuga.engines.draw.svg import RGB, document
from sakuga.engines.draw.things import Placed, Where, find_things
from sakuga.engines.draw.traits import Traits, traits_from_spec
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.cast import ANIMALS, Cast, read_cast
from sakuga.prompt.members import NOBODY, OWN_PARTS, each_wears
from sakuga.prompt.styles import DEFAULT_STYLE, get_style
from sakuga.prompt.vocab import COLOR_RGB

#: How many figures one drawing holds; a prompt with more draws the first ones.
MOST: Final = 3
#: Where each figure of a row stands (share of the frame's width from its middle), and
#: how large it is drawn, by how many there are.
ROWS: Final = {1: ((0.0,), 1.0), 2: ((-0.2, 0.2), 0.84), 3: ((-0.3, 0.0, 0.3), 0.72)}
#: Heads and shoulders fill the frame: a row of busts is smaller and further apart.
BUST_ROWS: Final = {1: ((0.0,), 1.0), 2: ((-0.23, 0.23), 0.7), 3: ((-0.31, 0.0, 0.31), 0.6)}
#: Where two hugging stand: close enough that one's body overlaps the other's.
HUG_SPOTS: Final = (-0.075, 0.075)
#: Framings from the closest to the widest.
_FRAMINGS: Final = ("bust", "half", "knees", "full")


@dataclass(frozen=True)
class _Row:
    """Several figures set out in a row: each one's painter, where it stands (share of
    the frame's width from its middle), how large the row is drawn and which are
    little ones; a hug's arm drawn over the other figure; the order they are drawn in."""

    painters: list[Painter]
    spots: tuple[float, ...]
    scale: float
    sizes: list[float]  # each one's size in the row: a little one's, a tall one's
    over: list[tuple[int, Painter]]  # (whose arm, its painter): drawn over all the figures
    order: list[int]

    def transform(self, k: int, size: tuple[int, int]) -> tuple[float, float, float]:
        """Figure ``k``'s place in the frame: x and y offsets and its scale (a little
        one, a chibi beside those who are not, smaller on the same ground)."""
        w, h = size
        own = self.scale * self.sizes[k]
        return w / 2 + self.spots[k] * w - own * w / 2, h - own * h, own


#: Where a thing is the scene's, not one figure's: said once, drawn once in the row.
SCENE_WHERE: Final = frozenset({"beside", "front", "background", "sky"})


def _scene_things_once(painters: list[Painter], spots: tuple[float, ...]) -> list[Painter]:
    """``painters`` with a thing of the scene (a bus stop beside them, a moon in the sky)
    kept by one figure alone — the rightmost that has it: each figure read it from the
    shared words, and two bus stops stood in the row."""
    seen: set[tuple[str, str]] = set()
    out = list(painters)
    for k in sorted(range(len(out)), key=lambda k: -spots[k]):
        kept = []
        for thing in out[k].traits.things:
            key = (thing.vector.name, thing.where)
            if thing.where in SCENE_WHERE and key in seen:
                continue
            seen.add(key)
            kept.append(thing)
        out[k] = replace(out[k], traits=replace(out[k].traits, things=tuple(kept)))
    return out


def _row(
    specs: list[ArtSpec], traits: list[Traits], size: tuple[int, int], seed: int, text: str
) -> _Row:
    """The figures of several characters set out in a row, one version (``seed``)."""
    from sakuga.engines.draw import version_traits

    style = get_style(specs[0].preset_name or DEFAULT_STYLE)
    width = 1000 * size[0] / size[1]
    base = Variation.from_seed(seed)
    spots, scale = ROWS[len(traits)]
    versions: list[tuple[Traits, Variation]] = []
    for k, t in enumerate(traits):
        # Each their own pose and head tilt; all in the frame's middle (the row places
        # them), the raised hand on the outer side, one light and one scene for all.
        own = Variation.from_seed(seed + 7919 * k)
        variation = replace(
            own,
            offset=0.0,
            hand_side=-1 if spots[k] < 0 else 1,
            light=base.light,
            mirror=base.mirror,
            background_seed=base.background_seed,
            hue=base.hue,
            framing=base.framing,
        )
        versions.append((version_traits(t, variation), variation))
    # One framing for the row, the widest any of them asks (a thing at one's feet, a
    # full figure): a bust beside a full figure would read as two pictures.
    framing = max((t.pose for t, _ in versions), key=_FRAMINGS.index)
    pose = touching(traits, text)
    holding, hug = pose is not None and pose[0] == "hands", pose is not None and pose[0] == "hug"
    if holding:  # hands held show the hands: knees up at least, the two a little closer
        framing = max(framing, "knees", key=_FRAMINGS.index)
        spots = (-0.16, 0.16)
    if framing == "bust":
        spots, scale = BUST_ROWS[len(traits)]
    if hug:  # in each other's arms: the arms show, the bodies overlap
        framing = max(framing, "knees", key=_FRAMINGS.index)
        spots = HUG_SPOTS
    sharing = len(traits) == 2 and SHARED_UMBRELLA.search(text) and not (holding or hug)
    if sharing:  # close enough for one umbrella to cover them both
        spots = (-0.14, 0.14)
    painters = [
        Painter(traits=replace(t, pose=framing), params=style.draw, variation=v, width=width)
        for t, v in versions
    ]
    painters = _scene_things_once(painters, spots)
    # The one further back first: the middle of three, else the left.
    order = sorted(range(len(painters)), key=lambda k: (abs(spots[k]) < 0.01, k))
    if all(p.traits.stance == "sit" and not p.traits.things for p in painters):
        # Sitting side by side: one long bench under the row, not a bench each — each
        # drawn out under the neighbours drawn after it (never over one drawn before).
        gap = max(abs(b - a) for a, b in itertools.pairwise(spots)) * width
        # One camera for the row (each version's own zoom set the benches at two heights
        # and sizes: a step and a double edge where they met).
        camera = painters[order[0]].variation
        painters = [
            replace(p, variation=replace(p.variation, zoom=camera.zoom, offset=camera.offset))
            for p in painters
        ]
        for k, p in enumerate(painters):
            reach = gap / (_figure_scale(p) * scale)
            later = set(order[order.index(k) + 1 :])
            span = (reach if k - 1 in later else 0.0, reach if k + 1 in later else 0.0)
            ends = (k == 0, k == len(painters) - 1)
            painters[k] = replace(p, traits=replace(p.traits, bench_span=span, bench_ends=ends))
    over: list[tuple[int, Painter]] = []
    if hug:
        # The right one's arm round the left one's shoulders (drawn after them: over
        # their back and shoulders); the left one's round the right one's waist, drawn
        # over them too; the heads leaning together.
        painters[1] = _leaning(_around(painters[1], painters[0], spots, scale), -1)
        reacher = _leaning(_reaching(painters[0], spots[0] * 2, 1, scale), 1)
        over.append((0, _apart(reacher, replace(reacher.traits, arms_drawn="gesture"))))
        painters[0] = _apart(reacher, replace(reacher.traits, arms_drawn="rest"))
    if sharing:
        painters = _sharing(painters, spots, scale)
    grown = any(p.traits.build != "chibi" for p in painters)
    heights = [height_of(s) for s in specs]
    if len(set(heights)) == 1:
        heights = [1.0] * len(heights)  # all tall is no one taller
    sizes = [
        (LITTLE if grown and p.traits.build == "chibi" else 1.0) * tall
        for p, tall in zip(painters, heights, strict=True)
    ]
    row = _Row(painters, spots, scale, sizes, over, order)
    return _hands_meet(row, size) if holding else row


def together_svg(
    specs: list[ArtSpec],
    traits: list[Traits],
    size: tuple[int, int],
    seed: int,
    *,
    only: set[str] | None = None,
    text: str = "",
) -> str:
    """The SVG of several characters' figures in a row over the first one's scene
    (``text``, the prompt, says whether they hold hands, and which are animals: each
    drawn with its person, not as a figure of its own)."""
    specs, traits, _ = _with_pets(specs, traits, text)
    row = _row(specs, traits, size, seed, text)
    painters = row.painters
    children: list[str] = []
    if only is None or "background" in only:
        children.append(_nested(painters[0].document(size, {"background"}), "scene"))
    figure_layers = set(FIGURE_LAYERS) if only is None else set(FIGURE_LAYERS) & only

    def placed(drawn: str, k: int) -> str:
        """A figure's drawing at its place in the row."""
        w, h = size
        own = row.scale * row.sizes[k]
        at = f"translate({w / 2 + row.spots[k] * w:.1f} {h}) scale({own:.3f}) translate({-w / 2:.1f} {-h})"
        return f'<g transform="{at}">{drawn}</g>'

    for k in row.order:
        figure = _nested(painters[k].document(size, figure_layers), f"c{k}")
        children.append(placed(figure, k))
    if "arms" in figure_layers:  # a hug's arm round the other, over them
        for owner, arm in row.over:
            children.append(placed(_nested(arm.document(size, {"arms"}), f"o{owner}"), owner))
    over = {"lighting", "weather"} if only is None else {"lighting", "weather"} & only
    if over:
        children.append(_nested(painters[0].document(size, over), "air"))
    return document([], children, size)


def together_heads(
    specs: list[ArtSpec], traits: list[Traits], size: tuple[int, int], seed: int, text: str = ""
) -> list[tuple[int, int, int, int] | None]:
    """Where each figure of the row has its head, in the picture's pixels, in the cast's
    order (None for one whose head does not stand up in the frame): a story page points
    each speech bubble's tail at its speaker; an animal has none)."""
    people, drawn_traits, figures = _with_pets(specs, traits, text)
    row = _row(people, drawn_traits, size, seed, text)
    boxes: list[tuple[int, int, int, int] | None] = [None] * len(specs)
    for k, painter in enumerate(row.painters):
        box = painter.head_box(size)
        if box is None:
            continue
        dx, dy, own = row.transform(k, size)
        x0, y0, x1, y1 = (
            dx + own * box[0],
            dy + own * box[1],
            dx + own * box[2],
            dy + own * box[3],
        )
        boxes[figures[k]] = (round(x0), round(y0), round(x1), round(y1))
    return boxes


#: Where an animal character is with its person, by its own words ("sleeping in her
#: lap", "perched on her shoulder", "in his arms"); said nowhere, it sits beside them.
PET_PLACES: Final[tuple[tuple[Where, re.Pattern[str]], ...]] = (
    ("lap", re.compile(r"\b(?:on|in|across)\s+(?:(?:her|his|their|my|the)\s+)?lap\b", re.I)),
    (
        "shoulder",
        re.compile(r"\b(?:on|onto|over)\s+(?:(?:her|his|their|my|the)\s+)?shoulders?\b", re.I),
    ),
    ("head", re.compile(r"\bon\s+(?:(?:her|his|their|my)\s+)?head\b", re.I)),
    ("held", re.compile(r"\b(?:in\s+(?:her|his|their|my)\s+arms|held|cradled|carried)\b", re.I)),
)
#: A person's verb whose object is their animal, said alone ("holding", its kitten's).
HOLDING: Final = re.compile(r"(?:holding|holds|carrying|carries|cradling|hugging)", re.I)
#: The most an animal may measure (cm) to be drawn on a lap, a shoulder, a head or in
#: the arms: a bigger one sits beside its person, and the report says where it was said.
ON_FIGURE_CM: Final = 90.0
#: An animal's colour is said by a colour word before its noun or these ("orange
#: scales", "white with brown spots"); one before "eyes", "bandana" is not its coat's.
_COAT: Final = frozenset({"fur", "coat", "scales", "feathers", "with", "and", "all"})


@dataclass(frozen=True)
class Pet:
    """An animal character drawn with its person: its index among the characters, its
    person's (among the characters), the library's shape of it placed by that person
    (None: the library has no shape for it) and the phrases of its own it shows."""

    member: int
    owner: int
    placed: Placed | None
    shown: tuple[str, ...] = ()


def pets(specs: list[ArtSpec], traits: list[Traits], text: str = "") -> dict[int, Pet]:
    """The animal characters of a cast (`Member.animal`, read again from ``text``, or a
    figure that would be an animal alone), each drawn with the person said before it —
    not as a figure of its own. None when none of them is a person."""
    cast = read_cast(text) if text else None
    animal = [
        (cast is not None and k < len(cast.members) and cast.members[k].animal)
        or (t.alone and any(p.vector.animal and p.where == "subject" for p in t.things))
        for k, t in enumerate(traits)
    ]
    people = [k for k, a in enumerate(animal) if not a]
    if not people:
        return {}
    out: dict[int, Pet] = {}
    for k in (k for k, a in enumerate(animal) if a):
        owner = max((p for p in people if p < k), default=people[0])
        out[k] = _pet(k, owner, specs[k], traits[k], _said_of(specs[owner]))
    return out


def _pet(member: int, owner: int, spec: ArtSpec, traits: Traits, theirs: list[str]) -> Pet:
    """The animal ``spec`` describes, placed where its words say it is by its person
    (or theirs: "a girl holding a kitten with blue eyes" holds it; ``theirs``: their
    person's phrases)."""
    phrases = _said_of(spec)
    words = ", ".join(phrases)
    found = [p for p in traits.things if p.vector.animal]
    found += [p for p in find_things(words) if p.vector.animal]
    if not found:
        return Pet(member, owner, None)
    placed = found[0]
    shown = [p for p in phrases if any(w in p.lower() for w in placed.vector.words)]
    where: Where = "beside"
    if any(HOLDING.fullmatch(p) for p in theirs) and placed.cm <= ON_FIGURE_CM:
        where = "held"  # (the reader left their "holding" to them, the kitten its own)
    for place, said in PET_PLACES:
        told = next((p for p in phrases if said.search(p)), None)
        if told is None:
            continue
        if placed.cm <= ON_FIGURE_CM:
            where = place
            shown.append(told)
        break
    colour = placed.colour
    if colour is None and not placed.species:
        for phrase in phrases:
            coat = _coat_colour(phrase, placed)
            if coat is not None:
                colour = coat[0]
                shown.append(phrase)
                break
    named = placed.vector.name.partition("-")[0]
    if named in COLOR_RGB and colour == COLOR_RGB[named]:
        colour = None  # "black cat": the library's black cat, painted black all over
    placed = replace(placed, where=where, colour=colour, count=1, verb=None, lost=None)
    return Pet(member, owner, placed, tuple(dict.fromkeys(shown)))


def _coat_colour(phrase: str, placed: Placed) -> tuple[RGB, str] | None:
    """The colour ``phrase`` gives the animal's coat ("fat orange tabby", "white with
    brown spots", "(orange scales:1.2)"), and its word; None when it gives none (a red
    bandana, purple eyes)."""
    words = re.findall(r"[a-z]+", phrase.lower())
    names = {w for said in placed.vector.words for w in said.split()} | set(ANIMALS)
    for k, word in enumerate(words):
        if word not in COLOR_RGB:
            continue
        after = words[k + 1] if k + 1 < len(words) else ""
        if after in names or after in _COAT or after in COLOR_RGB or not after:
            return COLOR_RGB[word], word
    return None


#: An animal said to be drawn as someone ("her cat, drawn as a catboy"): who it is.
_DRAWN_AS: Final = (
    r",?\s+(?:drawn|shown|depicted|portrayed|imagined)\s+as\s+(?:a |an |the )?([\w-]+)"
)


def _not_drawn_as_people(traits: Traits, specs: list[ArtSpec], text: str) -> Traits:
    """``traits`` without the animals the prompt says are drawn as another of its
    characters ("her cat, drawn as a catboy": the catboy only, no cat beside her)."""
    others = " ".join((s.character or "").lower() for s in specs)
    kept = tuple(
        p
        for p in traits.things
        if not (
            p.vector.animal
            and (said := re.search(rf"\b{re.escape(p.words)}s?\b{_DRAWN_AS}", text.lower()))
            and re.search(rf"\b{re.escape(said.group(1))}\b", others)
        )
    )
    return traits if len(kept) == len(traits.things) else replace(traits, things=kept)


def cast_traits(specs: list[ArtSpec], text: str = "") -> list[Traits]:
    """Each character's traits (`traits_from_spec`), and the one person among them
    (the rest animals) sat in the seat the prompt puts them in ("knitting in a rocking
    chair", read by the cast as the scene's): drawn sitting in it, not standing by it."""
    traits = [_not_drawn_as_people(t, specs, text) for t in map(traits_from_spec, specs)]
    animals = pets(specs, traits, text)
    people = [k for k in range(len(traits)) if k not in animals]
    if len(people) != 1:
        return traits  # (of several people, the prompt does not say who sits)
    k = people[0]
    t = traits[k]
    seat = next((p for p in find_things(text) if p.where == "seat"), None)
    standing_by = [p for p in t.things if seat and p.vector.name == seat.vector.name]
    if seat is None or t.stance != "stand" or not standing_by:
        return traits
    kept = tuple(p for p in t.things if p.vector.name != seat.vector.name)
    pose = max(t.pose, "knees", key=_FRAMINGS.index)
    things = (*kept, replace(standing_by[0], where="seat", lost=None))
    traits[k] = replace(t, stance="sit", pose=pose, things=things, framing_free=False)
    return traits


def _with_pets(
    specs: list[ArtSpec], traits: list[Traits], text: str
) -> tuple[list[ArtSpec], list[Traits], list[int]]:
    """The figures a row draws: the people, each animal character among its person's
    things (on the lap, on a shoulder, in the arms or beside them) — and, for each
    figure, its index among the characters."""
    found = pets(specs, traits, text)
    if not found:
        return list(specs), list(traits), list(range(len(specs)))
    drawn = list(traits)
    for pet in found.values():
        if pet.placed is None:
            continue  # (the report says so)
        t = drawn[pet.owner]
        where = pet.placed.where
        hands_free = t.prop is None and t.gesture in (None, "hold")
        placed = (
            pet.placed if where != "held" or hands_free else replace(pet.placed, where="beside")
        )
        # (Said in their words too, "a boy with a puppy, the puppy is white …": one.)
        kept = tuple(p for p in t.things if p.vector.name != placed.vector.name)
        t = replace(t, things=(*kept, placed))
        if placed.where == "lap":  # a pet on the lap: they sit
            t = replace(t, stance="sit", pose=max(t.pose, "knees", key=_FRAMINGS.index))
        elif placed.where == "held":
            t = replace(t, gesture="hold")
        elif placed.where == "beside":  # at their feet: the frame shows the feet
            t = replace(t, pose="full", framing_free=False)
        drawn[pet.owner] = t
    figures = [k for k in range(len(specs)) if k not in found]
    return [specs[k] for k in figures], [drawn[k] for k in figures], figures


#: How big a little one is drawn beside the grown ones in a row.
LITTLE: Final = 0.72
#: How tall one said to be tall, or short, is drawn beside the others ("a tall boy and
#: a short girl"), and the words.
TALL: Final = (re.compile(r"\b(?:tall|taller|towering|lanky)\b", re.I), 1.08)
SHORT: Final = (re.compile(r"\b(?:short|shorter|petite|small|tiny)\b", re.I), 0.9)


#: Doing one thing together side by side ("walking home together", "sitting side by
#: side"): each figure doing it beside the other is drawn.
SIDE_BY_SIDE: Final = re.compile(
    r"^(?:(?:both|they(?:'re| are)?)\s+)?(walking|standing|sitting)\b[\w\s]*?"
    r"\b(?:together|side by side)$|^side by side$",
    re.I,
)


def dealt_out(specs: list[ArtSpec]) -> list[ArtSpec]:
    """``specs`` with a garment said in the plural ("sundresses", "aprons") worn by every
    figure that was given no outfit of its own."""
    out = list(specs)
    plural = next(
        (
            sp.outfit
            for sp in out
            if sp.outfit and all(_plural_garment(p) for p in sp.outfit.split(", "))
        ),
        None,
    )
    if plural is not None:
        out = [sp if sp.outfit else sp.model_copy(update={"outfit": plural}) for sp in out]
    return out


def _plural_garment(phrase: str) -> bool:
    """Whether ``phrase`` names its garment in the plural ("sundresses", "aprons"), so of
    more than one figure."""
    last = phrase.lower().split()[-1] if phrase.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us")) and last not in _NOT_PLURAL


#: Garment words that end in s and are one garment.
_NOT_PLURAL: Final = frozenset(
    {"jeans", "shorts", "pants", "trousers", "leggings", "overalls", "pajamas", "pyjamas",
     "glasses", "tights", "sweatpants", "dungarees", "clothes"}
)  # fmt: skip


def side_by_side(phrase: str, traits: list[Traits]) -> bool:
    """Whether ``phrase`` says what the row shows: each doing the same, side by side."""
    said = SIDE_BY_SIDE.match(phrase.strip())
    if said is None:
        return False
    stance = {"walking": "walk", "standing": "stand", "sitting": "sit"}.get(said.group(1) or "")
    return stance is None or all(t.stance == stance for t in traits)


def height_of(spec: ArtSpec) -> float:
    """How tall ``spec``'s character is drawn in a row, as who they are says it."""
    said = spec.character or ""
    return next((size for words, size in (TALL, SHORT) if words.search(said)), 1.0)


#: Two characters holding hands, said of them.
HANDS_HELD: Final = re.compile(
    r"\b(?:holding hands|hand in hand|hold(?:ing)? (?:each other's |their )?hands)\b", re.I
)


#: A hug said of two: drawn as a side hug, one's arm around the other's shoulders.
HUG: Final = re.compile(
    r"\b(?:hugging|hug|hugs|embracing|embrace|arms? around (?:each other|her|him)|cuddling)\b",
    re.I,
)


#: The touching poses drawn between two standing characters, and how a report says so.
_TOUCHING: Final = (
    ("hands", HANDS_HELD, "pose: hands held"),  # each one's inner hand in the other's
    ("hug", HUG, "pose: a side hug"),  # the arms round each other, the heads leaning in
)


def touching(traits: list[Traits], text: str) -> tuple[str, re.Match[str], str] | None:
    """The touching pose two standing characters take (held hands before a hug), where
    the prompt says it, and how the report says it was drawn; None for none."""
    if len(traits) != 2 or any(t.stance not in ("stand", "walk", "run") for t in traits):
        return None
    for kind, pattern, by in _TOUCHING:
        if found := pattern.search(text):
            return kind, found, by
    return None


def _apart(painter: Painter, traits: Traits) -> Painter:
    """``painter`` with ``traits``, drawing into lists of its own (two painters of one
    figure must not share their defs: both define "figure")."""
    return replace(
        painter, traits=traits, defs=[], silhouette_head=[], silhouette_body=[], windows=[]
    )


def _figure_scale(painter: Painter) -> float:
    zoom = painter.variation.zoom
    return painter.placement[2] * (min(zoom, 1.0) if painter.traits.pose == "full" else zoom)


def _around(front: Painter, other: Painter, spots: tuple[float, ...], scale: float) -> Painter:
    """``front`` (on the right) with its arm out to the far shoulder of ``other``."""
    gap = (spots[1] - spots[0]) * front.width
    s, s_other = _figure_scale(front), _figure_scale(other)
    far = gap / (s * scale) + (other.broad - 60) * s_other / s
    traits = replace(front.traits, gesture="around", reach=far, prop=None)
    return replace(front, traits=traits, variation=replace(front.variation, hand_side=-1))


#: Two under one umbrella.
SHARED_UMBRELLA: Final = re.compile(
    r"\b(?:shar(?:e|es|ing) (?:an|one|a|the|their|her|his) umbrella|under (?:one|the same|a single)"
    r" umbrella|(?:one|a single) umbrella for two)\b",
    re.I,
)


def _sharing(painters: list[Painter], spots: tuple[float, ...], scale: float) -> list[Painter]:
    """Two under one umbrella: the left one holds it in the hand nearer the other, its
    canopy over them both; the right one's hands are free."""
    first, second = painters
    if "umbrella" not in (first.traits.prop, second.traits.prop):
        return painters
    gap = (spots[1] - spots[0]) * first.width / (_figure_scale(first) * scale)
    holder = replace(
        first.traits,
        prop="umbrella",
        gesture="hold",
        canopy_shift=gap / 2,
        prop_color=first.traits.prop_color or second.traits.prop_color,
    )
    free = replace(
        second.traits,
        prop=None,
        gesture=None if second.traits.gesture == "hold" else second.traits.gesture,
    )
    return [
        replace(first, traits=holder, variation=replace(first.variation, hand_side=1)),
        replace(second, traits=free),
    ]


def _hands_meet(row: _Row, size: tuple[int, int]) -> _Row:
    """Two holding hands, each one's inner hand held out (the left one's right, the right
    one's left) to one point in the picture: halfway between them, at the hip of the
    smaller (a tall one's hand reaches down to a little one's, which reached short and
    high before: the hands did not meet)."""
    px = size[1] / 1000  # canvas units to the painter's pixels

    def picture(k: int, fx: float, fy: float) -> tuple[float, float]:
        dx, dy, own = row.transform(k, size)
        x, y, s = row.painters[k].figure_place()
        across, squash = row.painters[k].body_scale
        fx, fy = fx * across, NECK_Y + squash * (fy - NECK_Y)
        return dx + own * (x + s * fx) * px, dy + own * (y + s * fy) * px

    def figure(k: int, point: tuple[float, float]) -> tuple[float, float]:
        dx, dy, own = row.transform(k, size)
        x, y, s = row.painters[k].figure_place()
        across, squash = row.painters[k].body_scale
        fx = ((point[0] - dx) / (own * px) - x) / s
        fy = ((point[1] - dy) / (own * px) - y) / s
        return fx / across, NECK_Y + (fy - NECK_Y) / squash

    # Halfway between them, at the lower of their hips.
    meet = (
        (picture(0, 0, 0)[0] + picture(1, 0, 0)[0]) / 2,
        max(picture(0, 0, REACH_LOW)[1], picture(1, 0, REACH_LOW)[1]),
    )
    painters = list(row.painters)
    for k, painter in enumerate(painters):
        fx, fy = figure(k, meet)
        # (The hands overlap a little.)
        traits = replace(painter.traits, gesture="reach", reach=abs(fx) - 15, reach_y=fy, prop=None)
        inner = replace(painter.variation, hand_side=-1 if k else 1)
        painters[k] = replace(painter, traits=traits, variation=inner)
    return replace(row, painters=painters)


#: How low a held-out hand is, in figure units: at the hips.
REACH_LOW: Final = 900.0


#: How far (degrees) two hugging lean their heads together.
HUG_TILT: Final = 12.0


def _leaning(painter: Painter, towards: int) -> Painter:
    """``painter`` with its head tilted towards the one it hugs (``towards``: +1, the
    image's right)."""
    return replace(painter, variation=replace(painter.variation, tilt=towards * HUG_TILT))


def _reaching(painter: Painter, spot: float, side: int, scale: float) -> Painter:
    """``painter`` with its hand on ``side`` held out low towards the one beside it (a
    hug's hand round the other's waist): the wrist as far out (in figure units) as
    ``spot`` (a share of the frame's width) from its middle."""
    reach = abs(spot) * painter.width / (_figure_scale(painter) * scale) - 30  # overlapping
    traits = replace(painter.traits, gesture="reach", reach=reach, prop=None)
    return replace(painter, traits=traits, variation=replace(painter.variation, hand_side=side))


#: Words around a garment all of them wear ("both in matching red scarves").
_WORN_WORDS: Final = frozenset({"both", "all", "in", "wearing", "with", "matching", *COLOR_RGB})
#: How the report says where an animal was drawn by its person.
_PET_SAYS: Final[dict[str, str]] = {
    "lap": "on the lap of",
    "shoulder": "on the shoulder of",
    "head": "on the head of",
    "held": "in the arms of",
    "beside": "beside",
}


def _said_of(spec: ArtSpec) -> list[str]:
    """The phrases of a character's own prompt."""
    phrases = [p for part in OWN_PARTS for p in (getattr(spec, part) or "").split(", ") if p]
    return [*phrases, *spec.details]


def _nested(svg: str, prefix: str) -> str:
    """A drawing's SVG as a part of another: its ids made its own (two figures both
    define "figure" and their gradients)."""
    # A figure's own frame does not cut what it holds up out of it (an umbrella's
    # canopy above a smaller figure in the row).
    svg = svg.replace("<svg ", '<svg overflow="visible" ', 1)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    return re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)


_COUNTS: Final = {"two": 2, "three": 3, "couple": 2, "duo": 2, "trio": 3, "twins": 2}


def _counted(phrase: str, figures: int) -> bool:
    """Whether ``phrase`` only says how many characters there are ("two characters",
    "a duo", "2girls"), and as many are drawn."""
    said = re.fullmatch(
        r"(?:a |the )?(?:([2-9])\s*(?:girls|boys)|(two|three) (?:girls|boys|people|friends|"
        r"characters|kids|children|women|men)|(couple|duo|trio|twins))",
        phrase.strip().lower(),
    )
    if said is None:
        return False
    number, word, group = said.groups()
    return (int(number) if number else _COUNTS[word or group]) == figures


def together_report(
    specs: list[ArtSpec], traits: list[Traits], cast: Cast, text: str = ""
) -> tuple[list[dict[str, str]], list[str]]:
    """What the drawing shows of each character's prompt (`report`), said per
    character, and what it does not: a touching pose between them other than held hands
    and a side hug, and characters past the third."""
    from sakuga.engines.draw.report import report
    from sakuga.prompt.cast import TOGETHER

    drawn: list[dict[str, str]] = []
    missed: list[str] = []
    seen: set[str] = set()
    pose = touching(traits, text)
    if pose is not None:  # drawn: held hands, a side hug
        said = pose[1].group(0)
        seen.add(said)
        drawn.append({"phrase": said, "by": pose[2]})
    heights = [height_of(s) for s in specs]
    animals = pets(specs, traits, text)
    for k, (member, own, t, tall) in enumerate(
        zip(cast.members, specs, traits, heights, strict=False)
    ):
        if k in animals:  # drawn with its person, or not at all: said so
            pet = animals[k]
            its = _said_of(own)
            if pet.placed is None:
                missed.append(f"{member.who} (an animal draw has no shape for: not drawn)")
                missed.extend(p for p in its if p not in missed)
                continue
            whose = cast.members[pet.owner].who
            by = f"{member.who}: {pet.placed.vector.name} {_PET_SAYS[pet.placed.where]} {whose}"
            drawn.extend({"phrase": p, "by": by} for p in pet.shown)
            missed.extend(p for p in its if p not in pet.shown and p not in missed)
            continue
        got, lost = report(own, t)
        for said in [m for m in lost if _counted(m, len(traits))]:
            # "two characters", "2girls": as many figures are drawn.
            lost.remove(said)
            got.append({"phrase": said, "by": f"{len(traits)} figures"})
        if len(set(heights)) > 1 and tall != 1.0:  # drawn taller or shorter than the rest
            words = (TALL if tall > 1 else SHORT)[0]
            for said in [m for m in lost if words.fullmatch(m)]:
                lost.remove(said)
                got.append({"phrase": said, "by": "taller" if tall > 1 else "shorter"})
        for d in got:
            if d["phrase"] in seen:
                continue
            if TOGETHER.search(d["phrase"]) and not side_by_side(d["phrase"], traits):
                lost.append(d["phrase"])  # each figure alone: not drawn together
                continue
            seen.add(d["phrase"])
            drawn.append({"phrase": d["phrase"], "by": f"{member.who}: {d['by']}"})
        missed.extend(m for m in lost if m not in missed and m not in seen)
    for phrases in cast.shared_parts.values():  # what they do to each other: not drawn
        missed.extend(
            p
            for p in phrases
            if TOGETHER.search(p)
            and p not in missed
            and p not in seen
            and not NOBODY.fullmatch(p.strip())
        )
    for said in list(missed):
        # "scarves", "scarves hugging": a garment said of them all, one on each figure.
        worn = each_wears(said)
        if worn is None or worn not in seen:
            continue
        rest = " ".join(
            w for w in said.split() if each_wears(w) is None and w.lower() not in _WORN_WORDS
        )
        if not rest or (pose is not None and rest == pose[1].group(0)):
            missed.remove(said)
            drawn.append({"phrase": said, "by": f"each figure: {worn}"})
    for member in cast.members[MOST:]:
        missed.append(f"{member.who} (draw draws {MOST} characters at most)")
    return drawn, missed
