"""The `diffusers` engine: local Stable Diffusion 1.x and SDXL anime checkpoints.

One loaded pipeline per model, device and precision, reused for every task:
text → image with the base pipeline; photo → anime and variations with its
img2img sibling; masked edits with its inpainting sibling (``from_pipe`` shares the
weights). The protocol pastes the original back outside the mask afterwards, as
for every engine.

Options (``EngineRequest.options``; CLI flags of the same names): ``steps``,
``cfg``, ``sampler`` (A1111 names), ``clip_skip`` (A1111 numbering), ``loras``
(list of ``[path, weight]``), ``strength`` (img2img), ``device``
(cuda/mps/cpu), ``dtype``, ``config`` (config folder for single files),
``attention_slicing``, ``vae_tiling``, ``cpu_offload``, ``ip_adapter``
(a folder with IP-Adapter weights, for identity from the photo or references).

The engine is `engine.DiffusersEngine`; what a run shares is in `runtime`, what it adds
to the pipeline (LoRAs, an IP-Adapter, ControlNets) in `conditioning`, its second
passes (hires fix, detailer) in `passes`, loading in `loading`.
"""

from sakuga.engines.diffusion.engine import DiffusersEngine
from sakuga.engines.diffusion.runtime import choose_device, latent_preview, parse_lora

__all__ = ["DiffusersEngine", "choose_device", "latent_preview", "parse_lora"]
