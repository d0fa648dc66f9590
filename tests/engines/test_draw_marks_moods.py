"""The face's marks, the moods and the effects in the air (#31): each a catalogue
entry or a weather kind, checked on the pixels."""

from __future__ import annotations

import colorsys

import cv2
import numpy as np
import pytest

from sakuga.engines.draw import drawing_svg, traits_from_spec
from sakuga.engines.draw.catalogue import GRADES, MARKS, MOODS, Thing, find_all
from sakuga.engines.draw.parts.marks import MarkPainter
from sakuga.engines.draw.report import report
from sakuga.engines.draw.svg import render_svg
from sakuga.prompt.artspec import ArtSpec

SIZE = (256, 256)


def _render(prompt: str, seed: int = 1, layers: set[str] | None = None) -> np.ndarray:
    spec = ArtSpec.from_text(prompt)
    return np.asarray(render_svg(drawing_svg(spec, SIZE, seed, only=layers), SIZE)).astype(float)


def _rgb(prompt: str, seed: int = 1) -> np.ndarray:
    return _render(prompt, seed)[..., :3]


def test_every_mark_and_mood_entry_has_its_painter() -> None:
    for entry in MARKS:
        assert callable(getattr(MarkPainter, f"_mark_{entry.paint}", None)), entry.name
    for entry in MOODS:
        assert entry.paint in GRADES, entry.name


@pytest.mark.parametrize(
    ("prompt", "mark"),
    [
        ("a girl with freckles and short red hair", "freckles"),
        ("an elf girl with long blonde hair", "elf_ears"),
        ("a boy with a band-aid on his cheek", "plaster"),
        ("a girl with an eyepatch", "eyepatch"),
        ("a woman with a beauty mark", "mole"),
        ("a samurai with a scar", "scar"),
        ("a vampire girl with a fang", "fang"),
    ],
)
def test_a_mark_is_drawn_on_the_face_and_reported_drawn(prompt: str, mark: str) -> None:
    spec = ArtSpec.from_text(prompt)
    assert mark in traits_from_spec(spec).marks
    layers = {"face", "features", "front_hair", "accessories", "back_hair"}
    marked = _render(prompt, layers=layers)
    plain = _render(prompt.replace(prompt.split(" with ")[-1], "a smile"), layers=layers)
    if mark == "elf_ears":
        plain = _render("a girl with long blonde hair", layers=layers)
    changed = np.abs(marked - plain).sum(axis=2) > 60
    assert changed.sum() > 20, mark
    _, missed = report(spec)
    assert not any(m in prompt.split(" with ")[-1] for m in missed), missed


def test_elf_ears_stand_out_beside_the_head() -> None:
    """The pointed ears widen the head's outline at eye height, on both sides."""
    layers = {"face", "front_hair", "accessories", "back_hair"}
    elf = _render("an elf girl with short hair", layers=layers)[..., 3] > 0
    plain = _render("a girl with short hair", layers=layers)[..., 3] > 0
    band = slice(60, 110)  # the rows around the eyes and the ears' tips

    def width(mask: np.ndarray) -> int:
        cols = np.nonzero(mask[band].any(axis=0))[0]
        return int(cols.max() - cols.min())

    assert width(elf) > width(plain) + 20


def test_heterochromia_gives_each_eye_its_colour() -> None:
    """ "one red eye, one gold eye": the image-left iris is red, the right one gold."""
    eyes = _render("a boy with one red eye one gold eye", layers={"features"})
    opaque = eyes[..., 3] > 200
    cols = np.nonzero(opaque.any(axis=0))[0]
    h = int((cols.min() + cols.max()) / 2)  # between the eyes, wherever the face stands

    def share(half: np.ndarray, mask: np.ndarray, want: str) -> float:
        r, g, b = half[..., 0], half[..., 1], half[..., 2]
        red = (r > 150) & (g < 90) & (b < 90)
        hit = red if want == "red" else (r > 170) & (g > 130) & (b < 90)
        return float((hit & mask).sum())

    left, right = eyes[:, :h], eyes[:, h:]
    assert share(left, opaque[:, :h], "red") > 10 and share(left, opaque[:, :h], "gold") < 5
    assert share(right, opaque[:, h:], "gold") > 10 and share(right, opaque[:, h:], "red") < 5
    plain = traits_from_spec(ArtSpec.from_text("a boy with blue eyes"))
    assert plain.odd_eye is None


def _saturation(rgb: np.ndarray) -> float:
    small = rgb[::8, ::8].reshape(-1, 3) / 255
    return float(np.mean([colorsys.rgb_to_hsv(*p)[1] for p in small]))


@pytest.mark.parametrize("place", ["in a city street", "in a park", "in a cafe"])
def test_moods_grade_the_whole_picture(place: str) -> None:
    plain = _rgb(f"a girl {place}")
    gloomy = _rgb(f"a girl {place}, gloomy mood")
    cozy = _rgb(f"a girl {place}, cozy warm colors")
    cold = _rgb(f"a girl {place}, cold colors")
    # Gloomy: less colour and darker; cozy warmer and cold cooler than the plain one.
    assert _saturation(gloomy) < _saturation(plain) - 0.03
    assert gloomy.mean() < plain.mean()
    warmth = lambda a: float((a[..., 0] - a[..., 2]).mean())  # noqa: E731
    assert warmth(cozy) > warmth(plain) + 5
    assert warmth(cold) < warmth(plain) - 5


def test_a_mood_said_is_drawn_and_one_not_catalogued_is_reported() -> None:
    drawn, missed = report(ArtSpec.from_text("a girl on a rooftop, melancholic mood"))
    assert any("melancholic" in d["phrase"] for d in drawn) and not missed
    spec = ArtSpec.from_text("a girl on a rooftop, melancholic mood")
    assert traits_from_spec(spec).moods == ("gloomy",)
    # Two moods: both graded, the first in full.
    two = traits_from_spec(ArtSpec.from_text("a girl, nostalgic and dreamy atmosphere"))
    assert two.moods[:1] == ("wistful",) and "dreamy" in two.moods


def test_a_sticker_takes_no_mood_veil() -> None:
    """The grade is over the scene: a sticker (the figure alone) stays transparent
    around the figure."""
    from sakuga.engines.draw.character import FIGURE_LAYERS

    alpha = _render("a girl, gloomy mood", layers=set(FIGURE_LAYERS))[..., 3]
    assert (alpha == 0).mean() > 0.3


@pytest.mark.parametrize(
    ("effect", "test"),
    [
        ("hearts around her", lambda a: (a[..., 0] > 200) & (a[..., 1] < 160) & (a[..., 2] > 100)),
        ("soap bubbles", None),
        ("sparkles", None),
    ],
)
def test_effects_fill_the_air_indoors_too(effect: str, test: object) -> None:
    """Effects are in the room's air, where rain stays outside its windows."""
    plain = _rgb("a girl in a library, dark hair, dark jacket")
    with_it = _rgb(f"a girl in a library, dark hair, dark jacket, {effect}")
    # White things: lighter in every channel than the room behind them.
    lighter = (with_it - plain).min(axis=2) > 50
    hit = lighter if test is None else test(with_it) & ~test(plain)  # type: ignore[operator]
    assert hit.sum() > 30, effect


def test_rain_stays_outside_a_room() -> None:
    traits = traits_from_spec(ArtSpec.from_text("a girl in her bedroom, rain, hearts"))
    assert set(traits.weather) == {"rain", "hearts"}
    from sakuga.engines.draw.parts.weather import OUTSIDE

    assert "rain" in OUTSIDE and "hearts" not in OUTSIDE


def test_a_new_mark_or_mood_is_one_entry() -> None:
    """The catalogues are data: an entry added is found by its words."""
    tattoo = Thing("tattoo", "mark", ("tattoo",), "scar", (40, 60, 120), "face")
    assert find_all("a girl with a tattoo and freckles", (*MARKS, tattoo))[:2] == [tattoo, MARKS[0]]
    angry = Thing("furious", "mood", ("furious",), "dramatic", (200, 40, 40), "over")
    assert find_all("furious, gloomy", (*MOODS, angry)) == [angry, MOODS[0]]


def test_japanese_words_are_drawn_through_their_gloss() -> None:
    """ "aki no yuugata, onnanoko with a kasa, yuki ga futteru": an autumn evening, a girl
    with an umbrella, snow — each reported drawn under the words as said."""
    spec = ArtSpec.from_text("aki no yuugata, onnanoko with a kasa, yuki ga futteru")
    traits = traits_from_spec(spec)
    assert traits.build == "girl" and traits.prop == "umbrella"
    assert traits.time == "sunset" and traits.season == "autumn" and "snow" in traits.weather
    drawn, missed = report(spec)
    assert not missed
    said = " ".join(d["phrase"] for d in drawn)
    assert all(w in said for w in ("onnanoko", "kasa", "yuki", "aki", "yuugata"))


@pytest.mark.parametrize("said", ["crying", "sobbing", "in tears", "weeping"])
def test_crying_streams_tears_down_the_cheeks_where_sad_sheds_a_drop(said: str) -> None:
    """Crying (#37's sad sticker read as nervous): a stream of tears from each eye down
    the cheek and a wailing mouth; sad alone keeps its small drops."""
    from sakuga.engines.draw.words import EXPRESSION_WORDS, pick

    crying = traits_from_spec(ArtSpec.from_text(f"a girl with black hair, {said}"))
    sad = traits_from_spec(ArtSpec.from_text("a girl with black hair, sad"))
    assert (crying.expression, crying.crying) == ("sad", True)
    assert (sad.expression, sad.crying) == ("sad", False)
    assert pick("sobakasu", EXPRESSION_WORDS, "") == ""  # freckles, not sobbing

    def tears(prompt: str) -> np.ndarray:
        face = _render(prompt, layers={"face", "features"})
        rgb, alpha = face[..., :3], face[..., 3]
        return (np.abs(rgb - (175, 222, 255)).max(axis=2) < 40) & (alpha > 100)

    streams, drops = tears(f"a girl with black hair, {said}"), tears("a girl with black hair, sad")
    assert streams.sum() > 2.5 * drops.sum() > 0
    # The longest stream, on its own (the iris's light blue is tear-coloured too).
    _, _, stats, _ = cv2.connectedComponentsWithStats(streams.astype(np.uint8))
    assert stats[1:, cv2.CC_STAT_HEIGHT].max() > 0.1 * SIZE[1]  # down the cheek, not a drop
    _, missed = report(ArtSpec.from_text(f"a girl with black hair, {said}"), crying)
    assert said not in missed


@pytest.mark.parametrize("face", ["laughing", "crying", "surprised", "smiling"])
def test_a_chibis_mouth_is_on_its_face_above_the_chin(face: str) -> None:
    """A chibi's chin is higher: the usual drop from the eyes put its mouth under the
    chin, on the neck (judge 12, on a sticker set)."""
    prompt = f"chibi girl with an orange bob, {face}"
    skin = _render(prompt, layers={"face"})[..., 3] > 100
    features = _render(prompt, layers={"features"})
    rgb, alpha = features[..., :3], features[..., 3] > 100
    ys = np.nonzero(skin.any(axis=1))[0]
    chin = ys.max()
    # The mouth: the lowest feature of the middle column band (eyes and nose above it).
    centre = int(np.nonzero(skin)[1].mean())
    middle = np.zeros_like(alpha)
    middle[:, centre - 8 : centre + 8] = True
    tears = np.abs(rgb - (175, 222, 255)).max(axis=2) < 40
    mouth_rows = np.nonzero((alpha & middle & ~tears).any(axis=1))[0]
    assert mouth_rows.max() < chin - 2, (mouth_rows.max(), chin)


@pytest.mark.parametrize("hair", ["orange bob", "long blonde hair", "long pink hair"])
def test_the_hair_behind_the_head_is_the_same_colour_deeper(hair: str) -> None:
    """The mass behind the head is the hair's colour further from the light: the cel
    shadow's cool pull made an orange bob's back brown and a blonde's olive (judge 12)."""
    prompt = f"a girl with {hair}"

    def hsv(layer: str) -> tuple[float, float, float]:
        drawn = _render(prompt, layers={layer})
        pixels = drawn[drawn[..., 3] > 250][:, :3] / 255
        return colorsys.rgb_to_hsv(*np.median(pixels, axis=0))

    (h0, s0, v0), (h1, s1, v1) = hsv("front_hair"), hsv("back_hair")
    assert abs(((h0 - h1) * 360 + 180) % 360 - 180) < 12  # the same hue
    assert s1 >= 0.95 * s0, (s0, s1)  # as rich, not greyed towards brown or olive
    assert 0.6 * v0 < v1 < 0.85 * v0, (v0, v1)  # and deeper, not black
