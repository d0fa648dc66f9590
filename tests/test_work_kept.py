"""#32: the studio never damages or loses the creator's work — edits that change only
what they name, and the terminal's everyday paths (outputs, sizes, errors, start-up)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from sakuga.imaging.metadata import read_recipe
from sakuga.spec.artspec import ArtSpec
from sakuga.spec.edits import edited
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
    listed = sakuga("library", "list", "--json").stdout
    mask = _hair_mask(tmp_path / "mask.png", 1024)
    done = sakuga("edit", gen, "--mask", str(mask), "--prompt", "  ", "-o", str(tmp_path / "e.png"))
    assert done.returncode == 1
    assert "prompt is empty" in done.stderr
    assert sakuga("library", "list", "--json").stdout == listed
