"""The `draw` engine: text → an anime character drawn from the ArtSpec, offline.

Like a character maker (Picrew-style): layered vector parts, each chosen and
coloured by a part of the prompt, written as SVG and rendered by resvg. The
drawing follows the prompt exactly; the same traits and seed give the same
pixels, and versions (``-n``) vary tilt, expression strength and background
details while the character stays the same.
"""

from __future__ import annotations

from dataclasses import replace

from sakuga.engines.base import (
    Engine,
    EngineRequest,
    EngineResult,
    Progress,
    ProgressCallback,
    Setting,
    Task,
)
from sakuga.engines.draw import catalogue
from sakuga.engines.draw.character import FIGURE_LAYERS, LAYERS, Painter, Variation
from sakuga.engines.draw.report import report
from sakuga.engines.draw.svg import render_svg
from sakuga.engines.draw.together import (
    MOST,
    cast_traits,
    dealt_out,
    together_heads,
    together_report,
    together_svg,
)
from sakuga.engines.draw.traits import Traits, traits_from_spec
from sakuga.engines.draw.words import hair_as_hair, read_as_said
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.cast import Cast, read_cast
from sakuga.prompt.members import member_spec
from sakuga.prompt.styles import DEFAULT_STYLE, get_style

__all__ = [
    "LAYERS",
    "DrawEngine",
    "Traits",
    "drawing_svg",
    "figure_heads",
    "head_boxes",
    "traits_from_spec",
]


def drawing_svg(
    spec: ArtSpec,
    size: tuple[int, int],
    seed: int,
    *,
    only: set[str] | None = None,
    traits: Traits | None = None,
    centred: bool = False,
) -> str:
    """The SVG source of one drawing of ``spec`` at ``size`` pixels; ``centred``, the
    figure in the middle (a sticker, cut out to itself: a figure set left or right for
    a composition had a raised hand leave the canvas)."""
    return _painter(spec, size, seed, traits, centred).document(size, only)


def _painter(
    spec: ArtSpec,
    size: tuple[int, int],
    seed: int,
    traits: Traits | None = None,
    centred: bool = False,
) -> Painter:
    """The painter of one version (``seed``) of ``spec``'s figure at ``size``."""
    style = get_style(spec.preset_name or DEFAULT_STYLE)
    variation = Variation.from_seed(seed)
    if centred:
        variation = replace(variation, offset=0.0)
    return Painter(
        traits=version_traits(traits or traits_from_spec(spec), variation),
        params=style.draw,
        variation=variation,
        width=1000 * size[0] / size[1],
    )


def head_boxes(spec: ArtSpec, size: tuple[int, int], seed: int) -> list[tuple[int, int, int, int]]:
    """Where the drawing of ``spec`` at ``size`` with ``seed`` has its heads, in pixels:
    a layout keeps text off them when a face detector misses the drawn faces."""
    return [box for _, box in figure_heads(spec, size, seed) if box is not None]


def figure_heads(
    spec: ArtSpec, size: tuple[int, int], seed: int
) -> list[tuple[str | None, tuple[int, int, int, int] | None]]:
    """Who each figure of the drawing is (a character's name, or None for one figure
    the prompt names no one) and where its head is, in pixels, from the left; None
    where no head stands up in the frame. A story page points a speech bubble at its
    speaker with these."""
    spec = read_as_said(spec)
    cast = read_cast(spec.text) if spec.text else None
    if cast is not None and cast.several:
        members = cast.members[:MOST]
        specs, traits = _figures(spec, cast)
        boxes = together_heads(specs, traits, size, seed, spec.text or "")
        return [(m.who, box) for m, box in zip(members, boxes, strict=True)]
    who = cast.members[0].who if cast is not None and cast.members else None
    return [(who, _painter(spec, size, seed).head_box(size))]


def _figures(spec: ArtSpec, cast: Cast) -> tuple[list[ArtSpec], list[Traits]]:
    """Several characters' own prompts (the first `MOST`, each with what they share and
    the scene) and each one's traits: the drawing's and its heads' figures alike."""
    specs = dealt_out([hair_as_hair(member_spec(spec, cast, m)) for m in cast.members[:MOST]])
    return specs, cast_traits(specs, spec.text or "")


def version_traits(traits: Traits, variation: Variation) -> Traits:
    """What one version draws of what the prompt left open: the framing, and the
    outfit among those that fit the place (see `catalogue.wardrobe`)."""
    if traits.framing_free and variation.framing and traits.pose == "bust":
        traits = replace(traits, pose=variation.framing)
    if traits.outfit_free:
        choices = catalogue.wardrobe(
            traits.background,
            traits.masculine,
            traits.elderly,
            traits.season,
            wet_or_dark=bool({"rain", "snow", "lightning"} & set(traits.weather))
            or traits.time in ("night", "moonlit"),
        )
        pick = variation.outfit * len(choices)
        # The colour too, from the style's own and a few every wardrobe has.
        colours = (traits.outfit_color, *catalogue.WARDROBE_COLOURS)
        colour = colours[int((pick % 1) * len(colours))]
        traits = replace(traits, outfit=choices[int(pick)], outfit_color=colour)  # type: ignore[arg-type]
    return traits


class DrawEngine(Engine):
    name = "draw"
    options = frozenset({"background"})  # "transparent": the figure alone
    option_fields = (
        Setting(
            "background",
            "choice",
            "Background",
            "transparent: the figure alone (a sticker's is always)",
            choices=("scene", "transparent"),
            default="scene",
        ),
    )
    title = "Draw (offline anime character maker)"
    # A masked edit redraws the whole character from the edited prompt; the protocol
    # then pastes the original back outside the mask, so only the masked region changes.
    tasks = frozenset({Task.TEXT_TO_IMAGE, Task.VARIATION, Task.MASKED_EDIT})
    priority = 5  # AI engines, when configured, come first
    edit_follows_prompt = True

    def __init__(self, *, render_elsewhere: bool = False) -> None:
        #: Render in a helper process (servers: resvg holds the interpreter's lock).
        self.render_elsewhere = render_elsewhere

    def _generate(self, request: EngineRequest, progress: ProgressCallback) -> EngineResult:
        request = replace(request, spec=read_as_said(request.spec))
        size = request.output_size
        cast = read_cast(request.spec.text) if request.spec.text else None
        several = cast is not None and cast.several
        if several:  # each character a figure of their own (#34)
            assert cast is not None
            specs, figures = _figures(request.spec, cast)
            traits = figures[0]
        else:
            traits = traits_from_spec(request.spec)
        images = []
        vectors = []
        for i, seed in enumerate(request.seeds()):
            progress(Progress(i, request.n, f"drawing version {i + 1} of {request.n}"))
            # A sticker is the character alone, on transparency, ready to cut out; so is a
            # drawing asked with a transparent background.
            sticker = (
                request.spec.use == "sticker" or request.options.get("background") == "transparent"
            )
            only = set(FIGURE_LAYERS) if sticker else None
            if several:
                text = request.spec.text or ""
                svg = together_svg(specs, figures, size, seed, only=only, text=text)
            else:
                svg = drawing_svg(
                    request.spec, size, seed, traits=traits, only=only, centred=sticker
                )
            vectors.append(svg)
            rendered = render_svg(svg, size, elsewhere=self.render_elsewhere)
            images.append(rendered if sticker else rendered.convert("RGB"))
        progress(Progress(request.n, request.n, "done"))
        if several:
            assert cast is not None
            drawn, missed = together_report(specs, figures, cast, request.spec.text or "")
        else:
            drawn, missed = report(request.spec, traits)
        # An outfit left open is each version's own (the seed picks it): say which.
        outfits = "/".join(
            dict.fromkeys(
                version_traits(traits, Variation.from_seed(seed)).outfit for seed in request.seeds()
            )
        )
        return EngineResult(
            images=images,
            engine=self.name,
            model=f"draw-{request.spec.preset_name or DEFAULT_STYLE}",
            params={
                "Steps": 1,
                "Sampler": "draw",
                "Hair": f"{traits.hair_style} #{bytes(traits.hair_color).hex()}",
                "Outfit": f"{outfits} #{bytes(traits.outfit_color).hex()}",
                "Expression": traits.expression,
                "Background": traits.background,
                "Lighting": traits.lighting,
                **({"Time": traits.time} if traits.time else {}),
                **({"Weather": ", ".join(traits.weather)} if traits.weather else {}),
                **({"Hand": traits.gesture} if traits.gesture else {}),
                **({"Prop": traits.prop} if traits.prop else {}),
                **(
                    {"Characters": ", ".join(m.who for m in cast.members[:MOST])}
                    if several and cast is not None
                    else {}
                ),
            },
            vectors=vectors,
            drawn=drawn,
            not_drawn=missed,
        )
