"""Samplers by the names AUTOMATIC1111 users know, mapped to diffusers schedulers.

Every run builds its scheduler afresh from the checkpoint's own scheduler config as it
was loaded (never from the pipeline's current scheduler, which the previous run
replaced), with each sampler's knobs set explicitly: "DPM++ 2M" after "DPM++ 2M SDE
Karras" has neither Karras sigmas nor the SDE algorithm.

A v-prediction checkpoint gets ``prediction_type`` set; one trained with zero terminal
SNR also gets rescaled betas and "trailing" timestep spacing (Lin et al. 2024, as
diffusers documents). Samplers whose diffusers scheduler cannot rescale the betas,
and Karras schedules (which start at σ ≈ 4096 there), are refused for such a model
rather than run wrong.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from sakuga.errors import SpecError


@dataclass(frozen=True)
class Sampler:
    name: str
    scheduler: str  # class name in diffusers
    options: dict[str, Any] = field(default_factory=dict)


#: Knobs a sampler turns on; any the scheduler takes is set to off unless the sampler
#: names it, so a checkpoint's own scheduler config (or an older run) cannot leak in.
_OFF: Final = {
    "use_karras_sigmas": False,
    "use_exponential_sigmas": False,
    "use_beta_sigmas": False,
}

SAMPLERS: Final = {
    s.name.lower(): s
    for s in (
        Sampler("Euler a", "EulerAncestralDiscreteScheduler"),
        Sampler("Euler", "EulerDiscreteScheduler"),
        Sampler(
            "DPM++ 2M",
            "DPMSolverMultistepScheduler",
            {"algorithm_type": "dpmsolver++", "solver_order": 2},
        ),
        Sampler(
            "DPM++ 2M Karras",
            "DPMSolverMultistepScheduler",
            {"algorithm_type": "dpmsolver++", "solver_order": 2, "use_karras_sigmas": True},
        ),
        Sampler(
            "DPM++ 2M SDE Karras",
            "DPMSolverMultistepScheduler",
            {"algorithm_type": "sde-dpmsolver++", "solver_order": 2, "use_karras_sigmas": True},
        ),
        Sampler("DPM++ SDE", "DPMSolverSinglestepScheduler"),
        Sampler("DDIM", "DDIMScheduler"),
        Sampler("UniPC", "UniPCMultistepScheduler"),
        Sampler("LMS", "LMSDiscreteScheduler"),
        Sampler("Heun", "HeunDiscreteScheduler"),
    )
}
DEFAULT_SAMPLER: Final = "DPM++ 2M Karras"


@dataclass(frozen=True)
class Noise:
    """What a checkpoint predicts, and whether it was trained with zero terminal SNR;
    ``found`` says where that was read (marker keys, scheduler config, family, option)."""

    prediction: str = "epsilon"
    zero_snr: bool = False
    found: str = "default"


def get_sampler(name: str | None, default: str = DEFAULT_SAMPLER) -> Sampler:
    """The sampler called ``name`` (case-insensitive; ``_`` and ``-`` read as spaces)."""
    key = (name or default).replace("_", " ").strip().lower()
    if key not in SAMPLERS:
        known = ", ".join(s.name for s in SAMPLERS.values())
        raise SpecError(f"unknown sampler {name!r}; samplers: {known}")
    return SAMPLERS[key]


def zero_snr_samplers() -> list[str]:
    """The samplers that can run a zero-terminal-SNR checkpoint."""
    return [s.name for s in SAMPLERS.values() if _zero_snr_problem(s) is None]


def _zero_snr_problem(sampler: Sampler) -> str | None:
    import diffusers

    cls = getattr(diffusers, sampler.scheduler)
    if "rescale_betas_zero_snr" not in inspect.signature(cls.__init__).parameters:
        return f"diffusers' {sampler.scheduler} cannot rescale its betas to zero terminal SNR"
    if sampler.options.get("use_karras_sigmas"):
        return "a Karras schedule starts at σ ≈ 4096 with zero terminal SNR"
    return None


def scheduler_config(config: Mapping[str, Any], noise: Noise) -> dict[str, Any]:
    """The loaded scheduler ``config`` with the checkpoint's prediction applied."""
    out = {k: v for k, v in config.items() if not k.startswith("_")}
    out["prediction_type"] = noise.prediction
    if noise.zero_snr:
        out["rescale_betas_zero_snr"] = True
        out["timestep_spacing"] = "trailing"
    return out


def make_scheduler(sampler: Sampler, config: Mapping[str, Any], noise: Noise = Noise()) -> Any:
    """A new scheduler of ``sampler``'s kind from a checkpoint's loaded scheduler
    ``config`` (never a scheduler a run has replaced), for its ``noise``."""
    import diffusers

    if noise.zero_snr and (problem := _zero_snr_problem(sampler)) is not None:
        raise SpecError(
            f"sampler {sampler.name!r} cannot run this zero-terminal-SNR v-prediction model "
            f"({problem}); use one of: {', '.join(zero_snr_samplers())}"
        )
    cls = getattr(diffusers, sampler.scheduler)
    accepted = inspect.signature(cls.__init__).parameters
    knobs = {k: v for k, v in _OFF.items() if k in accepted}
    knobs.update(sampler.options)
    return cls.from_config(scheduler_config(config, noise), **knobs)
