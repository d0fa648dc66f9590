"""What held-out judge 21 found (#31) in what `draw` says it drew: two cats drawn as one
and called drawn, a hospital corridor drawn as a school's hallway and called drawn, a
city skyline over a rooftop reported as "city" not drawn, and "thank you so much"
reported as a thing not drawn. (Its crash, "drawing with crayons" read as an unknown
style, is tested with the prompt's parser.)"""

from __future__ import annotations

from sakuga.engines.draw import traits_from_spec
from sakuga.engines.draw.report import report
from sakuga.prompt.artspec import ArtSpec


def _report(prompt: str) -> tuple[list[str], list[str]]:
    spec = ArtSpec.from_text(prompt)
    drawn, missed = report(spec, traits_from_spec(spec))
    return [d["phrase"] for d in drawn], missed


def test_two_animals_as_the_subject_say_that_one_is_drawn() -> None:
    _drawn, missed = _report("no humans, two cats sleeping on a windowsill, rainy day")
    assert "cats: only one drawn" in missed
    _drawn, missed = _report("no humans, a cat sleeping on a windowsill")
    assert not any("only one" in m for m in missed)


def test_a_corridor_of_a_place_not_drawn_is_reported() -> None:
    """The hallway drawn is a school's (lockers): a museum's is not it; a long or a
    school corridor is (a hospital's has a place of its own now)."""
    drawn, missed = _report("1girl, nurse, pink hair, holding clipboard, museum corridor")
    assert "museum corridor" in missed and "museum corridor" not in drawn
    for said in ("a girl in a long hallway", "school corridor, a girl"):
        drawn, missed = _report(said)
        assert missed == [] and drawn, said


def test_the_city_of_a_city_skyline_is_the_skyline_drawn() -> None:
    drawn, missed = _report("anime boy with a guitar on a rooftop, city skyline, dusk")
    assert "city skyline" in drawn and "city" not in missed
    # Another place's word is still reported where the place drawn is not it.
    _drawn, missed = _report("a girl in a forest, city park")
    assert "city" in missed


def test_thanks_and_greetings_ask_for_nothing() -> None:
    _drawn, missed = _report(
        "hello please i want draw a old man, he is on a bench in a park, thank you so much"
    )
    assert not any("thank" in m or "hello" in m for m in missed)


def test_the_winds_swooshes_pass_by_the_face() -> None:
    """Anime wind is long swooshes across the frame; across a face they read as whiskers
    (judge 21): none crosses the head, on any of several versions."""
    import numpy as np

    from sakuga.engines.draw import _painter
    from sakuga.engines.draw.svg import render_svg

    spec = ArtSpec.from_text("anime boy on a rooftop, white hoodie, dusk, wind blowing hair")
    size = (256, 256)
    for seed in range(1, 6):
        painter = _painter(spec, size, seed)
        box = painter.head_box(size)
        assert box is not None
        x0, y0, x1, y1 = box
        wind = np.asarray(render_svg(painter.document(size, only={"weather"}), size))[..., 3]
        assert wind.any(), seed  # the wind is drawn
        assert not wind[y0:y1, x0:x1].any(), seed  # but not across the head
