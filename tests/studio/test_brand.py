"""A creator's brand kit in one go (#37): one character, one style, one seed, as an
avatar, a channel banner, a thumbnail, a music cover and a social post, each at its
platform's size and format, the title in its safe area and off the face."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from sakuga.engines.draw import head_boxes
from sakuga.errors import SpecError
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.uses import get_use
from sakuga.studio.library.library import Library
from sakuga.studio.service.sets import BRAND_USES, TITLED, Kit
from sakuga.studio.service.studio import Made, Studio
from tests.conftest import requires_fonts
from tests.server.test_api import wait
from tests.test_cli import sakuga

MIKA = "a girl with short pink hair and green eyes, a red hoodie"


@pytest.fixture(scope="module")
def made_kit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Studio, Made, Kit]]:
    """One brand kit of a saved character, made and laid out once."""
    library = Library.open(tmp_path_factory.mktemp("brand") / "lib")
    studio = Studio(library)
    studio.save_character("Mika", ArtSpec.from_text(MIKA), seed=11)
    made = studio.run(studio.brand_set(characters=["Mika"], style="cyberpunk", seed=4))
    yield studio, made, studio.brand_kit(made.generations[-1].id, title="Mika Plays")


def _overlap(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(0, width) * max(0, height)


def test_a_kit_is_a_member_per_use_each_recorded_under_the_set(
    made_kit: tuple[Studio, Made, Kit],
) -> None:
    studio, made, kit = made_kit
    *members, the_set = made.generations
    assert len(members) == len(BRAND_USES)
    assert studio.library.request_of(the_set).options["grid"]["set"] == "brand"
    for member, use, layout, export_id in zip(
        members, BRAND_USES, kit.layouts, kit.ids, strict=True
    ):
        assert studio.library.request_of(member).spec.use == use
        assert member.character_id is not None  # Mika's
        assert layout.use == use
        assert export_id is not None and studio.library.get(export_id).parent_id == member.id
    # One style, one seed: one palette.
    assert {m.seed for m in members} == {members[0].seed}
    assert {studio.library.request_of(m).spec.style for m in members} == {"cyberpunk"}


@requires_fonts
def test_each_member_meets_its_platforms_size_format_and_safe_area(
    made_kit: tuple[Studio, Made, Kit],
) -> None:
    studio, made, kit = made_kit
    files = dict(kit.files)
    assert set(files) == {
        "avatar.png", "avatar-circle.png", "banner.png", "thumbnail.jpg", "cover.png",
        "social.jpg",
    }  # fmt: skip
    for name, data in files.items():
        image = Image.open(io.BytesIO(data))
        assert image.format == ("JPEG" if name.endswith(".jpg") else "PNG"), name
    for layout, member in zip(kit.layouts, made.generations, strict=False):
        use = get_use(layout.use)
        assert layout.image.size == use.size
        image = Image.open(
            io.BytesIO(files[f"{use.name}.{'jpg' if use.format == 'jpeg' else 'png'}"])
        )
        assert image.size == use.size
        safe = use.safe_area.box(*use.size)
        heads = head_boxes(studio.library.request_of(member).spec, use.size, member.seed)
        if use.name in TITLED:
            x0, y0, x1, y1 = layout.text_boxes["title"]
            assert safe[0] <= x0 and safe[1] <= y0 and x1 <= safe[2] and y1 <= safe[3], use.name
            # The title never covers the drawn head, found by a detector or not.
            assert all(_overlap(layout.text_boxes["title"], h) == 0 for h in heads), use.name
        else:
            assert layout.text_boxes == {}  # the avatar is the face alone
    # The banner's face is in the band every device shows: its middle inside the safe
    # area, most of the head too.
    banner = BRAND_USES.index("banner")
    member = made.generations[banner]
    use = get_use("banner")
    safe = use.safe_area.box(*use.size)
    (head,) = head_boxes(studio.library.request_of(member).spec, use.size, member.seed)
    cx, cy = (head[0] + head[2]) / 2, (head[1] + head[3]) / 2
    assert safe[0] < cx < safe[2] and safe[1] < cy < safe[3]
    area = (head[2] - head[0]) * (head[3] - head[1])
    assert _overlap(head, safe) >= 0.85 * area


def test_the_character_keeps_its_colours_across_the_kit(
    made_kit: tuple[Studio, Made, Kit],
) -> None:
    """The hair and the hoodie: the same in every member's recipe, and found in every
    member's pixels within ΔE2000 5 of one painted shade."""
    from skimage.color import deltaE_ciede2000, rgb2lab

    from sakuga.engines.draw.traits import traits_from_spec

    studio, made, _ = made_kit
    members = made.generations[:-1]
    traits = [traits_from_spec(studio.library.request_of(g).spec) for g in members]
    labs = [
        rgb2lab(np.asarray(image.convert("RGB").resize((256, 256))) / 255.0).reshape(-1, 3)
        for image in made.result.images[:-1]
    ]
    for part in ("hair_color", "outfit_color"):
        assert len({getattr(t, part) for t in traits}) == 1, part
        wanted = rgb2lab(np.array([[getattr(traits[0], part)]]) / 255.0)[0]
        most = max(labs, key=lambda lab: int((deltaE_ciede2000(lab, wanted) < 10).sum()))
        painted = most[np.argmin(deltaE_ciede2000(most, wanted))]
        for lab, use in zip(labs, BRAND_USES, strict=True):
            near = deltaE_ciede2000(lab, painted[None, :]) <= 5
            assert near.sum() >= 30, (part, use, int(near.sum()))


def test_a_kit_is_of_one_someone() -> None:
    studio = Studio(Library.open(Path("/nonexistent-never-opened")))  # nothing is run
    with pytest.raises(SpecError, match="of someone"):
        studio.brand_set("")
    with pytest.raises(SpecError, match="one character"):
        studio.brand_set(characters=["Aki", "Hana"])


@requires_fonts
@pytest.mark.slow
def test_a_kit_over_the_api_and_as_a_zip(client: TestClient) -> None:
    job = client.post(
        "/api/sets", json={"kind": "brand", "prompt": "a boy with black hair", "seed": 2}
    )
    assert job.status_code == 202, job.text
    done = wait(client, job.json()["id"])
    assert done["status"] == "done" and len(done["result"]) == len(BRAND_USES) + 1
    zipped = client.get(f"/api/sets/{done['result'][-1]}/kit", params={"title": "Ren Builds"})
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        names = set(archive.namelist())
        assert {"banner.png", "thumbnail.jpg", "avatar-circle.png"} <= names
        assert Image.open(io.BytesIO(archive.read("banner.png"))).size == (2560, 1440)
    # A sticker set is no brand kit.
    assert client.get(f"/api/sets/{done['result'][0]}/kit").status_code == 400


@requires_fonts
@pytest.mark.slow
def test_the_brand_command_writes_a_folder_and_a_zip(tmp_path: Path) -> None:
    done = sakuga(
        "set", "brand", "a girl with long black hair", "--title", "ミカの部屋", "--seed", "3",
        "-o", str(tmp_path), "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    kit = json.loads(done.stdout)["kit"]
    assert Path(kit["zip"]).is_file() and "banner.png" in kit["files"]
    assert [m["use"] for m in kit["members"]] == list(BRAND_USES)
    assert all(m["id"] for m in kit["members"])  # each kept in the library
    banner = next(m for m in kit["members"] if m["use"] == "banner")
    assert "title" in banner["text_boxes"]  # the Japanese title, set
