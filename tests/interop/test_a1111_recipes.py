"""Sakuga's JPEG and WEBP files read by A1111's own method.

A1111 (``modules/images.py: read_info_from_image``) opens the image with Pillow, loads
``image.info["exif"]`` with piexif and decodes the UserComment with
``piexif.helper.UserComment.load``. That needs the EXIF standard's form: type
UNDEFINED, behind a ``UNICODE\\0`` (or ``ASCII\\0\\0\\0``) header. Sakuga used to write
it as BYTE, and A1111 crashed on it.
"""

from __future__ import annotations

import io

import piexif
import piexif.helper
import pytest
from PIL import Image

from sakuga.imaging.metadata import Recipe, encode_image, read_recipe

RECIPE = Recipe(
    prompt="夜の街, (girl with long pink hair:1.2), <lora:neon:0.6>, sailor uniform",
    negative_prompt="lowres, bad hands",
    params={"Steps": 28, "Sampler": "DPM++ 2M Karras", "CFG scale": 6.5, "Seed": 1234},
    request={"spec": {"character": "girl"}},
)


def a1111_reads(data: bytes) -> str:
    """What A1111's read_info_from_image gets from an image's EXIF."""
    image = Image.open(io.BytesIO(data))
    exif = piexif.load(image.info["exif"])
    comment = (exif or {}).get("Exif", {}).get(piexif.ExifIFD.UserComment, b"")
    return str(piexif.helper.UserComment.load(comment))


@pytest.mark.parametrize("fmt", ["jpeg", "webp"])
def test_jpeg_and_webp_carry_the_recipe_as_a1111_reads_it(fmt: str) -> None:
    png = encode_image(Image.new("RGB", (32, 32), (200, 100, 150)), RECIPE, "png")
    data = encode_image(Image.new("RGB", (32, 32), (200, 100, 150)), RECIPE, fmt)
    raw = piexif.load(Image.open(io.BytesIO(data)).info["exif"])["Exif"][piexif.ExifIFD.UserComment]
    # piexif gives bytes for type UNDEFINED (a tuple of ints for BYTE, which crashed A1111).
    assert isinstance(raw, bytes) and raw.startswith(b"UNICODE\x00")
    text = a1111_reads(data)
    assert text == Image.open(io.BytesIO(png)).text["parameters"] == RECIPE.parameters_text()
    # And Sakuga reads its own file back: the prompt as written, weights and all.
    back = read_recipe(Image.open(io.BytesIO(data)))
    assert back is not None and back.prompt == RECIPE.prompt
    assert back.request == RECIPE.request


def test_files_written_the_old_way_still_read() -> None:
    """JPEGs from earlier versions hold a BYTE UserComment: Sakuga still reads them."""
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9286] = b"UNICODE\x00" + RECIPE.parameters_text().encode("utf-16-be")
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16)).save(buffer, format="JPEG", exif=exif.tobytes())
    back = read_recipe(Image.open(io.BytesIO(buffer.getvalue())))
    assert back is not None and back.prompt == RECIPE.prompt


def test_a_last_line_of_other_parameters_is_read_as_parameters() -> None:
    """#35: A1111 reads a last line of three or more "key: value" pairs as parameters,
    whichever keys; it was folded into the negative prompt. A prompt of weights is
    still a prompt."""
    from sakuga.imaging.metadata import parse_parameters

    read = parse_parameters(
        "1girl, red hair\nNegative prompt: lowres, bad hands\n"
        "CFG scale: 5, Clip skip: 2, Version: v1.10.1"
    )
    assert read.negative_prompt == "lowres, bad hands"
    assert read.params == {"CFG scale": "5", "Clip skip": "2", "Version": "v1.10.1"}
    weights = parse_parameters("(masterpiece:1.2), (best quality:1.1), (red eyes:1.3)")
    assert weights.prompt == "(masterpiece:1.2), (best quality:1.1), (red eyes:1.3)"
    assert weights.params == {}


def test_a_comfyui_png_is_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """#35: a ComfyUI PNG's recipe is its graph (the "prompt" chunk): the sampler's
    positive and negative texts, seed, steps, CFG, sampler, size, checkpoint and LoRAs
    are read (it was "no recipe in this image")."""
    import json

    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    from tests.test_cli import sakuga

    graph = {
        "3": {"class_type": "KSampler", "inputs": {
            "seed": 156680208700286, "steps": 20, "cfg": 7.5, "sampler_name": "dpmpp_2m",
            "scheduler": "karras", "denoise": 1, "model": ["10", 0], "positive": ["6", 0],
            "negative": ["7", 0], "latent_image": ["5", 0]}},
        "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "anything-v5.safetensors"}},
        "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 768, "batch_size": 1}},
        "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "1girl, silver hair", "clip": ["10", 1]}},
        "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "lowres, bad hands", "clip": ["10", 1]}},
        "10": {"class_type": "LoraLoader", "inputs": {
            "lora_name": "ink_style.safetensors", "strength_model": 0.7, "strength_clip": 0.7,
            "model": ["4", 0], "clip": ["4", 1]}},
    }  # fmt: skip
    info = PngInfo()
    info.add_text("prompt", json.dumps(graph))
    info.add_text("workflow", json.dumps({"nodes": []}))
    path = tmp_path / "comfy.png"
    Image.new("RGB", (64, 96), (120, 130, 140)).save(path, pnginfo=info)
    done = sakuga("info", str(path), "--json")
    assert done.returncode == 0, done.stderr
    read = json.loads(done.stdout)["parameters"]
    assert read["prompt"] == "1girl, silver hair" and read["negative_prompt"] == "lowres, bad hands"
    assert read["Seed"] == 156680208700286 and read["Steps"] == 20 and read["CFG scale"] == 7.5
    assert read["Sampler"] == "DPM++ 2M Karras" and read["Size"] == "512x768"
    assert read["Model"] == "anything-v5" and read["Lora"] == "ink_style:0.7"
