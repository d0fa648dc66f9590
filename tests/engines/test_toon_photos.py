"""Issue #39: photo → anime for every photo people bring. Each test checks pixels of
what `toon` draws on a kind of photo that broke before: a pet, a greyscale photo, a
profile, a photo with no one, clothes, and styles that draw differently."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageEnhance, ImageOps

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.toon import ToonEngine
from sakuga.engines.toon.clothes import paint_body
from sakuga.engines.toon.pet import find_pet_eyes
from sakuga.engines.toon.sitting import Sitting, in_front, read_sitting
from sakuga.engines.toon.tones import Look
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.styles import get_style


def _run(image: Image.Image, seed: int = 3, **options: object) -> object:
    return ToonEngine().run(
        EngineRequest(Task.PHOTO_TO_ANIME, image=image, seed=seed, options=options)
    )


def _texture(rgb: np.ndarray) -> float:
    """The photo's fine texture: the mean absolute Laplacian of its lightness."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    return float(np.abs(cv2.Laplacian(grey, cv2.CV_32F)).mean())


@pytest.fixture(scope="module")
def coffee() -> Image.Image:
    from skimage import data

    return Image.fromarray(data.coffee())


@pytest.fixture(scope="module")
def camera() -> Image.Image:
    from skimage import data

    return Image.fromarray(data.camera()).convert("RGB")


#: Where chelsea's pupils are (read by hand off a 4× zoom of the 451×300 photo).
CAT_EYES = ((172.0, 112.0), (312.0, 132.0))


@pytest.mark.slow
def test_a_photo_with_no_one_is_painted_as_a_scene_and_says_so(
    coffee: Image.Image, tmp_path: Path
) -> None:
    result = _run(coffee)
    assert result.subject == "scene"  # type: ignore[attr-defined]
    out = np.asarray(result.images[0])  # type: ignore[attr-defined]
    # Painted: the photo's fine texture (wood grain, noise) mostly gone.
    assert _texture(out) < 0.8 * _texture(np.asarray(coffee))
    # The CLI says so in words and in its JSON.
    from typer.testing import CliRunner

    from sakuga.cli import app

    coffee.save(tmp_path / "coffee.png")
    runner = CliRunner()
    shown = runner.invoke(app, ["anime", str(tmp_path / "coffee.png"), "-o", str(tmp_path / "a")])
    assert shown.exit_code == 0, shown.output
    assert "no person or pet found" in shown.output
    answer = runner.invoke(
        app, ["anime", str(tmp_path / "coffee.png"), "-o", str(tmp_path / "b"), "--json"]
    )
    assert json.loads(answer.stdout)["subject"] == "scene"


@pytest.mark.parametrize("variant", ["photo", "mirror", "grey", "crop"])
def test_a_cat_gets_drawn_eyes_where_its_eyes_are(cat: Image.Image, variant: str) -> None:
    image, eyes = cat, [np.array(e) for e in CAT_EYES]
    if variant == "mirror":
        image = ImageOps.mirror(cat)
        eyes = [np.array((cat.width - 1 - x, y)) for x, y in CAT_EYES[::-1]]
    elif variant == "grey":
        image = ImageOps.grayscale(cat).convert("RGB")
    elif variant == "crop":
        image = cat.crop((40, 20, 400, 280))
        eyes = [e - np.array((40, 20)) for e in eyes]
    found = find_pet_eyes(np.asarray(image))
    assert found is not None
    for eye, where in zip(found, eyes, strict=True):
        assert np.hypot(eye.x - where[0], eye.y - where[1]) < 0.5 * eye.r, (variant, eye, where)
    result = _run(image, subject="pet")
    assert result.subject == "pet"  # type: ignore[attr-defined]
    out = np.asarray(result.images[0]).astype(np.int16)  # type: ignore[attr-defined]
    for eye in found:
        x, y, r = round(eye.x), round(eye.y), eye.r
        # The drawn pupil at the eye's centre, and a white catchlight within the iris.
        assert out[y, x].max() < 90
        patch = out[max(0, round(y - r)) : round(y + r), max(0, round(x - r)) : round(x + r)]
        assert (patch.min(axis=2) > 245).sum() > 4


def test_a_pet_named_in_the_prompt_is_drawn_as_a_pet(cat: Image.Image) -> None:
    request = EngineRequest(
        Task.PHOTO_TO_ANIME, image=cat, seed=1, prompt="my cat Mochi, anime style"
    )
    assert ToonEngine().run(request).subject == "pet"


def test_a_greyscale_photo_gets_skin_in_a_skin_colour(astronaut: Image.Image) -> None:
    grey = ImageOps.grayscale(astronaut).convert("RGB")
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=grey, size=grey.size))
    assert sitting.grey and len(sitting.heads) == 1
    out = np.asarray(_run(grey).images[0])  # type: ignore[attr-defined]
    face = np.zeros(out.shape[:2], np.uint8)
    cv2.fillPoly(face, [np.round(sitting.heads[0].oval).astype(np.int32)], 1)
    face = cv2.erode(face, np.ones((9, 9), np.uint8)).astype(bool)
    lab = cv2.cvtColor(out.astype(np.float32) / 255, cv2.COLOR_RGB2Lab)[face]
    a, b = np.median(lab[:, 1]), np.median(lab[:, 2])
    # Skin: warm (a and b both clearly positive, b the larger), not grey.
    assert a > 6 and b > 9 and b > a * 0.8, (a, b)


def _sepia(image: Image.Image) -> Image.Image:
    """A sepia print of ``image``: the usual toning matrix, highlights clipped."""
    rgb = np.asarray(image.convert("RGB")).astype(np.float32)
    tone = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]])
    return Image.fromarray(np.clip(rgb @ tone.T, 0, 255).astype(np.uint8))


def test_a_sepia_print_is_drawn_as_a_greyscale_photo_is(astronaut: Image.Image) -> None:
    """A sepia print has colour, all of one hue: read as colour, the helmet's glare and
    the suit took the skin's beige. It is a toned monochrome photo, drawn in a natural
    palette — brown hair, not the grey that draws a young woman old. A colour photo of
    one warm hue (an orange cat) is no sepia print."""
    from skimage import data

    from sakuga.engines.toon.grey import is_grey

    sepia = _sepia(astronaut)
    assert is_grey(np.asarray(sepia)) and is_grey(
        np.asarray(_sepia(Image.fromarray(data.coffee())))
    )
    assert not is_grey(data.chelsea()) and not is_grey(data.coffee())
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=sepia, size=sepia.size))
    assert sitting.grey and len(sitting.heads) == 1
    hair = cv2.cvtColor(np.array([[sitting.heads[0].hair]], np.uint8), cv2.COLOR_RGB2Lab)[0, 0]
    # (8-bit Lab: a and b offset by 128.) Brown: warm, clearly coloured.
    assert int(hair[2]) - 128 > 10 and int(hair[1]) - 128 > 3, hair


@pytest.mark.parametrize("name", ["hopper", "astronaut", "cat", "coffee"])
def test_a_strong_sepia_with_black_cloth_is_a_sepia_print(name: str) -> None:
    """A deep sepia (a tone ramp to orange, chroma past 40) over a navy uniform that
    tones to near-black, whose faint chroma is noise of every hue: read as colour, the
    sepia Hopper's grey hair turned brown and teal eyes were invented (judge T3)."""
    from sakuga.engines.toon.grey import is_grey
    from sakuga.imaging.samples import load_sample

    tone = np.asarray(ImageOps.grayscale(load_sample(name))).astype(np.float32) / 255
    deep = np.stack([np.clip(tone * 1.3, 0, 1), tone * 0.98, tone * 0.55], axis=2)
    assert is_grey((deep * 255).astype(np.uint8))


def test_a_profile_gets_one_eye_on_the_visible_side(camera: Image.Image) -> None:
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=camera, size=camera.size))
    assert len(sitting.heads) == 1
    face = sitting.heads[0].face
    assert abs(face.turn) > 0.55  # a profile, turned towards the camera in his hands
    near, far = -face.far_side(), face.far_side()
    out = np.asarray(_run(camera).images[0]).astype(np.int16)  # type: ignore[attr-defined]

    def whites(side: int) -> int:
        x, y = face.eye(side).mean(axis=0)
        r = face.width * 0.18
        patch = out[round(y - r) : round(y + r), round(x - r) : round(x + r)]
        return int((patch.min(axis=2) > 245).sum())

    assert whites(near) > 0  # the drawn eye's catchlight
    assert whites(far) == 0  # nothing drawn behind the nose


def test_a_profiles_mouth_is_a_short_line_not_a_red_dot(camera: Image.Image) -> None:
    """A profile's mouth read as a front view's, squeezed to its 2-D width, was a small
    open red oval in the cheek (it read as a wound): drawn in profile it is a stroke
    running back from the lips, in a dark lip-tinted ink."""
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=camera, size=camera.size))
    face = sitting.heads[0].face
    x, y = (face.points[13] + face.points[14]) / 2
    r = face.width * 0.35
    for seed in (3, 4):
        out = np.asarray(_run(camera, seed=seed).images[0]).astype(np.int16)  # type: ignore[attr-defined]
        patch = out[round(y - r) : round(y + r), round(x - r) : round(x + r)]
        red = (patch[..., 0] > 140) & (patch[..., 1] < 90) & (patch[..., 0] - patch[..., 2] > 50)
        dark = patch.max(axis=2) < 110  # the stroke (and the jaw's line)
        assert red.sum() < 4, red.sum()
        assert dark.sum() > 6


@pytest.fixture(scope="module")
def clothes(astronaut: Image.Image) -> np.ndarray:
    """The portrait's clothes, below the chin, away from their outlines (output pixels)."""
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=astronaut, size=astronaut.size))
    body = sitting.person & ~sitting.hair & ~sitting.skin
    ys = np.arange(body.shape[0])[:, None]
    chin = sitting.heads[0].face.points[152][1] * sitting.factor
    inner = cv2.erode((body & (ys > chin + 40)).astype(np.uint8), np.ones((7, 7), np.uint8))
    return cv2.resize(inner, astronaut.size, interpolation=cv2.INTER_NEAREST).astype(bool)


def _drawn_parts(photo: Image.Image, seed: int) -> np.ndarray:
    """Where toon draws small parts on the clothes (badges, name tags), output pixels."""
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=photo, size=photo.size))
    style = get_style("webtoon")
    canvas = np.zeros((*sitting.work.shape[:2], 3), np.float32)
    body = sitting.person & ~sitting.hair & ~sitting.skin
    _, parts = paint_body(sitting, canvas, body, Look.from_seed(seed), style.toon, style.draw, seed)
    grown = cv2.dilate(parts.astype(np.uint8), np.ones((5, 5), np.uint8))
    return cv2.resize(grown, photo.size, interpolation=cv2.INTER_NEAREST).astype(bool)


def test_clothes_are_a_few_flat_tones(astronaut: Image.Image, clothes: np.ndarray) -> None:
    """In the flat style (webtoon: no glow, rim or soft terminator over the cel tones)
    nine tenths of the clothes are a dozen tones; the photo's are hundreds. (The small
    parts drawn on them, a badge or a name tag, have colours of their own.)"""
    clothes = clothes & ~_drawn_parts(astronaut, 3)
    spec = ArtSpec(style="webtoon")
    out = (
        ToonEngine()
        .run(EngineRequest(Task.PHOTO_TO_ANIME, spec=spec, image=astronaut, seed=3))
        .images[0]
    )
    _, counts = np.unique(np.asarray(out)[clothes] // 4, axis=0, return_counts=True)
    top = np.sort(counts)[::-1]
    assert np.searchsorted(np.cumsum(top), 0.9 * counts.sum()) < 12
    photo = np.asarray(astronaut)[clothes] // 4
    assert len(np.unique(photo, axis=0)) > 300


def _shapes(rgb: np.ndarray, where: np.ndarray) -> int:
    """How many shapes of one tone make up ``where``: pixels grouped by the nearest of
    their six most common colours (after a median filter, so line art does not count),
    connected pieces of at least 25 pixels. Camouflage blotches are many; a garment
    drawn in a few big cel shapes is few."""
    rgb = cv2.medianBlur(np.ascontiguousarray(rgb), 5)
    px = rgb[where].astype(np.int32)
    colours, counts = np.unique(px // 8, axis=0, return_counts=True)
    common = colours[np.argsort(counts)[::-1][:6]] * 8 + 4
    labels = np.full(where.shape, -1, np.int32)
    labels[where] = np.argmin(((px[:, None, :] - common[None]) ** 2).sum(axis=2), axis=1)
    found = 0
    for i in range(len(common)):
        _, _, stats, _ = cv2.connectedComponentsWithStats(
            (labels == i).astype(np.uint8), connectivity=4
        )
        found += int((stats[1:, cv2.CC_STAT_AREA] >= 25).sum())
    return found


@pytest.mark.parametrize("style", ["cute", "cinematic", "webtoon", "fantasy", "cyberpunk"])
@pytest.mark.parametrize("grey", [False, True], ids=["colour", "greyscale"])
def test_clothes_are_a_few_big_shapes_in_every_style(
    astronaut: Image.Image, clothes: np.ndarray, style: str, grey: bool
) -> None:
    """Not camouflage: the clothes are drawn in a few big shapes (at most 0.4 of the
    photo's count by the same measure; before #39 a greyscale suit gave 0.49–0.73)."""
    photo = ImageOps.grayscale(astronaut).convert("RGB") if grey else astronaut
    for seed in (3, 4):
        out = (
            ToonEngine()
            .run(
                EngineRequest(
                    Task.PHOTO_TO_ANIME, spec=ArtSpec(style=style), image=photo, seed=seed
                )
            )
            .images[0]
        )
        drawn, real = _shapes(np.asarray(out), clothes), _shapes(np.asarray(photo), clothes)
        assert drawn <= 0.4 * real, (seed, drawn, real)


def _eye_mask(style: str) -> np.ndarray:
    """One eye as the style draws it (the toon portrait's painter), rendered alone at a
    fixed size: its drawn pixels, cropped to their bounding box and scaled to 64×64."""
    from sakuga.engines.draw.character import Variation
    from sakuga.engines.draw.svg import el, render_svg
    from sakuga.engines.draw.traits import Traits
    from sakuga.engines.toon.features import PortraitFeatures
    from sakuga.prompt.styles import get_style

    painter = PortraitFeatures(
        Traits(hair_color=(90, 60, 40), eye_color=(90, 60, 40), skin=(240, 200, 180)),
        get_style(style).draw,
        Variation(),
    )
    eye = painter.eye(200, 200, 120, 120, -1, False)
    svg = el(
        "svg",
        [el("defs", painter.defs), eye],
        xmlns="http://www.w3.org/2000/svg",
        width="400",
        height="400",
        viewBox="0 0 400 400",
    )
    alpha = np.asarray(render_svg(svg, (400, 400)))[..., 3] > 128
    ys, xs = np.nonzero(alpha)
    crop = alpha[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].astype(np.uint8)
    return cv2.resize(crop, (64, 64), interpolation=cv2.INTER_NEAREST).astype(bool), (
        (np.ptp(ys) + 1) / (np.ptp(xs) + 1)
    )


def test_styles_draw_eyes_of_other_shapes() -> None:
    """Not only another size or colour: each style's eye has its own outline (lid
    arch, corner lift, lashes), so two styles' eyes, scaled to the same box, differ."""
    from itertools import combinations

    from sakuga.prompt.styles import STYLES

    drawn = {name: _eye_mask(name) for name in STYLES}
    for a, b in combinations(STYLES, 2):
        (mask_a, _), (mask_b, _) = drawn[a], drawn[b]
        iou = (mask_a & mask_b).sum() / (mask_a | mask_b).sum()
        assert iou < 0.9, (a, b, iou)
    # Cute's eyes are rounder than cyberpunk's narrow, upturned ones.
    assert drawn["cute"][1] > drawn["cyberpunk"][1] * 1.25, (
        drawn["cute"][1],
        drawn["cyberpunk"][1],
    )


def test_every_style_knob_of_toon_changes_the_picture(
    astronaut: Image.Image, camera: Image.Image
) -> None:
    """No knob that is set and never read: each ToonParams field, changed, changes the
    picture (on the portrait, whose person and place every knob reaches; the sky's on
    the photographer's, which has a sky; the night's on the rocket's dusk)."""
    from dataclasses import fields, replace

    from sakuga.engines.toon import render
    from sakuga.prompt.styles import get_style

    def sitting_of(photo: Image.Image) -> object:
        photo = photo.resize((256, 256))
        return read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=photo, size=photo.size))

    from skimage import data

    sittings = {
        "portrait": sitting_of(astronaut),
        "sky": sitting_of(camera),
        "night": sitting_of(Image.fromarray(data.rocket())),
        "scene": sitting_of(Image.fromarray(data.coffee())),
    }
    style = get_style("cinematic")
    seed = 2  # the photo's place painted outdoors (seed % 4 == 2): its knobs show too
    before = {k: np.asarray(render(v, style, seed)).astype(np.int16) for k, v in sittings.items()}
    changed = {
        "bands": 2,
        "shadow_soft": 0.0,
        "rim": (0, 255, 255),
        "line_color": (200, 30, 30),
        "shadow_tint": (0, 200, 0),
        "highlight_tint": (0, 0, 255),
        "grade_shadows": (255, 0, 0),
        "grade_highlights": (0, 0, 255),
        "sky": ((200, 40, 40), (250, 200, 60)),
        "night": ((90, 10, 10), (120, 90, 20)),
        "neon": (0, 255, 0),
    }
    for field in fields(style.toon):
        value = getattr(style.toon, field.name)
        if field.name in changed:
            new = changed[field.name]
        elif isinstance(value, float):
            new = value * 1.6 + 0.3
        else:
            raise AssertionError(f"add a changed value for {field.name}")
        after_style = replace(style, toon=replace(style.toon, **{field.name: new}))
        # (The photo's own place is painted under an open sky: the camera's field; the
        # astronaut's room is one of draw's places.)
        photo = (
            "sky"
            if field.name in ("sky", "flatten")
            else "scene"  # (its lines: a field of grass, all texture, has none)
            if field.name == "neon"
            else "night"
            if field.name == "night"
            else "portrait"
        )
        after = np.asarray(render(sittings[photo], after_style, seed)).astype(np.int16)  # type: ignore[arg-type]
        assert np.abs(after - before[photo]).max() > 8, f"{field.name} changes nothing"


def test_a_rotated_photos_padding_stays_plain(coffee: Image.Image, astronaut: Image.Image) -> None:
    """The flat corners a rotation (or letterbox bars) added are not part of the
    picture: not painted, graded or inked. A photo's own clipped black (the portrait's
    table, ragged and full of holes) is picture, painted as the rest."""
    from sakuga.engines.toon.grey import flat_padding

    assert flat_padding(np.asarray(astronaut)) is None
    turned = coffee.rotate(15, resample=Image.Resampling.BICUBIC, fillcolor=(128, 128, 128))
    out = np.asarray(_run(turned).images[0]).astype(np.int16)  # type: ignore[attr-defined]
    corner = np.zeros(out.shape[:2], np.uint8)
    cv2.fillPoly(corner, [np.array([[0, 0], [60, 0], [0, 12]], np.int32)], 1)  # inside the fill
    assert np.abs(out[corner.astype(bool)] - 128).max() <= 1


def _variant(image: Image.Image, variant: str) -> Image.Image:
    if variant == "mirror":
        return ImageOps.mirror(image)
    if variant == "grey":
        return ImageOps.grayscale(image).convert("RGB")
    if variant == "crop":
        w, h = image.size
        return image.crop((w // 8, 0, w - w // 8, h - h // 6))
    if variant == "rotated":
        return image.rotate(15, resample=Image.Resampling.BICUBIC, fillcolor=(128, 128, 128))
    return image


@pytest.mark.parametrize("variant", ["photo", "mirror", "grey", "crop"])
def test_a_daytime_sky_is_found_and_nothing_else_is_called_sky(
    camera: Image.Image, astronaut: Image.Image, cat: Image.Image, variant: str
) -> None:
    """The photographer's sky is found, above the horizon and not on him; the
    portrait's mottled studio backdrop, a wall behind a clock, a cat and a cup are not
    a sky (painting one there would swap the photo's place)."""
    from skimage import data

    from sakuga.engines.toon.backdrop import sky_mask

    def sky_of(image: Image.Image) -> tuple[np.ndarray, object]:
        sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=_variant(image, variant)))
        return sky_mask(sitting), sitting

    sky, sitting = sky_of(camera)
    h = sky.shape[0]
    assert sky.mean() > 0.15
    assert not (sky & sitting.person).any()  # type: ignore[attr-defined]
    rows = np.nonzero(sky.any(axis=1))[0]
    assert rows[0] < h * 0.03 and rows[-1] < h * 0.45  # from the top down to the horizon
    for other in (
        astronaut,
        cat,
        Image.fromarray(data.clock()).convert("RGB"),
        Image.fromarray(data.coffee()),
    ):
        assert not sky_of(other)[0].any()


def test_the_sky_is_painted_in_the_styles_colours(camera: Image.Image) -> None:
    """The photographer's grey sky comes out as the style's painted sky: blue for
    cinematic, purple-magenta for cyberpunk; the grey photo has no such colour."""
    photo_lab = cv2.cvtColor(np.asarray(camera)[:40], cv2.COLOR_RGB2Lab).astype(np.float32)
    assert np.abs(photo_lab[..., 1:] - 128).mean() < 2
    for style, check in (
        ("cinematic", lambda lab: (lab[..., 2] - 128).mean() < -15),
        ("cyberpunk", lambda lab: (lab[..., 1] - 128).mean() > 15),
    ):
        out = ToonEngine().run(
            EngineRequest(Task.PHOTO_TO_ANIME, spec=ArtSpec(style=style), image=camera, seed=2)
        )
        top = np.asarray(out.images[0])[: camera.height // 12, camera.width // 2 :]
        lab = cv2.cvtColor(np.ascontiguousarray(top), cv2.COLOR_RGB2Lab).astype(np.float32)
        assert check(lab), (style, lab.reshape(-1, 3).mean(axis=0))


def test_one_cloth_in_light_and_shadow_is_one_garment() -> None:
    """k-means splits an orange suit into its lit and its shaded orange, and a black
    coat into black and dark grey: each pair is joined into one garment (its folds come
    back as cel shadow), while a blue scarf, a white collar and skin stay their own."""
    from sakuga.engines.toon.clothes import _garments

    centres = np.array(
        [
            [62, 45, 50],  # lit orange
            [38, 38, 36],  # shaded orange
            [45, 5, -45],  # blue
            [8, 0, 1],  # black
            [24, 1, -2],  # dark grey (the coat in its light)
            [88, 0, 2],  # white
            [70, 14, 18],  # skin
        ],
        np.float32,
    )
    labels = np.repeat(np.arange(len(centres), dtype=np.int32), 10)[None, :]
    lab = centres[labels[0]][None].copy()
    out = _garments(lab, labels, centres, [np.array([71, 13, 18], np.float32)])
    groups = [set(labels[0, i * 10 : i * 10 + 10]) for i in range(len(centres))]
    assert groups[0] == groups[1]  # the orange suit, one garment
    assert groups[3] == groups[4]  # the black coat
    assert len({next(iter(g)) for g in groups}) == 5
    assert out[next(iter(groups[0]))][0] > 50  # the garment's colour is its lit cloth


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["photo", "mirror", "crop"])
def test_a_night_sky_is_found_and_nothing_else_is_called_night(
    astronaut: Image.Image, coffee: Image.Image, variant: str
) -> None:
    """The rocket's dusk sky and the deep field's space are night skies, above the
    land; the moon's grey face, a dark cup's table, the flower's leaves in grey (no blue
    to tell them from night) and a portrait are not (painting stars there would swap
    the photo's place)."""
    from skimage import data

    from sakuga.engines.toon.night import night_sky_mask

    def night_of(image: Image.Image) -> tuple[np.ndarray, object]:
        sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=_variant(image, variant)))
        return night_sky_mask(sitting), sitting

    rocket, _ = night_of(Image.fromarray(data.rocket()))
    h = rocket.shape[0]
    assert rocket[: h // 10].mean() > 0.9  # the sky's top
    if variant != "crop":  # (the crop cuts the land off at the horizon)
        assert rocket[int(h * 0.97) :].mean() < 0.6  # the land under it is not sky
    space, _ = night_of(Image.fromarray(data.hubble_deep_field()))
    assert space.mean() > 0.9
    flower = Image.fromarray(_sample_images()[1])
    for other in (
        Image.fromarray(data.moon()).convert("RGB"),
        ImageOps.grayscale(coffee).convert("RGB"),
        ImageOps.grayscale(flower).convert("RGB"),
        flower,
        # (Judge T5: the flower darkened, its leaves out of focus were a starry sky.)
        ImageEnhance.Brightness(flower.crop((100, 50, 640, 427))).enhance(0.65),
        astronaut,
        coffee,
    ):
        assert not night_of(other)[0].any()


def _sample_images() -> list[np.ndarray]:
    from sklearn.datasets import load_sample_images

    return list(load_sample_images().images)  # china, flower


@pytest.mark.parametrize("style", ["cinematic", "cyberpunk"])
def test_a_night_sky_is_painted_in_the_styles_night_with_drawn_stars(style: str) -> None:
    """The rocket's dusk: its upper sky in the style's night gradient, with stars
    drawn in it — small light points that the photo's
    empty dusk does not have — and none drawn on the launch towers."""
    from skimage import data

    from sakuga.prompt.styles import get_style

    photo = Image.fromarray(data.rocket())
    out = ToonEngine().run(
        EngineRequest(Task.PHOTO_TO_ANIME, spec=ArtSpec(style=style), image=photo, seed=4)
    )
    picture = np.asarray(out.images[0]).astype(np.float32)
    zenith = np.array(get_style(style).toon.night[0], np.float32)
    if style == "cyberpunk":  # (its deep purple is far from the photo's dusk blue)
        # Between the launch towers, the top of the sky: the photo's own, graded, is
        # (0, 0, 68); the style's zenith (14, 6, 38).
        median = np.median(picture[5:60, 260:420].reshape(-1, 3), axis=0)
        assert np.abs(median - zenith).max() < 20, (median, zenith)

    def stars(rgb: np.ndarray) -> int:
        grey = cv2.cvtColor(rgb.astype(np.uint8), cv2.COLOR_RGB2GRAY)
        tophat = cv2.morphologyEx(grey, cv2.MORPH_TOPHAT, np.ones((9, 9), np.uint8))
        return cv2.connectedComponents((tophat > 60).astype(np.uint8))[0] - 1

    sky = picture[: photo.height // 3, 100:560]
    assert stars(sky) >= stars(np.asarray(photo, np.float32)[: photo.height // 3, 100:560]) + 3
    # The towers' lit rungs stay rungs: no sparkle with its soft glow on the lattice.
    tower = picture[100:330, 0:80]
    grey = cv2.cvtColor(tower.astype(np.uint8), cv2.COLOR_RGB2GRAY)
    assert (grey > 235).sum() < 30


def test_white_cloth_is_painted_white_not_skin_beige(astronaut: Image.Image) -> None:
    """The astronaut's white straps and zip (light, near-neutral in the photo) come out
    white, as anime paints white cloth — not warmed into the skin's beige by the
    photo's tint and the style's extra chroma (measured 7.5 chroma, L 82 before)."""
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=astronaut))
    lab = sitting.lab
    body = sitting.person & ~sitting.hair & ~sitting.skin
    white = body & (lab[..., 0] > 65) & (np.hypot(lab[..., 1], lab[..., 2]) < 8)
    white = cv2.erode(white.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    assert white.sum() > 1000
    for style in ("cute", "webtoon"):
        out = ToonEngine().run(
            EngineRequest(Task.PHOTO_TO_ANIME, spec=ArtSpec(style=style), image=astronaut, seed=3)
        )
        small = cv2.resize(np.asarray(out.images[0]), (lab.shape[1], lab.shape[0]))
        painted = cv2.cvtColor(small.astype(np.float32) / 255, cv2.COLOR_RGB2Lab)
        chroma = np.hypot(painted[..., 1], painted[..., 2])
        assert np.median(painted[..., 0][white]) > 85, style
        assert np.median(chroma[white]) < 5, style


def test_in_a_greyscale_photo_the_skin_beside_the_face_is_skin(camera: Image.Image) -> None:
    """The photographer's ear and the skin at his face's edge, in a greyscale photo, are
    painted in his face's skin colour — not white paper cut-outs stuck on his face (no
    colour tells skin from cloth there; lightness and touching the face do). What lies
    before his profile (the camera at his eye) is not: `test_before_a_profile_...`."""
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=camera))
    assert sitting.grey and sitting.heads
    lab = sitting.lab
    face_L = float(np.median(lab[..., 0][sitting.skin]))
    near = cv2.dilate(sitting.skin.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    head = sitting.heads[0]
    front = in_front(head.face, head.oval, sitting.skin.shape, sitting.factor)
    hand = sitting.person & ~sitting.hair & ~sitting.skin & near & ~front
    hand &= np.abs(lab[..., 0] - face_L) < 10
    assert hand.sum() > 50
    out = ToonEngine().run(EngineRequest(Task.PHOTO_TO_ANIME, image=camera, seed=3))
    small = cv2.resize(np.asarray(out.images[0]), (lab.shape[1], lab.shape[0]))
    painted = cv2.cvtColor(small.astype(np.float32) / 255, cv2.COLOR_RGB2Lab)
    face = painted[sitting.skin]
    on_hand = painted[hand]
    skin_hue = np.degrees(np.arctan2(np.median(face[:, 2]), np.median(face[:, 1])))
    hand_hue = np.degrees(np.arctan2(np.median(on_hand[:, 2]), np.median(on_hand[:, 1])))
    assert np.median(np.hypot(on_hand[:, 1], on_hand[:, 2])) > 10  # a colour, not white
    assert abs(hand_hue - skin_hue) < 25


def test_before_a_profile_is_no_skin_and_a_profile_has_its_nose(camera: Image.Image) -> None:
    """The photographer in profile: his drawn face reaches the tip of his nose and his
    lips (the mesh's midline, not the far cheek's points inside the face), and what is
    held before it — the camera at his eye, the gloved hand under his chin — is
    painted neither in his skin's colour nor as his hair (they were orange patches and
    a black block before his face)."""
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=camera))
    head = sitting.heads[0]
    f = sitting.factor
    tip = np.round(head.face.points[1] * f).astype(int)
    assert sitting.skin[tip[1], tip[0] - 1]  # (turned right: just behind the tip)
    front = in_front(head.face, head.oval, sitting.skin.shape, f)
    held = front & sitting.person
    assert held.sum() > 200 and not (sitting.hair & front).any()
    out = ToonEngine().run(EngineRequest(Task.PHOTO_TO_ANIME, image=camera, seed=3))
    small = cv2.resize(np.asarray(out.images[0]), (sitting.lab.shape[1], sitting.lab.shape[0]))
    painted = cv2.cvtColor(small.astype(np.float32) / 255, cv2.COLOR_RGB2Lab)
    face = painted[sitting.skin]
    skin_hue = np.degrees(np.arctan2(np.median(face[:, 2]), np.median(face[:, 1])))
    on = painted[held]
    hue = np.degrees(np.arctan2(on[:, 2], on[:, 1]))
    skinlike = (np.hypot(on[:, 1], on[:, 2]) > 10) & (np.abs(hue - skin_hue) < 25)
    assert skinlike.mean() < 0.03, skinlike.mean()


@pytest.mark.parametrize("mirror", [False, True])
def test_a_camera_held_before_a_profile_is_drawn_as_a_camera(
    camera: Image.Image, astronaut: Image.Image, mirror: bool
) -> None:
    """The camcorder at the photographer's eye is found whole (the person mask holds
    only part of it) and drawn as one object in its own light grey: it was a dark
    ragged blob of the coat's colour, half of its light body painted dark. A face
    turned to the camera has no front, so nothing is taken for a held thing."""
    photo = ImageOps.mirror(camera) if mirror else camera
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=photo))
    assert sitting.held is not None and sitting.front is not None
    assert not (sitting.held & ~sitting.front).any()
    # The camera's body, read off the photo by eye (512 px): its light metal.
    x0, x1 = (512 - 325, 512 - 255) if mirror else (255, 325)
    box = (slice(140, 185), slice(x0, x1))
    assert sitting.held[box].mean() > 0.7
    light = _lightness(np.asarray(photo))[box] > 55
    for style in ("cute", "cinematic", "webtoon"):
        out = ToonEngine().run(
            EngineRequest(Task.PHOTO_TO_ANIME, image=photo, seed=3, spec=ArtSpec(style=style))
        )
        painted = _lightness(np.asarray(out.images[0]))[box]
        assert (painted[light] > 55).mean() > 0.7, style
    assert read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=astronaut)).held is None


def _lightness(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb.astype(np.float32) / 255, cv2.COLOR_RGB2Lab)[..., 0]


@pytest.mark.parametrize("style", ["cute", "cinematic", "fantasy"])
def test_space_stays_dark_space_and_gets_no_dusk(style: str) -> None:
    """The deep field fills the frame with no horizon: it is painted in the night's
    deep colour, barely lighter at the foot — not a dusk sky glowing up from a horizon
    it does not have (that swaps black space for an evening; measured L 38–65 at the
    foot before)."""
    from skimage import data

    photo = Image.fromarray(data.hubble_deep_field())
    out = ToonEngine().run(
        EngineRequest(Task.PHOTO_TO_ANIME, spec=ArtSpec(style=style), image=photo, seed=3)
    )
    picture = np.asarray(out.images[0]).astype(np.float32) / 255
    lightness = cv2.cvtColor(picture, cv2.COLOR_RGB2Lab)[..., 0]
    h = lightness.shape[0]
    top, foot = np.median(lightness[: h // 5]), np.median(lightness[-h // 5 :])
    assert foot < 40 and foot - top < 12, (top, foot)


def test_the_backdrop_kept_along_the_outline_takes_its_neighbours_colour(
    astronaut: Image.Image,
) -> None:
    """The portrait's light studio wall that the person mask kept between her puffed-out
    hair and her collar is found as slivers reaching her outline (never on her face),
    and each such pixel is painted as the nearest part of her beside it (hair, skin,
    collar), not as white cloth: a white strip round the head read as a halo."""
    from sakuga.engines.toon.clothes import backdrop_halo, fill_from_nearest

    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=astronaut))
    halo = backdrop_halo(sitting)
    assert halo.sum() > 300
    assert not (halo & sitting.skin).any() and not (halo & ~sitting.person).any()
    edge = sitting.person & ~cv2.erode(sitting.person.astype(np.uint8), np.ones((3, 3))).astype(
        bool
    )
    assert (halo & edge).sum() > 50
    # The fill: a hole takes the colour of the nearest source pixel.
    canvas = np.zeros((5, 9, 3), np.float32)
    canvas[:, :3] = (1, 0, 0)
    canvas[:, 6:] = (0, 0, 1)
    holes = np.zeros((5, 9), bool)
    holes[:, 3:6] = True
    fill_from_nearest(canvas, holes, ~holes)
    assert (canvas[:, 3] == (1, 0, 0)).all() and (canvas[:, 5] == (0, 0, 1)).all()


def test_versions_of_a_night_sky_differ() -> None:
    """The night sky covers a whole space photo: each version turns its colours a little
    (as a painted place's turn), so `-n 3` gives three pictures, not one three times
    (they were pixel-identical). In the default style's near-black space the turn is
    slight: a mean difference of about half a level."""
    from skimage import data

    photo = Image.fromarray(data.hubble_deep_field())
    out = ToonEngine().run(EngineRequest(Task.PHOTO_TO_ANIME, image=photo, seed=5, n=3))
    pictures = [np.asarray(image).astype(np.int16) for image in out.images]
    for a, b in ((0, 1), (1, 2), (0, 2)):
        assert np.abs(pictures[a] - pictures[b]).mean() > 0.2


# Grace Hopper's portrait (matplotlib's sample): an older woman in a navy cap with a
# white band and a gold emblem, glasses, white hair, a uniform with a name tag and a
# ribbon bar. The boxes below are read off the photo (512 × 600).
RIBBONS = (325, 485, 455, 530)  # x0, y0, x1, y1
NAME_TAG = (75, 480, 170, 520)


@pytest.fixture(scope="module")
def hopper() -> Image.Image:
    from sakuga.imaging.samples import load_sample

    return load_sample("hopper")


def test_a_cap_is_a_hat_and_the_hair_under_it_keeps_its_colour(hopper: Image.Image) -> None:
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=hopper, size=hopper.size))
    head = sitting.heads[0]
    top = head.face.points[10][1] * sitting.factor  # the forehead's top, at the brim
    ys = np.nonzero(sitting.hair)[0]
    # The navy cap is not hair: no hair above the brim (it was all hair, drawn as a
    # black knit cap with a highlight band).
    assert (ys < top - 10).sum() == 0
    # The hair's colour is the white hair beside her temples, not the cap's navy.
    L = cv2.cvtColor(np.array([[head.hair]], np.uint8), cv2.COLOR_RGB2Lab)[0, 0, 0] / 2.55
    assert L > 45, head.hair


@pytest.mark.parametrize("variant", ["photo", "crop", "rotated"])
def test_white_hair_under_a_cap_is_drawn_silver_beside_the_face(
    hopper: Image.Image, variant: str
) -> None:
    """Her white hair shows in a strip beside her temples under the cap, mostly outside
    the segmenter's outline (against a pale wall): it is found there on both sides and
    drawn silver — light and near neutral — not read as the pinkish shadow between
    (it was (146, 111, 106), and no hair at all was drawn), nor as an ear's rim mixed
    with it (the crop read peach, (203, 155, 127))."""
    photo = _variant(hopper, variant) if variant != "photo" else hopper
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=photo, size=photo.size))
    head = sitting.heads[0]
    L, a, b = cv2.cvtColor(np.array([[head.hair]], np.uint8), cv2.COLOR_RGB2Lab)[0, 0].astype(float)
    assert L / 2.55 > 65 and np.hypot(a - 128, b - 128) < 8, head.hair
    f = sitting.factor
    cx = (head.face.points[234][0] + head.face.points[454][0]) / 2 * f
    ys, xs = np.nonzero(sitting.hair)
    beside = (ys > head.face.points[10][1] * f) & (ys < head.face.points[14][1] * f)
    assert ((xs < cx) & beside).sum() > 300 and ((xs >= cx) & beside).sum() > 300


@pytest.mark.parametrize("style", ["cinematic", "cute"])
def test_the_skin_beside_the_face_is_skin_not_orange(hopper: Image.Image, style: str) -> None:
    """Beside the drawn face, from the eyes to the mouth (her ears, the skin's shadowed
    edge), the colour is the skin's — not a region of its own in the style's extra
    chroma (it was orange there: two thirds of the band 12 chroma above the face's)."""
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=hopper, size=hopper.size))
    head = sitting.heads[0]
    out = np.asarray(
        ToonEngine()
        .run(EngineRequest(Task.PHOTO_TO_ANIME, spec=ArtSpec(style=style), image=hopper, seed=8))
        .images[0]
    )
    face = np.zeros(out.shape[:2], np.uint8)
    cv2.fillPoly(face, [np.round(head.oval).astype(np.int32)], 1)
    away = cv2.distanceTransform(1 - face, cv2.DIST_L2, 5)
    ys = np.mgrid[0 : out.shape[0], 0 : out.shape[1]][0]
    rows = (ys > head.face.eye(-1)[:, 1].mean()) & (ys < head.face.points[14][1])
    band = (away > 3) & (away < head.face.width * 0.08) & rows
    lab = cv2.cvtColor(out.astype(np.float32) / 255, cv2.COLOR_RGB2Lab)
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    on_face = float(np.median(chroma[(face > 0) & rows]))
    assert ((chroma > on_face + 12) & band).sum() < 0.1 * band.sum()


def test_a_bare_head_is_not_read_as_a_hat(astronaut: Image.Image) -> None:
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=astronaut, size=astronaut.size))
    top = sitting.heads[0].face.points[10][1] * sitting.factor
    # Her lit crown and the hair in shadow beside her temples are one hair.
    assert (np.nonzero(sitting.hair)[0] < top - 10).sum() > 500


def test_skin_and_eyes_are_read_past_glasses(hopper: Image.Image) -> None:
    """The frames across her cheeks do not tint the skin (it was read as orange-tan,
    (221, 139, 101)), and a tortoiseshell frame is not read as a red iris."""
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=hopper, size=hopper.size))
    head = sitting.heads[0]
    L, _, b = cv2.cvtColor(np.array([[head.skin]], np.uint8), cv2.COLOR_RGB2Lab)[0, 0].astype(float)
    assert L / 2.55 > 66 and b - 128 < 30, head.skin
    _, ia, ib = cv2.cvtColor(np.array([[head.iris]], np.uint8), cv2.COLOR_RGB2Lab)[0, 0].astype(
        float
    )
    assert not (ia - 128 > 12 and ia - 128 > (ib - 128) * 1.2), head.iris


@pytest.mark.parametrize("box", [RIBBONS, NAME_TAG], ids=["ribbons", "name tag"])
def test_small_parts_on_clothes_are_drawn_shapes(hopper: Image.Image, box: tuple) -> None:
    """A ribbon bar and a name tag on a navy uniform are drawn as shapes of their own
    colours (they were merged into the navy): at least a tenth of the box is far from
    the uniform's navy, in flat colours (under 0.4 of the photo's count there)."""
    out = np.asarray(
        ToonEngine()
        .run(
            EngineRequest(Task.PHOTO_TO_ANIME, spec=ArtSpec(style="webtoon"), image=hopper, seed=3)
        )
        .images[0]
    )
    x0, y0, x1, y1 = box
    patch = cv2.cvtColor(out[y0:y1, x0:x1].astype(np.float32) / 255, cv2.COLOR_RGB2Lab)
    navy = np.median(
        cv2.cvtColor(out[540:590, 150:300].astype(np.float32) / 255, cv2.COLOR_RGB2Lab).reshape(
            -1, 3
        ),
        axis=0,
    )
    far = np.linalg.norm(patch - navy, axis=2) > 25
    assert far.mean() > 0.1
    flat = cv2.medianBlur(np.ascontiguousarray(out), 5)[y0:y1, x0:x1]  # line art aside
    drawn = len(np.unique(flat[far] // 8, axis=0))
    photo = len(np.unique(np.asarray(hopper)[y0:y1, x0:x1][far] // 8, axis=0))
    assert drawn < 0.4 * photo, (drawn, photo)


def _flat_share(rgb: np.ndarray) -> float:
    """The share of pixels in a flat neighbourhood: every channel within 6 levels over
    5 × 5 (after a 3 × 3 median, so an anti-aliased line does not count)."""
    rgb = cv2.medianBlur(np.ascontiguousarray(rgb), 3)
    k = np.ones((5, 5), np.uint8)
    spread = (cv2.dilate(rgb, k).astype(np.int16) - cv2.erode(rgb, k)).max(axis=2)
    return float((spread <= 6).mean())


def _scene(photo: Image.Image, style: str, **knobs: object) -> np.ndarray:
    from dataclasses import replace

    from sakuga.engines.toon import render

    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=photo, size=photo.size))
    chosen = get_style(style)
    chosen = replace(chosen, toon=replace(chosen.toon, **knobs))
    return np.asarray(render(sitting, chosen, 7))


@pytest.mark.parametrize("style", ["cute", "cinematic", "webtoon", "fantasy", "cyberpunk"])
def test_a_scene_is_painted_in_flat_masses(coffee: Image.Image, style: str) -> None:
    """No one in the photo: the table's wood grain and the cup's reflections become
    large flat shapes, in every style (under a fifth of the photo's pixels sit in a
    flat neighbourhood; with mean shift instead of L0 flattening, 0.42 of cute's and
    webtoon's did)."""
    photo = _flat_share(np.asarray(coffee))
    painted = _flat_share(_scene(coffee, style))
    assert painted > photo + 0.25, (photo, painted)


def test_cyberpunk_lights_a_scenes_lines_as_neon(coffee: Image.Image) -> None:
    """Cyberpunk draws the place's line art as lit tubes, not dark ink: many more
    bright magenta pixels than the same style with dark lines."""

    def magenta(rgb: np.ndarray) -> int:
        r, g, b = (rgb[..., i].astype(int) for i in range(3))
        return int(((r > 200) & (b > 170) & (g < 170)).sum())

    lit = magenta(_scene(coffee, "cyberpunk"))
    inked = magenta(_scene(coffee, "cyberpunk", neon=None))
    # (Lines run only along its shapes, none through the wood's grain: fewer than before
    # stop 62; and since stop 63 only the long straight ones are lit: the table's edge,
    # one tube, not the arcs round the cup's rim or the saucer's.)
    assert lit > inked + 150 and lit > 10 * inked, (lit, inked)


def test_only_long_straight_lines_are_lit_as_tubes() -> None:
    """Judge T4: neon arcs round a coffee cup's rim and along petals read as random
    squiggles. A long straight run is a tube; an arc as long, or a short dash, is inked."""
    from sakuga.engines.toon.lines import tubes

    t = np.linspace(0, 1, 60, dtype=np.float32)[:, None]
    straight = np.hstack([20 + 300 * t, 50 + 40 * t])
    arc = np.hstack([200 + 100 * np.cos(np.pi * t), 200 + 100 * np.sin(np.pi * t)])
    dash = np.hstack([20 + 20 * t, 300 + 0 * t])
    lit, inked = tubes([straight, arc, dash], 640)
    assert [c is straight for c in lit] == [True]
    assert len(inked) == 2


def test_an_older_face_is_drawn_with_the_lines_of_age(
    hopper: Image.Image, astronaut: Image.Image, camera: Image.Image
) -> None:
    """Age drawn the way anime draws it, not erased: a crease under each eye and the
    lines beside the mouth on Grace Hopper (79), none on the astronaut or the
    photographer; the lines lie on her face, nowhere else."""
    from dataclasses import replace

    from sakuga.engines.toon import render

    def sitting(photo: Image.Image) -> Sitting:
        return read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=photo, size=photo.size))

    old = sitting(hopper)
    assert [h.aged for h in old.heads] == [True]
    assert not any(h.aged for h in sitting(astronaut).heads + sitting(camera).heads)
    young = replace(old, heads=tuple(replace(h, aged=False) for h in old.heads), _memo={})
    style = get_style("webtoon")
    drawn = np.asarray(render(old, style, 3)).astype(np.int16)
    without = np.asarray(render(young, style, 3)).astype(np.int16)
    lines = np.abs(drawn - without).max(axis=2) > 20
    assert lines.sum() > 60
    x0, y0, x1, y1 = old.heads[0].face.box
    ys, xs = np.nonzero(lines)
    assert xs.min() >= x0 and xs.max() <= x1 and ys.min() >= y0 and ys.max() <= y1


def test_from_photo_reads_the_hat_and_the_age(hopper: Image.Image, astronaut: Image.Image) -> None:
    from sakuga.engines.toon.likeness import read_likeness

    hers = read_likeness(hopper).traits()["character"]
    assert hers.startswith("elderly person with ") and "glasses" in hers, hers
    assert hers.endswith(" cap"), hers
    theirs = read_likeness(astronaut).traits()["character"]
    assert theirs.startswith("person with ") and "cap" not in theirs, theirs


def test_a_scene_is_outlined_where_its_colour_changes_not_only_its_lightness() -> None:
    """Line art follows a scene's shapes: a red thing against a green one of the same
    lightness (no edge in a grey copy) is outlined in ink along their border."""
    h, w = 240, 320
    lab = np.zeros((h, w, 3), np.float32)
    lab[..., 0] = 55
    lab[:, : w // 2, 1:] = (55, 35)  # red
    lab[:, w // 2 :, 1:] = (-45, 40)  # green, as light
    rgb = (np.clip(cv2.cvtColor(lab, cv2.COLOR_Lab2RGB), 0, 1) * 255).astype(np.uint8)
    rgb = cv2.add(rgb, np.random.default_rng(0).integers(0, 6, rgb.shape, np.uint8))  # grain
    photo = Image.fromarray(rgb)
    out = np.asarray(
        ToonEngine()
        .run(EngineRequest(Task.PHOTO_TO_ANIME, image=photo, seed=1, options={"subject": "scene"}))
        .images[0]
    )
    ink = out.max(axis=2) < 90
    border = ink[20:-20, w // 2 - 4 : w // 2 + 4].any(axis=1).mean()
    elsewhere = ink[20:-20, 20 : w // 2 - 30].mean()
    assert border > 0.8 and elsewhere < 0.01, (border, elsewhere)


def test_versions_light_the_face_from_their_own_side(astronaut: Image.Image) -> None:
    """-n 4 varies the key light: a version lit from the left has its face's shadow
    on the right, one lit from the right on the left (the person stays the same)."""
    seeds = range(1, 40)
    left = next(s for s in seeds if Look.from_seed(s).light < -0.6)
    right = next(s for s in seeds if Look.from_seed(s).light > 0.6)
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=astronaut, size=astronaut.size))
    face = sitting.heads[0].face
    _, y0, _, y1 = face.box
    mid = round((face.points[234][0] + face.points[454][0]) / 2)
    from sakuga.engines.toon import render

    skin = cv2.resize(sitting.skin.astype(np.uint8), astronaut.size) > 0  # the drawn face
    ys, xs = np.mgrid[0 : skin.shape[0], 0 : skin.shape[1]]
    lower = skin & (ys > y0 + (y1 - y0) * 0.55)  # the cheeks and jaw, below the eyes

    def darker_side(seed: int) -> float:
        grey = np.asarray(render(sitting, get_style("webtoon"), seed).convert("L"), np.float32)
        return float(grey[lower & (xs < mid)].mean() - grey[lower & (xs >= mid)].mean())

    # Positive: the face's right half darker (lit from the left); negative: the left.
    # (A crescent at the cheek since stop 63, not half the face: judges T5 and T6 called
    # the wide one a grey split down the face. 2 and -2.5 grey levels over each half.)
    assert darker_side(left) > 1.2 and darker_side(right) < -1.2, (
        darker_side(left),
        darker_side(right),
    )


def test_a_garment_is_shaded_along_its_edge_away_from_the_light() -> None:
    """The form's shadow (`clothes.form_shadow`): a band along a wide garment's edge on
    the side away from the version's key light, as deep as the light is strong; none
    on a strap too narrow to turn, and none under a frontal light."""
    from dataclasses import replace

    from sakuga.engines.toon.clothes import form_shadow

    side = 600
    region = np.zeros((side, side), bool)
    region[200:500, 150:450] = True  # a torso
    region[50:500, 500:520] = True  # a strap
    lit_right = replace(Look.from_seed(1), light=0.9)
    band = form_shadow(region, lit_right, side)
    assert band[300, 155] and not band[300, 445]  # its left edge, away from the light
    assert not band[:, 300:].any()  # nothing past the torso's middle, nothing on the strap
    assert band[:, 150:300].sum() > 300 * 10
    lit_left = form_shadow(region, replace(lit_right, light=-0.9), side)
    assert lit_left[300, 445] and not lit_left[300, 155]
    weak = form_shadow(region, replace(lit_right, light=0.4), side)
    assert 0 < weak.sum() < band.sum()  # a weaker side light, a narrower band
    assert not form_shadow(region, replace(lit_right, light=0.1), side).any()


@pytest.mark.parametrize("style", ["cinematic", "cute"])
def test_space_is_painted_with_drawn_stars_not_the_photos_smudges(style: str) -> None:
    """A deep field becomes an anime starfield: the night's gradient, soft nebula glows
    where its galaxies crowd, and drawn stars (pale dots and sparkles) — not the photo's
    galaxies as coloured smudges (about 15 000 such pixels before; the drawn stars, in
    their own colours, make about 1 000)."""
    from skimage import data

    photo = Image.fromarray(data.hubble_deep_field())
    out = ToonEngine().run(
        EngineRequest(Task.PHOTO_TO_ANIME, spec=ArtSpec(style=style), image=photo, seed=2)
    )
    lab = cv2.cvtColor(np.asarray(out.images[0]).astype(np.float32) / 255, cv2.COLOR_RGB2Lab)
    L = np.ascontiguousarray(lab[..., 0])
    point = L - cv2.morphologyEx(L, cv2.MORPH_OPEN, np.ones((9, 9), np.uint8))  # small, bright
    smudges = (point > 15) & (np.hypot(lab[..., 1], lab[..., 2]) > 25)  # and coloured
    assert smudges.sum() < 3000, smudges.sum()


@pytest.mark.parametrize("style", ["cute", "cinematic", "webtoon"])
def test_a_greyscale_scene_stays_one_monochrome_picture(style: str) -> None:
    """A greyscale place with no one in it is drawn in the style's two colours, its
    repainted sky included: not grey land under a blue sky (in cute the land's hue was
    48° from the sky's before)."""
    from sklearn.datasets import load_sample_image

    photo = ImageOps.grayscale(Image.fromarray(load_sample_image("china.jpg"))).convert("RGB")
    out = ToonEngine().run(
        EngineRequest(Task.PHOTO_TO_ANIME, spec=ArtSpec(style=style), image=photo, seed=2)
    )
    lab = cv2.cvtColor(np.asarray(out.images[0]).astype(np.float32) / 255, cv2.COLOR_RGB2Lab)
    h = lab.shape[0]

    def hue_and_chroma(rows: slice) -> tuple[float, float]:
        a, b = np.median(lab[rows, :, 1]), np.median(lab[rows, :, 2])
        return float(np.degrees(np.arctan2(b, a))), float(np.hypot(a, b))

    sky_hue, _ = hue_and_chroma(slice(0, h // 6))
    land_hue, land_chroma = hue_and_chroma(slice(h * 2 // 3, h))
    turn = abs(sky_hue - land_hue) % 360
    assert land_chroma > 4 and min(turn, 360 - turn) < 30, (sky_hue, land_hue, land_chroma)


def test_the_hairs_ends_are_drawn_as_pointed_locks(astronaut: Image.Image) -> None:
    """A bob's ends as anime draws them: pointed locks along the hair's lower outer
    edge (a smooth outline reads as a helmet), below the eyes, never over the face."""
    from sakuga.engines.toon.hair import _end_clumps

    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=astronaut, size=astronaut.size))
    head = sitting.heads[0]
    f = sitting.factor
    tips = _end_clumps(sitting.hair, sitting.skin, head.face, f)
    count, _, _, centres = cv2.connectedComponentsWithStats(tips.astype(np.uint8))
    eyes_y = (head.face.eye(-1)[:, 1].mean() + head.face.eye(1)[:, 1].mean()) / 2 * f
    assert count - 1 >= 3
    assert (centres[1:, 1] > eyes_y).all()
    assert not (tips & sitting.skin).any()


def test_glasses_are_drawn_in_their_frames_colour_and_weight(hopper: Image.Image) -> None:
    """Her thick tortoiseshell frames stay thick and brown (they were drawn as thin
    near-black wire)."""
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=hopper, size=hopper.size))
    head = sitting.heads[0]
    assert head.glasses
    _, a, b = cv2.cvtColor(np.array([[head.frame]], np.uint8), cv2.COLOR_RGB2Lab)[0, 0].astype(
        float
    )
    assert a - 128 > 10 and b - 128 > 20, head.frame  # warm brown, not near-black
    assert head.frame_weight > 1.4


@pytest.mark.parametrize("seed", [3, 8])
def test_in_a_greyscale_photo_skin_stays_near_the_face(camera: Image.Image, seed: int) -> None:
    """Skin has no colour to tell it by in a greyscale photo, so only what is near the
    face (a third of its height out) is painted as skin: the camera held out in front
    of the photographer's face is not a skin-coloured snout."""
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=camera, size=camera.size))
    out = ToonEngine().run(EngineRequest(Task.PHOTO_TO_ANIME, image=camera, seed=seed))
    lab = cv2.cvtColor(np.asarray(out.images[0]).astype(np.float32) / 255, cv2.COLOR_RGB2Lab)
    warm = (lab[..., 1] > 8) & (lab[..., 2] > 12)  # painted in a skin colour
    face = cv2.resize(sitting.skin.astype(np.uint8), camera.size) > 0
    tall = float(np.ptp(sitting.heads[0].oval[:, 1]))
    far = cv2.distanceTransform((~face).astype(np.uint8), cv2.DIST_L2, 3) > tall * 0.5
    person = cv2.resize(sitting.person.astype(np.uint8), camera.size) > 0
    assert (warm & far & person).sum() < 300, (warm & far & person).sum()


def test_flat_padding_is_only_what_touches_the_edge() -> None:
    """Padding is one exact colour touching the photo's edge, straight-sided: a flat
    block inside the picture is picture (and the edge is read first, so a photo whose
    edge has no flat pixel is not searched further); the same block against the edge is
    padding."""
    from sakuga.engines.toon.grey import flat_padding

    rng = np.random.default_rng(0)
    photo = rng.integers(0, 255, (300, 400, 3), np.uint8)
    inside = photo.copy()
    inside[100:200, 150:250] = (90, 90, 90)
    assert flat_padding(inside) is None
    bar = photo.copy()
    bar[:40] = (0, 0, 0)  # a letterbox bar
    found = flat_padding(bar)
    assert found is not None and found[:38].all() and not found[45:].any()


def test_a_small_hole_the_segmentation_leaves_in_a_person_is_the_person(
    camera: Image.Image, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The white collar by the cameraman's ear was outside the person mask, enclosed by
    it: painted in the backdrop's colour, it read as a hole through the figure."""
    from sakuga.engines.toon import sitting as sitting_module

    request = EngineRequest(Task.PHOTO_TO_ANIME, image=camera, size=camera.size)
    monkeypatch.setattr(sitting_module, "HOLE_SHARE", 0.0)
    holed = read_sitting(request)
    holed_out = np.asarray(_run(camera).images[0]).astype(np.int16)  # type: ignore[attr-defined]
    monkeypatch.undo()
    whole = read_sitting(request)
    hole = whole.person & ~holed.person
    assert hole.sum() > 50  # the photo has one
    outside = (~whole.person).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(outside, connectivity=4)
    h, w = outside.shape
    for i in range(1, count):  # what is left outside reaches the frame's edge, or is big
        x, y, bw, bh, area = stats[i]
        assert x == 0 or y == 0 or x + bw == w or y + bh == h or area > 0.005 * h * w
    # Drawn: the hole is painted as the person is, not in the backdrop's colour (as it
    # was, with nothing filled).
    out = np.asarray(_run(camera).images[0]).astype(np.int16)  # type: ignore[attr-defined]
    core = cv2.erode(hole.astype(np.uint8), np.ones((3, 3), np.uint8))
    core = cv2.resize(core, out.shape[1::-1], interpolation=cv2.INTER_NEAREST).astype(bool)
    assert np.abs(out[core] - holed_out[core]).max(axis=1).mean() > 40


@pytest.mark.parametrize("variant", ["photo", "rotated"])
def test_a_caps_white_crown_stays_white(hopper: Image.Image, variant: str) -> None:
    """Her cap's white crown is a thin band over the dark one: smoothed at the
    picture's scale it melted into the navy, and the cap read as a dark knit cap with a
    grey blob (0.42 of the crown's white drawn light on the photo, 0.30 rotated).
    Painted at the hat's own scale, most of it stays white (0.71 and 0.69)."""
    photo = _variant(hopper, variant) if variant != "photo" else hopper
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=photo, size=photo.size))
    assert sitting.hats is not None
    white = sitting.hats & (sitting.lab[..., 0] > 70)
    assert white.sum() > 200  # the crown's white is part of the hat
    out = ToonEngine().run(EngineRequest(Task.PHOTO_TO_ANIME, image=photo, seed=7)).images[0]
    drawn = cv2.resize(np.asarray(out), sitting.lab.shape[1::-1], interpolation=cv2.INTER_AREA)
    L = cv2.cvtColor(drawn.astype(np.float32) / 255, cv2.COLOR_RGB2Lab)[..., 0]
    assert (L[white] > 70).mean() > 0.5


def test_behind_a_person_indoors_each_style_draws_its_own_place(astronaut: Image.Image) -> None:
    """Judge (stop 61): behind a person the backgrounds were empty gradients or the photo
    blurred, the same in every style. A room or a studio wall is now one of `draw`'s
    places that suits the style — the night city in cyberpunk, a sky in cinematic — and
    under an open sky the photo's own place is painted, or the `draw` place it looks
    like is drawn (the photographer's field and far buildings: a street by day)."""
    from sakuga.engines.toon import render
    from sakuga.engines.toon.backdrop import STYLE_PLACES, backdrop_place
    from sakuga.prompt.styles import get_style

    assert backdrop_place("cyberpunk", 0, outdoors=None) == STYLE_PLACES["cyberpunk"][0]
    # Outdoors: the photo's place painted in half the versions, drawn in the others.
    assert backdrop_place("cute", 2, outdoors="grassy hill") is None
    assert backdrop_place("cute", 3, outdoors="grassy hill") == "grassy hill"
    versions = {backdrop_place("cute", s, outdoors=None) for s in range(3)}
    assert len(versions) == 3  # three versions, three places
    photo = astronaut.resize((256, 256))
    sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=photo, size=photo.size))
    behind = cv2.resize((~sitting.person).astype(np.uint8), (256, 256)).astype(bool)
    behind = cv2.erode(behind.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    night = np.asarray(render(sitting, get_style("cyberpunk"), 0)).astype(float)[behind]
    day = np.asarray(render(sitting, get_style("cinematic"), 0)).astype(float)[behind]
    assert night.mean() < 80 < 150 < day.mean(), (night.mean(), day.mean())
    # A drawn sky: blue above (a sky, not a gradient between the palette's colours).
    top = np.asarray(render(sitting, get_style("cinematic"), 0))[:20].reshape(-1, 3).mean(axis=0)
    assert top[2] > top[0] + 40, top
    from skimage import data

    from sakuga.engines.toon.backdrop import outdoor_place

    field = Image.fromarray(data.camera()).convert("RGB").resize((256, 256))
    outside = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=field, size=field.size))
    assert outdoor_place(outside) == "city street by day" and outdoor_place(sitting) is None


def test_a_vivid_photo_is_not_painted_neon(coffee: Image.Image) -> None:
    """Judge T2 (stop 61): the coffee's brown-red cup, made 60% more vivid, was painted
    pure red and the wood orange. Dull colours are made clearer; vivid ones stay short
    of neon (a soft knee on the painted place's chroma)."""
    photo = coffee.resize((200, 150))
    request = EngineRequest(Task.PHOTO_TO_ANIME, spec=ArtSpec(style="webtoon"), image=photo, seed=1)
    out = np.asarray(ToonEngine().run(request).images[0]).astype(np.float32) / 255
    lab = cv2.cvtColor(out, cv2.COLOR_RGB2Lab)
    assert np.percentile(np.hypot(lab[..., 1], lab[..., 2]), 95) < 72  # was 93


@pytest.mark.parametrize("angle", [15, -15])
def test_glasses_are_seen_on_a_tilted_head(
    hopper: Image.Image, astronaut: Image.Image, angle: int
) -> None:
    """Judge T4: Grace Hopper turned 10 degrees lost her glasses (the frame's bridge was
    looked for as a level bar; at 15 degrees either way, one way was missed). The face
    is levelled first; still no glasses on the astronaut."""
    from sakuga.engines.toon.looks import wears_glasses
    from sakuga.imaging.rig import read_rig

    def glasses(photo: Image.Image) -> bool:
        rgb = np.asarray(photo.rotate(angle, expand=True, fillcolor=(128, 128, 128)))
        rig = read_rig(rgb, pose=False)
        assert rig is not None and rig.faces
        return wears_glasses(rgb, rig.faces[0])

    assert glasses(hopper)
    assert not glasses(astronaut)


@pytest.mark.parametrize("name", ["hopper", "astronaut", "cat"])
def test_a_sepia_whose_hue_turns_with_its_tone_is_a_sepia_print(name: str) -> None:
    """Judge T5's sepia (an offset per channel: its hue turns from brown in the shadows
    to cream in the lights, 10.5 degrees for nine in ten): read as colour, Hopper's cap
    became hair and her white collar, hair and medals tan skin."""
    from sakuga.engines.toon.grey import is_grey
    from sakuga.imaging.samples import load_sample

    g = np.asarray(ImageOps.grayscale(load_sample(name))).astype(np.float32)
    offset = np.stack([g * 1.07 + 20, g * 0.95 + 8, g * 0.75], axis=2)
    assert is_grey(np.clip(offset, 0, 255).astype(np.uint8))


@pytest.mark.parametrize("name", ["coffee", "chelsea"])
def test_a_colour_photo_of_nearly_one_hue_is_not_a_sepia_print(name: str) -> None:
    """The other side of the line: the coffee (its hues 14.7 degrees apart for nine in
    ten, and vivid) and the cat, cropped close, stay colour photos."""
    from skimage import data

    from sakuga.engines.toon.grey import is_grey

    rgb = getattr(data, name)()
    h, w = rgb.shape[:2]
    for crop in (rgb, rgb[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4]):
        assert not is_grey(np.ascontiguousarray(crop))


def test_a_too_dark_photos_skin_is_painted_as_if_exposed_right(astronaut: Image.Image) -> None:
    """Judge T5: the astronaut darkened (brightness 0.6) came out with muddy brown-grey
    skin. The photo is read lifted by its low white point, as a longer exposure would
    be: her skin within a few L of the photo exposed right — which is left as it was."""
    from PIL import ImageEnhance

    from sakuga.engines.toon.grey import rgb_lab

    def skin_l(photo: Image.Image) -> float:
        sitting = read_sitting(EngineRequest(Task.PHOTO_TO_ANIME, image=photo, size=photo.size))
        return float(rgb_lab(sitting.heads[0].skin)[0])

    right = skin_l(astronaut)
    dark = skin_l(ImageEnhance.Brightness(astronaut).enhance(0.6))
    assert abs(dark - right) < 8, (dark, right)


def test_glasses_are_seen_on_a_small_bright_crop(
    hopper: Image.Image, astronaut: Image.Image
) -> None:
    """Judge T6: a small (260 px), brightened crop of Grace Hopper lost her glasses (the
    frame's bridge dipped 0.28 below the nose, under the 0.3 asked). Seen now; still
    none on the astronaut brightened alike."""
    from PIL import ImageEnhance

    from sakuga.engines.toon.looks import wears_glasses
    from sakuga.imaging.rig import read_rig

    def glasses(photo: Image.Image) -> bool:
        rgb = np.asarray(ImageEnhance.Brightness(photo).enhance(1.3).convert("RGB"))
        rig = read_rig(rgb, pose=False)
        assert rig is not None and rig.faces
        return wears_glasses(rgb, rig.faces[0])

    w, h = hopper.size
    small = hopper.crop((w // 6, 0, w * 5 // 6, h * 2 // 3)).resize((260, 260))
    assert glasses(small)
    assert not glasses(astronaut)
