"""Safe image input and atomic output.

Every image that enters Sakuga goes through `open_image`: the format is checked
by its magic bytes against an allow-list before Pillow parses anything, the pixel
count is capped before decoding (an error, not Pillow's warning), the whole image
is decoded so truncation shows now rather than later, EXIF orientation is applied
and the mode is normalised to RGB or RGBA.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import IO, Final

from PIL import Image, ImageOps

from sakuga.errors import (
    EmptyImageError,
    ImageTooLargeError,
    OutputError,
    StorageFullError,
    TruncatedImageError,
    UnsupportedFormatError,
)
from sakuga.prompt import limits

#: Formats Sakuga opens, and the Pillow names it hands to ``Image.open``.
ALLOWED_FORMATS: Final = ("PNG", "JPEG", "WEBP", "HEIF")
#: The default pixel cap: 40 megapixels, larger than any phone photo and than any image
#: Sakuga writes (one limit for both: `sakuga.prompt.limits.MAX_PIXELS`).
MAX_PIXELS: Final = limits.MAX_PIXELS
#: Files larger than this are refused before reading (a 40 MP PNG is rarely over 120 MB).
MAX_FILE_BYTES: Final = 200 * 1024 * 1024


def sniff_format(head: bytes) -> str | None:
    """The allowed format whose magic bytes ``head`` starts with, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "HEIF"
    return None


#: The ISO-BMFF brands of HEIC/HEIF stills (an iPhone writes ``heic``).
HEIF_BRANDS: Final = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1"})


def _heif_opener() -> None:
    """Teach Pillow HEIC/HEIF (pillow-heif), once; without it, say how to get it."""
    try:
        import pillow_heif
    except ImportError:
        raise UnsupportedFormatError(
            "HEIC photos need pillow-heif (pip install pillow-heif), or export the photo as JPEG"
        ) from None
    if "HEIF" not in Image.OPEN:
        pillow_heif.register_heif_opener()


def _describe_magic(head: bytes) -> str:
    stripped = head.lstrip()[:64].lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<script")):
        return "an HTML document"
    if stripped.startswith(b"<?xml") or b"<svg" in stripped:
        return "an SVG/XML document"
    if head.startswith(b"GIF8"):
        return "a GIF"
    if head.startswith(b"BM"):
        return "a BMP"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "a TIFF"
    if head.startswith(b"%PDF"):
        return "a PDF"
    if all(32 <= b < 127 or b in (9, 10, 13) for b in head[:64]):
        return "a text file"
    return "not an image Sakuga reads"


def read_image_bytes(
    source: str | os.PathLike[str] | bytes, max_bytes: int = MAX_FILE_BYTES
) -> tuple[bytes, str]:
    """The bytes of an image file (or the bytes given) and a name for messages."""
    if isinstance(source, bytes):
        data, name = source, "image"
    else:
        path = Path(source)
        name = path.name
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise UnsupportedFormatError(f"{path}: no such file") from None
        except OSError as exc:
            raise UnsupportedFormatError(f"{path}: cannot read ({exc.strerror})") from None
        if not path.is_file():
            raise UnsupportedFormatError(f"{path}: not a file")
        if size > max_bytes:
            raise ImageTooLargeError(
                f"{name}: file is {size / 1e6:.0f} MB, more than the {max_bytes / 1e6:.0f} MB cap"
            )
        data = path.read_bytes()
    return data, name


def open_image(
    source: str | os.PathLike[str] | bytes,
    *,
    max_pixels: int = MAX_PIXELS,
    keep_alpha: bool = True,
) -> Image.Image:
    """Open an image safely and return it decoded, upright, in RGB or RGBA mode.

    Raises a subclass of `sakuga.errors.ImageError` with a one-line message for an
    empty file, a format outside PNG/JPEG/WEBP, more than ``max_pixels`` pixels, or
    truncated or corrupt data.
    """
    data, name = read_image_bytes(source)
    image = decode_image(data, name, max_pixels=max_pixels)
    return normalise_mode(image, keep_alpha=keep_alpha)


def decode_image(data: bytes, name: str = "image", *, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Check and fully decode ``data``; the image keeps its file's mode and ``info``."""
    if not data:
        raise EmptyImageError(f"{name}: the file is empty (0 bytes)")
    fmt = sniff_format(data[:16])
    if fmt is None:
        what = _describe_magic(data[:256])
        raise UnsupportedFormatError(f"{name}: {what}, not a PNG, JPEG, WEBP or HEIC image")
    if fmt == "HEIF":
        _heif_opener()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[fmt])
            width, height = image.size
            if width <= 0 or height <= 0:
                raise TruncatedImageError(f"{name}: the image has no pixels ({width}x{height})")
            if width * height > max_pixels:
                raise ImageTooLargeError(
                    f"{name}: {width}x{height} is {width * height / 1e6:.0f} megapixels, "
                    f"more than the {max_pixels / 1e6:.0f} MP cap"
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow refuses before reporting the size; say what it found where we can.
        found = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = f"{int(found.group(1)) / 1e6:.0f} megapixels" if found else "too many pixels"
        raise ImageTooLargeError(
            f"{name}: {pixels}, more than the {max_pixels / 1e6:.0f} MP cap"
        ) from None
    except (ImageTooLargeError, TruncatedImageError):
        raise
    except Image.UnidentifiedImageError:
        raise UnsupportedFormatError(
            f"{name}: looks like {fmt} but cannot be read as one"
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise TruncatedImageError(f"{name}: truncated or corrupt {fmt} data ({exc})") from None
    return image


def normalise_mode(image: Image.Image, *, keep_alpha: bool = True) -> Image.Image:
    """Apply EXIF orientation and convert any mode to RGB, or RGBA where there is alpha."""
    info = dict(image.info)
    # Unreadable EXIF: keep the pixels as stored rather than refuse the photo.
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16/32-bit greyscale: scale down to 8 bits instead of clipping to white.
        image = image.point(lambda value: value * (1 / 256)).convert("L")
    if image.mode == "F":
        image = image.convert("L")
    target = "RGBA" if has_alpha and keep_alpha else "RGB"
    if image.mode == "CMYK":
        image = image.convert("RGB")
    if image.mode != target:
        image = image.convert("RGBA").convert(target) if has_alpha else image.convert(target)
    image.info.update({k: v for k, v in info.items() if isinstance(k, str)})
    return image


def atomic_write(path: str | os.PathLike[str], write: Callable[[IO[bytes]], object]) -> Path:
    """Write a file through ``write(fileobj)`` so it appears whole or not at all.

    The data goes to a temporary file in the same folder, is flushed to disk, then
    renamed over ``path``; on any error the temporary file is removed.
    """
    target = Path(path)
    # A fresh name of our own, opened exclusively (as mkstemp does, without its cost);
    # the folder is made only when it is missing.
    tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        try:
            fd = os.open(tmp, flags, 0o666)  # the umask decides, as for any tool
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, flags, 0o666)  # the umask decides, as for any tool
    except OSError as exc:
        raise _write_error(target, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_error(target, exc) from None
        raise
    return target


def _write_error(target: Path, exc: OSError) -> OutputError:
    """The error for a failed write: `StorageFullError` when the disk (or quota) is
    full, so a server can answer 507 and a job can wait for room."""
    import errno

    kind = StorageFullError if exc.errno in (errno.ENOSPC, errno.EDQUOT) else OutputError
    return kind(f"cannot write {target}: {exc.strerror or exc}")
