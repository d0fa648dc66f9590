"""Several saved characters in one scene (#34): each drawn as themselves."""

from __future__ import annotations

import numpy as np
import pytest

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
