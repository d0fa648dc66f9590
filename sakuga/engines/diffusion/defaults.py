"""What one run uses: the request's options, over the model family's row, over the
architecture's defaults; and the prediction type the checkpoint was trained with.

Each value remembers where it came from, so the recipe says which settings the family
supplied and a rerun of the same request on the same model applies the same ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from sakuga.engines.diffusion.families import Family
from sakuga.engines.diffusion.samplers import DEFAULT_SAMPLER, Noise, Sampler, get_sampler
from sakuga.errors import SpecError

#: The architectures' own defaults, where neither the request nor a family sets one.
ARCH_DEFAULTS: Final = {
    "sd": {"steps": 25, "cfg": 7.0, "clip_skip": 1},
    "sdxl": {"steps": 25, "cfg": 6.0, "clip_skip": 1},  # 1 and 2 are one on SDXL
}
#: Lin et al. 2024's guidance rescale for zero-terminal-SNR models (diffusers' docs).
ZERO_SNR_RESCALE: Final = 0.7
PREDICTIONS: Final = {"epsilon": "epsilon", "eps": "epsilon", "v": "v_prediction",
                      "v_prediction": "v_prediction", "v-prediction": "v_prediction"}  # fmt: skip


@dataclass(frozen=True)
class RunSettings:
    """The settings of one run and which of them came from the family's row."""

    steps: int
    cfg: float
    sampler: Sampler
    clip_skip: int
    guidance_rescale: float
    noise: Noise
    family: Family
    from_family: tuple[str, ...]  # A1111 names of the settings the family supplied


def noise_of(
    options: Mapping[str, Any],
    scheduler_config: Mapping[str, Any],
    keys: frozenset[str],
    family: Family,
) -> Noise:
    """The checkpoint's prediction type and zero-SNR training: the ``prediction`` and
    ``zero_snr`` options win; else a single file's marker keys; else a diffusers
    folder's scheduler config; else the family's row; else epsilon."""
    if "prediction" in options:
        asked = str(options["prediction"]).lower()
        if asked not in PREDICTIONS:
            raise SpecError(f"prediction must be epsilon or v_prediction, got {asked!r}")
        prediction = PREDICTIONS[asked]
        zero_snr = bool(options.get("zero_snr", prediction == "v_prediction" and family.zero_snr))
        return Noise(prediction, zero_snr and prediction == "v_prediction", "option")
    if "zero_snr" in options:
        raise SpecError("zero_snr goes with prediction (v_prediction)")
    if "v_pred" in keys:
        return Noise("v_prediction", "ztsnr" in keys, "marker keys")
    if scheduler_config.get("prediction_type") == "v_prediction":
        zero_snr = bool(scheduler_config.get("rescale_betas_zero_snr")) or family.zero_snr
        return Noise("v_prediction", zero_snr, "scheduler config")
    if family.prediction == "v_prediction":
        return Noise("v_prediction", family.zero_snr, f"family {family.name}")
    return Noise()


def run_settings(
    options: Mapping[str, Any], family: Family, arch: str, noise: Noise
) -> RunSettings:
    """The run's settings (see the module's docstring), checked."""
    base = ARCH_DEFAULTS[arch]
    supplied: list[str] = []

    def pick(option: str, row: Any, fallback: Any, label: str) -> Any:
        if option in options:
            return options[option]
        if row is not None:
            supplied.append(label)
            return row
        return fallback

    steps = int(pick("steps", family.steps, base["steps"], "Steps"))
    cfg = float(pick("cfg", family.cfg, base["cfg"], "CFG scale"))
    # A zero-SNR model with no family sampler gets Euler (what such cards ask for).
    fallback_sampler = "Euler" if noise.zero_snr else DEFAULT_SAMPLER
    sampler = get_sampler(pick("sampler", family.sampler, fallback_sampler, "Sampler"))
    clip_skip = int(pick("clip_skip", family.clip_skip, base["clip_skip"], "Clip skip"))
    rescale_default = ZERO_SNR_RESCALE if noise.zero_snr else 0.0
    rescale = float(
        pick("guidance_rescale", family.guidance_rescale, rescale_default, "Guidance rescale")
    )
    if not 1 <= steps <= 150:
        raise SpecError(f"steps must be between 1 and 150, got {steps}")
    if not 0 <= cfg <= 30:
        raise SpecError(f"cfg must be between 0 and 30, got {cfg:g}")
    if not 1 <= clip_skip <= 12:
        raise SpecError(f"clip_skip must be between 1 and 12 (A1111's numbering), got {clip_skip}")
    if not 0 <= rescale <= 1:
        raise SpecError(f"guidance_rescale must be between 0 and 1, got {rescale:g}")
    return RunSettings(steps, cfg, sampler, clip_skip, rescale, noise, family, tuple(supplied))
