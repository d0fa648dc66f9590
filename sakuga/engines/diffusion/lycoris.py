"""LyCORIS LoHa and LoKr files, merged into the model's weights for one run.

diffusers loads LoRAs (low-rank pairs) but not LyCORIS's other factorisations, which
A1111 users download as often. Their update to each layer's weight is written here
from the LyCORIS formulation:

- **LoHa** (Hadamard product): ΔW = (w1_a · w1_b) ⊙ (w2_a · w2_b) · α / r, with r the
  rank (the rows of ``w1_b``);
- **LoKr** (Kronecker product): ΔW = w1 ⊗ w2 · α / r, each factor stored whole or as a
  product of two (``w1_a · w1_b``); the α / r scale applies when a factor is
  decomposed (r its rank), else 1. A convolution's ``w2`` may be 4-D (its kernel).

Layers are named as kohya names them: ``lora_unet_`` / ``lora_te_`` (``lora_te1_``,
``lora_te2_`` for SDXL's two text encoders) and the layer's diffusers module path with
its dots as underscores. A layer that cannot be found (SDXL files that use the original
SGM block names, ``input_blocks_…``) is an error naming it, never skipped. The
weights touched are copied first and put back after the run, exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sakuga.engines.diffusion.families import safetensors_header
from sakuga.errors import ModelError

#: Key suffixes of the two formats (the part after the layer's name).
LOHA: Final = ("hada_w1_a", "hada_w1_b", "hada_w2_a", "hada_w2_b")
LOKR: Final = ("lokr_w1", "lokr_w1_a", "lokr_w1_b", "lokr_w2", "lokr_w2_a", "lokr_w2_b")
#: kohya's prefixes, longest first, and which of the pipeline's models each names.
ROOTS: Final = (
    ("lora_unet_", "unet"),
    ("lora_te1_", "text_encoder"),
    ("lora_te2_", "text_encoder_2"),
    ("lora_te_", "text_encoder"),
)


def is_lycoris(path: Path) -> bool:
    """Whether a safetensors file is a LoHa or LoKr (by its keys; no weights read)."""
    return any(key.rpartition(".")[2] in (*LOHA, *LOKR) for key in safetensors_header(path))


@dataclass
class Merged:
    """Weights changed for a run, with their originals to put back."""

    originals: list[tuple[Any, Any]] = field(default_factory=list)  # (parameter, copy)

    def restore(self) -> None:
        import torch

        with torch.no_grad():
            for parameter, original in reversed(self.originals):
                parameter.copy_(original)
        self.originals.clear()


def _layers(model: Any) -> dict[str, Any]:
    """A model's weighted layers by kohya's name for them (dots as underscores; a text
    encoder's also without transformers' ``text_model`` level, which v5 dropped)."""
    found: dict[str, Any] = {}
    for name, module in model.named_modules():
        if getattr(module, "weight", None) is None:
            continue
        key = name.replace(".", "_")
        found[key] = module
        found.setdefault(f"text_model_{key}", module)
    return found


def _delta(parts: dict[str, Any], shape: tuple[int, ...]) -> Any:
    """The layer's update from its LoHa or LoKr factors, in the weight's shape."""
    import torch

    alpha = parts.get("alpha")
    if "hada_w1_a" in parts:
        if "hada_t1" in parts:
            raise ValueError("LoHa with CP-decomposed convolutions (hada_t1) is not supported")
        rank = parts["hada_w1_b"].shape[0]
        scale = float(alpha) / rank if alpha is not None else 1.0
        first = parts["hada_w1_a"].float() @ parts["hada_w1_b"].float()
        second = parts["hada_w2_a"].float() @ parts["hada_w2_b"].float()
        return (first * second * scale).reshape(shape)
    if "lokr_t2" in parts:
        raise ValueError("LoKr with CP-decomposed convolutions (lokr_t2) is not supported")
    factors, rank = [], None
    for side in ("w1", "w2"):
        if f"lokr_{side}" in parts:
            factors.append(parts[f"lokr_{side}"].float())
        else:
            low = parts[f"lokr_{side}_b"]
            rank = low.shape[0]
            factor = parts[f"lokr_{side}_a"].float() @ low.float().flatten(1)
            if side == "w2" and len(shape) == 4 and low.dim() == 4:
                factor = factor.reshape(factor.shape[0], *low.shape[1:])
            factors.append(factor)
    w1, w2 = factors
    if w2.dim() == 4:
        w1 = w1[:, :, None, None]  # a convolution's kernel is in w2
    scale = float(alpha) / rank if alpha is not None and rank else 1.0
    return (torch.kron(w1, w2) * scale).reshape(shape)


def merge(pipe: Any, path: Path, weight: float, merged: Merged) -> int:
    """Add the file's updates, times ``weight``, to ``pipe``'s weights (the originals
    kept in ``merged``); the number of layers changed."""
    import torch
    from safetensors.torch import load_file

    groups: dict[str, dict[str, Any]] = {}
    for key, tensor in load_file(str(path)).items():
        layer, _, part = key.rpartition(".")
        groups.setdefault(layer, {})[part] = tensor
    models = {
        attr: _layers(model)
        for attr in ("unet", "text_encoder", "text_encoder_2")
        if (model := getattr(pipe, attr, None)) is not None
    }
    changed = 0
    with torch.no_grad():
        for layer, parts in groups.items():
            if not any(p in parts for p in (*LOHA, *LOKR)):
                continue
            module = None
            for prefix, attr in ROOTS:
                if layer.startswith(prefix) and attr in models:
                    module = models[attr].get(layer[len(prefix) :])
                    break
            if module is None:
                raise ModelError(
                    f"{path.name}: no layer {layer!r} in this model (a LyCORIS file for "
                    "another architecture, or one in the original SGM block names, which "
                    "Sakuga does not map)"
                )
            parameter = module.weight
            try:
                delta = _delta(parts, tuple(parameter.shape))
            except (ValueError, RuntimeError, KeyError) as exc:
                raise ModelError(f"{path.name}: layer {layer!r}: {exc}") from None
            merged.originals.append((parameter, parameter.detach().clone()))
            parameter.add_((delta * weight).to(parameter.dtype).to(parameter.device))
            changed += 1
    return changed
