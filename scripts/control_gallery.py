"""Make the ControlNet map gallery under docs/control/: the canny, line-art and pose
maps of the astronaut (and line art of the cat), each beside its photo.

    python scripts/control_gallery.py
"""

from __future__ import annotations

from pathlib import Path

from sakuga.compose.sheet import contact_sheet
from sakuga.imaging.control import control_map
from sakuga.imaging.samples import load_sample

OUT = Path(__file__).resolve().parent.parent / "docs" / "control"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    astronaut = load_sample("sample:astronaut")
    maps = {kind: control_map(astronaut, kind) for kind in ("canny", "lineart", "pose")}
    for kind, made in maps.items():
        made.save(OUT / f"astronaut-{kind}.png")
    cat = load_sample("sample:cat")
    control_map(cat, "lineart").save(OUT / "cat-lineart.png")
    sheet = contact_sheet(
        [astronaut, *maps.values()],
        ["photo", "canny", "lineart (XDoG)", "pose (OpenPose)"],
        columns=4,
    )
    sheet.save(OUT / "astronaut-maps.png")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
