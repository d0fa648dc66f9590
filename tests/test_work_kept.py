"""#32: the studio never damages or loses the creator's work — edits that change only
what they name, and the terminal's everyday paths (outputs, sizes, errors, start-up)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from sakuga.imaging.metadata import read_recipe
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.edits import edited
from tests.test_cli import sakuga

GIRL = "a girl with long pink hair in a sailor uniform, gentle mood"


@pytest.mark.parametrize(
    ("edit", "hair", "outfit", "text_has"),
    [
        # An accessory is added: the hair and the uniform stay as they were.
        ("a red ribbon in her hair", "long pink hair", "sailor uniform, red ribbon", "ribbon"),
        # A colour replaces the colour only; a length the length only.
        ("blue hair", "long blue hair", "sailor uniform", "long blue hair in a sailor"),
        ("short hair", "short pink hair", "sailor uniform", "short pink hair in a sailor"),
        # A garment replaces the garment, in place in the image's own words.
        ("a black leather jacket", "long pink hair", "black leather jacket", "in a black leather"),
        # Naming a part without saying anything of it changes nothing.
        ("her hair", "long pink hair", "sailor uniform", GIRL),
    ],
)
def test_an_edit_changes_only_what_it_names(
    edit: str, hair: str, outfit: str, text_has: str
) -> None:
    result = edited(ArtSpec.from_text(GIRL), ArtSpec.from_text(edit))
    assert (result.character, result.hair, result.outfit) == ("girl", hair, outfit)
    assert result.mood == "gentle mood"  # "gentle mood" is a mood, not "mood: mood"
    assert text_has in (result.text or "")
    assert "pink" not in (result.text or "") or hair.endswith("pink hair")


def test_an_edit_adds_a_thing_without_changing_who_it_is() -> None:
    result = edited(ArtSpec.from_text(GIRL), ArtSpec.from_text("a cat on her shoulder"))
    assert result.character == "girl"
    assert "cat on her shoulder" in (result.text or "")


def _hair_mask(path: Path, size: int) -> Path:
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rectangle((size * 0.27, size * 0.04, size * 0.73, size * 0.43), fill=255)
    mask.save(path)
    return path


def _changed(before: Path, after: Path, mask: Path) -> tuple[float, float]:
    a = np.asarray(Image.open(before).convert("RGB"), np.int16)
    b = np.asarray(Image.open(after).convert("RGB"), np.int16)
    inside = np.asarray(Image.open(mask)) > 0
    diff = np.abs(a - b).max(axis=-1)
    return float((diff[inside] > 40).mean()), float((diff[~inside] > 0).mean())


@pytest.mark.parametrize("by", ["id", "file"])
def test_a_draw_edit_keeps_the_pictures_own_hair_and_outfit(tmp_path: Path, by: str) -> None:
    """A ribbon painted over pink hair filled the mask with default brown hair and a
    hoodie, and the recipe said so. By library id and by the file (its recipe)."""
    made = sakuga(
        "create", GIRL, "--engine", "draw", "--seed", "5", "--size", "512x512", "--json",
        "-o", str(tmp_path / "girl.png"),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    import json

    source = (
        json.loads(made.stdout)["images"][0]["id"] if by == "id" else str(tmp_path / "girl.png")
    )
    mask = _hair_mask(tmp_path / "mask.png", 512)
    out = tmp_path / "edited.png"
    done = sakuga(
        "edit", source, "--mask", str(mask), "--prompt", "a red ribbon in her hair",
        "-o", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    before = read_recipe(Image.open(tmp_path / "girl.png"))
    after = read_recipe(Image.open(out))
    assert before is not None and after is not None
    assert after.params["Hair"] == before.params["Hair"]  # long, pink
    assert after.params["Outfit"] == before.params["Outfit"]  # the sailor uniform
    assert after.params["Seed"] == before.params["Seed"]
    inside, outside = _changed(tmp_path / "girl.png", out, mask)
    assert outside == 0.0
    # The ribbon is small: most of the painted hair is the hair that was there.
    assert 0.0 < inside < 0.05


def test_draw_refuses_to_edit_a_photo_and_toon_says_it_ignores_the_prompt(
    tmp_path: Path,
) -> None:
    photo = tmp_path / "photo.png"
    Image.effect_noise((256, 256), 60).convert("RGB").save(photo)
    made = sakuga("anime", str(photo), "--json", "-o", str(tmp_path / "anime.png"))
    assert made.returncode == 0, made.stderr
    import json

    gen = json.loads(made.stdout)["images"][0]["id"]
    mask = _hair_mask(tmp_path / "mask.png", 256)
    drawn = sakuga(
        "edit", gen, "--mask", str(mask), "--prompt", "a hat", "--engine", "draw",
        "-o", str(tmp_path / "x.png"),
    )  # fmt: skip
    assert drawn.returncode == 1
    assert "draw edits only pictures it drew" in drawn.stderr
    assert not (tmp_path / "x.png").exists()
    toon = sakuga(
        "edit", gen, "--mask", str(mask), "--prompt", "a hat", "-o", str(tmp_path / "t.png")
    )
    assert toon.returncode == 0, toon.stderr
    assert "does not read the prompt" in toon.stderr


def test_an_empty_edit_prompt_is_refused_before_any_work(tmp_path: Path) -> None:
    made = sakuga("create", "girl", "--engine", "draw", "--json", "-o", str(tmp_path / "g.png"))
    import json

    gen = json.loads(made.stdout)["images"][0]["id"]
    listed = _rows()
    mask = _hair_mask(tmp_path / "mask.png", 1024)
    done = sakuga("edit", gen, "--mask", str(mask), "--prompt", "  ", "-o", str(tmp_path / "e.png"))
    assert done.returncode == 1
    assert "prompt is empty" in done.stderr
    assert _rows() == listed


# --- the terminal ---------------------------------------------------------------------


def _rows() -> str:
    listed = sakuga("library", "list", "--json", "--limit", "500")
    assert listed.returncode == 0, listed.stderr
    return listed.stdout


@pytest.mark.parametrize(
    ("out", "says"),
    [
        ("/proc/nope/x.png", "the folder /proc/nope does not exist"),
        ("missing/dir/x.png", "missing/dir does not exist"),
        ("out.gif", "not .gif"),
        ("/proc/x.png", "cannot write into /proc"),
    ],
)
def test_an_output_that_cannot_be_written_fails_before_any_work(
    tmp_path: Path, out: str, says: str
) -> None:
    before = _rows()
    done = sakuga("create", "girl", "--engine", "draw", "-o", out, cwd=tmp_path)
    assert done.returncode == 1
    assert says in done.stderr
    assert _rows() == before  # no library row for an image nobody could save
    assert not (tmp_path / "missing").exists()  # no folders made for a mistyped path
    assert not (tmp_path / "out.gif").exists()  # no folder named like a file


def test_a_folder_output_is_made_in_a_folder_that_exists(tmp_path: Path) -> None:
    made = sakuga("create", "girl", "--engine", "draw", "-o", str(tmp_path / "renders"))
    assert made.returncode == 0, made.stderr
    assert len(list((tmp_path / "renders").glob("sakuga-*.png"))) == 1
    deeper = sakuga("create", "girl", "--engine", "draw", "-o", str(tmp_path / "a" / "b"))
    assert deeper.returncode == 1
    assert not (tmp_path / "a").exists()


def test_every_size_sakuga_makes_is_one_it_reads_back() -> None:
    from sakuga.errors import SpecError
    from sakuga.imaging import io
    from sakuga.prompt import limits
    from sakuga.prompt.uses import parse_size

    assert io.MAX_PIXELS == limits.MAX_PIXELS  # one cap for reading and writing
    with pytest.raises(SpecError, match="67 megapixels, over the 40 MP"):
        parse_size("8192x8192")
    widest = limits.MAX_PIXELS // limits.MAX_SIDE
    assert parse_size(f"{limits.MAX_SIDE}x{widest}") == (limits.MAX_SIDE, widest)
    done = sakuga("create", "girl", "--size", "8192x8192", "-o", "x.png")
    assert done.returncode == 2
    assert "largest square is 6324x6324" in done.stderr.replace("\n", " ").replace("│", "")


@pytest.mark.parametrize(
    "args",
    [
        ("create", "a " * 2100),
        ("library", "rate", "abcd", "6"),
        ("export", "abcd", "--for", "sheet"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    assert sakuga(*args).returncode == 2


def test_export_offers_only_what_it_makes_and_short_ids_are_explained() -> None:
    shown = sakuga("export", "--help").stdout
    assert "sticker" in shown and "sheet" not in shown
    done = sakuga("library", "show", "fc9")
    assert done.returncode == 1
    assert "first 4 or more characters" in done.stderr


def test_install_hints_print_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich read ``[server]`` in ``pip install '/path[server]'`` as markup and dropped it."""
    import sys

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if the extra were missing
    done = sakuga("serve")
    assert done.returncode == 1
    assert "[server]'" in done.stderr


def test_a_busy_port_is_said_in_words(tmp_path: Path) -> None:
    import socket

    from tests.test_cli import sakuga_process

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = sakuga_process("serve", "--port", str(port), cwd=tmp_path)
    assert done.returncode == 1
    assert f"port {port} is in use; try --port" in done.stderr
    assert "Sakuga studio on" not in done.stdout  # no banner for a server that never ran


def test_contact_sheet_labels_are_never_clipped() -> None:
    from PIL import ImageFont

    from sakuga.compose.sheet import _fit, contact_sheet

    font = ImageFont.load_default(size=22)
    label = "a1b2c3 draw cinematic s2405729754 rejected"
    lines = _fit(label, font, 250)
    assert len(lines) == 2 and " ".join(lines) == label
    assert all(font.getlength(line) <= 250 for line in lines)
    one = contact_sheet([Image.new("RGB", (64, 64))], ["short"], cell=256)
    two = contact_sheet([Image.new("RGB", (64, 64))], [label], cell=256)
    assert two.height > one.height  # the second line has its room


def test_export_for_avatar_crops_around_the_face(tmp_path: Path) -> None:
    from skimage import data

    from sakuga.imaging.faces import find_faces

    photo = tmp_path / "astronaut.png"
    Image.fromarray(data.astronaut()).save(photo)
    out = tmp_path / "avatar.png"
    done = sakuga("export", str(photo), "--for", "avatar", "-o", str(out))
    assert done.returncode == 0, done.stderr
    avatar = np.asarray(Image.open(out).convert("RGB"))
    faces = find_faces(avatar)
    assert len(faces) == 1
    width = (faces[0][2] - faces[0][0]) / avatar.shape[1]
    assert width > 0.28  # head and shoulders (the whole photo: 0.18)


def test_a_worker_without_its_broker_says_so_once(caplog: pytest.LogCaptureFixture) -> None:
    from sakuga.studio.jobs.celery_common import wait_for_broker

    with caplog.at_level("WARNING", logger="sakuga.studio.jobs.celery_common"):
        assert wait_for_broker("redis://127.0.0.1:1/0", every=0.01, tries=4) is False
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1
    assert "no broker at redis://127.0.0.1:1/0" in lines[0] and "\n" not in lines[0]


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found |= {int(c) for c in text.split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGKILL"])
def test_the_servers_helper_processes_end_with_it(tmp_path: Path, signal_name: str) -> None:
    """`kill` on `sakuga serve` left its render helpers (~120 MB each) running."""
    import json
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.server.live import free_port

    if not Path("/proc/self/task").exists():
        pytest.skip("reads child processes from Linux's /proc")
    port = free_port()
    env = {**os.environ, "SAKUGA_HOME": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "sakuga", "serve", "--port", str(port), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/api/health", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        body = json.dumps({"kind": "create", "prompt": "girl", "engine": "draw"}).encode()
        request = urllib.request.Request(
            f"{base}/api/jobs", body, {"Content-Type": "application/json"}
        )
        job = json.load(urllib.request.urlopen(request, timeout=10))["id"]
        while time.monotonic() < deadline:
            status = json.load(urllib.request.urlopen(f"{base}/api/jobs/{job}", timeout=5))
            if status["status"] in ("done", "failed"):
                break
            time.sleep(0.2)
        assert status["status"] == "done", status
        helpers = _children(server.pid)
        assert helpers, "the draw job ran without render helpers"
        server.send_signal(getattr(signal, signal_name))
        server.wait(timeout=30)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in helpers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p for p in helpers if _alive(p)]
    finally:
        if server.poll() is None:
            server.kill()


def test_a_critique_with_parts_missing_never_scores_100_and_reads_the_menus() -> None:
    from sakuga.prompt.critique import WEIGHTS, critique

    busy = (
        "masterpiece, a girl, sparkles, petals, glitter, ribbons, lace, frills, stars, "
        "moon, fireflies, lanterns, bubbles, feathers, confetti, snowflakes, butterflies"
    )
    result = critique(busy)
    assert result.missing
    assert result.score <= 100 - sum(WEIGHTS[p] for p in result.missing)
    chosen = critique("a girl with long pink hair", style="cyberpunk", use="poster")
    assert "style" not in chosen.missing and "use" not in chosen.missing
    assert chosen.score > critique("a girl with long pink hair").score


# --- characters can be corrected (#32 point 5) ----------------------------------------


def _character(name: str) -> dict:
    import json

    shown = sakuga("character", "show", name, "--json")
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


def test_a_character_is_renamed_corrected_one_trait_at_a_time_and_deleted(
    tmp_path: Path,
) -> None:
    import json

    made = sakuga(
        "character", "create", "Mika32", "girl with long pink twin tails, sailor uniform, smiling"
    )
    assert made.returncode == 0, made.stderr
    before = _character("Mika32")
    scene = sakuga(
        "create", "waving", "--character", "Mika32", "--engine", "draw", "--json",
        "-o", str(tmp_path / "scene.png"),
    )  # fmt: skip
    scene_id = json.loads(scene.stdout)["images"][0]["id"]

    fixed = sakuga("character", "edit", "Mika32", "--hair", "short silver hair")
    assert fixed.returncode == 0, fixed.stderr
    after = _character("Mika32")
    assert after["traits"]["hair"] == "short silver hair"
    # Only the hair changed: who, outfit, seed and style are as they were.
    assert {k: v for k, v in after["traits"].items() if k != "hair"} == {
        k: v for k, v in before["traits"].items() if k != "hair"
    }
    assert after["seed"] == before["seed"]

    assert sakuga("character", "edit", "Mika32", "--outfit", "").returncode == 0
    assert "outfit" not in _character("Mika32")["traits"]
    renamed = sakuga("character", "edit", "Mika32", "--name", "Mika33")
    assert renamed.returncode == 0, renamed.stderr
    assert _character("Mika33")["id"] == before["id"]
    assert sakuga("character", "show", "Mika32").returncode == 1
    # The scene made with her is still hers under the new name.
    shown = sakuga("character", "show", "Mika33")
    assert scene_id[:8] in shown.stdout

    assert sakuga("character", "edit", "Mika33").returncode == 2  # nothing to change
    gone = sakuga("character", "delete", "Mika33", "--yes")
    assert gone.returncode == 0, gone.stderr
    assert sakuga("character", "show", "Mika33").returncode == 1
    kept = sakuga("library", "show", scene_id, "--json")
    assert kept.returncode == 0  # her images stay in the library


def test_a_character_is_read_again_from_its_photo(tmp_path: Path) -> None:
    import os

    from skimage import data

    from sakuga.imaging import rig

    if not rig.rig_available() and not os.environ.get("SAKUGA_REQUIRE_RIG"):
        pytest.skip("the face rig (mediapipe) is not installed")
    photo = tmp_path / "astronaut.png"
    Image.fromarray(data.astronaut()).save(photo)
    made = sakuga(
        "character", "create", "Eileen32", "orange flight suit", "--from-photo", str(photo)
    )
    assert made.returncode == 0, made.stderr
    read = _character("Eileen32")["traits"]
    assert sakuga("character", "edit", "Eileen32", "--hair", "green hair").returncode == 0
    again = sakuga("character", "edit", "Eileen32", "--reread")
    assert again.returncode == 0, again.stderr
    traits = _character("Eileen32")["traits"]
    assert traits["hair"] == read["hair"]  # the photo's reading, not the wrong override
    assert traits["outfit"] == read["outfit"] == "orange flight suit"  # kept
    both = sakuga("character", "edit", "Eileen32", "--reread", "--who", "a pilot")
    assert both.returncode == 0
    assert _character("Eileen32")["traits"]["character"] == "a pilot"  # the flag wins


def test_a_face_the_rig_read_as_oval_is_not_reported_as_missing() -> None:
    from sakuga.engines.draw.report import report

    traits = "person with brown eyes, fair skin, {} face"
    assert "oval face" not in report(ArtSpec.build(character=traits.format("oval")))[1]
    assert "round face" in report(ArtSpec.build(character=traits.format("round")))[1]


def test_a_field_edits_each_phrase_of_its_part_in_place_and_clears_to_nothing() -> None:
    """From the first-use QA: editing the second phrase of a part moved the first one's
    weight onto it, and clearing a field key by key left its first letter behind."""
    from sakuga.prompt.rewrite import set_part

    text = (
        "masterpiece, (detailed eyes:1.2), a girl with long pink hair, "
        "she looks at the camera, gentle mood"
    )
    student = set_part(text, "character", "detailed eyes, girl student")
    assert student.text == text.replace("a girl with", "a girl student with")
    assert [student.text[a:b] for a, b in student.spans] == ["detailed eyes", "girl student"]
    # Backspaced out of the field, one key at a time, each call told where the last put it.
    now, spans = text, None
    for n in range(len("gentle mood") - 1, -1, -1):
        done = set_part(now, "mood", "gentle mood"[:n], at=spans)
        now, spans = done.text, done.spans
    assert now == text.removesuffix(", gentle mood")
    assert spans == ()
