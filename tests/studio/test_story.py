"""Story pages (#37): a script's panels drawn with its characters, the same in every
panel, lettered — bubbles clear of the faces with tails at their speakers, Japanese
set vertically, read right to left — and laid out as a 4-koma, a manga page or a
webtoon's slices; every panel a library generation, the page re-laid from them."""

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

from sakuga.compose.bubbles import set_vertical, text_image
from sakuga.compose.fonts import BODY_CHAIN, choose_font
from sakuga.compose.pages import (
    WEBTOON_SLICE,
    WEBTOON_SLICE_BYTES,
    WEBTOON_WIDTH,
    PanelArt,
    frames_for,
    lay_page,
)
from sakuga.engines.draw import traits_from_spec
from sakuga.errors import SpecError
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.cast import read_cast
from sakuga.prompt.members import member_spec
from sakuga.prompt.story import Script, parse_script
from sakuga.studio.library.library import Library
from sakuga.studio.service.sets import StoryPage
from sakuga.studio.service.studio import Made, Studio
from tests.conftest import requires_fonts
from tests.server.test_api import wait
from tests.test_cli import sakuga

JAPANESE = """title: 雨のあと
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


def _overlap(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(0, width) * max(0, height)


# ---- the script ----


def test_a_script_reads_as_panels_of_scene_cast_and_lines() -> None:
    script = parse_script(JAPANESE)
    assert script.title == "雨のあと"
    assert script.cast == {"ミカ": "girl, long pink hair, sailor uniform",
                           "Ren": "boy, short black hair, black gakuran"}  # fmt: skip
    first, second, third, fourth = script.panels
    assert first.scene == "at a train station, rain, night"
    assert first.characters == ("ミカ", "Ren")
    assert [(x.kind, x.who, x.text) for x in first.lines] == [
        ("say", "ミカ", "帰ってきたの？"),
        ("say", "Ren", "ずっとここにいたよ。"),
        ("sfx", None, "ザーザー"),
    ]
    assert second.characters == ("Ren",)  # named in the scene, and speaking
    assert [x.kind for x in third.lines] == ["say", "narration"]
    assert fourth.characters == ("ミカ", "Ren")
    assert script.japanese


def test_a_panel_without_a_place_is_where_the_one_before_it_was() -> None:
    scenes = parse_script(JAPANESE).scenes()
    assert scenes[1] == "close up, Ren smiling, train station, rain, night"
    assert scenes[2].endswith("train station, rain, night")
    assert scenes[3] == "ミカ and Ren walking home, city street, sunset"  # a place of its own


def test_with_says_who_is_in_a_panel_and_blank_lines_split_panels() -> None:
    script = parse_script(
        "Aki = boy, red hair\nHana = girl, blue hair\n\n"
        "a park in spring\nwith: Aki and Hana\nAki: Look!\n\n"
        "the sky, clouds\n(Nobody spoke.)",
        known=["Sora"],
    )
    assert [p.characters for p in script.panels] == [("Aki", "Hana"), ()]
    assert not script.japanese


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("1. a park\nKenji: hi", "line 2: Kenji is not a character of this story"),
        ("Aki = boy\n1. a park\nwith: Aki, Bo", "line 3: Bo is not a character"),
        ("A = boy\nB = girl\nC = boy\nD = girl\n1. park\nwith: A, B, C, D", "at most 3 characters"),
        ("\n\n".join(f"{k}. a park" for k in range(1, 14)), "at most 12 panels"),
        ("layout: comic\n1. a park", "line 1: layout is one of 4koma, manga, webtoon"),
        ("", "needs a panel"),
    ],
)
def test_a_wrong_script_says_which_line_and_why(text: str, says: str) -> None:
    with pytest.raises(SpecError, match=says):
        parse_script(text)


def test_a_saved_characters_name_in_a_scene_is_who_not_a_word_to_draw(library: Library) -> None:
    studio = Studio(library)
    studio.save_character("Ren", ArtSpec.from_text("a boy with short black hair, hoodie"))
    plan = studio.create(ArtSpec.from_text("close up, Ren smiling"), character="Ren")
    made = studio.run(plan)
    assert made.result.not_drawn == []
    assert traits_from_spec(plan.request.spec).pose == "bust"  # "close up" frames the head


def test_japanese_names_are_names_in_a_cast() -> None:
    text = "at a station; ミカ is a girl and has pink hair; レン is a boy and has black hair"
    cast = read_cast(text)
    assert cast is not None and [m.who for m in cast.members] == ["ミカ", "レン"]
    spec = ArtSpec.from_text(text)
    assert member_spec(spec, cast, cast.members[0]).character == "girl"


# ---- vertical text ----


@requires_fonts
def test_vertical_text_reads_top_to_bottom_in_columns_right_to_left() -> None:
    typeface = choose_font("あいうえお、か", chain=BODY_CHAIN)
    block = set_vertical("あいうえお、か", typeface, 40, 120)  # three to a column
    columns = block.columns()
    assert ["".join(g.char for g in c) for c in columns] == ["あいう", "えお︑", "か"]
    assert [c[0].x for c in columns] == sorted((c[0].x for c in columns), reverse=True)
    for column in columns:
        assert [g.y for g in column] == sorted(g.y for g in column)
    # The pixels: ink in every cell of the right column, and the left one's last two
    # cells empty (one character in it, at the top).
    ink = np.asarray(text_image(block).getchannel("A")) > 128
    for column, count in zip(columns, (3, 3, 1), strict=True):
        x = round(column[0].x)
        cells = [ink[r * 40 + 4 : r * 40 + 36, x - 16 : x + 16].any() for r in range(3)]
        assert cells == [True] * count + [False] * (3 - count)


@requires_fonts
def test_vertical_forms_and_no_comma_starts_a_column() -> None:
    typeface = choose_font("「あー」", chain=BODY_CHAIN)
    block = set_vertical("「あー」", typeface, 30, 300)
    assert [g.char for g in block.glyphs] == ["﹁", "あ", "ー", "﹂"]
    assert [g.turned for g in block.glyphs] == [False, False, True, False]
    short = set_vertical("あい。う", typeface, 30, 60)  # two to a column: 。 hangs
    assert ["".join(g.char for g in c) for c in short.columns()] == ["あい︒", "う"]


# ---- pages ----


def test_a_manga_page_read_right_to_left_puts_the_first_panel_on_the_right() -> None:
    frames = frames_for("manga", 4, right_to_left=True, title=False).frames
    assert frames[0][0] > frames[1][0] and frames[0][1] == frames[1][1]  # one tier
    assert frames[2][1] > frames[0][1]  # the next tier below
    ltr = frames_for("manga", 4, right_to_left=False, title=False).frames
    assert ltr[0][0] < ltr[1][0]


@pytest.fixture(scope="module")
def japanese_story(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Studio, Made, StoryPage]]:
    library = Library.open(tmp_path_factory.mktemp("story") / "lib")
    studio = Studio(library)
    made = studio.run(studio.story_set(JAPANESE, layout="manga", seed=5))
    yield studio, made, studio.story_page(made.generations[-1].id)


@requires_fonts
def test_no_bubble_covers_a_face_and_each_tail_points_at_its_speaker(
    japanese_story: tuple[Studio, Made, StoryPage],
) -> None:
    _, _, done = japanese_story
    page = done.page
    assert page.warnings == []
    said = 0
    for heads, lettering in zip(page.heads, page.lettering, strict=True):
        assert heads  # every character drawn was found on the page
        for placed in lettering.placed:
            for head in heads.values():
                assert _overlap(placed.box, head) == 0, (placed, head)
            if placed.kind != "say":
                continue
            said += 1
            assert placed.vertical  # Japanese, on a manga page
            assert placed.tail is not None
            own = heads[placed.who]  # type: ignore[index]
            mouth = ((own[0] + own[2]) / 2, own[1] + (own[3] - own[1]) * 0.72)
            distance = np.hypot(placed.tail[0] - mouth[0], placed.tail[1] - mouth[1])
            for who, other in heads.items():  # nearer its speaker than anyone else
                if who != placed.who:
                    centre = ((other[0] + other[2]) / 2, (other[1] + other[3]) / 2)
                    assert distance < np.hypot(
                        placed.tail[0] - centre[0], placed.tail[1] - centre[1]
                    )
    assert said == 6


@requires_fonts
def test_the_first_speaker_of_a_panel_read_right_to_left_stands_on_the_right(
    japanese_story: tuple[Studio, Made, StoryPage],
) -> None:
    """On a page read from the right, who speaks first stands and is lettered on the
    right — in the last panel too, whose scene names them the other way round
    ("ミカ and Ren walking home": left to right, as written)."""
    _, _, done = japanese_story
    checked = 0
    for heads, lettering in zip(done.page.heads, done.page.lettering, strict=True):
        said = [p for p in lettering.placed if p.kind == "say"]
        if len({p.who for p in said}) < 2:
            continue
        first, second = said[:2]
        centre = [(box[0] + box[2]) / 2 for box in (first.box, second.box)]
        assert centre[0] > centre[1]
        assert heads[first.who][0] > heads[second.who][0]  # type: ignore[index]
        checked += 1
    assert checked == 2  # the first panel and the last


@requires_fonts
def test_each_character_looks_the_same_in_every_panel(
    japanese_story: tuple[Studio, Made, StoryPage],
) -> None:
    studio, made, _ = japanese_story
    *panels, the_set = made.generations
    assert studio.library.request_of(the_set).options["grid"]["set"] == "story"
    looks: dict[str, set[tuple[object, ...]]] = {}
    for gen in panels:
        spec = studio.library.request_of(gen).spec
        cast = read_cast(spec.text or "")
        members = (
            [(m.who, member_spec(spec, cast, m)) for m in cast.members]
            if cast is not None and cast.several
            else [(None, spec)]
        )
        for who, own in members:
            traits = traits_from_spec(own)
            name = who or ("Ren" if traits.masculine else "ミカ")
            looks.setdefault(name, set()).add(
                (traits.hair_color, traits.outfit, traits.outfit_color, traits.eye_color)
            )
    assert set(looks) == {"ミカ", "Ren"}
    assert all(len(seen) == 1 for seen in looks.values()), looks


@requires_fonts
@pytest.mark.slow
def test_a_webtoon_is_cut_into_slices_the_platform_takes(
    japanese_story: tuple[Studio, Made, StoryPage],
) -> None:
    studio, made, manga = japanese_story
    done = studio.story_page(made.generations[-1].id, layout="webtoon", record=False)
    slices = [(n, d) for n, d in done.files if n != "page.png"]
    assert len(slices) >= 3
    total = 0
    for _, data in slices:
        image = Image.open(io.BytesIO(data))
        assert image.width == WEBTOON_WIDTH and image.height <= WEBTOON_SLICE
        assert len(data) <= WEBTOON_SLICE_BYTES
        total += image.height
    assert total == done.page.image.height
    # A webtoon's bubbles are set across, Japanese or not; it reads left to right.
    assert not any(p.vertical for p in done.page.placed())
    assert done.id is None and manga.id is not None


@requires_fonts
@pytest.mark.slow
def test_a_panel_edited_is_picked_up_when_the_page_is_laid_again(
    japanese_story: tuple[Studio, Made, StoryPage],
) -> None:
    studio, made, before = japanese_story
    varied = studio.run(studio.vary(made.generations[1].id, count=1, seed=99)).generations[0]
    after = studio.story_page(made.generations[-1].id, panels={2: varied.id})
    assert after.panels[1] == varied.id and after.panels[0] == before.panels[0]
    frame = after.page.frames.frames[1]
    old = np.asarray(before.page.image.crop(frame), np.int16)
    new = np.asarray(after.page.image.crop(frame), np.int16)
    assert np.abs(old - new).mean() > 3  # the second panel is the new one
    first = after.page.frames.frames[0]
    assert np.array_equal(
        np.asarray(before.page.image.crop(first)), np.asarray(after.page.image.crop(first))
    )
    recorded = studio.library.get(after.id)  # type: ignore[arg-type]
    assert recorded.parent_id == made.generations[-1].id
    with pytest.raises(SpecError, match="panels 1 to 4"):
        studio.story_page(made.generations[-1].id, panels={9: varied.id})


def test_a_story_is_no_sticker_set(library: Library) -> None:
    studio = Studio(library)
    made = studio.run(studio.sticker_set("a girl", reactions=["happy"], seed=1))
    with pytest.raises(SpecError, match="not a story"):
        studio.story_page(made.generations[-1].id)


@requires_fonts
@pytest.mark.slow
def test_the_story_command_and_a_page_laid_again(tmp_path: Path) -> None:
    script = tmp_path / "story.txt"
    script.write_text(
        "Aki = boy, red hair, hoodie\n\n1. a park in spring\nAki: What a day!\n\n"
        "2. close up, Aki laughing\nAki: Let's go!\nSFX: whoosh\n",
        encoding="utf-8",
    )
    done = sakuga("story", str(script), "--seed", "4", "-o", str(tmp_path / "out"), "--json")
    assert done.returncode == 0, done.stderr
    story = json.loads(done.stdout)["story"]
    assert story["layout"] == "manga" and Path(story["zip"]).is_file()
    assert Image.open(Path(story["folder"]) / "page.png").size == (1400, 2000)
    assert {p["kind"] for p in story["lettering"]} == {"say", "sfx"}
    set_id = json.loads(done.stdout)["layout"]["id"]
    again = sakuga("set", "page", set_id, "--layout", "4koma", "-o", str(tmp_path / "o2"), "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["story"]["size"][0] == 1000
    bad = sakuga("set", "page", set_id, "--panel", "two=x")
    assert bad.returncode == 2 and "N=ID" in bad.stderr


@requires_fonts
@pytest.mark.slow
def test_a_story_over_the_api(client: TestClient) -> None:
    script = "Mika = girl, pink hair\n\n1. a beach\nMika: Hi!\n\n2. Mika waving\nMika: Bye!"
    job = client.post("/api/sets", json={"kind": "story", "script": script, "seed": 3})
    assert job.status_code == 202, job.text
    done = wait(client, job.json()["id"])
    assert done["status"] == "done" and len(done["result"]) == 3
    set_id = done["result"][-1]
    page = client.get(f"/api/sets/{set_id}/page")
    assert page.status_code == 200 and page.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(page.content)).size == (1400, 2000)
    zipped = client.get(f"/api/sets/{set_id}/page", params={"layout": "webtoon", "zip": "true"})
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        assert {"01.png", "page.png"} <= set(archive.namelist())
    bad = client.post("/api/sets", json={"kind": "story", "script": "1. park\nKen: hi"})
    assert bad.status_code == 400 and "Ken is not a character" in bad.text
    assert client.get(f"/api/sets/{set_id}/page", params={"panel": "x"}).status_code == 400


def test_a_line_is_said_thought_shouted_or_whispered() -> None:
    script = parse_script(
        "Aki = boy\n1. a park\nAki (thinking): Hmm...\nAki: WAIT!\nAki: no way!!\n"
        "Aki (whispers): psst\nAki: fine."
    )
    assert [x.manner for x in script.panels[0].lines] == [
        "think", "shout", "shout", "whisper", "say",
    ]  # fmt: skip
    again = Script.from_json(script.as_json())
    assert [x.manner for x in again.panels[0].lines] == [x.manner for x in script.panels[0].lines]


@requires_fonts
def test_a_thought_is_a_cloud_and_a_shout_has_spikes() -> None:
    head = (380, 200, 520, 360)
    art = PanelArt(
        Image.new("RGB", (900, 620), (90, 120, 160)),
        {"Aki": head},
        lines=(
            ("say", "Hmm...", "Aki", "think"),
            ("say", "WAIT!", "Aki", "shout"),
            ("say", "ok.", "Aki", "say"),
        ),
    )
    page = lay_page([art], "4koma")
    think, shout, say = page.placed()
    assert (think.manner, shout.manner, say.manner) == ("think", "shout", "say")
    grey = np.asarray(page.image.convert("L"))

    def paper(box: tuple[int, ...]) -> float:  # the bubble's white, of its box
        return float((grey[box[1] : box[3], box[0] : box[2]] > 240).mean())

    # An ellipse fills about π/4 of its box; spikes and puffs reach into its corners
    # less (a shout's box is its spikes' points).
    assert 0.6 < paper(say.box) < 0.85
    assert paper(shout.box) < paper(say.box) - 0.05
    for placed in (think, shout, say):
        assert _overlap(placed.box, page.heads[0]["Aki"]) == 0


def test_a_character_described_without_clothes_wears_the_same_in_every_panel(
    library: Library,
) -> None:
    studio = Studio(library)
    plan = studio.story_set(
        "Aki = boy, messy brown hair, green scarf\n\n1. a park in winter, snow\nAki: Cold!\n\n"
        "2. close up, Aki blushing\nAki: ...hi.",
        seed=3,
    )
    assert plan.grid is not None
    kept = plan.grid.data["script"]["cast"]["Aki"]
    assert kept.startswith("boy, messy brown hair, green scarf, ")  # one garment added
    outfits = set()
    for cell in plan.grid.cells:
        traits = traits_from_spec(cell.plan.request.spec)
        outfits.add((traits.outfit, traits.outfit_color))
        # "Aki" is who he is, not the Japanese word for autumn: the park stays in winter.
        assert traits.season == "winter" and "snow" in traits.weather
    assert len(outfits) == 1
