"""Places and their parts `draw` draws as asked, or reports (#31): a garage, a fireplace,
a shrine's steps, a cat lying solid on a lap, a desk beside a bust, one bench for two."""

from __future__ import annotations

import re

import numpy as np

from sakuga.engines.draw import drawing_svg, traits_from_spec
from sakuga.engines.draw.backgrounds import PAINTERS
from sakuga.engines.draw.report import report
from sakuga.engines.draw.svg import render_svg
from sakuga.prompt.artspec import ArtSpec
from sakuga.prompt.cast import read_cast
from sakuga.prompt.members import member_spec

SIZE = (256, 256)


def _pixels(prompt: str, seed: int = 7, only: set[str] | None = None) -> np.ndarray:
    spec = ArtSpec.from_text(prompt)
    svg = drawing_svg(spec, SIZE, seed, only=only)
    return np.asarray(render_svg(svg, SIZE).convert("RGB")).astype(int)


def _near(img: np.ndarray, rgb: tuple[int, int, int], tol: int = 40) -> np.ndarray:
    return np.abs(img - np.array(rgb)).sum(axis=2) < tol


def test_a_garage_is_drawn_and_reported() -> None:
    spec = ArtSpec.from_text("a boy fixing his bike in a garage")
    traits = traits_from_spec(spec)
    assert traits.background == "garage" and "garage" in PAINTERS
    drawn, missed = report(spec, traits)
    assert {"phrase": "garage", "by": "background: garage"} in drawn
    assert "garage" not in missed
    img = _pixels("a mechanic girl in a garage", only={"background"})
    floor = img[int(SIZE[1] * 0.85) :].reshape(-1, 3)
    # The concrete floor: grey (its channels close together), not a wooden one.
    assert np.median(floor.max(axis=1) - floor.min(axis=1)) < 25
    # The red toolbox on the bench.
    assert _near(img, (200, 48, 44), 70).sum() > 40


def test_a_fire_said_draws_a_fireplace_in_the_living_room() -> None:
    spec = ArtSpec.from_text("a girl knitting by the fire")
    traits = traits_from_spec(spec)
    assert traits.background == "living" and traits.features == ("fireplace",)
    _, missed = report(spec, traits)
    assert "fire" not in missed and not missed
    fire = _pixels("a girl knitting by the fire", only={"background"})
    plain = _pixels("a girl knitting in the living room", only={"background"})
    flame = (252, 150, 40)
    assert _near(fire, flame, 60).sum() > 100
    assert _near(fire, flame, 60).sum() > 8 * _near(plain, flame, 60).sum()


def test_fire_magic_is_no_fireplace() -> None:
    traits = traits_from_spec(ArtSpec.from_text("a wizard casting fire magic"))
    assert traits.background != "living" and traits.features == ()


def test_a_cabin_has_walls_of_logs() -> None:
    traits = traits_from_spec(ArtSpec.from_text("reading by the fireplace in a cozy cabin"))
    assert traits.background == "living"
    assert set(traits.features) == {"fireplace", "log walls"}
    cabin = _pixels("a girl by the fireplace in a log cabin", only={"background"})
    room = _pixels("a girl by the fireplace in the living room", only={"background"})

    # The upper wall's brightness changes log by log (their seams) in the cabin only.
    def ripple(img: np.ndarray) -> float:
        return float(np.abs(np.diff(img[:24, :40].mean(axis=(1, 2)))).max())

    assert ripple(cabin) > 3 * ripple(room)


def test_shrine_steps_are_drawn_when_said() -> None:
    spec = ArtSpec.from_text("a miko sweeping the shrine steps")
    traits = traits_from_spec(spec)
    assert traits.background == "shrine" and traits.features == ("steps",)
    assert "shrine steps" not in report(spec, traits)[1]
    steps = _pixels("a miko sweeping the shrine steps", only={"background"})
    flat = _pixels("a miko sweeping at the shrine", only={"background"})
    band = slice(int(SIZE[1] * 0.72), int(SIZE[1] * 0.88))
    # Tread over riser over tread: the band's rows alternate light and dark.
    rows = steps[band, SIZE[0] // 2 - 20 : SIZE[0] // 2 + 20].mean(axis=(1, 2))
    assert rows.max() - rows.min() > 20
    assert not np.array_equal(steps[band], flat[band])
    # Said where no steps are drawn, they are reported.
    spec = ArtSpec.from_text("a girl sweeping the stairs in a forest")
    assert "stairs" in report(spec)[1]


def test_a_cat_on_the_lap_is_drawn_solid() -> None:
    spec = ArtSpec.from_text("a girl sitting on a bench with a cat on her lap")
    svg = drawing_svg(spec, SIZE, 7)
    assert 'operator="dilate"' in svg
    gappy = re.sub(r'(<feMorphology operator="(?:dilate|erode)" radius=")[^"]+"', r'\g<1>0"', svg)
    solid = np.asarray(render_svg(svg, SIZE).convert("RGB")).astype(int)
    holes = np.asarray(render_svg(gappy, SIZE).convert("RGB")).astype(int)
    # The gaps between its legs, where the lap showed, are fur now.
    fur = _near(solid, (211, 136, 62), 90).sum() - _near(holes, (211, 136, 62), 90).sum()
    assert fur > 60
    drawn, _ = report(spec)
    assert {"phrase": "cat", "by": "library: cat, on the lap"} in drawn


def test_the_desk_shows_beside_a_bust() -> None:
    prompt = "a girl at her desk with a computer in her bedroom, portrait"
    spec = ArtSpec.from_text(prompt)
    assert traits_from_spec(spec).pose == "bust"
    drawn, _ = report(spec)
    assert {d["phrase"] for d in drawn} >= {"desk", "computer"}
    for seed in (1, 4, 8):  # versions whose desk the figure hid
        img = _pixels(prompt, seed)
        screen = _near(img, (86, 196, 236), 80)
        assert screen.sum() > 150, seed


def test_two_sitting_share_one_camera_for_their_bench() -> None:
    from sakuga.engines.draw.together import _row

    text = "a boy and a girl sitting on a bench in a park"
    spec = ArtSpec.from_text(text)
    cast = read_cast(text)
    assert cast is not None
    specs = [member_spec(spec, cast, m) for m in cast.members]
    traits = [traits_from_spec(s) for s in specs]
    for seed in (7, 8):
        row = _row(specs, traits, SIZE, seed, text)
        places = {p.figure_place() for p in row.painters}
        assert len(places) == 1  # the benches at one height and size: no step between
        assert row.painters[0].traits.bench_ends == (True, False)
