"""The CLI's files: an engine's images written to disk, each with its recipe embedded."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from xml.sax.saxutils import escape

from sakuga.engines.base import EngineRequest, EngineResult, image_digest
from sakuga.errors import OutputError
from sakuga.imaging.io import atomic_write
from sakuga.imaging.metadata import Recipe, save_image
from sakuga.prompt.uses import get_use
from sakuga.studio.library.recipes import recipe_for

IMAGE_SUFFIXES: Final = {
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".webp": "webp",
    ".svg": "svg",
}


@dataclass(frozen=True)
class SavedImage:
    path: Path
    id: str  # the generation's library id when it is known, else the content id
    width: int
    height: int
    seed: int | None
    content_id: str = ""  # a hash of the pixels: equal for identical images

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "id": self.id,
            "content_id": self.content_id or self.id,
            "width": self.width,
            "height": self.height,
            "seed": self.seed,
        }


#: Suffixes of files Sakuga does not write: ``-o out.gif`` is a mistake, not a folder.
OTHER_FILE_SUFFIXES: Final = frozenset(
    {".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif", ".avif", ".ico", ".jxl", ".jfif"}
    | {".psd", ".pdf", ".txt", ".json", ".svgz", ".gz", ".zip"}
)


def check_writable(out: str | Path) -> None:
    """Raise `OutputError` now, before any work, when nothing could be written at ``out``.

    ``out`` is a file name (its suffix is one Sakuga writes) whose folder must exist,
    or a folder, made when missing if the folder it goes in exists: a mistyped path
    never makes folders at the root. Whether the folder takes files is tried, not read
    from its permission bits (which say nothing to root, or of ``/proc``).
    """
    target = Path(out)
    suffix = target.suffix.lower()
    if suffix in OTHER_FILE_SUFFIXES:
        writes = ", ".join(sorted(IMAGE_SUFFIXES))
        raise OutputError(f"cannot write {target}: Sakuga writes {writes} files, not {suffix}")
    folder = target.parent if suffix in IMAGE_SUFFIXES else target
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot write into {folder}: it is a file, not a folder")
    existing = folder if folder.exists() else folder.parent
    if existing.exists() and not existing.is_dir():
        raise OutputError(f"cannot write into {folder}: {existing} is a file, not a folder")
    if (folder is not target and not folder.exists()) or not existing.is_dir():
        missing = folder if folder is not target else existing
        raise OutputError(f"cannot write {target}: the folder {missing} does not exist")
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise OutputError(
            f"cannot write into {existing}: it takes no new files ({reason.lower()})"
        ) from None


def unused_path(path: Path) -> Path:
    """``path``, or, when a file is there already, the first free numbered name beside
    it (cover.png → cover-2.png, cover-3.png …): Sakuga never overwrites a file."""
    if not path.exists():
        return path
    number = 2
    while (candidate := path.with_name(f"{path.stem}-{number}{path.suffix}")).exists():
        number += 1
    return candidate


def _numbered(out: Path, count: int) -> list[Path]:
    """``count`` free numbered names for ``out`` (cover-1.png, cover-2.png …), after any
    a previous run left: a second run of four writes cover-5.png to cover-8.png."""
    start = 1
    while any(out.with_name(f"{out.stem}-{start + i}{out.suffix}").exists() for i in range(count)):
        start += 1
    return [out.with_name(f"{out.stem}-{start + i}{out.suffix}") for i in range(count)]


def output_format(out: Path, request: EngineRequest, fmt: str | None) -> str:
    """The format to write: ``fmt`` if given, else the file suffix, else the use's format."""
    if fmt:
        fmt = fmt.lower()
        fmt = {"jpg": "jpeg"}.get(fmt, fmt)
        if fmt not in ("png", "jpeg", "webp", "svg"):
            raise OutputError(f"format must be png, jpeg, webp or svg, got {fmt!r}")
        return fmt
    if out.suffix.lower() in IMAGE_SUFFIXES:
        return IMAGE_SUFFIXES[out.suffix.lower()]
    if request.spec.use:
        return get_use(request.spec.use).format
    return "png"


def save_svg(svg: str, path: Path, recipe: Recipe) -> Path:
    """Write an SVG with its recipe in ``<metadata>`` (A1111 text and Sakuga's JSON)."""
    meta = (
        "<metadata>"
        f'<sakuga:parameters xmlns:sakuga="https://sakuga.invalid/ns">{escape(recipe.parameters_text())}'
        "</sakuga:parameters>"
        f'<sakuga:request xmlns:sakuga="https://sakuga.invalid/ns">{escape(json.dumps(recipe.request))}'
        "</sakuga:request></metadata>"
    )
    head_end = svg.index(">") + 1
    document = svg[:head_end] + meta + svg[head_end:]
    return atomic_write(path, lambda handle: handle.write(document.encode("utf-8")))


def write_results(
    request: EngineRequest,
    result: EngineResult,
    out: str | Path,
    fmt: str | None = None,
    ids: Sequence[str] | None = None,
    recipes: Sequence[Recipe] | None = None,
) -> list[SavedImage]:
    """Save every image of ``result`` under ``out`` (a folder, or a file name for one image).

    With several images and a file name, the files are numbered: ``cover-1.png``,
    ``cover-2.png``. An existing file is never overwritten: the new one takes the next
    free number (``cover-2.png`` beside ``cover.png``). In a folder, a file is named
    by its image's library id (``ids``, the one id the CLI and the studio show):
    ``sakuga-<id>.png``; without ids, by a hash of its pixels. ``recipes`` (as the
    library recorded them) spare making each image's recipe a second time.
    """
    out = Path(out)
    fmt = output_format(out, request, fmt)
    if fmt == "svg" and not result.vectors:
        raise OutputError(
            f"engine {result.engine!r} makes no vector drawing; --format svg needs the draw engine"
        )
    ext = "jpg" if fmt == "jpeg" else fmt
    as_file = out.suffix.lower() in IMAGE_SUFFIXES
    # A file name is never overwritten: the new file is numbered beside the old one.
    files = (
        ([unused_path(out)] if len(result.images) == 1 else _numbered(out, len(result.images)))
        if as_file
        else []
    )
    saved: list[SavedImage] = []
    for i, image in enumerate(result.images):
        content = image_digest(image).removeprefix("sha256:")[:12]
        ident = ids[i] if ids is not None else content
        path = files[i] if as_file else out / f"sakuga-{ident}.{ext}"
        recipe = recipes[i] if recipes is not None else recipe_for(request, result, i)
        if fmt == "svg":
            assert result.vectors is not None
            save_svg(result.vectors[i], path, recipe)
        else:
            save_image(image, path, recipe, fmt=fmt)
        seed = result.seeds[i] if i < len(result.seeds) else None
        saved.append(SavedImage(path, ident, image.width, image.height, seed, content))
    return saved
