"""One idea across styles, seeds, options or prompt words at once (#38): a grid's cells
are each what the single command makes, recorded one by one, and laid out labelled."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageFilter

from sakuga.errors import SpecError
from sakuga.studio.library.library import Library
from sakuga.studio.service.grid import Ask, cell_indices, check_axes, parse_axis
from tests.server.test_api import wait
from tests.test_cli import sakuga

PROMPT = "girl with a red scarf on a snowy bridge"


def pixels(path: str | Path) -> np.ndarray:
    return np.asarray(Image.open(path).convert("RGBA"))


def single(tmp_path: Path, name: str, *args: str) -> np.ndarray:
    out = tmp_path / f"{name}.png"
    done = sakuga(*args, "-o", str(out), "--json")
    assert done.returncode == 0, done.stderr
    return pixels(json.loads(done.stdout)["images"][0]["path"])


def grid_run(tmp_path: Path, *args: str) -> dict:
    done = sakuga(*args, "-o", str(tmp_path / "grid"), "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_style_by_seed_grid_is_four_single_creates_and_a_labelled_layout(
    tmp_path: Path,
) -> None:
    answer = grid_run(
        tmp_path,
        "create",
        PROMPT,
        "--grid",
        "style=cute,cyberpunk",
        "--grid",
        "seed=1,2",
        "--engine",
        "draw",
    )
    assert answer["axes"] == [
        {"name": "style", "values": ["cute", "cyberpunk"]},
        {"name": "seed", "values": ["1", "2"]},
    ]
    cells = answer["cells"]
    assert [c["labels"] for c in cells] == [
        ["cute", "seed 1"],
        ["cyberpunk", "seed 1"],
        ["cute", "seed 2"],
        ["cyberpunk", "seed 2"],
    ]
    for cell in cells:
        style, seed = cell["labels"][0], cell["labels"][1].split()[1]
        alone = single(
            tmp_path,
            f"{style}-{seed}",
            "create",
            PROMPT,
            "--style",
            style,
            "--seed",
            seed,
            "--engine",
            "draw",
        )
        assert np.array_equal(pixels(cell["image"]["path"]), alone), cell["labels"]
    # The cells differ: the styles and the seeds each change the picture.
    first = pixels(cells[0]["image"]["path"])
    assert not np.array_equal(first, pixels(cells[1]["image"]["path"]))
    assert not np.array_equal(first, pixels(cells[2]["image"]["path"]))
    # Every cell is a library generation; the layout is one more, with the grid's
    # definition and its cells' ids in its recipe.
    library = Library.open(Path(os.environ["SAKUGA_HOME"]))
    layout = library.get(answer["layout"]["id"])
    assert (layout.engine, layout.model) == ("compose", "grid")
    made = library.request_of(layout).options["grid"]
    assert [c["id"] for c in made["cells"]] == [c["image"]["id"] for c in cells]
    assert made["axes"] == answer["axes"]
    for cell in cells:
        assert library.get(cell["image"]["id"]).engine == "draw"
    # The layout: two columns and two rows of cells, each a scaled cell image, under
    # a header row, beside a column of row labels.
    sheet = Image.open(answer["layout"]["path"])
    assert sheet.width > 2 * 320 and sheet.height > 2 * 320
    # (Both a little blurred: two resamplings of fine lines, bare branches, differ
    # pixel by pixel where the picture does not.)
    soft = ImageFilter.BoxBlur(2)
    thumb = np.asarray(
        Image.fromarray(first).convert("RGB").resize((320, 320)).filter(soft), dtype=float
    )
    found = np.asarray(sheet.convert("RGB").filter(soft), dtype=float)
    # The first cell sits right of the row labels, under the header: find it there.
    best = min(
        np.abs(found[y : y + 320, x : x + 320] - thumb).mean()
        for y in range(0, sheet.height - 320 - 1, 2)
        for x in range(0, min(200, sheet.width - 320), 2)
    )
    assert best < 6


def test_a_prompt_search_and_replace_grid(tmp_path: Path) -> None:
    answer = grid_run(
        tmp_path,
        "create",
        PROMPT,
        "--grid",
        "prompt=red scarf|blue scarf",
        "--seed",
        "5",
        "--engine",
        "draw",
    )
    assert [c["labels"] for c in answer["cells"]] == [["red scarf"], ["blue scarf"]]
    blue = single(
        tmp_path, "blue", "create", PROMPT.replace("red", "blue"), "--seed", "5", "--engine", "draw"
    )
    assert np.array_equal(pixels(answer["cells"][1]["image"]["path"]), blue)
    red = single(tmp_path, "red", "create", PROMPT, "--seed", "5", "--engine", "draw")
    assert np.array_equal(pixels(answer["cells"][0]["image"]["path"]), red)
    assert not np.array_equal(red, blue)


def test_an_engine_option_grid(tmp_path: Path) -> None:
    answer = grid_run(
        tmp_path,
        "create",
        PROMPT,
        "--grid",
        "background=scene,transparent",
        "--seed",
        "2",
        "--engine",
        "draw",
    )
    scene, cutout = (pixels(c["image"]["path"]) for c in answer["cells"])
    assert answer["cells"][1]["labels"] == ["background transparent"]
    assert scene[..., 3].min() == 255 and (cutout[..., 3] == 0).mean() > 0.2
    alone = single(
        tmp_path,
        "cut",
        "create",
        PROMPT,
        "--seed",
        "2",
        "--engine",
        "draw",
        "--background",
        "transparent",
    )
    assert np.array_equal(cutout, alone)


def test_a_photo_across_styles_and_its_rerun(tmp_path: Path) -> None:
    args = ("anime", "sample:astronaut", "--engine", "toon", "--size", "256x256")
    answer = grid_run(tmp_path, *args, "--grid", "style=cute,webtoon", "--seed", "4")
    for cell, style in zip(answer["cells"], ("cute", "webtoon"), strict=True):
        alone = single(tmp_path, style, *args, "--style", style, "--seed", "4")
        assert np.array_equal(pixels(cell["image"]["path"]), alone)
    # A rerun of the grid redoes every cell, each a child of the cell it redoes.
    done = sakuga("rerun", answer["layout"]["id"], "-o", str(tmp_path / "again"), "--json")
    assert done.returncode == 0, done.stderr
    again = json.loads(done.stdout)
    assert np.array_equal(pixels(again["layout"]["path"]), pixels(answer["layout"]["path"]))
    library = Library.open(Path(os.environ["SAKUGA_HOME"]))
    for old, new in zip(answer["cells"], again["cells"], strict=True):
        assert new["image"]["id"] != old["image"]["id"]
        assert library.get(new["image"]["id"]).parent_id == old["image"]["id"]
    assert library.get(again["layout"]["id"]).parent_id == answer["layout"]["id"]
    # A cell of a grid is drawn: it varies as any; the grid itself is not varied.
    refused = sakuga("vary", answer["layout"]["id"], "-o", str(tmp_path / "v"))
    assert refused.returncode == 1 and "a grid" in refused.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--grid", "colour=red,blue"), "unknown grid axis 'colour'"),
        (("--grid", "style=cute,nope"), "unknown style 'nope'"),
        (("--grid", "prompt=green scarf|blue scarf"), "not in the prompt"),
        (
            (
                "--grid",
                "seed=1-4",
                "--grid",
                "style=cute,webtoon,fantasy,cyberpunk,cinematic",
                "--grid",
                "prompt=red|blue",
            ),
            "40 cells",
        ),
        (("--grid", "seed=1,1"), "a seed is given twice"),
        (("--grid", "seed=5-1"), "runs backwards"),
        (("--grid", "style=cute,kawaii"), "two values are the same"),
        (("--grid", "style=cute,webtoon", "--style", "fantasy"), "style is set already"),
        (("--grid", "seed=1,2", "-n", "2"), "one image each"),
        (("--grid", "seed=1,2", "-o", "grid.png"), "-o names a folder"),
        (("--grid", "controls=a,b"), "unknown grid axis 'controls'"),
        (("--grid", "background=scene,sideways"), "not one of"),
        (("--grid", "style=cute", "--grid", "style=webtoon"), "given twice"),
        (("--grid", "style"), "NAME=V1,V2"),
    ],
)
def test_a_bad_grid_is_a_usage_error_before_any_work(
    tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    home = Path(os.environ["SAKUGA_HOME"])
    before = Library.open(home).count_found()
    out = tmp_path / "x"
    args = tuple(str(tmp_path / a) if a == "grid.png" else a for a in args)
    if "-o" not in args:
        args = (*args, "-o", str(out))
    done = sakuga("create", PROMPT, "--engine", "draw", *args)
    assert done.returncode == 2, done.stderr
    assert says in " ".join(done.stderr.split()), done.stderr
    assert Library.open(home).count_found() == before
    assert not out.exists() or not any(out.iterdir())


def test_axes_an_action_does_not_take_and_cells_of_many_images_are_refused(
    tmp_path: Path,
) -> None:
    done = sakuga("anime", "sample:cat", "--grid", "character=Aki,Hana", "-o", str(tmp_path))
    assert done.returncode == 2 and "anime does not take it" in done.stderr
    done = sakuga("create", PROMPT, "--grid", "cfg=5,7", "--engine", "draw", "-o", str(tmp_path))
    assert done.returncode == 1 and "the draw engine does not read it" in done.stderr


def test_axes_are_read_as_people_write_them() -> None:
    assert parse_axis("seed=1-3,7").values == (1, 2, 3, 7)
    assert parse_axis("CFG = 5, 7.5").values == (5.0, 7.5)
    assert parse_axis("steps=20,30").values == (20, 30)
    assert parse_axis("sampler=Euler a,DPM++ 2M").values == ("Euler a", "DPM++ 2M")
    assert parse_axis("checkpoint=a.safetensors,b").name == "model"
    # A bar splits values that hold commas.
    axis = parse_axis("prompt=red scarf, long|blue scarf, short")
    assert axis.values == ("red scarf, long", "blue scarf, short")
    assert parse_axis("loras=a:0.5|b:0.7").values == (["a:0.5"], ["b:0.7"])
    with pytest.raises(SpecError, match="not a number"):
        parse_axis("cfg=high,low")
    # The first axis runs across, then the second down, then the third in blocks.
    axes = [parse_axis("style=cute,webtoon"), parse_axis("seed=1,2,3")]
    assert cell_indices(axes)[:3] == [(0, 0), (1, 0), (0, 1)]
    with pytest.raises(SpecError, match="at most 3 axes"):
        check_axes([*axes, parse_axis("use=poster,avatar"), parse_axis("cfg=5,6")], "create", Ask())


def test_a_grids_job_payload_carries_every_cell(library: Library) -> None:
    from sakuga.prompt.artspec import ArtSpec
    from sakuga.studio.service.studio import Studio

    studio = Studio(library)
    ask = Ask(PROMPT, seed=3, engine="draw")

    def plan_for(cell: Ask):  # type: ignore[no-untyped-def]
        spec = ArtSpec.from_text(cell.prompt).merged(style=cell.style, seed=cell.seed)
        return studio.create(spec, engine=cell.engine, options=cell.options)

    axes = [parse_axis("style=cute,webtoon"), parse_axis("background=scene,transparent")]
    plan = studio.grid(axes, "create", ask, plan_for)
    payload = studio.payload(plan)
    assert payload.grid is not None and len(payload.grid.cells) == 4
    assert payload.images() == 4 and payload.pixels() == 4 * 1024 * 1024
    back = studio.from_payload(payload.as_json())
    assert back.grid is not None
    for a, b in zip(plan.grid.cells, back.grid.cells, strict=True):  # type: ignore[union-attr]
        assert a.at == b.at and a.plan.request.to_payload() == b.plan.request.to_payload()
    made = studio.run(back)
    assert len(made.generations) == 5 and made.generations[-1].model == "grid"


@pytest.fixture()
def client(library: Library) -> Iterator[TestClient]:
    from sakuga.server.app import create_app
    from sakuga.server.security import ServerSettings

    settings = ServerSettings(extra_hosts=("testserver",), max_queued=4)
    with TestClient(create_app(settings, library)) as test_client:
        yield test_client


def test_a_grid_over_the_api(client: TestClient) -> None:
    body = {"kind": "create", "prompt": PROMPT, "engine": "draw", "seed": 1}
    job = client.post("/api/jobs", json={**body, "grid": ["style=cute,webtoon"]})
    assert job.status_code == 202, job.text
    done = wait(client, job.json()["id"])
    assert done["status"] == "done" and len(done["result"]) == 3
    assert done["payload"]["grid"]["axes"] == [{"name": "style", "values": ["cute", "webtoon"]}]
    alone = wait(client, client.post("/api/jobs", json={**body, "style": "webtoon"}).json()["id"])
    cell = client.get(f"/api/images/{done['result'][1]}").content
    assert cell == client.get(f"/api/images/{alone['result'][0]}").content
    layout = client.get(f"/api/generations/{done['result'][2]}").json()
    assert (layout["engine"], layout["model"]) == ("compose", "grid")
    # Checked before anything is queued: an unknown axis, and a grid over the cap a
    # job has (four 3000² covers are 36 megapixels).
    bad = client.post("/api/jobs", json={**body, "grid": ["mood=sad,happy"]})
    assert bad.status_code == 400 and "unknown grid axis" in bad.json()["detail"]
    unseeded = {k: v for k, v in body.items() if k != "seed"}
    big = client.post("/api/jobs", json={**unseeded, "use": "cover", "grid": ["seed=1-4"]})
    assert big.status_code == 400 and "36.0 megapixels" in big.json()["detail"]
    vary = client.post("/api/jobs", json={"kind": "vary", "generation": "x", "grid": ["seed=1,2"]})
    assert vary.status_code == 400


def test_an_edit_across_its_words(tmp_path: Path) -> None:
    made = grid_run(tmp_path, "create", "girl with long pink hair, sailor uniform", "--grid",
                    "seed=4", "--engine", "draw")  # fmt: skip
    source = made["cells"][0]["image"]["id"]
    mask = tmp_path / "mask.png"
    Image.new("L", (1024, 1024), 0).save(mask)
    Image.new("L", (1024, 1024), 0).paste(255, (0, 0, 1024, 500))
    whole = Image.new("L", (1024, 1024), 0)
    whole.paste(255, (0, 0, 1024, 520))
    whole.save(mask)
    args = ("edit", source, "--mask", str(mask), "--engine", "draw", "--prompt", "blue hair")
    answer = grid_run(tmp_path, *args, "--grid", "prompt=blue hair|green hair")
    cells = [pixels(c["image"]["path"]) for c in answer["cells"]]
    green = single(tmp_path, "green", *args[:-1], "green hair")
    assert np.array_equal(cells[1], green) and not np.array_equal(cells[0], cells[1])
    # Below the mask, every pixel of both cells is the source's.
    original = pixels(made["cells"][0]["image"]["path"])
    for cell in cells:
        assert np.array_equal(cell[530:], original[530:])
    # An edit takes no style axis: it is said, not dropped.
    done = sakuga(*args, "--grid", "style=cute,webtoon", "-o", str(tmp_path / "no"))
    assert done.returncode == 2 and "edit does not take it" in done.stderr


def test_an_engine_axis_naming_an_engine_that_cannot_do_the_task_is_refused(
    tmp_path: Path,
) -> None:
    home = Path(os.environ["SAKUGA_HOME"])
    before = Library.open(home).count_found()
    done = sakuga("create", PROMPT, "--grid", "engine=draw,toon", "-o", str(tmp_path / "x"))
    assert done.returncode == 1 and "'toon' does not do text-to-image" in done.stderr
    assert Library.open(home).count_found() == before


def test_the_grid_keeps_each_cells_format_and_what_the_prompt_says(tmp_path: Path) -> None:
    """Each cell is written as its single command writes it (SVG from draw, a
    thumbnail's JPEG); prompt words are replaced whole ("red" is not the red of
    "bored"); a transparent cell sits on a checker in the layout, not on black."""
    from sakuga.compose.fonts import FONTS
    from sakuga.compose.sheet import _label_font

    prompt = "bored girl with a red scarf"
    answer = grid_run(tmp_path, "create", prompt, "--grid", "prompt=red|blue", "--engine",
                      "draw", "--seed", "3", "--format", "svg")  # fmt: skip
    cells = [Path(c["image"]["path"]) for c in answer["cells"]]
    assert [c.suffix for c in cells] == [".svg", ".svg"]
    assert Path(answer["layout"]["path"]).suffix == ".png"
    library = Library.open(Path(os.environ["SAKUGA_HOME"]))
    blue = library.get(answer["cells"][1]["image"]["id"])
    assert "bored girl with a blue scarf" in blue.prompt
    used = grid_run(tmp_path, "create", prompt, "--grid", "use=thumbnail,avatar", "--engine",
                    "draw", "--seed", "3")  # fmt: skip
    assert Path(used["cells"][0]["image"]["path"]).suffix == ".jpg"
    cut = grid_run(tmp_path, "create", prompt, "--grid", "background=scene,transparent",
                   "--engine", "draw", "--seed", "3")  # fmt: skip
    sheet = np.asarray(Image.open(cut["layout"]["path"]).convert("RGB"))
    right = sheet[60:, sheet.shape[1] // 2 :]
    assert (right.min(axis=2) > 190).mean() > 0.2  # the checker shows where it is clear
    # Japanese labels are set in a font that has them.
    font = _label_font("prompt → 赤いマフラー", 20)
    assert Path(font.path) == FONTS["gothic-jp"].path  # type: ignore[union-attr]


def test_a_grid_with_a_deleted_cell_says_so_on_rerun(tmp_path: Path) -> None:
    answer = grid_run(tmp_path, "create", PROMPT, "--grid", "seed=1,2", "--engine", "draw")
    assert sakuga("library", "delete", answer["cells"][0]["image"]["id"]).returncode == 0
    done = sakuga("rerun", answer["layout"]["id"], "-o", str(tmp_path / "again"))
    assert done.returncode == 1 and "one of whose cells was deleted" in done.stderr
