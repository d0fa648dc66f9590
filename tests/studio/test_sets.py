"""Sets made in one go (#37): a character's sticker set is one sticker per reaction,
each a library generation, kept together by the set; its packs meet each messenger's
published rules."""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from sakuga.compose.packs import PLATFORMS, Member, get_platform, make_pack
from sakuga.errors import SpecError
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.reactions import DEFAULT_REACTIONS, REACTIONS, get_reaction, parse_reactions
from sakuga.studio.library.library import Library
from sakuga.studio.service.grid import parse_axis
from sakuga.studio.service.sets import MAX_STICKERS
from sakuga.studio.service.studio import Made, Studio
from tests.conftest import requires_fonts
from tests.server.test_api import wait
from tests.test_cli import sakuga

MIKA = "a girl with pink twin tails and green eyes, school uniform with a red ribbon"


@pytest.fixture(scope="module")
def made_set(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Studio, Made]]:
    """One eight-sticker set of a saved character, captioned in Japanese, made once."""
    library = Library.open(tmp_path_factory.mktemp("sets") / "lib")
    studio = Studio(library)
    studio.save_character("Mika", ArtSpec.from_text(MIKA), seed=11)
    yield studio, studio.run(studio.sticker_set(characters=["Mika"], caption="ja", seed=4))


def alpha(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGBA"))[..., 3]


def test_reactions_are_named_and_checked() -> None:
    assert parse_reactions(None) == DEFAULT_REACTIONS
    assert parse_reactions("Thank you, yay") == ("thanks", "happy")
    with pytest.raises(SpecError, match="unknown reaction 'meh'"):
        parse_reactions("happy,meh")
    with pytest.raises(SpecError, match="twice"):
        parse_reactions("happy,joy")
    for reaction in REACTIONS.values():  # every caption in both languages, an emoji
        assert reaction.en and reaction.ja and reaction.emoji


def test_every_reaction_is_drawn_as_it_says_and_fills_the_largest_packs() -> None:
    """A sticker shows its reaction: `draw` draws each one's expression and gesture (and
    the thing held), reporting none of its words; and there are distinct reactions
    enough for a set's most, LINE's largest pack (40)."""
    from sakuga.engines.draw import traits_from_spec
    from sakuga.engines.draw.report import report

    assert len(REACTIONS) >= max(PLATFORMS["line"].counts) == MAX_STICKERS
    pictures = set()
    for reaction in REACTIONS.values():
        spec = ArtSpec.from_text(f"a girl with long pink hair\n{reaction.lines()}")
        traits = traits_from_spec(spec.merged(use="sticker"))
        _, missed = report(spec, traits)
        assert missed == [], reaction.name
        if reaction.pose is not None:
            assert traits.gesture is not None, reaction.name
        if reaction.pose and "holding" in reaction.pose:
            held = traits.prop or next((t.vector.name for t in traits.things), None)
            assert held is not None, reaction.name
        pictures.add((traits.expression, traits.gesture, traits.prop, reaction.ja))
    assert len(pictures) == len(REACTIONS)  # no two stickers the same


@requires_fonts
def test_a_set_is_a_sticker_per_reaction_each_recorded_and_kept_by_the_set(
    made_set: tuple[Studio, Made],
) -> None:
    studio, made = made_set
    members, the_set = made.generations[:-1], made.generations[-1]
    assert len(members) == len(DEFAULT_REACTIONS)
    recipe = studio.library.request_of(the_set).options["grid"]
    assert recipe["set"] == "stickers"
    assert recipe["axes"] == [{"name": "reaction", "values": list(DEFAULT_REACTIONS)}]
    assert [c["id"] for c in recipe["cells"]] == [g.id for g in members]
    mika = studio.library.character("Mika")
    seeds = set()
    for gen, name, image in zip(members, DEFAULT_REACTIONS, made.result.images, strict=False):
        request = studio.library.request_of(gen)
        reaction = get_reaction(name)
        assert gen.character_id == mika.id and request.spec.use == "sticker"
        assert request.spec.expression == reaction.expression
        assert request.spec.pose == reaction.pose
        assert request.options["caption"] == reaction.ja
        seeds.add(request.seed)
        # A die-cut sticker: transparent corners, an opaque subject.
        a = alpha(image)
        assert image.size == (512, 512)
        assert a[:6, :6].max() == 0 and a[-6:, -6:].max() == 0
        assert (a == 255).mean() > 0.3
    assert len(seeds) == 1  # one seed: the character drawn alike, the reaction apart


@requires_fonts
@pytest.mark.parametrize("caption", ["Thank you!", "ありがとう!"])
def test_the_caption_is_set_under_the_subject_inside_the_die_cut(caption: str) -> None:
    from sakuga.compose.sticker import CAPTION_INK, make_sticker

    art = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    art.paste((220, 40, 40, 255), (100, 60, 300, 340))  # a red subject, far from the ink
    plain = np.asarray(make_sticker(art)).astype(int)
    words = np.asarray(make_sticker(art, caption=caption)).astype(int)
    ink = (np.abs(words[..., :3] - CAPTION_INK).max(axis=2) < 40) & (words[..., 3] > 200)
    rows = np.nonzero(ink.sum(axis=1) > 4)[0]
    assert rows.size > 20 and rows.min() > 512 * 0.6  # a band of words at the foot
    assert not (
        (np.abs(plain[..., :3] - CAPTION_INK).max(axis=2) < 40) & (plain[..., 3] > 200)
    ).any()
    red = (words[..., 0] > 180) & (words[..., 1] < 80)
    assert np.nonzero(red.any(axis=1))[0].max() < rows.min()  # the subject above them
    assert red.sum() < 0.9 * ((plain[..., 0] > 180) & (plain[..., 1] < 80)).sum()
    # One die-cut: opaque from the subject down through the words at the middle.
    a = words[..., 3]
    assert a[np.nonzero(red[:, 256])[0].max() : rows.max(), 256].min() > 200


def test_a_caption_too_long_for_a_sticker_is_refused() -> None:
    from sakuga.compose.fonts import FontError
    from sakuga.compose.sticker import make_sticker

    art = Image.new("RGBA", (100, 100), (200, 0, 0, 255))
    with pytest.raises(FontError, match="shorten it"):
        make_sticker(art, caption="supercalifragilisticexpialidocious " * 3)


@requires_fonts
def test_the_character_keeps_its_colours_in_every_sticker(
    made_set: tuple[Studio, Made],
) -> None:
    """Hair, eyes and outfit agree across the set: read from each sticker's recipe, and
    found in each sticker's pixels within ΔE2000 5 of the first sticker's."""
    from skimage.color import deltaE_ciede2000, rgb2lab

    from sakuga.engines.draw.traits import traits_from_spec

    studio, made = made_set
    members = made.generations[:-1]
    traits = [traits_from_spec(studio.library.request_of(g).spec) for g in members]
    for part in ("hair_color", "eye_color", "outfit_color"):
        assert len({getattr(t, part) for t in traits}) == 1, part
    labs = [
        rgb2lab(np.asarray(image.convert("RGB"))[alpha(image) == 255] / 255.0)
        for image in made.result.images[:-1]
    ]
    # Eyes drawn shut (laughing, sleepy, "eyes closed") show no eye colour.
    closed = {
        name
        for name, t in zip(DEFAULT_REACTIONS, traits, strict=True)
        if t.expression in ("laugh", "sleepy") or t.eyes_closed
    }
    assert closed == {"happy", "thanks", "sleepy"}
    for part in ("hair_color", "eye_color", "outfit_color"):
        wanted = rgb2lab(np.array([[getattr(traits[0], part)]]) / 255.0)[0]
        shown = [
            lab
            for lab, name in zip(labs, DEFAULT_REACTIONS, strict=True)
            if part != "eye_color" or name not in closed
        ]
        # The painted shade: in the sticker showing most of it, its pixel nearest the
        # trait's colour (lighting and the style's grade move it off the trait).
        most = max(shown, key=lambda lab: int((deltaE_ciede2000(lab, wanted) < 10).sum()))
        painted = most[np.argmin(deltaE_ciede2000(most, wanted))]
        for lab in shown:
            near = deltaE_ciede2000(lab, painted[None, :]) <= 5
            assert near.sum() >= 30, (part, int(near.sum()))


def members_of(made: Made) -> list[Member]:
    return [
        Member(image, name, get_reaction(name).emoji, None, gen.id)
        for image, name, gen in zip(
            made.result.images, DEFAULT_REACTIONS, made.generations, strict=False
        )
    ]


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@requires_fonts
@pytest.mark.parametrize("name", sorted(PLATFORMS))
def test_every_platform_pack_meets_its_published_rules(
    made_set: tuple[Studio, Made], name: str
) -> None:
    studio, made = made_set
    platform = get_platform(name)
    pack = studio.sticker_pack(made.generations[-1].id, name)
    files = dict(pack.files)
    numbered = [f for f in files if f[:2].isdigit()]
    assert numbered == [f"{n:02d}.{platform.format}" for n in range(1, 9)]
    for file in numbered:
        data = files[file]
        image = opened(data)
        assert image.format == platform.format.upper()
        assert len(data) <= platform.max_bytes
        width, height = image.size
        if platform.exact:
            assert image.size == platform.box
        else:  # LINE: at most 370×320, even sides, the long side filled
            assert width <= platform.box[0] and height <= platform.box[1]
            assert width % 2 == 0 and height % 2 == 0
            assert width == platform.box[0] or height == platform.box[1]
        a = alpha(image)
        assert a.min() == 0 and a.max() == 255  # transparent around an opaque sticker
        if name == "telegram":
            assert max(image.size) == 512
        m = platform.margin
        if m:  # nothing drawn in the margin
            assert a[:m].max() == 0 and a[-m:].max() == 0
            assert a[:, :m].max() == 0 and a[:, -m:].max() == 0
            # and the art reaches it: scaled to fill what the margin leaves
            inside = np.nonzero(a > 8)
            reach = min(inside[0].min(), inside[1].min(), height - 1 - inside[0].max())
            assert reach <= m + 2
    for icon in platform.icons:
        image = opened(files[icon.file])
        assert image.size == icon.size and len(files[icon.file]) <= icon.max_bytes
        assert image.format == icon.format.upper()
    manifest = json.loads(files["pack.json"])
    assert [s["file"] for s in manifest["stickers"]] == numbered
    assert [s["emoji"] for s in manifest["stickers"]] == [
        get_reaction(r).emoji for r in DEFAULT_REACTIONS
    ]
    assert manifest["title"] == "Mika stickers"
    with zipfile.ZipFile(io.BytesIO(pack.zip())) as archive:
        zipped = sorted(archive.namelist())
    if name == "line":  # LINE's upload takes the images alone; the folder keeps pack.json
        assert zipped == sorted(f for f in files if f.endswith(".png"))
    else:
        assert zipped == sorted(files)
    if name == "whatsapp":
        contents = json.loads(files["contents.json"])["sticker_packs"][0]
        assert contents["tray_image_file"] == "tray.png"
        assert [s["image_file"] for s in contents["stickers"]] == numbered


def test_counts_a_platform_refuses_are_said() -> None:
    three = [Member(Image.new("RGBA", (64, 64), (255, 0, 0, 255)), "ok", "👌")] * 3
    with pytest.raises(SpecError, match="LINE pack has 8, 16, 24, 32, 40 stickers, not 3"):
        make_pack(three, get_platform("line"), "x")
    with pytest.raises(SpecError, match="WhatsApp pack has 3–30 stickers, not 2"):
        make_pack(three[:2], get_platform("whatsapp"), "x")
    assert len(make_pack(three, get_platform("whatsapp"), "x").files) == 6


def test_a_busy_sticker_is_encoded_smaller_until_it_fits_the_cap() -> None:
    """Noise does not compress: the lossless WEBP is far over WhatsApp's 100 KB, so a
    lossy one is written, still with its transparency."""
    rng = np.random.default_rng(0)
    noise = rng.integers(0, 256, (512, 512, 4), dtype=np.uint8)
    noise[..., 3] = 255
    noise[:40, :, 3] = 0
    pack = make_pack(
        [Member(Image.fromarray(noise, "RGBA"), "ok", "👌")] * 3, get_platform("whatsapp"), "x"
    )
    data = dict(pack.files)["01.webp"]
    assert len(data) <= 100 * 1024
    assert alpha(opened(data)).min() == 0


@requires_fonts
def test_rerunning_a_set_redoes_every_sticker_alike(made_set: tuple[Studio, Made]) -> None:
    studio, made = made_set
    again = studio.run(studio.rerun(made.generations[-1].id))
    assert len(again.generations) == len(made.generations)
    for before, after in zip(made.result.images, again.result.images, strict=True):
        assert np.array_equal(np.asarray(before), np.asarray(after))
    assert studio.library.request_of(again.generations[-1]).options["grid"]["set"] == "stickers"


def test_a_set_is_of_someone_and_of_one_character(library: Library) -> None:
    studio = Studio(library)
    with pytest.raises(SpecError, match="name a saved character or describe one"):
        studio.sticker_set()
    with pytest.raises(SpecError, match="not a sticker set"):
        made = studio.run(studio.create(ArtSpec.from_text("a cat"), engine="draw"))
        studio.sticker_pack(made.generations[0].id, "line")


@requires_fonts
def test_the_command_makes_the_set_and_writes_each_pack(tmp_path: Path) -> None:
    done = sakuga("character", "create", "Aoi", "a boy with short blue hair, hoodie")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    done = sakuga(
        "set", "stickers", "--character", "Aoi", "--reactions", "hello,ok,thanks",
        "--caption", "en", "--for", "telegram,whatsapp", "--seed", "3",
        "-o", str(out), "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["set"] == "stickers" and len(answer["cells"]) == 3
    assert [p["platform"] for p in answer["packs"]] == ["telegram", "whatsapp"]
    for pack in answer["packs"]:
        assert Path(pack["zip"]).is_file() and (Path(pack["folder"]) / "pack.json").is_file()
    assert (out / "aoi-stickers-whatsapp" / "03.webp").is_file()
    set_id = answer["layout"]["id"]
    again = sakuga("set", "pack", set_id, "--for", "discord", "-o", str(tmp_path / "d"), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["packs"][0]["files"][:3] == ["01.png", "02.png", "03.png"]
    # A LINE pack of three is refused before anything is drawn.
    before = len(Library.open(Path(os.environ["SAKUGA_HOME"])).find())
    refused = sakuga(
        "set", "stickers", "--character", "Aoi", "--reactions", "hello,ok,thanks",
        "--for", "line", "-o", str(tmp_path / "l"),
    )  # fmt: skip
    assert refused.returncode == 2 and "8, 16, 24, 32, 40" in refused.stderr
    for bad in (["--for", "myspace"], ["--reactions", "happy,meh"]):  # usage errors
        done = sakuga("set", "stickers", "--character", "Aoi", *bad, "-o", str(tmp_path / "x"))
        assert done.returncode == 2, done.stderr
    assert len(Library.open(Path(os.environ["SAKUGA_HOME"])).find()) == before


@requires_fonts
def test_a_set_over_the_api_and_its_pack_as_a_zip(client: TestClient) -> None:
    body = {"prompt": "a girl with long silver hair", "reactions": ["ok", "love", "sleepy"]}
    refused = client.post("/api/sets", json={**body, "platforms": ["line"]})
    assert refused.status_code == 400 and "8, 16" in refused.text
    job = client.post("/api/sets", json={**body, "caption": "en", "seed": 2})
    assert job.status_code == 202, job.text
    done = wait(client, job.json()["id"])
    assert done["status"] == "done" and len(done["result"]) == 4
    zipped = client.get(f"/api/sets/{done['result'][-1]}/pack/whatsapp")
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        assert {"01.webp", "02.webp", "03.webp", "tray.png"} <= set(archive.namelist())
    assert client.get(f"/api/sets/{done['result'][0]}/pack/line").status_code == 400
    assert client.get(f"/api/sets/{done['result'][-1]}/pack/myspace").status_code == 400


@requires_fonts
@pytest.mark.slow
def test_a_line_pack_of_sixteen_from_one_set(library: Library) -> None:
    """LINE takes 8, 16, 24, 32 or 40 stickers: a set may have more than a grid's 12
    cells, and is made, exported and rerun whole."""
    studio = Studio(library)
    names = tuple(REACTIONS)[:16]
    made = studio.run(studio.sticker_set("a boy with black hair", reactions=names, seed=2))
    assert len(made.generations) == 17
    pack = studio.sticker_pack(made.generations[-1].id, "line")
    assert sum(1 for n, _ in pack.files if n[:2].isdigit()) == 16
    again = studio.rerun(made.generations[-1].id)  # its 16 values read back
    assert again.grid is not None and again.grid.count() == 16
    with pytest.raises(SpecError, match="at most 40"):
        studio.sticker_set("a boy", reactions=tuple(REACTIONS) * 2)


def test_a_grid_still_takes_twelve_values_an_axis() -> None:
    with pytest.raises(SpecError, match="at most 12 values"):
        parse_axis("reaction=" + ",".join(list(REACTIONS)[:13]))
