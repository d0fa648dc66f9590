"""An export: art laid out for its use and recorded in the library as a child of its source."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from sakuga.compose.layouts import Layout, compose
from sakuga.engines.base import EngineRequest, EngineResult, Task
from sakuga.prompt.artspec import ArtSpec
from sakuga.studio.library.library import Generation, Library


@dataclass(frozen=True)
class Export:
    layout: Layout
    request: EngineRequest
    result: EngineResult
    generation: Generation


def record_export(
    library: Library,
    art: Image.Image,
    use: str,
    *,
    parent: Generation | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    credits: str | None = None,
    font: str | None = None,
) -> Export:
    """Lay ``art`` out for ``use`` with its text and record it (a child of ``parent``)."""
    layout = compose(
        art,
        use,
        title=title,
        subtitle=subtitle,
        credits=credits,
        font=font,
        known_faces=drawn_heads(parent, art),
    )
    spec = ArtSpec.build(**(parent.request.get("spec", {}) if parent else {})).merged(use=use)
    text = {"title": title, "subtitle": subtitle, "credits": credits, "font": font}
    options = {"export": True, "use": use, **{k: v for k, v in text.items() if v is not None}}
    request = EngineRequest(
        Task.VARIATION, spec=spec, image=art, options=options, size=layout.image.size
    )
    result = EngineResult(images=[layout.image], engine="compose", model="layout", seeds=[None])
    recorded = library.record(request, result, parent_id=parent.id if parent else None)[0]
    return Export(layout, request, result, recorded)


def drawn_heads(parent: Generation | None, art: Image.Image) -> list[tuple[int, int, int, int]]:
    """Where `draw` put the head in ``parent``'s picture (it knows; a face detector
    misses many drawn faces), so no title covers it; none for another engine's."""
    if parent is None or parent.engine != "draw" or parent.seed is None:
        return []
    from sakuga.engines.draw import head_boxes

    spec = ArtSpec.build(**parent.request.get("spec", {}))
    return head_boxes(spec, art.size, parent.seed)
