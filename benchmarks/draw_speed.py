"""draw speed: one render of the seed prompt at 1024×1024 and at 3000×3000, one thread,
and of a prompt full of the vector library's things (a cat on her lap, a held teddy,
a bicycle, birds, a sailboat).

    python benchmarks/draw_speed.py

Goals: under 200 ms at 1024×1024 for the seed prompt (#18); with things, under 300 ms
at 1024² and 2 s at 3000² (#31). The baseline measured in the same run is resvg
rasterising an empty canvas of the same size (the renderer's fixed cost: buffer
and PNG round trip), so the ratio shows what the drawing itself costs.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")


from timing import best_of

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.draw import DrawEngine
from sakuga.engines.draw.svg import render_svg
from sakuga.prompt.artspec import ArtSpec

PROMPT = (
    "a calm anime boy with short silver hair, wearing a black hoodie and headphones, "
    "standing under neon street lights at night, soft cinematic lighting, detailed "
    "background, modern urban mood"
)


THINGS = (
    "a girl with a cat on her lap, holding a teddy bear, a bicycle beside her, birds in "
    "the sky, a sailboat in the background, beach at sunset"
)


def main() -> None:
    engine = DrawEngine()
    for label, text, goals in (
        ("seed prompt", PROMPT, {1024: 200}),
        ("with things", THINGS, {1024: 300, 3000: 2000}),
    ):
        print(label)
        measure(engine, ArtSpec.from_text(text), goals)


def measure(engine: DrawEngine, spec: ArtSpec, goals: dict[int, int]) -> None:
    for size, repeats in (((1024, 1024), 7), ((3000, 3000), 3)):
        request = EngineRequest(Task.TEXT_TO_IMAGE, spec=spec, seed=1, size=size)
        empty = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{size[0]}" height="{size[1]}"></svg>'
        )
        t_empty = best_of(lambda: render_svg(empty, size), repeats)  # noqa: B023
        t_draw = best_of(lambda: engine.run(request), repeats)  # noqa: B023
        goal = f"  (goal < {goals[size[0]]} ms)" if size[0] in goals else ""
        print(
            f"  {size[0]}x{size[1]}: draw {t_draw * 1000:.0f} ms{goal}; "
            f"empty-canvas baseline {t_empty * 1000:.0f} ms; ratio {t_draw / t_empty:.1f}x"
        )


if __name__ == "__main__":
    main()
