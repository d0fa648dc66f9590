"""SDXL denoising speed on a GPU: default diffusers settings vs Sakuga's settings.

An SDXL-architecture UNet and VAE with random weights (speed does not depend on the
weight values), 1024×1024, 30 steps with classifier-free guidance (batch 2), then
one VAE decode. Text encoders are left out: both sides get the same random prompt
embeddings, so only the part whose settings differ is timed.

- baseline ("diffusers defaults"): fp32 weights, diffusers' default attention
  processor, contiguous memory format;
- sakuga: bf16 (fp16 where bf16 is missing), SDPA attention, channels-last UNet,
  VAE decode in the same half precision with fp32 upcast only where diffusers
  asks for it; ``--compile`` adds ``torch.compile`` of the UNet.

Prints it/s for both and the ratio. ``--control`` adds the same measurement with a
ControlNet (an SDXL ControlNet of random weights, built from the UNet as diffusers'
``ControlNetModel.from_unet`` does) run beside the UNet at every step, and the cost of
one face-detailer pass (an inpainting pass at 0.4 denoise: 40% of the steps, plus a VAE
encode) on each side. Needs a CUDA GPU for real numbers; ``--tiny`` runs the same code
on a tiny config (any device) to check the script itself.

    python benchmarks/gpu_sdxl.py [--steps 30] [--size 1024] [--compile] [--control] [--tiny]
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import torch

SDXL_UNET: dict[str, Any] = {
    "sample_size": 128,
    "in_channels": 4,
    "out_channels": 4,
    "layers_per_block": 2,
    "block_out_channels": (320, 640, 1280),
    "down_block_types": ("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
    "up_block_types": ("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
    "transformer_layers_per_block": (1, 2, 10),
    "attention_head_dim": (5, 10, 20),
    "cross_attention_dim": 2048,
    "use_linear_projection": True,
    "addition_embed_type": "text_time",
    "addition_time_embed_dim": 256,
    "projection_class_embeddings_input_dim": 2816,
}
SDXL_VAE: dict[str, Any] = {
    "in_channels": 3,
    "out_channels": 3,
    "latent_channels": 4,
    "block_out_channels": (128, 256, 512, 512),
    "down_block_types": ("DownEncoderBlock2D",) * 4,
    "up_block_types": ("UpDecoderBlock2D",) * 4,
    "layers_per_block": 2,
    "sample_size": 1024,
    "scaling_factor": 0.13025,
}
TINY_UNET: dict[str, Any] = {
    **SDXL_UNET,
    "block_out_channels": (32, 64, 64),
    "transformer_layers_per_block": (1, 1, 1),
    "attention_head_dim": (2, 4, 4),
    "cross_attention_dim": 64,
    "addition_time_embed_dim": 8,
    "projection_class_embeddings_input_dim": 6 * 8 + 32,
    "layers_per_block": 1,
    "norm_num_groups": 8,
}
TINY_VAE: dict[str, Any] = {**SDXL_VAE, "block_out_channels": (8, 8, 16, 16), "norm_num_groups": 4}


def build(tiny: bool) -> tuple[Any, Any, int, int]:
    from diffusers import AutoencoderKL, UNet2DConditionModel

    unet_config, vae_config = (TINY_UNET, TINY_VAE) if tiny else (SDXL_UNET, SDXL_VAE)
    torch.manual_seed(0)
    unet = UNet2DConditionModel(**unet_config).eval()
    vae = AutoencoderKL(**vae_config).eval()
    pooled = (
        unet_config["projection_class_embeddings_input_dim"]
        - 6 * unet_config["addition_time_embed_dim"]
    )
    return unet, vae, unet_config["cross_attention_dim"], pooled


def run(
    unet: Any,
    vae: Any,
    device: str,
    dtype: Any,
    size: int,
    steps: int,
    dims: tuple[int, int],
    controlnet: Any = None,
    encode: bool = False,
) -> float:
    """Seconds for ``steps`` CFG denoising steps plus one decode (and, with ``encode``,
    one VAE encode first, as an img2img or inpainting pass has); with ``controlnet``, it
    runs at every step and its residuals go into the UNet."""
    from diffusers import EulerDiscreteScheduler

    text_dim, pooled_dim = dims
    scheduler = EulerDiscreteScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear"
    )
    scheduler.set_timesteps(steps, device=device)
    g = torch.Generator(device).manual_seed(0)
    latents = torch.randn((1, 4, size // 8, size // 8), generator=g, device=device, dtype=dtype)
    embeds = torch.randn((2, 77, text_dim), generator=g, device=device, dtype=dtype)
    pooled = torch.randn((2, pooled_dim), generator=g, device=device, dtype=dtype)
    time_ids = torch.tensor([[size, size, 0, 0, size, size]] * 2, device=device, dtype=dtype)
    added = {"text_embeds": pooled, "time_ids": time_ids}
    cond_image = torch.rand((2, 3, size, size), generator=g, device=device, dtype=dtype)
    picture = torch.rand((1, 3, size, size), generator=g, device=device, dtype=dtype)
    if device == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    with torch.inference_mode():
        if encode:
            vae.encode(picture)
        for t in scheduler.timesteps:
            model_in = scheduler.scale_model_input(torch.cat([latents] * 2), t)
            residuals: dict[str, Any] = {}
            if controlnet is not None:
                down, mid = controlnet(
                    model_in,
                    t,
                    encoder_hidden_states=embeds,
                    controlnet_cond=cond_image,
                    added_cond_kwargs=added,
                    return_dict=False,
                )
                residuals = {
                    "down_block_additional_residuals": down,
                    "mid_block_additional_residual": mid,
                }
            noise = unet(
                model_in, t, encoder_hidden_states=embeds, added_cond_kwargs=added, **residuals
            ).sample
            uncond, cond = noise.chunk(2)
            latents = scheduler.step(uncond + 6.0 * (cond - uncond), t, latents).prev_sample
        vae.decode(latents / vae.config.scaling_factor)
    if device == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument(
        "--compile", action="store_true", help="torch.compile the UNet (sakuga side)"
    )
    parser.add_argument(
        "--tiny", action="store_true", help="tiny config: check the script anywhere"
    )
    parser.add_argument(
        "--control", action="store_true", help="also with a ControlNet, and a detailer pass"
    )
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = parser.parse_args()
    if args.device == "cpu" and not args.tiny:
        raise SystemExit("gpu_sdxl.py needs a CUDA GPU (or --tiny to check the script on the CPU)")
    from diffusers.models.attention_processor import AttnProcessor, AttnProcessor2_0

    unet, vae, *dims = build(args.tiny)
    dims_t = (dims[0], dims[1])
    steps = args.steps
    detail_steps = max(1, round(steps * 0.4))
    net: Any = None
    if args.control:
        from diffusers import ControlNetModel

        net = ControlNetModel.from_unet(unet).eval()
    timed: dict[str, dict[str, float]] = {"defaults": {}, "sakuga": {}}

    def measure(side: str, model: Any, dtype: Any) -> float:
        run(model, vae, args.device, dtype, args.size, 2, dims_t)  # warm-up (and compile)
        seconds = run(model, vae, args.device, dtype, args.size, steps, dims_t)
        if net is not None:
            run(model, vae, args.device, dtype, args.size, 2, dims_t, controlnet=net)
            timed[side]["control"] = run(
                model, vae, args.device, dtype, args.size, steps, dims_t, controlnet=net
            )
            timed[side]["detail"] = run(
                model, vae, args.device, dtype, args.size, detail_steps, dims_t, encode=True
            )
        return seconds

    # Baseline: fp32, the classic attention processor, default memory format.
    unet.set_attn_processor(AttnProcessor())
    unet.to(args.device, torch.float32)
    vae.to(args.device, torch.float32)
    if net is not None:
        net.set_attn_processor(AttnProcessor())
        net.to(args.device, torch.float32)
    base_s = measure("defaults", unet, torch.float32)

    # Sakuga: half precision, SDPA, channels-last (and torch.compile when asked).
    half = (
        torch.bfloat16
        if args.device == "cuda" and torch.cuda.is_bf16_supported()
        else torch.float16
        if args.device == "cuda"
        else torch.float32
    )
    unet.set_attn_processor(AttnProcessor2_0())
    unet.to(args.device, half).to(memory_format=torch.channels_last)
    vae.to(args.device, half)
    if net is not None:
        net.set_attn_processor(AttnProcessor2_0())
        net.to(args.device, half).to(memory_format=torch.channels_last)
    fast_unet: Any = (
        torch.compile(unet, mode="max-autotune-no-cudagraphs") if args.compile else unet
    )
    fast_s = measure("sakuga", fast_unet, half)

    name = torch.cuda.get_device_name() if args.device == "cuda" else args.device
    what = "tiny config" if args.tiny else "SDXL UNet+VAE"
    print(f"{what} on {name}, {args.size}x{args.size}, {steps} steps, CFG batch 2")
    print(f"diffusers defaults (fp32, AttnProcessor): {steps / base_s:7.2f} it/s ({base_s:.2f} s)")
    label = f"{str(half).split('.')[-1]}, SDPA, channels-last{', compile' if args.compile else ''}"
    print(f"sakuga ({label}): {steps / fast_s:7.2f} it/s ({fast_s:.2f} s)")
    print(f"ratio sakuga / defaults: {base_s / fast_s:.2f}x")
    if net is not None:
        slow, fast = timed["defaults"], timed["sakuga"]
        print(
            f"with a ControlNet: defaults {steps / slow['control']:7.2f} it/s, "
            f"sakuga {steps / fast['control']:7.2f} it/s, "
            f"ratio {slow['control'] / fast['control']:.2f}x"
        )
        print(
            f"one detailer pass ({detail_steps} steps + encode/decode): defaults "
            f"{slow['detail']:.2f} s, sakuga {fast['detail']:.2f} s"
        )


if __name__ == "__main__":
    main()
