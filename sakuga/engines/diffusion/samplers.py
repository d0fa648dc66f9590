"""Samplers by the names AUTOMATIC1111 users know, mapped to diffusers schedulers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from sakuga.errors import SpecError


@dataclass(frozen=True)
class Sampler:
    name: str
    scheduler: str  # class name in diffusers
    options: dict[str, Any] = field(default_factory=dict)


SAMPLERS: Final = {
    s.name.lower(): s
    for s in (
        Sampler("Euler a", "EulerAncestralDiscreteScheduler"),
        Sampler("Euler", "EulerDiscreteScheduler"),
        Sampler("DPM++ 2M", "DPMSolverMultistepScheduler"),
        Sampler("DPM++ 2M Karras", "DPMSolverMultistepScheduler", {"use_karras_sigmas": True}),
        Sampler(
            "DPM++ 2M SDE Karras",
            "DPMSolverMultistepScheduler",
            {"use_karras_sigmas": True, "algorithm_type": "sde-dpmsolver++"},
        ),
        Sampler("DPM++ SDE", "DPMSolverSinglestepScheduler"),
        Sampler("DDIM", "DDIMScheduler"),
        Sampler("UniPC", "UniPCMultistepScheduler"),
        Sampler("LMS", "LMSDiscreteScheduler"),
        Sampler("Heun", "HeunDiscreteScheduler"),
    )
}
DEFAULT_SAMPLER: Final = "DPM++ 2M Karras"


def get_sampler(name: str | None) -> Sampler:
    """The sampler called ``name`` (case-insensitive; ``_`` and ``-`` read as spaces)."""
    key = (name or DEFAULT_SAMPLER).replace("_", " ").strip().lower()
    if key not in SAMPLERS:
        known = ", ".join(s.name for s in SAMPLERS.values())
        raise SpecError(f"unknown sampler {name!r}; samplers: {known}")
    return SAMPLERS[key]


def make_scheduler(sampler: Sampler, config: Any) -> Any:
    """A new scheduler of ``sampler``'s kind from a pipeline's scheduler ``config``."""
    import diffusers

    cls = getattr(diffusers, sampler.scheduler)
    return cls.from_config(config, **sampler.options)
