"""Write a tiny SD pipeline as one ``.safetensors`` in the original (LDM) single-file
key layout that community checkpoints use, and its config folder without weights.

The key names follow the CompVis layout that diffusers' single-file loader reads:
``model.diffusion_model.*`` (UNet), ``first_stage_model.*`` (VAE) and
``cond_stage_model.transformer.text_model.*`` (CLIP). The mapping is written here
from that layout's structure (input/middle/output blocks of the UNet, down/mid/up
of the VAE), for the tiny shapes in `tests.engines.tiny_diffusers`.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

RESNET = {
    "norm1": "in_layers.0",
    "conv1": "in_layers.2",
    "time_emb_proj": "emb_layers.1",
    "norm2": "out_layers.0",
    "conv2": "out_layers.3",
    "conv_shortcut": "skip_connection",
}
VAE_RESNET = {"conv_shortcut": "nin_shortcut"}
VAE_ATTENTION = {
    "group_norm": "norm",
    "to_q": "q",
    "to_k": "k",
    "to_v": "v",
    "to_out.0": "proj_out",
}


def _rename(rest: str, table: dict[str, str]) -> str:
    for new, old in table.items():
        if rest == new or rest.startswith(new + "."):
            return old + rest[len(new) :]
    return rest


def unet_key(key: str, layers: int, blocks: int) -> str:
    """diffusers UNet key → LDM key (``layers`` resnets per down block, ``blocks`` blocks)."""
    parts = key.split(".")
    fixed = {
        "conv_in": "input_blocks.0.0",
        "time_embedding.linear_1": "time_embed.0",
        "time_embedding.linear_2": "time_embed.2",
        "conv_norm_out": "out.0",
        "conv_out": "out.2",
    }
    for new, old in fixed.items():
        if key.startswith(new + "."):
            return old + key[len(new) :]
    step = layers + 1
    if parts[0] == "down_blocks":
        i, kind, j, rest = int(parts[1]), parts[2], int(parts[3]), ".".join(parts[4:])
        if kind == "downsamplers":
            return f"input_blocks.{step * (i + 1)}.0.op.{rest.removeprefix('conv.')}"
        slot = 0 if kind == "resnets" else 1
        rest = _rename(rest, RESNET) if kind == "resnets" else rest
        return f"input_blocks.{step * i + j + 1}.{slot}.{rest}"
    if parts[0] == "mid_block":
        kind, j, rest = parts[1], int(parts[2]), ".".join(parts[3:])
        if kind == "attentions":
            return f"middle_block.1.{rest}"
        return f"middle_block.{0 if j == 0 else 2}.{_rename(rest, RESNET)}"
    if parts[0] == "up_blocks":
        i, kind, j, rest = int(parts[1]), parts[2], int(parts[3]), ".".join(parts[4:])
        if kind == "upsamplers":
            # After the resnet (slot 0) and, in cross-attention blocks, the attention (1).
            return f"output_blocks.{step * i + layers}.UPSLOT.{rest}"
        slot = 0 if kind == "resnets" else 1
        rest = _rename(rest, RESNET) if kind == "resnets" else rest
        return f"output_blocks.{step * i + j}.{slot}.{rest}"
    raise KeyError(key)


def vae_key(key: str, blocks: int) -> str:
    parts = key.split(".")
    side = parts[0]
    if side in ("quant_conv", "post_quant_conv"):
        return key
    rest = ".".join(parts[1:])
    if rest.startswith("conv_norm_out."):
        return f"{side}.norm_out.{rest.removeprefix('conv_norm_out.')}"
    if rest.startswith(("conv_in.", "conv_out.")):
        return key
    sub = rest.split(".")
    if sub[0] == "mid_block":
        kind, j, tail = sub[1], int(sub[2]), ".".join(sub[3:])
        if kind == "attentions":
            return f"{side}.mid.attn_1.{_rename(tail, VAE_ATTENTION)}"
        return f"{side}.mid.block_{j + 1}.{_rename(tail, VAE_RESNET)}"
    i, kind, tail = int(sub[1]), sub[2], ".".join(sub[3:])
    if side == "encoder":
        if kind == "downsamplers":
            return f"encoder.down.{i}.downsample.{tail.removeprefix('0.')}"
        j, tail = tail.split(".", 1)
        return f"encoder.down.{i}.block.{j}.{_rename(tail, VAE_RESNET)}"
    level = blocks - 1 - i  # the decoder's up blocks are numbered the other way round
    if kind == "upsamplers":
        return f"decoder.up.{level}.upsample.{tail.removeprefix('0.')}"
    j, tail = tail.split(".", 1)
    return f"decoder.up.{level}.block.{j}.{_rename(tail, VAE_RESNET)}"


def write_single_file(folder: Path, out: Path, config_dir: Path) -> tuple[Path, Path]:
    """The pipeline in ``folder`` as one LDM-layout safetensors ``out``, plus its config
    folder ``config_dir`` (every file but the weights)."""
    import torch
    from diffusers import StableDiffusionPipeline
    from safetensors.torch import save_file

    pipe = StableDiffusionPipeline.from_pretrained(folder, use_safetensors=True)
    layers = pipe.unet.config.layers_per_block
    blocks = len(pipe.unet.config.block_out_channels)
    tensors: dict[str, Any] = {}
    up_slots = {}
    for i, block in enumerate(pipe.unet.up_blocks):
        up_slots[i] = 2 if getattr(block, "attentions", None) else 1
    for key, value in pipe.unet.state_dict().items():
        ldm = unet_key(key, layers, blocks)
        if ".UPSLOT." in ldm:
            index = int(ldm.split(".")[1])
            ldm = ldm.replace(".UPSLOT.", f".{up_slots[index // (layers + 1)]}.")
        tensors["model.diffusion_model." + ldm] = value
    vae_blocks = len(pipe.vae.config.block_out_channels)
    for key, value in pipe.vae.state_dict().items():
        ldm = vae_key(key, vae_blocks)
        if ".mid.attn_1." in ldm and value.ndim == 2:
            value = value[:, :, None, None]  # the LDM VAE's attention uses 1×1 convolutions
        tensors["first_stage_model." + ldm] = value
    for key, value in pipe.text_encoder.state_dict().items():
        inner = key if key.startswith("text_model.") else "text_model." + key
        tensors["cond_stage_model.transformer." + inner] = value
    save_file({k: v.contiguous().to(torch.float32) for k, v in tensors.items()}, str(out))
    shutil.copytree(folder, config_dir, ignore=shutil.ignore_patterns("*.safetensors", "_tok"))
    return out, config_dir
