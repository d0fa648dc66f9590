"""Several saved characters in one scene (#34): each drawn as themselves."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sakuga.errors import SpecError
from sakuga.prompt.artspec import ArtSpec
from sakuga.studio.library.library import Library
from sakuga.studio.service.studio import Studio


def _near(rgb: np.ndarray, colour: tuple[int, int, int]) -> np.ndarray:
    return np.linalg.norm(rgb.astype(float) - np.array(colour, float), axis=2) < 30


def test_two_saved_characters_are_drawn_each_as_themselves(library: Library) -> None:
    library.create_character("Aki", {"hair": "short black hair", "outfit": "denim jacket"})
    library.create_character(
        "Hana", {"character": "girl", "hair": "long blonde hair", "outfit": "yellow sundress"}
    )
    studio = Studio(library)
    scene = ArtSpec.from_text("at the airport, smiling").merged(seed=2)
    plan = studio.create(scene, size=(320, 320), engine="draw", character=["Aki", "Hana"])
    made = studio.run(plan)
    result = made.result
    assert result.params["Characters"] == "Aki, Hana"
    by = {d["phrase"]: d["by"] for d in result.drawn or []}
    assert by["denim jacket"].startswith("Aki:") and by["yellow sundress"].startswith("Hana:")
    rgb = np.asarray(result.images[0].convert("RGB"))
    half = rgb.shape[1] // 2
    sundress = _near(rgb, (245, 210, 50))
    denim = _near(rgb, (80, 110, 160))
    assert sundress[:, half:].sum() > 5 * max(1, sundress[:, :half].sum())
    assert denim[:, :half].sum() > 3 * max(1, denim[:, half:].sum())
    # What the scene says of a person is everyone's: both smile.
    drawn_smile = [d for d in result.drawn or [] if "smil" in d["phrase"]]
    assert drawn_smile and made.generations[0].character_id is not None


def test_a_scene_takes_at_most_three_different_saved_characters(library: Library) -> None:
    for name in ("A1", "B2", "C3", "D4"):
        library.create_character(name, {"hair": "short hair"})
    studio = Studio(library)
    scene = ArtSpec.from_text("in a park")
    with pytest.raises(SpecError, match="at most 3"):
        studio.create(scene, character=["A1", "B2", "C3", "D4"])
    with pytest.raises(SpecError, match="twice"):
        studio.create(scene, character=["A1", "A1"])


def _pair() -> Image.Image:
    """Two people side by side: the astronaut (brown short hair) and Grace Hopper (white
    hair under a cap, glasses)."""
    from skimage import data

    from sakuga.imaging.samples import load_sample

    left = Image.fromarray(data.astronaut(), "RGB")
    right = load_sample("hopper").convert("RGB")
    right = right.resize((round(right.width * 512 / right.height), 512))
    pair = Image.new("RGB", (512 + right.width, 512), (200, 200, 200))
    pair.paste(left, (0, 0))
    pair.paste(right, (512, 0))
    return pair


def test_each_person_of_a_two_person_photo_can_be_saved_as_a_character(
    library: Library,
) -> None:
    """#34: from a couple photo either person is saved, said from the left; the wrong
    one is never read silently, and the reference is the chosen one's portrait."""
    studio, pair = Studio(library), _pair()
    with pytest.raises(SpecError, match="shows 2 people: say which"):
        studio.save_character("Who", ArtSpec(), photo=pair)
    with pytest.raises(SpecError, match="person 3 is not one of them"):
        studio.save_character("Who", ArtSpec(), photo=pair, person=3)
    first = studio.save_character("Eileen", ArtSpec(), photo=pair, person=1)
    second = studio.save_character("Grace", ArtSpec(), photo=pair, person=2)
    assert "brown" in first.traits["hair"] and "elderly" not in first.traits["character"]
    assert "silver" in second.traits["hair"] and "elderly" in second.traits["character"]
    assert "glasses" in second.traits["character"]
    # Each reference is that person's head and shoulders, not the whole photo.
    mine, hers = (library.input_image(c.refs[0]) for c in (first, second))
    assert mine.width < 512 and hers.width < pair.width - 512
    assert np.asarray(hers).mean() != np.asarray(mine).mean()


def test_the_person_flag_on_the_command_line(tmp_path: Path) -> None:
    from tests.test_cli import sakuga

    photo = tmp_path / "pair.png"
    _pair().save(photo)
    done = sakuga("character", "create", "PairA", "--from-photo", str(photo))
    assert done.returncode == 1 and "--person" in done.stderr
    done = sakuga("character", "create", "PairB", "--from-photo", str(photo), "--person", "2")
    assert done.returncode == 0 and "silver" in done.stdout, done.stderr


def test_two_saved_characters_references_are_named_in_the_request(library: Library) -> None:
    """Each saved character's reference images go with the request with whose they are,
    so an engine that reads references (GPT image models) is told who is who (#34)."""
    from PIL import Image as PILImage

    studio = Studio(library)
    red = PILImage.new("RGB", (64, 64), (200, 30, 30))
    blue = PILImage.new("RGB", (64, 64), (30, 30, 200))
    studio.save_character("Aki", ArtSpec.from_text("boy with black hair"), refs=[red])
    studio.save_character("Hana", ArtSpec.from_text("girl with blonde hair"), refs=[blue, blue])
    plan = studio.create(ArtSpec.from_text("at the airport"), character=["Aki", "Hana"])
    assert plan.request.options["reference_names"] == ["Aki", "Hana", "Hana"]
    assert len(plan.request.references) == 3
