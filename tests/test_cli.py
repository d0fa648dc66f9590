"""The `sakuga` command, run as a creator runs it: exit codes, stdout/stderr.

`sakuga()` runs the CLI in this process (Typer's runner: no interpreter start-up per
call); `sakuga_process()` runs the installed entry point as a subprocess, for the few
tests where the process itself is the point (the entry point, exit codes).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from tests.conftest import requires_fonts
from tests.imaging.test_io import bomb_png

SEED_GOOD = (
    "a calm anime boy with short silver hair, wearing a black hoodie and headphones, "
    "standing under neon street lights at night, soft cinematic lighting, detailed "
    "background, modern urban mood"
)


def sakuga(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``sakuga ARGS`` in this process, as a finished process would report it."""
    from typer.testing import CliRunner

    from sakuga.cli import app

    previous = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(
        ["sakuga", *args], result.exit_code, result.stdout, result.stderr
    )


def sakuga_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m sakuga ARGS`` as a subprocess."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "sakuga", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def in_process(*args: str, home: Path) -> tuple[int, str, str]:
    """Run the CLI in this process (no interpreter start-up): exit code, stdout, stderr."""
    from typer.testing import CliRunner

    from sakuga.cli import app

    env = {"SAKUGA_HOME": str(home), "COLUMNS": "200", "HF_HUB_OFFLINE": "1"}
    result = CliRunner().invoke(app, list(args), env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_version_and_help() -> None:
    assert sakuga_process("--version").stdout.startswith("sakuga ")
    out = sakuga_process("--help")
    assert out.returncode == 0
    for command in ("anime", "prompt", "styles", "uses", "engines", "info"):
        assert command in out.stdout


def test_prompt_json_seed_cases() -> None:
    vague = json.loads(sakuga("prompt", "anime boy in a city", "--json").stdout)
    assert vague["score"] < 40 and len(vague["missing"]) >= 5
    good = json.loads(sakuga("prompt", SEED_GOOD, "--json").stdout)
    assert good["score"] >= 80
    assert good["parts"]["expression"] == "calm"
    assert set(good) == {
        "score",
        "parts",
        "missing",
        "suggestions",
        "conflicts",
        "prompt",
        "details",
        "quality",
        "from_character",
        "said",
        "characters",
    }


def test_prompt_says_what_each_of_two_characters_lacks() -> None:
    out = sakuga("prompt", "Aki has short black hair and a denim jacket, Hana has a red dress")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert any(line.startswith("Aki: short black hair") for line in lines), out.stdout
    assert any(line.startswith("Hana:") and "hair, expression missing" in line for line in lines)


def test_prompt_human_output_names_missing_parts() -> None:
    out = sakuga("prompt", "anime boy in a city")
    assert out.returncode == 0
    assert "missing" in out.stdout and "hair" in out.stdout and "try" in out.stdout


def test_listing_commands() -> None:
    styles = json.loads(sakuga("styles", "--json").stdout)
    assert {s["name"] for s in styles} >= {"cute", "cinematic", "webtoon", "fantasy", "cyberpunk"}
    uses = json.loads(sakuga("uses", "--json").stdout)
    assert {"name": "cover", "width": 3000, "height": 3000}.items() <= next(
        u for u in uses if u["name"] == "cover"
    ).items()
    engines = json.loads(sakuga("engines", "--json").stdout)
    toon = next(e for e in engines if e["name"] == "toon")
    assert toon["available"] and "photo-to-anime" in toon["tasks"]


def test_anime_end_to_end_with_recipe(tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (90, 120, 3), np.uint8)).save(photo)
    out = sakuga(
        "anime",
        str(photo),
        "-n",
        "2",
        "--seed",
        "5",
        "--style",
        "webtoon",
        "--size",
        "96x64",
        "-o",
        str(tmp_path / "out"),
        "--json",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["engine"] == "toon" and len(data["images"]) == 2
    first = data["images"][0]
    assert (first["width"], first["height"]) == (96, 64)
    assert first["seed"] == 5 and data["images"][1]["seed"] == 6
    info = json.loads(sakuga("info", first["path"], "--json").stdout)
    assert info["parameters"]["Seed"] == "5"
    assert info["parameters"]["Size"] == "96x64"
    assert info["sakuga"]["spec"]["style"] == "webtoon"
    assert info["sakuga"]["task"] == "photo-to-anime"


def test_same_seed_same_file_bytes(tmp_path: Path) -> None:
    args = ["anime", "sample:cat", "--seed", "3", "--size", "120x80", "--json"]
    a = json.loads(sakuga(*args, "-o", str(tmp_path / "a.png")).stdout)
    b = json.loads(sakuga(*args, "-o", str(tmp_path / "b.png")).stdout)
    assert a["images"][0]["content_id"] == b["images"][0]["content_id"]  # same pixels
    assert a["images"][0]["id"] != b["images"][0]["id"]  # two generations in the library


def test_japanese_prompt_round_trips_through_info(tmp_path: Path) -> None:
    from sakuga.cli.outputs import write_results
    from sakuga.engines.base import EngineRequest, Task
    from sakuga.engines.fake import FakeEngine

    request = EngineRequest(
        Task.TEXT_TO_IMAGE, prompt="夜の街を歩く銀髪の少年, neon", size=(32, 32), seed=1
    )
    saved = write_results(request, FakeEngine().run(request), tmp_path / "ja.png")
    info = json.loads(sakuga("info", str(saved[0].path), "--json").stdout)
    assert info["parameters"]["prompt"] == "夜の街を歩く銀髪の少年, neon"
    assert info["sakuga"]["prompt"] == "夜の街を歩く銀髪の少年, neon"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("bomb.png", bomb_png(), "megapixels"),
        ("zero.png", b"", "empty"),
        ("page.png", b"<html><body><script>alert(1)</script></body></html>", "HTML"),
        ("wrong.jpg", b"\x00\x00\x00\x00not really a jpeg", "not a PNG, JPEG, WEBP or HEIC"),
        ("cut.png", None, "truncated"),
    ],
)
def test_hostile_files_give_one_clear_line(
    tmp_path: Path, name: str, content: bytes | None, says: str
) -> None:
    path = tmp_path / name
    if content is None:
        good = tmp_path / "good.png"
        Image.fromarray(np.random.default_rng(1).integers(0, 255, (64, 64, 3), np.uint8)).save(good)
        content = good.read_bytes()[:400]
    path.write_bytes(content)
    out = sakuga("info", str(path))
    assert out.returncode == 1
    assert says in out.stderr
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout
    assert out.stderr.count("\n") <= 3


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    path = tmp_path / "zero.png"
    path.write_bytes(b"")
    out = sakuga_process("--debug", "info", str(path))  # the interpreter prints it
    assert out.returncode == 1 and "Traceback" in out.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert sakuga("anime").returncode == 2
    assert sakuga("anime", "sample:cat", "-n", "11").returncode == 2
    # The installed entry point's own exit codes, as a shell sees them.
    assert sakuga_process("nonsense-command").returncode == 2
    missing = sakuga_process("anime", str(tmp_path / "nope.jpg"), "-o", str(tmp_path))
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_every_invalid_flag_value_exits_2(tmp_path: Path) -> None:
    cases = [
        (("anime", "sample:cat", "--style", "vaporwave"), "unknown style 'vaporwave'"),
        (("anime", "sample:cat", "--size", "big"), "size must look like"),
        (("anime", "sample:cat", "--for", "nope"), "unknown use 'nope'"),
        (("anime", "sample:cat", "--format", "gif"), "png, jpeg or webp"),
        (("anime", "sample:cat", "--engine", "nope"), "unknown engine 'nope'"),
        (("create", "a girl", "--size", "0x0"), "between 16 and 8192"),
        (("create", "a girl", "-n", "0"), "-n"),
        (("create", "  "), "the prompt is empty"),
    ]
    for args, message in cases:
        out = sakuga(*args, "-o", str(tmp_path / "out"))
        assert out.returncode == 2, (args, out.stderr)
        assert message in " ".join(out.stderr.split()), (args, out.stderr)
    assert not (tmp_path / "out").exists()  # nothing was made


def test_runtime_errors_exit_1(tmp_path: Path) -> None:
    missing = sakuga("anime", str(tmp_path / "nope.jpg"), "-o", str(tmp_path))
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_animegan_from_the_cli_and_a_pickle_refused(tmp_path: Path) -> None:
    from tests.engines.tiny_onnx import build_generator

    model = build_generator(tmp_path / "tiny.onnx")
    out = sakuga(
        "anime",
        "sample:cat",
        "--model",
        str(model),
        "-n",
        "2",
        "--seed",
        "4",
        "-o",
        str(tmp_path / "out"),
        "--json",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["engine"] == "animegan" and len(data["images"]) == 2  # --model picks it
    evil = tmp_path / "evil.onnx"
    evil.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    refused = sakuga(
        "anime", "sample:cat", "--engine", "animegan", "--model", str(evil), "-o", str(tmp_path)
    )
    assert refused.returncode == 1 and "pickle" in refused.stderr
    assert refused.stderr.count("\n") == 1


def test_create_offline_draws_and_says_so(tmp_path: Path) -> None:
    out = sakuga(
        "create", SEED_GOOD, "-n", "2", "--seed", "3", "--size", "256x256", "-o", str(tmp_path)
    )
    assert out.returncode == 0, out.stderr
    assert "no AI engine is configured" in out.stderr
    files = sorted(tmp_path.glob("*.png"))
    assert len(files) == 2
    info = json.loads(sakuga("info", str(files[0]), "--json").stdout)
    assert info["sakuga"]["engine"] == "draw"
    assert info["sakuga"]["spec"]["hair"] == "short silver hair"


def test_create_json_svg_and_use_sizes(tmp_path: Path) -> None:
    out = sakuga(
        "create", "cute girl, pink twin tails", "--for", "thumbnail", "--json", "-o", str(tmp_path)
    )
    data = json.loads(out.stdout)
    assert (data["images"][0]["width"], data["images"][0]["height"]) == (1280, 720)
    assert data["images"][0]["path"].endswith(".jpg")  # the thumbnail use's format
    svg = sakuga(
        "create",
        "boy, short black hair",
        "--format",
        "svg",
        "--size",
        "300x300",
        "-o",
        str(tmp_path / "boy.svg"),
    )
    assert svg.returncode == 0, svg.stderr
    assert (tmp_path / "boy.svg").read_text().startswith("<svg")
    refused = sakuga("create", "boy", "--engine", "fake", "--format", "svg", "-o", str(tmp_path))
    assert refused.returncode == 1 and "needs the draw engine" in refused.stderr


def test_create_with_a_draft_goes_through_the_protocol(tmp_path: Path) -> None:
    out = sakuga(
        "create",
        "girl, red kimono",
        "--draft-with",
        "draw",
        "--engine",
        "fake",
        "--size",
        "128x128",
        "--json",
        "-o",
        str(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["engine"] == "fake" and data["task"] == "variation"
    info = json.loads(sakuga("info", data["images"][0]["path"], "--json").stdout)
    assert info["sakuga"]["options"]["draft"] == "draw"
    # The draft is recorded by the hash of its file in the library.
    assert len(info["sakuga"]["inputs"]["image"]) == 64


@pytest.mark.slow
@requires_fonts
def test_export_poster_with_a_japanese_title_and_errors(tmp_path: Path) -> None:
    out = sakuga(
        "export",
        "sample:astronaut",
        "--for",
        "poster",
        "--title",
        "夜の街 — Neon Nights",
        "--subtitle",
        "Sakuga",
        "-o",
        str(tmp_path / "poster.png"),
        "--json",
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["images"][0]["width"], data["images"][0]["height"]) == (1024, 1536)
    assert data["contrast"]["title"] >= 4.5
    sticker = sakuga("export", "sample:cat", "--for", "sticker", "-o", str(tmp_path / "cat.webp"))
    assert sticker.returncode == 0, sticker.stderr
    assert Image.open(tmp_path / "cat.webp").mode == "RGBA"
    bad_font = sakuga(
        "export",
        "sample:cat",
        "--for",
        "poster",
        "--title",
        "x",
        "--font",
        "comic",
        "-o",
        str(tmp_path / "x.png"),
    )
    assert bad_font.returncode == 1 and "unknown font" in bad_font.stderr
    too_long = sakuga(
        "export",
        "sample:cat",
        "--for",
        "poster",
        "--title",
        "y" * 300,
        "-o",
        str(tmp_path / "x.png"),
    )
    assert too_long.returncode == 1 and "at most 200" in too_long.stderr
    glyph = sakuga(
        "export",
        "sample:cat",
        "--for",
        "poster",
        "--title",
        "\U000f8d0f",
        "-o",
        str(tmp_path / "x.png"),
    )
    assert glyph.returncode == 1 and "no font here has a glyph" in glyph.stderr


def test_anime_for_sticker_is_cut_out(tmp_path: Path) -> None:
    out = sakuga(
        "anime",
        "sample:astronaut",
        "--for",
        "sticker",
        "--seed",
        "1",
        "-o",
        str(tmp_path),
        "--json",
    )
    assert out.returncode == 0, out.stderr
    image = Image.open(json.loads(out.stdout)["images"][0]["path"])
    assert image.mode == "RGBA" and image.size == (512, 512)


UMBRELLA = (
    "a girl holding a red umbrella next to a glowing vending machine, rain, her dog sleeping "
    "at her feet, ukiyo-e inspired"
)


def test_draw_says_what_it_did_not_draw(tmp_path: Path) -> None:
    code, out, err = in_process("create", UMBRELLA, "--engine", "draw", "--size", "128x128",
                                "-o", str(tmp_path / "a"), home=tmp_path)  # fmt: skip
    assert code == 0, err
    line = next(x for x in err.splitlines() if x.startswith("not drawn:"))
    # The dog is drawn (from the vector library), its sleeping is not.
    assert "vending machine" in line and "sleeping" in line
    # The umbrella (held) and the rain are drawn now.
    assert "umbrella" not in line and "rain" not in line and "dog" not in line
    assert "--engine openai|diffusers" in line
    code, out, err = in_process("create", UMBRELLA, "--engine", "draw", "--size", "128x128",
                                "-o", str(tmp_path / "b"), "--json", home=tmp_path)  # fmt: skip
    data = json.loads(out)
    assert "sleeping" in data["not_drawn"] and "glowing vending machine" in data["not_drawn"]
    assert "long silver hair" not in data["not_drawn"]
    assert {"phrase": "dog", "by": "library: dog, beside"} in data["drawn"]
    code, info, _ = in_process("info", data["images"][0]["path"], "--json", home=tmp_path)
    assert json.loads(info)["sakuga"]["not_drawn"] == data["not_drawn"]


def test_seed_and_count_lines_act_like_flags(tmp_path: Path) -> None:
    prompt = "a girl with long silver hair\nseed: 42\ncount: 2"
    code, out, err = in_process("create", prompt, "--engine", "draw", "--size", "64x64",
                                "-o", str(tmp_path / "a"), "--json", home=tmp_path)  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert [i["seed"] for i in data["images"]] == [42, 43]
    # A flag given explicitly wins over the line.
    code, out, err = in_process("create", prompt, "--seed", "7", "-n", "1", "--engine", "draw",
                                "--size", "64x64", "-o", str(tmp_path / "b"), "--json",
                                home=tmp_path)  # fmt: skip
    assert [i["seed"] for i in json.loads(out)["images"]] == [7]
    # Lines that contradict each other are a usage error.
    code, out, err = in_process("create", "seed: 1\nseed: 2\na girl", "-o", str(tmp_path / "c"),
                                home=tmp_path)  # fmt: skip
    assert code == 2 and "seed twice" in err and not (tmp_path / "c").exists()


def test_prompt_json_keeps_every_word(tmp_path: Path) -> None:
    _, out, _ = in_process("prompt", UMBRELLA, "--json", home=tmp_path)
    data = json.loads(out)
    for word in ("umbrella", "vending", "machine", "glowing", "rain", "dog", "sleeping", "feet"):
        assert word in data["prompt"].lower(), word
    _code, out, _ = in_process("prompt", "a girl at a cafe, a cup of tea", home=tmp_path)
    assert "cup of tea" in out and "kept, not placed" in out


HOSTILE = "\x1b[2J\x1b]0;pwned\x07\x1b]52;c;aGVsbG8=\x07[red]markup[/red]\u202e"


def test_text_from_files_and_clients_prints_without_escapes(tmp_path: Path) -> None:
    from sakuga.imaging.metadata import format_parameters
    from sakuga.studio.library.library import Library

    image = tmp_path / "hostile.png"
    info = PngInfo()
    info.add_text("parameters", format_parameters(f"a girl {HOSTILE}", HOSTILE, {"Steps": 1}))
    Image.new("RGB", (16, 16)).save(image, pnginfo=info)
    code, out, err = in_process("info", str(image), home=tmp_path)
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b[2J" in out and "[red]markup[/red]" in out  # shown, not obeyed
    library = Library.open(tmp_path)  # a character named by a client, as the API allows
    library.create_character(f"eve {HOSTILE}"[:100], {"hair": HOSTILE}, style="cute")
    library.db.dispose()
    for command in (("character", "list"), ("character", "show", f"eve {HOSTILE}"[:100])):
        code, out, err = in_process(*command, home=tmp_path)
        assert code == 0, err
        assert "\x1b" not in out and "\x07" not in out, command
        assert "[red]markup" in out, command


def test_one_id_per_image(tmp_path: Path) -> None:
    made = json.loads(sakuga("create", "a girl with pink hair", "--size", "64x64", "-n", "2",
                             "-o", str(tmp_path / "out"), "--json").stdout)  # fmt: skip
    for image in made["images"]:
        # The file is named by the id the library, `library show` and the API use.
        assert Path(image["path"]).name == f"sakuga-{image['id']}.png"
        shown = json.loads(sakuga("library", "show", image["id"][:6], "--json").stdout)
        assert shown["id"] == image["id"]


def test_an_unusable_output_fails_before_any_work(tmp_path: Path) -> None:
    from sakuga.studio.library.library import Library

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    prompt = "a girl who never gets drawn"
    out = sakuga("create", prompt, "--size", "64x64", "-o", str(blocker / "out"))
    assert out.returncode == 1 and "not a folder" in out.stderr
    # Refused before the work: nothing was made, so nothing was recorded.
    assert all(g.prompt != prompt for g in Library.open().find(limit=500))


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    """-o FILE that exists: the new image is numbered beside it, and the answer says where."""

    def create(out: Path, *flags: str) -> list[str]:
        args = ["create", "girl, pink hair", "--engine", "draw", "--size", "64x64", *flags]
        code, stdout, err = in_process(*args, "-o", str(out), "--json", home=tmp_path)
        assert code == 0, err
        return [Path(i["path"]).name for i in json.loads(stdout)["images"]]

    out = tmp_path / "cover.png"
    assert create(out) == ["cover.png"]
    first = out.read_bytes()
    assert create(out) == ["cover-2.png"]
    assert out.read_bytes() == first  # the first file is untouched
    assert create(tmp_path / "set.png", "-n", "2") == ["set-1.png", "set-2.png"]
    assert create(tmp_path / "set.png", "-n", "2") == ["set-3.png", "set-4.png"]


def _commands() -> list[list[str]]:
    import typer

    from sakuga.cli import app

    out: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, [*path, name])
        else:
            out.append(path)

    walk(typer.main.get_command(app), [])
    return out


def test_help_labels_read_like_a_command_line_tool() -> None:
    commands = _commands()
    assert ["export"] in commands and ["library", "list"] in commands
    for command in commands:
        result = sakuga(*command, "--help")
        assert result.returncode == 0, command
        text = result.stdout
        # No Python types, no braces: values are labelled USE, WxH, TEXT, N, …
        for label in ("<bool>", "<str>", "<int", "<float", "<path>", "{"):
            assert label not in text, (command, label)
    create = sakuga("create", "--help").stdout
    assert "Usage: sakuga create [OPTIONS] TEXT" in " ".join(create.split())
    for option, label in (("--for", "USE"), ("--size", "WxH"), ("--count", "N [1<=x<=10]")):
        line = next(line for line in create.splitlines() if f" {option} " in line)
        assert label in line, (option, line)
    assert not any(" --json " in line and "TEXT" in line for line in create.splitlines())
    compare = sakuga("compare", "--help").stdout
    assert "Images per row" in compare
    export = sakuga("export", "--help").stdout
    # --for's values come from the uses, less the sheet (made by `character sheet`).
    assert "sticker" in export and "sheet" not in export


def test_library_list_fits_the_terminal_and_cuts_prompts_between_words(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sakuga.cli import app

    prompt = "girl with long pink hair in a sailor uniform, smiling, under sakura trees at dusk"
    for text in ("boy, short black hair", prompt):
        code, _, err = in_process(
            "create", text, "--size", "64x64", "-o", str(tmp_path / "o"), home=tmp_path
        )
        assert code == 0, err
    made = json.loads(in_process("library", "list", "--json", home=tmp_path)[1])
    in_process("library", "keep", made[0]["id"], home=tmp_path)

    def listed(*flags: str, columns: int = 80) -> list[str]:
        env = {"SAKUGA_HOME": str(tmp_path), "COLUMNS": str(columns)}
        result = CliRunner().invoke(app, ["library", "list", *flags], env=env)
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()

    lines = listed()
    rows = [line for line in lines if any(g["id"] in line for g in made)]
    assert len(rows) == 2, "one line per image, nothing wrapped"
    assert all(len(line) <= 80 for line in lines)
    header = next(line for line in lines if " id " in f" {line} ")
    assert all(word in header for word in ("engine", "style", "use", "state", "prompt"))
    newest = next(line for line in rows if made[0]["id"] in line)
    assert "draw" in newest and "kept" in newest
    assert "cinematic" in newest, "the default style is named, not left blank"
    cut = newest.rstrip().rsplit("   ", 1)[-1].strip()
    assert cut.endswith("…") and prompt.startswith(cut[:-1]), cut
    assert prompt[len(cut) - 1] in " ,", "cut between words"
    wide = listed("--paths", columns=200)
    shown = next(line.split()[-1] for line in wide if made[1]["id"] in line)
    assert Path(shown).is_file() and shown == made[1]["file"]


def test_the_critique_of_a_scene_for_a_saved_character(tmp_path: Path) -> None:
    code, _, err = in_process(
        "character", "create", "Mika", "girl with short teal hair, red hoodie", home=tmp_path
    )
    assert code == 0, err
    code, out, _ = in_process(
        "prompt", "laughing on a beach", "--character", "Mika", "--json", home=tmp_path
    )
    data = json.loads(out)
    assert code == 0 and "hair" not in data["missing"]
    assert data["from_character"]["outfit"] == "red hoodie"
    code, out, _ = in_process("prompt", "laughing on a beach", "--character", "Mika", home=tmp_path)
    assert "short teal hair (from Mika)" in out
    code, _, err = in_process("prompt", "a beach", "--character", "Nobody", home=tmp_path)
    assert code != 0 and "Nobody" in err


def test_draw_says_in_one_line_that_it_reads_english(tmp_path: Path) -> None:
    code, _, err = in_process("create", "猫を抱いた女の子、桜", "--engine", "draw", "--size",
                              "96x96", "-o", str(tmp_path / "a"), home=tmp_path)  # fmt: skip
    assert code == 0, err
    assert "猫を抱いた女の子" in err
    assert sum("reads prompts in English" in line for line in err.splitlines()) == 1


def test_the_cli_engine_flags_are_the_engines_option_fields() -> None:
    """Each generating command has one flag per option field of the engines that do its
    task, with the range the engine declares (the CLI's `--clip-skip` once went to 12
    while the engine's field stopped at 4), and no engine flag an engine does not
    declare: options are declared once, in their engine."""
    import typing

    import typer

    from sakuga.cli import app
    from sakuga.cli.engine_flags import flag_of, settings_for
    from sakuga.engines.base import Task

    group = typer.main.get_command(app)
    commands = group.commands  # type: ignore[attr-defined]

    def options(command: str) -> dict[str, typing.Any]:
        return {p.opts[-1]: p for p in commands[command].params if p.opts[-1].startswith("--")}

    own = {"--count", "--seed", "--style", "--for", "--size", "--engine", "--model", "--out",
           "--format", "--json", "--help", "--control", "--control-image", "--negative",
           "--character", "--draft-with", "--strength", "--mask", "--prompt", "--grid"}  # fmt: skip
    for name, task in (("anime", Task.PHOTO_TO_ANIME), ("create", Task.TEXT_TO_IMAGE),
                       ("edit", Task.MASKED_EDIT)):  # fmt: skip
        flags = options(name)
        declared = {flag_of(s): s for s, _ in settings_for(task)}
        assert set(flags) - own == set(declared) - own, name
        for flag, setting in declared.items():
            if setting.kind in ("int", "float") and flag in set(flags) - own:
                bounds = (flags[flag].min, flags[flag].max)
                assert bounds == (setting.minimum, setting.maximum), flag
    create, anime = options("create"), options("anime")
    assert {"--steps", "--cfg", "--clip-skip", "--lora", "--background", "--hires"} <= set(create)
    assert {"--subject", "--strength", "--detail"} <= set(anime) and "--hires" not in anime


def test_an_engine_flag_reaches_the_engine(tmp_path: Path) -> None:
    """A generated flag is the engine's option: `--background transparent` gives draw's
    figure alone; a number outside the engine's range is a usage error."""
    out = sakuga("create", "a girl with red hair", "--size", "96x96", "--background",
                 "transparent", "--json", "-o", str(tmp_path / "a"))  # fmt: skip
    assert out.returncode == 0, out.stderr
    made = json.loads(out.stdout)
    with Image.open(made["images"][0]["path"]) as image:
        assert image.mode == "RGBA" and image.getextrema()[3][0] == 0
    info = json.loads(sakuga("info", made["images"][0]["path"], "--json").stdout)
    assert info["sakuga"]["options"] == {"background": "transparent"}
    bad = sakuga("create", "a girl", "--cfg", "31", "-o", str(tmp_path / "b"))
    assert bad.returncode == 2 and "--cfg" in bad.stderr
