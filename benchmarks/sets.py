"""Sets (#37): an 8-sticker set of a saved character with draw, on one thread, made and
recorded as one job (`Studio.run`), then exported for every platform.

    python benchmarks/sets.py

Goal: the set in under 10 s on one core. The baseline measured in the same run is the
same eight stickers made one by one (`sakuga create --for sticker` eight times, each
recorded): the ratio shows what making them as one set costs beside that.
"""

from __future__ import annotations

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


if __name__ == "__main__":
    main()
