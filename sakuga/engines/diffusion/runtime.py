"""What every run of the diffusers engine shares: the device and precision, a latent's
cheap preview and the per-step progress it feeds, the size to draw at, and small readers
of options and pipelines."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, Final

import numpy as np
from PIL import Image

from sakuga.engines.base import EngineRequest, Progress, ProgressCallback, wants_previews
from sakuga.engines.diffusion.defaults import RunSettings
from sakuga.engines.diffusion.families import nearest_bucket
from sakuga.errors import EngineError, SpecError
from sakuga.settings import settings

#: Fixed latent → RGB projections (4 latent channels → RGB, plus an offset): a preview
#: per step costs one small matrix product instead of a VAE decode.
LATENT_RGB: Final = {
    "sd": (
        (
            (0.298, 0.207, 0.208),
            (0.187, 0.286, 0.173),
            (-0.158, 0.189, 0.264),
            (-0.184, -0.271, -0.473),
        ),
        (0.0, 0.0, 0.0),
    ),
    "sdxl": (
        (
            (0.3651, 0.4232, 0.4341),
            (-0.2533, -0.0042, 0.1068),
            (0.1076, 0.1111, -0.0362),
            (-0.3165, -0.2492, -0.2188),
        ),
        (0.1084, -0.0175, -0.0011),
    ),
}


def latent_preview(latents: Any, arch: str) -> Image.Image:
    """The first latent of a batch as a small RGB picture (a fixed linear projection)."""
    matrix, offset = LATENT_RGB[arch]
    lat = latents[0].float().cpu().numpy()  # (4, h, w)
    rgb = np.einsum("chw,cr->hwr", lat, np.array(matrix, np.float32)) + np.array(offset)
    return Image.fromarray(np.clip((rgb + 1) * 127.5, 0, 255).astype(np.uint8), "RGB")


def choose_device(asked: str | None) -> tuple[str, Any]:
    """The device and precision: CUDA in bf16 on cards that compute it natively (Ampere,
    compute capability 8, and later), fp16 on older ones (RTX 20-series and GTX, where
    torch only emulates bf16, slowly; the SDXL VAE's fp32 upcast covers fp16), Apple
    MPS in fp16, else the CPU in fp32. ``asked`` overrides the device."""
    import torch

    device = (asked or settings().device or "").lower() or None
    if device is None:
        if torch.cuda.is_available():
            device = "cuda"
        elif getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            device = "mps"
        else:
            device = "cpu"
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise EngineError("--device cuda asked for, but torch sees no CUDA GPU")
        index = torch.device(device).index
        major, _ = torch.cuda.get_device_capability(index if index is not None else 0)
        dtype = torch.bfloat16 if major >= 8 else torch.float16
    elif device == "mps":
        dtype = torch.float16
    elif device == "cpu":
        dtype = torch.float32
    else:
        raise SpecError(f"device must be cuda, mps or cpu, got {asked!r}")
    return device, dtype


def dtype_of(name: str | None, default: Any) -> Any:
    import torch

    if not name:
        return default
    table = {
        "fp16": torch.float16,
        "float16": torch.float16,
        "bf16": torch.bfloat16,
        "bfloat16": torch.bfloat16,
        "fp32": torch.float32,
        "float32": torch.float32,
    }
    if name.lower() not in table:
        raise SpecError(f"dtype must be fp16, bf16 or fp32, got {name!r}")
    return table[name.lower()]


def parse_lora(text: str) -> tuple[str, float]:
    """``FILE[:WEIGHT]`` → (file, weight); the weight defaults to 1.0."""
    path, sep, weight = text.rpartition(":")
    if sep and path and not weight.startswith(("\\", "/")):
        try:
            return path, float(weight)
        except ValueError:
            pass
    return text, 1.0


def as_list(value: Any) -> list[str]:
    """An option given as one text or a list of them."""
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def takes(pipe: Any, argument: str) -> bool:
    """Whether ``pipe``'s call takes ``argument``."""
    return argument in inspect.signature(pipe.__call__).parameters


def short_path(folder: Path) -> str:
    """The last two parts of a folder (``models/image_encoder``): which one, not where."""
    return "/".join(folder.parts[-2:])


def prediction_text(run: RunSettings) -> str:
    zero = ", zero terminal SNR" if run.noise.zero_snr else ""
    return f"{run.noise.prediction}{zero} (from {run.noise.found})"


def generation_size(
    want: tuple[int, int], native: int, buckets: tuple[tuple[int, int], ...] = ()
) -> tuple[int, int]:
    """The size to generate at: the nearest of the model's training ``buckets`` (SDXL
    families), else the model's native area at ``want``'s aspect, in multiples of 8
    (the VAE's factor); the protocol crops and resizes to ``want`` after."""
    if buckets:
        return nearest_bucket(want, buckets, native)
    aspect = want[0] / want[1]
    area = native * native
    width = max(8, round((area * aspect) ** 0.5 / 8) * 8)
    height = max(8, round((area / aspect) ** 0.5 / 8) * 8)
    return width, height


def step_callback(
    request: EngineRequest,
    progress: ProgressCallback,
    arch: str,
    steps: int,
    label: str = "step",
) -> Any:
    previews = wants_previews(progress)

    def on_step_end(pipe: Any, step: int, timestep: Any, tensors: dict[str, Any]) -> dict[str, Any]:
        preview = latent_preview(tensors["latents"], arch) if previews else None
        # Raising CancelledError here stops the pipeline between steps.
        progress(Progress(step + 1, pipe.num_timesteps, f"{label} {step + 1}", preview=preview))
        return {}

    return on_step_end
