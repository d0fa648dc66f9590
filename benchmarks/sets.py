"""Sets (#37): an 8-sticker set of a saved character with draw, on one thread, made and
recorded as one job (`Studio.run`), then exported for every platform.

    python benchmarks/sets.py

Goal: the set in under 10 s on one core. The baseline measured in the same run is the
same eight stickers made one by one (`sakuga create --for sticker` eight times, each
recorded): the ratio shows what making them as one set costs beside that.

A 4-panel story page (two characters, Japanese dialogue set vertically, recorded),
drawn and lettered: goal under 15 s on one core; its baseline is the same four panels
made one by one with `create`, unlettered.
"""

from __future__ import annotations

import itertools
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import tempfile
from pathlib import Path

from timing import best_of

from sakuga.compose.packs import PLATFORMS
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.reactions import DEFAULT_REACTIONS, get_reaction
from sakuga.studio.library.library import Library
from sakuga.studio.service.studio import Studio

GOAL_S = 10.0
MIKA = "a girl with pink twin tails and green eyes, school uniform with a red ribbon"


def main() -> None:
    studio = Studio(Library.open(Path(tempfile.mkdtemp()) / "lib"))
    studio.save_character("Mika", ArtSpec.from_text(MIKA), seed=11)

    def one_set() -> str:
        plan = studio.sticker_set(characters=["Mika"], caption="ja", seed=4)
        return studio.run(plan).generations[-1].id

    def one_by_one() -> None:
        for name in DEFAULT_REACTIONS:
            spec = ArtSpec.from_text(get_reaction(name).lines()).merged(use="sticker", seed=4)
            studio.run(studio.create(spec, character="Mika", options={"caption": name}))

    one_set()  # warm: fonts, the renderer
    made = best_of(one_set, 3)
    alone = best_of(one_by_one, 3)
    set_id = one_set()
    packs = {p: best_of(lambda p=p: studio.sticker_pack(set_id, p).zip(), 3) for p in PLATFORMS}
    print(f"8-sticker set (draw, captioned, recorded): {made:.2f} s (goal < {GOAL_S:.0f} s)")
    print(f"baseline, the 8 stickers one by one:       {alone:.2f} s")
    print(f"ratio set / one by one: {made / alone:.2f}")
    for platform, seconds in packs.items():
        print(f"  {platform} pack export: {seconds:.2f} s")
    print("goal met" if made < GOAL_S else "GOAL NOT MET")
    story(studio)


STORY_GOAL_S = 15.0
STORY = """title: 雨のあと
ミカ = girl, long pink hair, sailor uniform
Ren = boy, short black hair, black gakuran

1. at a train station, rain, night
ミカ「帰ってきたの？」
Ren「ずっとここにいたよ。」
SFX: ザーザー

2. close up, Ren smiling
Ren: 雨がやむのを待ってたんだ。

3. ミカ crying
ミカ「…バカ。」
(雨はやんだ。)

4. ミカ and Ren walking home, city street, sunset
ミカ「一緒に帰ろう。」
Ren「うん、一緒に。」
"""


def story(studio: Studio) -> None:
    # A new seed each time, so nothing drawn before is reused by either.
    seeds = itertools.count(100)

    def one_story() -> None:
        made = studio.run(studio.story_set(STORY, layout="manga", seed=next(seeds)))
        studio.story_page(made.generations[-1].id)

    def one_by_one() -> None:
        plan = studio.story_set(STORY, layout="manga", seed=next(seeds))
        for cell in plan.grid.cells if plan.grid else ():
            studio.run(cell.plan)

    one_story()  # warm
    made = best_of(one_story, 3)
    alone = best_of(one_by_one, 3)
    print(
        f"4-panel story page (draw, lettered, recorded): {made:.2f} s (goal < {STORY_GOAL_S:.0f} s)"
    )
    print(f"baseline, the 4 panels one by one, unlettered: {alone:.2f} s")
    print(f"ratio story / panels alone: {made / alone:.2f}")
    print("goal met" if made < STORY_GOAL_S else "GOAL NOT MET")


if __name__ == "__main__":
    main()
