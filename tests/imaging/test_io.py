from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sakuga.errors import (
    EmptyImageError,
    ImageTooLargeError,
    OutputError,
    TruncatedImageError,
    UnsupportedFormatError,
)
from sakuga.imaging.io import atomic_write, open_image


def png_bytes(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def bomb_png(width: int = 50_000, height: int = 50_000) -> bytes:
    """A tiny PNG whose header claims width×height pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def test_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb_png())
    with pytest.raises(ImageTooLargeError, match=r"megapixels|too many pixels"):
        open_image(path)


def test_moderate_bomb_under_pillows_limit_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    path.write_bytes(bomb_png(8000, 6000))  # 48 MP: Pillow only warns; Sakuga refuses
    with pytest.raises(ImageTooLargeError, match="48 megapixels"):
        open_image(path)


def test_pixel_cap_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "ok.png"
    path.write_bytes(png_bytes(Image.new("RGB", (100, 100))))
    with pytest.raises(ImageTooLargeError):
        open_image(path, max_pixels=5_000)


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(EmptyImageError, match="empty"):
        open_image(path)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "HTML"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "SVG"),
        (b"just some text, not an image\n", "text"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "GIF"),
        (b"\x00\x01\x02\x03\x04\x05garbage", "not an image"),
    ],
)
def test_wrong_magic_is_refused(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(content)
    with pytest.raises(UnsupportedFormatError, match=says):
        open_image(path)


def test_truncated_png(tmp_path: Path) -> None:
    data = png_bytes(
        Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), np.uint8))
    )
    path = tmp_path / "cut.png"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(TruncatedImageError, match="truncated"):
        open_image(path)


def test_truncated_jpeg(tmp_path: Path) -> None:
    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), np.uint8)).save(
        buf, "JPEG"
    )
    path = tmp_path / "cut.jpg"
    path.write_bytes(buf.getvalue()[:300])
    with pytest.raises(TruncatedImageError):
        open_image(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormatError, match="no such file"):
        open_image(tmp_path / "nope.png")


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("P", "RGB"),
        ("CMYK", "RGB"),
        ("I;16", "RGB"),
        ("LA", "RGBA"),
        ("RGBA", "RGBA"),
        ("L", "RGB"),
        ("1", "RGB"),
    ],
)
def test_modes_are_normalised(tmp_path: Path, mode: str, expected: str) -> None:
    image = Image.new("RGB", (8, 8), (200, 100, 50))
    if mode == "I;16":
        converted = Image.fromarray(np.full((8, 8), 40000, np.uint16))
    else:
        converted = image.convert(mode)
    path = tmp_path / ("x.jpg" if mode == "CMYK" else "x.png")
    converted.save(path)
    opened = open_image(path)
    assert opened.mode == expected
    if mode == "I;16":
        assert 150 <= np.asarray(opened)[0, 0, 0] <= 160  # 40000/65535 of white, not clipped


def test_palette_with_transparency_keeps_alpha(tmp_path: Path) -> None:
    image = Image.new("P", (4, 4), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.info["transparency"] = 0
    path = tmp_path / "p.png"
    image.save(path, transparency=0)
    assert open_image(path).mode == "RGBA"


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    image = Image.new("RGB", (40, 20), (255, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    path = tmp_path / "rot.jpg"
    image.save(path, exif=exif.tobytes())
    assert open_image(path).size == (20, 40)


def test_webp_opens(tmp_path: Path) -> None:
    path = tmp_path / "x.webp"
    Image.new("RGB", (10, 12), "blue").save(path)
    assert open_image(path).size == (10, 12)


def test_atomic_write_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"

    def boom(handle: object) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="No space left"):
        atomic_write(target, boom)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_replaces_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    atomic_write(target, lambda h: h.write(b"new"))
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    import os
    import stat

    from sakuga.imaging.io import atomic_write

    old = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "shared.png", lambda handle: handle.write(b"x"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # readable by others, as cp would make it
