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
