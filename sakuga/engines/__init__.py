"""Who makes the pixels: the engine protocol, the registry, and the engines."""

from sakuga.engines.base import (
    Availability,
    Engine,
    EngineRequest,
    EngineResult,
    Progress,
    ProgressCallback,
    Task,
)
from sakuga.engines.registry import all_engines, best_engine, engine_names, get_engine

__all__ = [
    "Availability",
    "Engine",
    "EngineRequest",
    "EngineResult",
    "Progress",
    "ProgressCallback",
    "Task",
    "all_engines",
    "best_engine",
    "engine_names",
    "get_engine",
]
