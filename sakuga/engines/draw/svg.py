"""Small helpers to write SVG: colours, elements, layers, and rendering with resvg."""

from __future__ import annotations

import colorsys
import io
import multiprocessing
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from xml.sax.saxutils import quoteattr

import numpy as np
from PIL import Image

from sakuga.errors import EngineError, EngineUnavailableError

RGB = tuple[int, int, int]


def hex_(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(max(0, min(255, round(c))) for c in rgb))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """``a`` moved ``t`` of the way to ``b``."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def shade(rgb: RGB, amount: float = 0.3, tint: RGB = (70, 50, 110)) -> RGB:
    """A cel-shading shadow tone: darker and pulled towards a cool ``tint``."""
    dark = (rgb[0] * (1 - amount), rgb[1] * (1 - amount), rgb[2] * (1 - amount))
    return mix((round(dark[0]), round(dark[1]), round(dark[2])), tint, amount * 0.45)


def light(rgb: RGB, amount: float = 0.3) -> RGB:
    """A highlight tone: towards white, a little warm."""
    return mix(rgb, (255, 252, 240), amount)


def line_of(rgb: RGB, ink: RGB) -> RGB:
    """Anime "coloured line art": the material's own colour, deepened towards the ink."""
    return mix(shade(rgb, 0.6), ink, 0.5)


def hue_shift(rgb: RGB, degrees: float, saturation: float = 1.0) -> RGB:
    h, lightness, s = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    r, g, b = colorsys.hls_to_rgb((h + degrees / 360) % 1.0, lightness, min(1.0, s * saturation))
    return (round(r * 255), round(g * 255), round(b * 255))


def vivid(
    rgb: tuple[float, float, float], saturation: tuple[float, float], value: tuple[float, float]
) -> RGB:
    """``rgb`` (channels in [0, 255], not rounded) made rich enough to read as an eye's
    colour: saturation and value each raised to at least a floor, then scaled by a
    gain (``(floor, gain)`` pairs, in [0, 1] units), capped at 1."""
    h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
    s = min(1.0, max(s, saturation[0]) * saturation[1])
    v = min(1.0, max(v, value[0]) * value[1])
    r, g, b = colorsys.hsv_to_rgb(h, s, v)
    return (int(r * 255), int(g * 255), int(b * 255))


def _soft_light(base: float, top: float) -> float:
    # The W3C compositing formula, on one channel in [0, 1].
    if top <= 0.5:
        return base - (1 - 2 * top) * base * (1 - base)
    d = ((16 * base - 12) * base + 4) * base if base <= 0.25 else base**0.5
    return base + (2 * top - 1) * (d - base)


def blend(rgb: RGB, top: RGB, opacity: float, mode: str = "soft-light") -> RGB:
    """``rgb`` under a ``top`` colour laid over it with a blend mode, per colour.

    Grading every colour as it is written gives the look of a full-frame blend
    layer at no rendering cost.
    """
    out = []
    for b, t in zip(rgb, top, strict=True):
        b1, t1 = b / 255, t / 255
        if mode == "multiply":
            v = b1 * t1
        elif mode == "screen":
            v = 1 - (1 - b1) * (1 - t1)
        else:
            v = _soft_light(b1, t1)
        out.append(round((b1 + (v - b1) * opacity) * 255))
    return (out[0], out[1], out[2])


def luminance(rgb: RGB) -> float:
    return (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255


_SIMPLE_SHAPES = frozenset({"rect", "circle", "ellipse", "path", "line", "polygon"})


def el(tag: str, children: Iterable[str] = (), /, **attrs: object) -> str:
    """An SVG element. ``stroke_width`` becomes ``stroke-width``; None values are dropped.

    On a single shape, ``opacity`` is written as fill- and stroke-opacity: the same
    look, but renderers then need no offscreen layer for it (many times faster).
    """
    if tag in _SIMPLE_SHAPES and attrs.get("opacity") is not None:
        opacity = attrs.pop("opacity")
        attrs.setdefault("fill_opacity", opacity)
        attrs.setdefault("stroke_opacity", opacity)
    parts = [tag]
    for key, value in attrs.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = f"{value:.2f}".rstrip("0").rstrip(".")
        parts.append(f"{name}={quoteattr(str(value))}")
    body = "".join(children)
    head = " ".join(parts)
    return f"<{head}>{body}</{tag}>" if body else f"<{head}/>"


def document(
    defs: Iterable[str],
    children: Iterable[str],
    size: tuple[int, int],
    origin: tuple[int, int] = (0, 0),
) -> str:
    """An SVG document of ``size`` pixels (user units are pixels) with its ``defs``: the
    picture's region of that size from ``origin`` (a whole picture from (0, 0))."""
    width, height = size
    return el(
        "svg",
        [el("defs", defs), *children],
        xmlns="http://www.w3.org/2000/svg",
        width=str(width),
        height=str(height),
        viewBox=f"{origin[0]} {origin[1]} {width} {height}",
    )


def group(layer: str, children: Iterable[str], **attrs: object) -> str:
    return el("g", children, id=layer, **attrs)


def fmt(*values: float) -> str:
    return " ".join(f"{v:.1f}".rstrip("0").rstrip(".") for v in values)


def render_svg(svg: str, size: tuple[int, int], *, elsewhere: bool = False) -> Image.Image:
    """Render ``svg`` (whose width/height are ``size``) to an RGBA image with resvg.

    resvg holds the interpreter's lock while it renders (a 2048² drawing: ~0.3 s in
    which no other thread of the process runs). ``elsewhere`` renders in a helper
    process instead, so a server's event loop keeps answering.
    """
    data = _render_elsewhere(svg) if elsewhere else render_png(svg)
    image = Image.open(io.BytesIO(data))
    image.load()
    if image.size != size:
        raise EngineError(f"renderer returned {image.size}, expected {size}")
    return image.convert("RGBA")


def render_png(svg: str) -> bytes:
    """The PNG bytes resvg makes of ``svg`` (runs in a helper process for `render_svg`)."""
    try:
        import resvg
        from resvg import usvg
    except ImportError:
        raise EngineUnavailableError("the draw engine needs resvg: pip install resvg") from None
    try:
        tree = usvg.Tree.from_str(svg, usvg.Options.default())
        return bytes(resvg.render(tree, (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)))
    except Exception as exc:  # resvg raises its own error types
        raise EngineError(f"could not render the drawing: {exc}") from None


def _render_elsewhere(svg: str) -> bytes:
    try:
        return _render_pool().submit(render_png, svg).result()
    except BrokenProcessPool:  # a helper died (or cannot start here): render in-process
        _render_pool.cache_clear()
        return render_png(svg)


@cache
def _render_pool() -> ProcessPoolExecutor:
    """Helper processes for `render_svg(elsewhere=True)`, started on first use (spawned:
    forking a process that runs threads is unsafe) and kept for the process's life."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=min(2, os.cpu_count() or 1),
        mp_context=context,
        initializer=_end_with_parent,
        initargs=(os.getpid(),),
    )


def _end_with_parent(parent: int) -> None:
    """In a helper: end when the process that started it ends, however it ends (a
    ``kill`` of the server must not leave helpers of ~120 MB each behind): a watcher
    thread sees the helper re-parented within a second. (Linux's PR_SET_PDEATHSIG is
    not used: it fires when the *thread* that started the helper ends.)"""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    if os.getppid() != parent:
        os._exit(0)  # the parent died before this helper started
    threading.Thread(target=watch, name="sakuga-end-with-parent", daemon=True).start()


def stop_helpers() -> None:
    """End the render helpers now, if any were started (a server's shutdown)."""
    if _render_pool.cache_info().currsize:
        _render_pool().shutdown(wait=False, cancel_futures=True)
        _render_pool.cache_clear()


def alpha_of(image: Image.Image) -> np.ndarray:
    return np.asarray(image.getchannel("A"))
