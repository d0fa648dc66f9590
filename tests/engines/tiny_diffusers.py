"""Tiny random-weight SD and SDXL pipelines built in code (no downloads), saved with
``save_pretrained`` so the engine loads them through the path users hit.

The shapes follow diffusers' own pipeline tests: a two-block UNet, a VAE with four
blocks (scale factor 8), two-layer CLIP text encoders, and a CLIP BPE tokenizer
written from an in-code vocabulary and merges.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LETTERS = "abcdefghijklmnopqrstuvwxyz"
MERGES = ["t h", "th e</w>", "a n", "i n", "e r", "o n", "h a", "a i", "ai r</w>", "g i", "gi r"]


#: The tiny UNet both architectures share: two blocks, native size 8 latents (64 px).
UNET: dict[str, Any] = {
    "block_out_channels": (32, 64),
    "layers_per_block": 1,
    "sample_size": 8,
    "in_channels": 4,
    "out_channels": 4,
    "down_block_types": ("DownBlock2D", "CrossAttnDownBlock2D"),
    "up_block_types": ("CrossAttnUpBlock2D", "UpBlock2D"),
    "norm_num_groups": 8,
}


def write_tokenizer_files(folder: Path) -> tuple[Path, Path]:
    """A CLIP BPE vocabulary: specials, letters (alone and word-final), merge results."""
    vocab: dict[str, int] = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for symbol in [*LETTERS, *",.!-'0123456789"]:
        vocab[symbol] = len(vocab)
        vocab[symbol + "</w>"] = len(vocab)
    for merge in MERGES:
        merged = merge.replace(" ", "")
        vocab.setdefault(merged, len(vocab))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.json").write_text(json.dumps(vocab))
    (folder / "merges.txt").write_text("#version: 0.2\n" + "\n".join(MERGES) + "\n")
    return folder / "vocab.json", folder / "merges.txt"


def _tokenizer(folder: Path) -> Any:
    from transformers import CLIPTokenizer

    vocab, merges = write_tokenizer_files(folder)
    return CLIPTokenizer(str(vocab), str(merges), model_max_length=77, pad_token="<|endoftext|>")


def _text_config(vocab_size: int) -> Any:
    from transformers import CLIPTextConfig

    return CLIPTextConfig(
        bos_token_id=0,
        eos_token_id=1,
        pad_token_id=1,
        hidden_size=32,
        intermediate_size=37,
        layer_norm_eps=1e-05,
        num_attention_heads=4,
        num_hidden_layers=2,
        vocab_size=vocab_size,
        max_position_embeddings=77,
        projection_dim=32,
        hidden_act="gelu",
    )


def _vae() -> Any:
    from diffusers import AutoencoderKL

    return AutoencoderKL(
        block_out_channels=(8, 8, 16, 16),
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4,
        latent_channels=4,
        norm_num_groups=4,
        layers_per_block=1,
        sample_size=64,
    )


def _scheduler() -> Any:
    from diffusers import EulerDiscreteScheduler

    return EulerDiscreteScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", steps_offset=1
    )


def build_sd(folder: Path, seed: int = 0) -> Path:
    """A tiny SD 1.x-shaped pipeline saved (safetensors) in ``folder``."""
    import torch
    from diffusers import StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextModel

    torch.manual_seed(seed)
    unet = UNet2DConditionModel(**UNET, cross_attention_dim=32, attention_head_dim=4)
    tokenizer = _tokenizer(folder / "_tok")
    pipe = StableDiffusionPipeline(
        vae=_vae(),
        text_encoder=CLIPTextModel(_text_config(len(tokenizer))),
        tokenizer=tokenizer,
        unet=unet,
        scheduler=_scheduler(),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipe.save_pretrained(folder, safe_serialization=True)
    return folder


def build_sdxl(folder: Path, seed: int = 0) -> Path:
    """A tiny SDXL-shaped pipeline (two text encoders, text-time conditioning)."""
    import torch
    from diffusers import StableDiffusionXLPipeline, UNet2DConditionModel
    from transformers import CLIPTextModel, CLIPTextModelWithProjection

    torch.manual_seed(seed)
    unet = UNet2DConditionModel(
        **UNET,
        attention_head_dim=(2, 4),
        use_linear_projection=True,
        addition_embed_type="text_time",  # SDXL's size and pooled-text conditioning
        addition_time_embed_dim=8,
        transformer_layers_per_block=(1, 1),
        projection_class_embeddings_input_dim=6 * 8 + 32,
        cross_attention_dim=64,  # the two text encoders' widths, joined
    )
    tokenizer = _tokenizer(folder / "_tok")
    pipe = StableDiffusionXLPipeline(
        vae=_vae(),
        text_encoder=CLIPTextModel(_text_config(len(tokenizer))),
        text_encoder_2=CLIPTextModelWithProjection(_text_config(len(tokenizer))),
        tokenizer=tokenizer,
        tokenizer_2=tokenizer,
        unet=unet,
        scheduler=_scheduler(),
    )
    pipe.save_pretrained(folder, safe_serialization=True)
    return folder


def build_lora(folder: Path, out: Path, seed: int = 1) -> Path:
    """A random LoRA for the tiny pipeline in ``folder``, saved the way diffusers saves
    LoRAs (``pytorch_lora_weights.safetensors`` keys), into the file ``out``."""
    import torch
    from diffusers import StableDiffusionPipeline
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    pipe = StableDiffusionPipeline.from_pretrained(folder, use_safetensors=True)
    torch.manual_seed(seed)
    config = LoraConfig(
        r=4,
        lora_alpha=4,
        target_modules=["to_q", "to_k", "to_v", "to_out.0"],
        init_lora_weights=False,
    )
    pipe.unet.add_adapter(config)
    layers = get_peft_model_state_dict(pipe.unet)
    layers = {k: v * 20 for k, v in layers.items()}  # strong enough to show in 2 steps
    StableDiffusionPipeline.save_lora_weights(
        out.parent, unet_lora_layers=layers, weight_name=out.name
    )
    return out


def build_ip_adapter(
    pipeline_folder: Path,
    out: Path,
    tokens: int = 4,
    seed: int = 2,
    layout: str = "plain",
    width: int = 32,
) -> Path:
    """A random IP-Adapter for the tiny SD pipeline, in the layout diffusers loads: one
    safetensors with ``image_proj.*`` (image embedding → ``tokens`` cross-attention
    tokens) and ``ip_adapter.{i}.to_k_ip/to_v_ip`` for each cross-attention processor,
    plus an ``image_encoder/`` (a tiny CLIP vision model with projection).

    ``layout="plus"`` writes IP-Adapter Plus's (and Plus-Face's) projection instead: the
    original repo's perceiver resampler (``latents``, ``proj_in``, four ``layers`` of
    attention and feed-forward, ``proj_out``, ``norm_out``) over the encoder's hidden
    states; the file is named as the Plus-Face release is. ``width`` is the encoder's
    hidden size and projection (ViT-H and ViT-bigG differ in both)."""
    import torch
    from diffusers import UNet2DConditionModel
    from safetensors.torch import save_file
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    torch.manual_seed(seed)
    unet = UNet2DConditionModel.from_pretrained(pipeline_folder, subfolder="unet")
    cross = unet.config.cross_attention_dim
    embed = width
    encoder = CLIPVisionModelWithProjection(
        CLIPVisionConfig(
            hidden_size=width,
            intermediate_size=37,
            num_attention_heads=4,
            num_hidden_layers=2,
            image_size=224,
            patch_size=32,
            projection_dim=embed,
        )
    )
    encoder.save_pretrained(out / "image_encoder", safe_serialization=True)
    if layout == "plus":
        tensors = _resampler(embed, cross, tokens)
    else:
        tensors = {
            "image_proj.proj.weight": torch.randn(cross * tokens, embed) * 0.5,
            "image_proj.proj.bias": torch.zeros(cross * tokens),
            "image_proj.norm.weight": torch.ones(cross),
            "image_proj.norm.bias": torch.zeros(cross),
        }
    index = 1
    for name in unet.attn_processors:
        if name.endswith("attn1.processor"):
            continue
        block = name.split(".")[0]
        if block == "mid_block":
            hidden = unet.config.block_out_channels[-1]
        elif block == "up_blocks":
            hidden = list(reversed(unet.config.block_out_channels))[int(name.split(".")[1])]
        else:
            hidden = unet.config.block_out_channels[int(name.split(".")[1])]
        for kind in ("to_k_ip", "to_v_ip"):
            tensors[f"ip_adapter.{index}.{kind}.weight"] = torch.randn(hidden, cross) * 0.5
        index += 2
    out.mkdir(parents=True, exist_ok=True)
    name = "ip-adapter-plus-face_tiny" if layout == "plus" else "ip-adapter_tiny"
    save_file(tensors, str(out / f"{name}.safetensors"))
    return out


def _resampler(embed: int, cross: int, tokens: int, width: int = 64) -> dict[str, Any]:
    """IP-Adapter Plus's image projection in the original repo's key names: a perceiver
    resampler of ``tokens`` learnt queries, ``width`` wide (one 64-wide head), four
    layers of attention (``to_q``, ``to_kv``, ``to_out``) and feed-forward."""
    import torch

    def rand(*shape: int) -> Any:
        return torch.randn(*shape) * 0.2

    tensors = {
        "image_proj.latents": rand(1, tokens, width),
        "image_proj.proj_in.weight": rand(width, embed),
        "image_proj.proj_in.bias": torch.zeros(width),
        "image_proj.proj_out.weight": rand(cross, width),
        "image_proj.proj_out.bias": torch.zeros(cross),
        "image_proj.norm_out.weight": torch.ones(cross),
        "image_proj.norm_out.bias": torch.zeros(cross),
    }
    for i in range(4):
        layer = f"image_proj.layers.{i}"
        for norm in ("norm1", "norm2"):
            tensors[f"{layer}.0.{norm}.weight"] = torch.ones(width)
            tensors[f"{layer}.0.{norm}.bias"] = torch.zeros(width)
        tensors[f"{layer}.0.to_q.weight"] = rand(width, width)
        tensors[f"{layer}.0.to_kv.weight"] = rand(2 * width, width)
        tensors[f"{layer}.0.to_out.weight"] = rand(width, width)
        tensors[f"{layer}.1.0.weight"] = torch.ones(width)
        tensors[f"{layer}.1.0.bias"] = torch.zeros(width)
        tensors[f"{layer}.1.1.weight"] = rand(4 * width, width)
        tensors[f"{layer}.1.3.weight"] = rand(width, 4 * width)
    return tensors


def build_controlnet(pipeline_folder: Path, folder: Path, *, union: bool = False) -> Path:
    """A tiny ControlNet (or ControlNet-Union, for SDXL) for the pipeline in
    ``pipeline_folder``, saved as a diffusers folder. Built from the pipeline's UNet as
    diffusers' own training starts, but with its zero convolutions randomised: a fresh
    ControlNet adds nothing, and these tests must see the map change the output."""
    import torch
    from diffusers import ControlNetModel, ControlNetUnionModel, UNet2DConditionModel

    torch.manual_seed(7)
    unet = UNet2DConditionModel.from_pretrained(pipeline_folder / "unet")
    kind = ControlNetUnionModel if union else ControlNetModel
    net = kind.from_unet(unet, conditioning_embedding_out_channels=(8, 8, 8, 8))
    if union:  # its control-type transformer is as wide as the UNet's first block
        width = unet.config.block_out_channels[0]
        config = {k: v for k, v in net.config.items() if k != "_use_default_values"}
        config.update(num_trans_channel=width, num_proj_channel=width, num_trans_head=4)
        net = ControlNetUnionModel.from_config(config)
    with torch.no_grad():
        for name, parameter in net.named_parameters():
            if name.startswith(("controlnet_down_blocks", "controlnet_mid_block")) or (
                "conv_out" in name and "controlnet_cond_embedding" in name
            ):
                parameter.normal_(0.0, 0.3)
    net.save_pretrained(folder, safe_serialization=True)
    return folder


def clone_with_pickles(folder: Path, out: Path, junk: bytes = b"not a pickle") -> Path:
    """A copy of the diffusers folder ``folder`` as a git clone of a Hugging Face repo
    holds it: beside each ``.safetensors`` its pickle twin under the name diffusers
    (``diffusion_pytorch_model.bin``) or transformers (``pytorch_model.bin``) gives it.
    The twins hold ``junk``, not a pickle: loading one would fail."""
    import shutil

    shutil.copytree(folder, out)
    for weights in sorted(out.rglob("*.safetensors")):
        stem = "pytorch_model" if weights.stem == "model" else weights.stem
        (weights.parent / f"{stem}.bin").write_bytes(junk)
    return out
