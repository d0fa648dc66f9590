from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageFilter

from sakuga.compose.fonts import FontError, choose_font, missing_glyphs
from sakuga.compose.layouts import compose
from sakuga.compose.text import break_lines, contrast_ratio, phrases
from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.toon import ToonEngine
from sakuga.imaging.samples import load_sample
from sakuga.prompt.uses import get_use
from tests.conftest import requires_fonts

TITLE = "夜の街 — Neon Nights"
pytestmark = requires_fonts


@pytest.fixture(scope="module")
def toon_astronaut() -> Image.Image:
    return (
        ToonEngine()
        .run(EngineRequest(Task.PHOTO_TO_ANIME, image=load_sample("astronaut"), seed=1))
        .images[0]
    )


@pytest.fixture(scope="module")
def toon_cat() -> Image.Image:
    return (
        ToonEngine()
        .run(EngineRequest(Task.PHOTO_TO_ANIME, image=load_sample("cat"), seed=1))
        .images[0]
    )


def _overlaps(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("use", ["poster", "thumbnail", "social", "avatar", "wallpaper"])
@pytest.mark.parametrize("art", ["toon_astronaut", "toon_cat"])
def test_each_use_lays_out_legibly_and_clear_of_faces(
    use: str, art: str, request: pytest.FixtureRequest
) -> None:
    image = request.getfixturevalue(art)
    layout = compose(
        image, use, title=TITLE, subtitle="Sakuga Records", credits="a film by the night city"
    )
    assert layout.image.size == get_use(use).size
    if art == "toon_astronaut":
        assert layout.faces, "the face must be found to be avoided"
    for key, box in layout.text_boxes.items():
        assert layout.contrast[key] >= 4.5, (key, layout.contrast[key])
        for face in layout.faces:
            assert not _overlaps(box, face), (key, box, face)
        x0, y0, x1, y1 = get_use(use).safe_area.box(*layout.image.size)
        assert x0 <= box[0] and box[2] <= x1 and y0 <= box[1] and box[3] <= y1, (key, box)


@pytest.mark.parametrize(
    "colour", [(128, 128, 128), (200, 30, 40), (245, 210, 50), (25, 35, 90), (255, 255, 255)]
)
def test_fill_contrasts_with_a_flat_background(colour: tuple[int, int, int]) -> None:
    """On flat colour the text's surroundings are that colour: the fill must beat 4.5:1."""
    layout = compose(Image.new("RGB", (1200, 800), colour), "thumbnail", title="NEON NIGHTS")
    style = layout.styles["title"]
    box = layout.text_boxes["title"]
    corner = tuple(int(c) for c in np.asarray(layout.image)[box[1] - 2, max(0, box[0] - 40)])
    for fill in (style.fill, style.fill_bottom or style.fill):
        # Either the art itself or the scrim laid over it is what the letters stand on.
        assert float(contrast_ratio(fill, corner)) >= 4.5 or layout.contrast["title"] >= 4.5
        assert layout.contrast["title"] >= 4.5


def test_busy_art_gets_a_scrim() -> None:
    rng = np.random.default_rng(0)
    noise = Image.fromarray(rng.integers(0, 256, (720, 1280, 3), np.uint8))
    layout = compose(noise, "thumbnail", title="NEON NIGHTS")
    assert layout.contrast["title"] >= 4.5
    x0, y0, x1, _ = layout.text_boxes["title"]
    strip = (x0, y0 - 8, x1, y0 - 2)  # just above the letters: art or scrim, no glyphs
    before = np.asarray(noise.crop(strip)).std()
    after = np.asarray(layout.image.crop(strip)).std()
    assert after < before * 0.6  # calmer behind the letters


@pytest.mark.slow
def test_cover_is_3000_and_the_avatar_has_a_circle_preview(toon_astronaut: Image.Image) -> None:
    cover = compose(toon_astronaut, "cover", title=TITLE, subtitle="Artist")
    assert cover.image.size == (3000, 3000)
    avatar = compose(toon_astronaut, "avatar")
    assert avatar.preview is not None and avatar.preview.mode == "RGBA"
    alpha = np.asarray(avatar.preview.getchannel("A"))
    assert alpha[0, 0] == 0 and alpha[512, 512] == 255


def test_thumbnail_warns_when_the_title_is_too_long_to_read(toon_astronaut: Image.Image) -> None:
    short = compose(toon_astronaut, "thumbnail", title="NEON")
    assert short.warnings == []
    # Set between the floor and comfortable reading size: laid out, with a warning.
    long = compose(
        toon_astronaut, "thumbnail", title="the neon nights of a city that never sleeps and dreams"
    )
    assert any("hard to read" in w for w in long.warnings)
    assert long.sizes["title"] < short.sizes["title"]


def test_fonts_choose_by_glyphs_and_errors_are_clear() -> None:
    assert [f.name for f in choose_font("Neon Nights").used("Neon Nights")] == ["sans-bold"]
    typeface = choose_font(TITLE)
    for run, font in typeface.runs(TITLE):
        assert missing_glyphs(font, run) == []
    with pytest.raises(FontError, match="no font here has a glyph"):
        choose_font("Klingon \U000f8d0f")
    with pytest.raises(FontError, match="unknown font 'comic-sans'"):
        choose_font("hi", "comic-sans")


def test_over_long_text_and_unplaceable_text(toon_astronaut: Image.Image) -> None:
    with pytest.raises(FontError, match="at most 200"):
        compose(toon_astronaut, "poster", title="x" * 500)
    with pytest.raises(FontError, match="not built yet"):
        compose(toon_astronaut, "sheet", title="x")


def test_smart_crop_keeps_the_face() -> None:
    wide = Image.new("RGB", (1500, 512), (40, 40, 60))
    wide.paste(load_sample("astronaut"), (980, 0))  # the face is far right
    layout = compose(wide, "avatar")
    assert layout.faces, "a centre crop would have cut the face out"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["astronaut", "cat"])
def test_stickers_are_transparent_cut_outs_with_a_white_outline(name: str) -> None:
    from sakuga.compose.sticker import cutout_mask

    photo = load_sample(name)
    sticker = compose(photo, "sticker").image
    assert sticker.mode == "RGBA" and sticker.size == (512, 512)
    alpha = np.asarray(sticker.getchannel("A"))
    assert alpha[0, 0] == 0 and alpha[256, 256] == 255  # corners clear, subject solid
    rgb = np.asarray(sticker.convert("RGB")).astype(int)
    eroded = np.asarray(Image.fromarray(alpha).filter(ImageFilter.MinFilter(9)))
    edge = (alpha > 200) & (eroded < 100)
    assert (rgb[edge] > 235).all(axis=1).mean() > 0.6  # the rim of the sticker is white
    mask = cutout_mask(photo)
    assert 0.2 < (mask > 127).mean() < 0.95


def test_draw_renders_stickers_on_transparency() -> None:
    from sakuga.engines.draw import DrawEngine
    from sakuga.prompt.artspec import ArtSpec

    spec = ArtSpec.from_text("chibi girl, pink twin tails, laughing").merged(use="sticker")
    image = DrawEngine().run(EngineRequest(Task.TEXT_TO_IMAGE, spec=spec, seed=2)).images[0]
    assert image.mode == "RGBA" and image.size == (512, 512)
    alpha = np.asarray(image.getchannel("A"))
    assert alpha[0, 0] == 0 and alpha.mean() > 30


def test_a_sticker_cut_out_is_the_same_in_any_thread() -> None:
    import threading

    import cv2
    import numpy as np
    from PIL import Image
    from skimage import data

    from sakuga.compose.sticker import make_sticker

    photo = Image.fromarray(data.chelsea()).resize((200, 132))
    for _ in range(3):  # move this thread's OpenCV generator on, as earlier work would
        make_sticker(Image.fromarray(data.astronaut()).resize((120, 120)), 96)
        cv2.randu(np.zeros((64, 64)), 0, 1)
    here = np.asarray(make_sticker(photo, 128))
    elsewhere: list[np.ndarray] = []
    thread = threading.Thread(target=lambda: elsewhere.append(np.asarray(make_sticker(photo, 128))))
    thread.start()
    thread.join()
    assert np.array_equal(here, elsewhere[0])


def test_a_person_is_cut_out_by_the_rig_and_a_failed_cut_out_becomes_a_frame() -> None:
    from sakuga.compose.sticker import cutout

    mask, how = cutout(load_sample("astronaut"))
    assert how == "person" and 0.3 < (mask > 127).mean() < 0.8
    # A drawn picture with no subject GrabCut can separate (an all-over pattern: a
    # lawn, painted by toon): a clean rounded frame, and the export says so.
    from skimage import data

    lawn = Image.fromarray(data.grass()).convert("RGB")
    drawn_lawn = ToonEngine().run(EngineRequest(Task.PHOTO_TO_ANIME, image=lawn, seed=1)).images[0]
    layout = compose(drawn_lawn, "sticker")
    assert layout.warnings and "rounded frame" in layout.warnings[0]
    alpha = np.asarray(layout.image.getchannel("A"))
    assert alpha[0, 0] == 0 and alpha[256, 256] == 255
    assert (alpha > 127).mean() > 0.5  # the whole picture, not a ragged scrap


def test_an_em_dash_is_set_in_the_latin_font_and_never_ends_a_line() -> None:
    typeface = choose_font(TITLE)
    runs = [(run.strip(), font.name) for run, font in typeface.runs(TITLE)]
    # IPAexGothic's dash is a full-width bar that reads as the long vowel mark ー.
    assert runs == [("夜の街", "gothic-jp"), ("— Neon Nights", "sans-bold")]
    for width in range(120, 1000, 20):
        lines = break_lines(TITLE, typeface, 64, width)
        assert "".join(lines).replace(" ", "") == TITLE.replace(" ", ""), "nothing dropped"
        assert not any(line.rstrip().endswith("—") for line in lines), (width, lines)
    # Broken cleanly, a title breaks before the dash that sets off its second phrase.
    assert phrases(TITLE) == ["夜の街", "— Neon Nights"]
    assert break_lines(TITLE, typeface, 64, 600, clean=True) == ["夜の街", "— Neon Nights"]


@pytest.fixture(scope="module")
def close_up() -> Image.Image:
    """A face that fills most of a square frame: the hardest case for a title."""
    return load_sample("astronaut").crop((150, 20, 330, 200)).resize((1024, 1024))


@pytest.mark.parametrize(
    ("use", "title"),
    [
        ("thumbnail", "NEON NIGHTS"),
        ("thumbnail", TITLE),
        ("poster", TITLE),
        ("avatar", TITLE),
        ("wallpaper", TITLE),
    ],
)
def test_titles_adapt_around_a_close_up_instead_of_refusing(
    close_up: Image.Image, use: str, title: str
) -> None:
    layout = compose(close_up, use, title=title, subtitle="Sakuga Records", credits="a film")
    assert layout.faces, "the face must be found to be avoided"
    for key, box in layout.text_boxes.items():
        assert layout.contrast[key] >= 4.5, key
        assert not any(_overlaps(box, face) for face in layout.faces), (key, box)
    # Legible: the title is no smaller than its floor (on a thumbnail, 11 px cap
    # height when shown 320 px wide).
    assert layout.sizes["title"] >= (61 if use == "thumbnail" else 30), layout.sizes


@pytest.mark.slow
def test_when_nothing_legible_fits_the_error_says_what_would(close_up: Image.Image) -> None:
    long = "the neon nights of a city that never sleeps and dreams on"
    with pytest.raises(FontError, match=r"at a legible size.*'the neon nights.*' would fit"):
        compose(close_up, "thumbnail", title=long)


def test_square_art_on_a_poster_keeps_its_whole_width_and_the_title_gets_a_band() -> None:
    art = Image.new("RGB", (800, 800), (200, 200, 210))
    art.paste((220, 30, 30), (0, 0, 60, 800))  # red down the left edge: a crop to 2:3
    art.paste((30, 30, 220), (740, 0, 800, 800))  # would cut both stripes off
    layout = compose(art, "poster", title=TITLE)
    row = np.asarray(layout.image)[300]
    assert row[10][0] > 180 and row[10][2] < 80, "the left edge was cropped away"
    assert row[-10][2] > 180 and row[-10][0] < 80, "the right edge was cropped away"
    top_of_title = layout.text_boxes["title"][1]
    assert top_of_title >= 1024 * 0.9, "the title sits on the band under the art"
