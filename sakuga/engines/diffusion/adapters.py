"""IP-Adapter weights paired with the image encoder they were trained on.

An IP-Adapter reads one CLIP vision encoder's output: plain adapters its projected
image embedding, Plus and Plus-Face adapters its hidden states. The released files
come in one layout (h94/IP-Adapter): ``models/`` holds the SD 1.5 adapters and
``models/image_encoder`` (OpenCLIP ViT-H: hidden 1280, projection 1024);
``sdxl_models/`` holds the SDXL adapters and ``sdxl_models/image_encoder`` (ViT-bigG:
hidden 1664, projection 1280) — but the SDXL ``*_vit-h`` adapters (Plus-Face among
them) read ViT-H, from ``models/image_encoder``. Pairing a file with whatever encoder
sits beside it silently feeds it the wrong features, or fails deep in a matmul.

So the width each adapter expects is read from its own header (no weights loaded),
and the encoder is the one among the candidate folders whose config has that width.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sakuga.engines.diffusion.families import safetensors_header
from sakuga.errors import ModelError


@dataclass(frozen=True)
class AdapterPair:
    weights: Path
    encoder: Path
    reads: str  # "image embeds" (plain) or "hidden states" (Plus, Plus-Face)
    width: int


def expected_width(weights: Path) -> tuple[str, int]:
    """What the adapter reads from its encoder, and how wide it is."""
    header = safetensors_header(weights)
    for key, reads in (
        ("image_proj.proj_in.weight", "hidden states"),  # Plus / Plus-Face resampler
        ("image_proj.proj.weight", "image embeds"),  # plain
    ):
        entry = header.get(key)
        if isinstance(entry, dict) and len(entry.get("shape", ())) == 2:
            return reads, int(entry["shape"][1])
    raise ModelError(
        f"{weights.name}: not an IP-Adapter this engine loads (no image_proj.proj or "
        "image_proj.proj_in weights)"
    )


def encoder_width(folder: Path, reads: str) -> int | None:
    """The width an encoder folder gives for what an adapter ``reads``, or None."""
    try:
        config = json.loads((folder / "config.json").read_text())
    except (OSError, ValueError):
        return None
    vision = config.get("vision_config", config)  # a full CLIP config nests it
    key = "hidden_size" if reads == "hidden states" else "projection_dim"
    value = vision.get(key, config.get(key))
    return int(value) if isinstance(value, int) else None


def encoder_candidates(weights: Path) -> list[Path]:
    """Where an adapter's encoder may be: beside it, then h94's other folder."""
    parent = weights.parent
    found = [
        parent / "image_encoder",
        parent.parent / "models" / "image_encoder",
        parent.parent / "sdxl_models" / "image_encoder",
        parent.parent / "image_encoder",
    ]
    return [f for f in dict.fromkeys(found) if (f / "config.json").is_file()]


def pair(option: str) -> AdapterPair:
    """The adapter the ``ip_adapter`` option names (a file, or a folder: its adapters in
    name order, the first that has a matching encoder) with its encoder."""
    path = Path(option).expanduser()
    if path.is_file():
        candidates = [path]
    elif path.is_dir():
        candidates = sorted(path.glob("*.safetensors"))
    else:
        raise ModelError(f"IP-Adapter not found: {path}")
    if not candidates:
        raise ModelError(
            f"{path}: an IP-Adapter folder holds the adapter's .safetensors and its "
            "image_encoder/ folder"
        )
    problems = []
    for weights in candidates:
        reads, width = expected_width(weights)
        encoders = encoder_candidates(weights)
        for encoder in encoders:
            if encoder_width(encoder, reads) == width:
                return AdapterPair(weights, encoder, reads, width)
        seen = ", ".join(
            f"{e.relative_to(e.parent.parent)} ({encoder_width(e, reads)})" for e in encoders
        )
        problems.append(
            f"{weights.name} reads {reads} {width} wide; "
            + (f"the encoders here give {seen}" if encoders else "no image_encoder/ folder found")
        )
    raise ModelError(
        "no image encoder matches the IP-Adapter: "
        + "; ".join(problems)
        + " (the SDXL *_vit-h adapters need ViT-H, in h94's models/image_encoder)"
    )
