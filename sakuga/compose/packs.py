"""Sticker packs as the messengers take them (#37): each platform's sizes, margins,
formats, byte caps, icons, counts and file names, as data, and a pack written to
them.

The rules are the platforms' published ones (read December 2026):

- **Telegram** (@Stickers bot, Bot API ``createNewStickerSet``): a static sticker is a
  PNG or WEBP with one side exactly 512 px and the other at most 512, at most 512 KB;
  a set has 1–120; its thumbnail is a 100×100 PNG or WEBP of at most 128 KB. Each
  sticker is filed under an emoji.
- **LINE** (Creators Market, regular stickers): PNG, at most 370×320 with even width
  and height, about 10 px of transparent margin, at most 1 MB each; a set has 8, 16,
  24, 32 or 40, plus a 240×240 main image and a 96×74 chat tab image; files
  ``01.png``…, ``main.png``, ``tab.png``; the zip at most 20 MB.
- **Discord** (server stickers): PNG, exactly 320×320, at most 512 KB; a name of 2–30
  characters and a related emoji; 5 slots on an unboosted server, up to 60 boosted.
- **WhatsApp** (third-party sticker apps): WEBP, exactly 512×512 with a 16 px margin,
  at most 100 KB; a pack has 3–30 and a 96×96 PNG tray icon of at most 50 KB; each
  sticker has one to three emoji. The manifest is ``contents.json`` in the shape
  WhatsApp's sample sticker apps read.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from PIL import Image

from sakuga.errors import SpecError

PackFormat = Literal["png", "webp"]


@dataclass(frozen=True)
class Icon:
    """A pack's icon: its file, size, format and byte cap."""

    file: str
    size: tuple[int, int]
    format: PackFormat
    max_bytes: int


@dataclass(frozen=True)
class Platform:
    name: str
    title: str
    #: The sticker's canvas: exactly this size (``exact``), or at most this box with
    #: its long side filled (LINE).
    box: tuple[int, int]
    exact: bool
    margin: int  # transparent pixels kept clear on every side
    format: PackFormat
    max_bytes: int
    counts: tuple[int, ...]  # the sticker counts a pack may have
    icons: tuple[Icon, ...] = ()
    even: bool = False  # width and height even (LINE resizes by halves)
    max_zip_bytes: int | None = None
    #: Whether the zip holds the manifests too (LINE's upload takes images only; the
    #: folder keeps them either way).
    zip_manifest: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)

    def file(self, number: int) -> str:
        return f"{number:02d}.{self.format}"

    def check_count(self, count: int) -> None:
        if count not in self.counts:
            allowed = (
                f"{self.counts[0]}–{self.counts[-1]}"
                if self.counts == tuple(range(self.counts[0], self.counts[-1] + 1))
                else ", ".join(map(str, self.counts))
            )
            raise SpecError(
                f"a {self.title} pack has {allowed} stickers, not {count}: "
                "name more or fewer reactions (--reactions)"
            )


KB: Final = 1024
PLATFORMS: Final = {
    p.name: p
    for p in (
        Platform(
            "telegram",
            "Telegram",
            (512, 512),
            True,
            0,
            "png",
            512 * KB,
            tuple(range(1, 121)),
            (Icon("thumbnail.png", (100, 100), "png", 128 * KB),),
            notes=("Send the files to @Stickers with /newpack, each with its emoji "
                   "(pack.json lists them).",),
        ),
        Platform(
            "line",
            "LINE",
            (370, 320),
            False,
            10,
            "png",
            1024 * KB,
            (8, 16, 24, 32, 40),
            (
                Icon("main.png", (240, 240), "png", 1024 * KB),
                Icon("tab.png", (96, 74), "png", 1024 * KB),
            ),
            even=True,
            max_zip_bytes=20 * 1024 * KB,
            zip_manifest=False,
            notes=("Upload the zip on LINE Creators Market (Manage stickers → Upload ZIP).",),
        ),
        Platform(
            "discord",
            "Discord",
            (320, 320),
            True,
            0,
            "png",
            512 * KB,
            tuple(range(1, 61)),
            notes=("Server Settings → Stickers → Upload; an unboosted server has 5 slots.",),
        ),
        Platform(
            "whatsapp",
            "WhatsApp",
            (512, 512),
            True,
            16,
            "webp",
            100 * KB,
            tuple(range(3, 31)),
            (Icon("tray.png", (96, 96), "png", 50 * KB),),
            notes=("Add the pack through a sticker app that reads contents.json.",),
        ),
    )
}  # fmt: skip


def get_platform(name: str) -> Platform:
    key = name.strip().lower()
    if key not in PLATFORMS:
        raise SpecError(f"unknown platform {name!r}; platforms: {', '.join(PLATFORMS)}")
    return PLATFORMS[key]


def check_counts(platforms: Sequence[str], count: int) -> None:
    """Raise `SpecError` unless every one of ``platforms`` takes a pack of ``count``:
    said before a set is drawn (a LINE pack has 8, 16, … stickers)."""
    for name in platforms:
        get_platform(name).check_count(count)


@dataclass(frozen=True)
class Member:
    """One sticker of a pack: its picture (RGBA), its name, emoji and library id."""

    image: Image.Image
    name: str
    emoji: str
    caption: str | None = None
    generation: str | None = None


@dataclass(frozen=True)
class Pack:
    """A pack's files for one platform, in order, and its manifest."""

    platform: Platform
    title: str
    files: tuple[tuple[str, bytes], ...]

    def zip(self) -> bytes:
        data = zipped(
            f for f in self.files if self.platform.zip_manifest or not f[0].endswith(".json")
        )
        cap = self.platform.max_zip_bytes
        if cap is not None and len(data) > cap:
            raise SpecError(
                f"the {self.platform.title} zip is {len(data) // KB} KB; at most {cap // KB} KB"
            )
        return data


def zipped(files: Iterable[tuple[str, bytes]]) -> bytes:
    """``files`` (name, bytes) as one zip, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(name, data)
    return buffer.getvalue()


def make_pack(members: Sequence[Member], platform: Platform, title: str) -> Pack:
    """``members`` fitted to ``platform``'s rules: each sticker trimmed to its art,
    scaled into the canvas inside the margin, encoded under the byte cap (smaller
    encodings tried in turn); the icons from the first sticker; a manifest. Raises
    `SpecError` for a count the platform does not take, or a file that cannot be made
    small enough."""
    platform.check_count(len(members))
    files: list[tuple[str, bytes]] = []
    listed: list[dict[str, object]] = []
    for number, member in enumerate(members, 1):
        name = platform.file(number)
        files.append((name, encode(fit(member.image, platform.box, platform), platform)))
        listed.append(
            {
                "file": name,
                "name": member.name,
                "emoji": member.emoji,
                "caption": member.caption,
                "generation": member.generation,
            }
        )
    for icon in platform.icons:  # the first sticker's head: no caption, read small
        art = fit(_head(members[0].image), icon.size, None)
        files.append((icon.file, _encode_under(art, icon.format, icon.max_bytes, icon.file)))
    files.append(("pack.json", _manifest(platform, title, listed)))
    if platform.name == "whatsapp":
        files.append(("contents.json", _whatsapp(title, listed, platform.icons[0].file)))
    return Pack(platform, title, tuple(files))


def fit(image: Image.Image, box: tuple[int, int], platform: Platform | None) -> Image.Image:
    """``image``'s art (its opaque part) scaled to fill ``box`` less the platform's
    margin and centred on a transparent canvas: the box exactly when the platform
    wants it (or for an icon), else the art's own shape at most the box, even-sided
    where the platform asks."""
    rgba = image.convert("RGBA")
    bounds = _art_bounds(rgba)
    art = rgba.crop(bounds) if bounds else rgba
    margin = platform.margin if platform else max(2, min(box) // 24)
    room = (box[0] - 2 * margin, box[1] - 2 * margin)
    scale = min(room[0] / art.width, room[1] / art.height)
    size = (max(1, round(art.width * scale)), max(1, round(art.height * scale)))
    art = art.resize(size, Image.Resampling.LANCZOS)
    if platform is None or platform.exact:
        canvas_size = box
    else:
        canvas_size = (size[0] + 2 * margin, size[1] + 2 * margin)
        if platform.even:
            canvas_size = (canvas_size[0] + canvas_size[0] % 2, canvas_size[1] + canvas_size[1] % 2)
            canvas_size = (min(canvas_size[0], box[0]), min(canvas_size[1], box[1]))
    canvas = Image.new("RGBA", canvas_size, (0, 0, 0, 0))
    canvas.alpha_composite(art, ((canvas_size[0] - size[0]) // 2, (canvas_size[1] - size[1]) // 2))
    return canvas


def _art_bounds(rgba: Image.Image) -> tuple[int, int, int, int] | None:
    """The box of a sticker's art: its pixels more than faintly opaque (the shadow's
    fading edge left out)."""
    return rgba.getchannel("A").point(lambda v: 255 if v > 8 else 0).getbbox()


def _head(image: Image.Image) -> Image.Image:
    """The top of a sticker's art, as tall as it is wide: the face and hair an icon
    shows at 96 px, without the caption under the figure."""
    rgba = image.convert("RGBA")
    bounds = _art_bounds(rgba)
    if bounds is None:
        return rgba
    x0, y0, x1, y1 = bounds
    return rgba.crop((x0, y0, x1, min(y1, y0 + (x1 - x0))))


def encode(image: Image.Image, platform: Platform) -> bytes:
    return _encode_under(image, platform.format, platform.max_bytes, platform.title)


def _encode_under(image: Image.Image, fmt: PackFormat, cap: int, what: str) -> bytes:
    """``image`` as ``fmt`` at most ``cap`` bytes: lossless first, then smaller
    encodings (a 256-colour PNG; WEBP at falling quality), the first that fits."""
    for encoding in _encodings(image, fmt):
        trial = encoding()
        if len(trial) <= cap:
            return trial
    raise SpecError(f"{what}: no encoding of this sticker fits in {cap // KB} KB")


def _encodings(image: Image.Image, fmt: PackFormat) -> list[Callable[[], bytes]]:
    """The encodings to try, smallest loss first, each made only when tried."""
    if fmt == "png":
        return [
            lambda: _save(image, "PNG", optimize=True),
            *(
                lambda colours=colours: _save(
                    image.quantize(colours, Image.Quantize.FASTOCTREE), "PNG", optimize=True
                )
                for colours in (256, 64)
            ),
        ]
    # (Lossless at effort 80 is within 6% of the smallest, at a seventeenth the time.)
    return [
        lambda: _save(image, "WEBP", lossless=True, quality=80, method=4),
        *(
            lambda quality=quality: _save(
                image, "WEBP", quality=quality, method=4, alpha_quality=90
            )
            for quality in (90, 80, 70, 55, 40)
        ),
    ]


def _save(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _manifest(platform: Platform, title: str, listed: list[dict[str, object]]) -> bytes:
    return json.dumps(
        {
            "platform": platform.name,
            "title": title,
            "stickers": listed,
            "icons": [icon.file for icon in platform.icons],
            "notes": list(platform.notes),
        },
        ensure_ascii=False,
        indent=2,
    ).encode()


def _whatsapp(title: str, listed: list[dict[str, object]], tray: str) -> bytes:
    identifier = re.sub(r"[^a-z0-9_.-]+", "_", title.lower()).strip("_")[:64] or "sakuga"
    pack = {
        "identifier": identifier,
        "name": title[:128],
        "publisher": "Sakuga",
        "tray_image_file": tray,
        "image_data_version": "1",
        "avoid_cache": False,
        "animated_sticker_pack": False,
        "stickers": [{"image_file": s["file"], "emojis": [s["emoji"]]} for s in listed],
    }
    return json.dumps({"sticker_packs": [pack]}, ensure_ascii=False, indent=2).encode()
