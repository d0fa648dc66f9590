from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from sakuga.imaging.io import open_image
from sakuga.imaging.metadata import (
    Recipe,
    format_parameters,
    parse_parameters,
    read_recipe,
    save_image,
)

A1111_TEXT = (
    "masterpiece, 1girl, silver hair\n"
    "Negative prompt: lowres, bad hands\n"
    "Steps: 28, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 1234, Size: 512x768, "
    'Model hash: abc123, Model: anything-v5, Lora hashes: "cute: 1a2b, style: 3c4d", Version: v1.9.0'
)


def test_format_quotes_values_with_commas_colons_and_newlines() -> None:
    text = format_parameters(
        "p", "n", {"Steps": 20, "Model": "a, b", "Note": "x: y", "Multi": "1\n2"}
    )
    last = text.split("\n")[-1]
    assert 'Model: "a, b"' in last
    assert 'Note: "x: y"' in last
    assert 'Multi: "1\\n2"' in last
    assert parse_parameters(text).params["Multi"] == "1\n2"


def test_parse_a1111_text() -> None:
    recipe = parse_parameters(A1111_TEXT)
    assert recipe.prompt == "masterpiece, 1girl, silver hair"
    assert recipe.negative_prompt == "lowres, bad hands"
    assert recipe.params["Sampler"] == "DPM++ 2M Karras"
    assert recipe.params["Seed"] == "1234"
    assert recipe.params["Lora hashes"] == "cute: 1a2b, style: 3c4d"
    assert recipe.params["Version"] == "v1.9.0"


def test_reads_an_a1111_png(tmp_path: Path) -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("parameters", A1111_TEXT)
    path = tmp_path / "a1111.png"
    Image.new("RGB", (8, 8)).save(path, pnginfo=info)
    recipe = read_recipe(open_image(path))
    assert recipe is not None
    assert recipe.params["Model"] == "anything-v5"
    assert recipe.request is None


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp"])
def test_round_trip_with_japanese_prompt(tmp_path: Path, fmt: str) -> None:
    recipe = Recipe(
        "夜の街、銀髪の少年, neon",
        "低品質",
        {"Steps": 1, "Seed": 42, "Size": "8x8", "Model": "toon"},
        {"task": "photo-to-anime", "spec": {"style": "cute"}, "prompt": "夜の街"},
    )
    path = save_image(Image.new("RGB", (8, 8), "red"), tmp_path / f"x.{fmt}", recipe)
    back = read_recipe(open_image(path))
    assert back is not None
    assert back.prompt == recipe.prompt
    assert back.negative_prompt == "低品質"
    assert back.params["Seed"] == "42"
    assert back.request == recipe.request


def test_png_uses_itxt_for_non_latin1(tmp_path: Path) -> None:
    path = save_image(Image.new("RGB", (4, 4)), tmp_path / "x.png", Recipe("夜", "", {"Seed": 1}))
    raw = path.read_bytes()
    assert b"iTXt" in raw and b"parameters" in raw


def test_image_without_recipe(tmp_path: Path) -> None:
    path = tmp_path / "plain.png"
    Image.new("RGB", (4, 4)).save(path)
    assert read_recipe(open_image(path)) is None


def test_the_toolkits_fields_in_a1111s_grammar_round_trip() -> None:
    """ControlNet, hires fix and detailer fields as A1111 and its ControlNet extension
    write them: a ControlNet unit is one quoted value holding its own "key: value" list."""
    from sakuga.engines.diffusion.controls import Control, ControlNetSource, infotext

    source = ControlNetSource(Path("/m/anime-lineart"), "anime-lineart", union=False)
    unit = infotext([Control("lineart", "anime-lineart", 0.8, 0.0, 0.9)], [source])
    unit["ControlNet 0"] = unit["ControlNet 0"].replace("[?]", "[0123456789]")
    params = {
        "Steps": 30,
        "Denoising strength": 0.4,
        "Hires upscale": 2.0,
        "Hires steps": 15,
        "Hires upscaler": "Lanczos",
        **unit,
        "Detailer": "face, hands",
        "Detailer boxes": 2,
    }
    text = format_parameters("1girl, white hair", "lowres", params)
    fields = text.split("\n")[-1]
    assert fields.startswith("Steps: 30, Denoising strength: 0.4, Hires upscale: 2.0, ")
    assert (
        'ControlNet 0: "Module: lineart_anime, Model: anime-lineart [0123456789], '
        'Weight: 0.8, Guidance Start: 0, Guidance End: 0.9"'
    ) in fields
    assert 'Detailer: "face, hands"' in fields
    back = parse_parameters(text)
    assert back.params == {key: str(value) for key, value in params.items()}
