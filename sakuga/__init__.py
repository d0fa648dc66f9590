"""Sakuga: an anime art studio.

The public surface::

    from sakuga import ArtSpec, critique, EngineRequest, Task, get_engine

    spec = ArtSpec.from_text("a calm anime boy with short silver hair ...")
    engine = get_engine("toon")
    result = engine.run(EngineRequest(Task.PHOTO_TO_ANIME, spec=spec, image=photo))
"""

from sakuga.engines.base import Engine, EngineRequest, EngineResult, Progress, Task
from sakuga.engines.registry import best_engine, engine_names, get_engine
from sakuga.errors import SakugaError
from sakuga.imaging.io import open_image
from sakuga.imaging.metadata import Recipe, read_recipe, save_image
from sakuga.prompt.artspec import PARTS, ArtSpec
from sakuga.prompt.critique import Critique, critique
from sakuga.prompt.styles import STYLES, get_style
from sakuga.prompt.uses import USES, get_use

__version__ = "0.1.0"

__all__ = [
    "PARTS",
    "STYLES",
    "USES",
    "ArtSpec",
    "Critique",
    "Engine",
    "EngineRequest",
    "EngineResult",
    "Progress",
    "Recipe",
    "SakugaError",
    "Task",
    "__version__",
    "best_engine",
    "critique",
    "engine_names",
    "get_engine",
    "get_style",
    "get_use",
    "open_image",
    "read_recipe",
    "save_image",
]
