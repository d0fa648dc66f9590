"""LoRAs as A1111 users keep them (#35): by name in the model folder's Lora folder, in
the prompt as <lora:NAME:W>, hashed as A1111 hashes them, and listed apart from the
checkpoints."""

from __future__ import annotations

import hashlib
import json
import os
import struct
from pathlib import Path

import numpy as np
import pytest

from sakuga.engines.loras import addnet_hash, find_loras, is_lora, lora_tags, resolve_lora
from sakuga.errors import ModelError


def _safetensors(path: Path, keys: list[str], metadata: dict[str, str] | None = None) -> Path:
    """A small safetensors file with float32 tensors of these names."""
    header: dict[str, object] = {}
    offset = 0
    for key in keys:
        header[key] = {"dtype": "F32", "shape": [2, 2], "data_offsets": [offset, offset + 16]}
        offset += 16
    if metadata:
        header["__metadata__"] = metadata
    raw = json.dumps(header).encode()
    body = np.arange(4 * len(keys), dtype=np.float32).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + body)
    return path


def test_prompt_tags_are_read_and_taken_out_of_the_text() -> None:
    text, tags = lora_tags("1girl, <lora:ink style:0.6>, silver hair, <lyco:flat:1.2:0.5>, night")
    assert tags == [("ink style", 0.6), ("flat", 1.2)]
    assert text == "1girl, silver hair, night"
    assert lora_tags("<LORA:plain> a girl")[1] == [("plain", 1.0)]


def test_a_lora_is_known_by_its_keys_found_by_name_and_hashed_as_a1111_does(
    tmp_path: Path,
) -> None:
    models = tmp_path / "models"
    kohya = _safetensors(
        models / "Lora" / "ink_style.safetensors",
        [
            "lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight",
            "lora_unet_down_blocks_0_attentions_0_proj_in.lora_up.weight",
        ],
        {"ss_network_dim": "4"},
    )
    peft = _safetensors(models / "flat.safetensors", ["unet.x.to_q.lora_A.weight"])
    checkpoint = _safetensors(models / "anything.safetensors", ["model.diffusion_model.w"])
    assert is_lora(kohya) and is_lora(peft) and not is_lora(checkpoint)
    assert set(find_loras(models)) == {peft, kohya}
    assert resolve_lora("ink_style", models) == kohya
    assert resolve_lora("ink_style.safetensors", models) == kohya
    assert resolve_lora(str(kohya), models) == kohya
    with pytest.raises(ModelError, match=r"no LoRA named 'nope'") as missing:
        resolve_lora("nope", models)
    assert "flat" in str(missing.value) and "ink_style" in str(missing.value)
    # A1111's addnet hash: the sha256 of what follows the header; its metadata can
    # change without changing it.
    data = kohya.read_bytes()
    (size,) = struct.unpack("<Q", data[:8])
    assert addnet_hash(kohya) == hashlib.sha256(data[8 + size :]).hexdigest()[:12]
    retagged = _safetensors(
        tmp_path / "other.safetensors",
        [
            "lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight",
            "lora_unet_down_blocks_0_attentions_0_proj_in.lora_up.weight",
        ],
        {"ss_network_dim": "4", "note": "renamed"},
    )
    assert addnet_hash(retagged) == addnet_hash(kohya)


def test_loras_are_listed_apart_from_checkpoints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sakuga.engines.models import checkpoint_names, list_models, served_names

    models = tmp_path / "models"
    _safetensors(models / "Lora" / "ink_style.safetensors", ["lora_unet_a.lora_down.weight"])
    _safetensors(models / "anything.safetensors", ["model.diffusion_model.w"])
    kinds = {m.name: m.kind for m in list_models(models)}
    assert kinds == {"anything.safetensors": "safetensors", "ink_style.safetensors": "lora"}
    assert "ink_style" in served_names(models)  # a name the API takes for --lora
    assert checkpoint_names(models) == ["anything.safetensors", "anything"]


def _kohya_from(diffusers_lora: Path, out: Path) -> Path:
    """A diffusers-format LoRA saved again in kohya's key names (A1111's files)."""
    import torch
    from safetensors.torch import load_file, save_file

    layers = load_file(str(diffusers_lora))
    kohya: dict[str, torch.Tensor] = {}
    for key, tensor in layers.items():
        module, _, which = key.removeprefix("unet.").rpartition(".lora_")
        name = "lora_unet_" + module.replace(".", "_")
        part = {"A.weight": "lora_down.weight", "B.weight": "lora_up.weight"}[which]
        kohya[f"{name}.{part}"] = tensor.contiguous()
        if which == "A.weight":
            kohya[f"{name}.alpha"] = torch.tensor(float(tensor.shape[0]))
    out.parent.mkdir(parents=True, exist_ok=True)
    save_file(kohya, str(out))
    return out


@pytest.mark.slow
def test_a_lora_tag_in_the_prompt_is_the_same_as_the_flag(tmp_path: Path) -> None:
    """<lora:ink_style:0.7> in the prompt gives the pixels --lora ink_style:0.7 gives,
    both found by name in the model folder's Lora folder (a kohya file), and the
    recipe's Lora hashes is A1111's addnet hash."""
    pytest.importorskip("diffusers")
    import torch

    torch.set_num_threads(1)
    from sakuga.engines.base import EngineRequest, Task
    from sakuga.engines.diffusion import DiffusersEngine
    from sakuga.prompt.artspec import ArtSpec
    from tests.engines.tiny_diffusers import build_lora, build_sd

    models = Path(os.environ["SAKUGA_HOME"]) / "models"
    sd = build_sd(tmp_path / "sd")
    kohya = _kohya_from(
        build_lora(sd, tmp_path / "d.safetensors"), models / "Lora" / "ink_style.safetensors"
    )
    engine = DiffusersEngine()
    hashed = addnet_hash(kohya)

    def run(prompt: str, **options: object):  # type: ignore[no-untyped-def]
        request = EngineRequest(
            Task.TEXT_TO_IMAGE,
            spec=ArtSpec.from_text(prompt),
            model=str(sd),
            size=(64, 64),
            seed=3,
            options={"steps": 2, **options},
        )
        return engine.run(request)

    try:
        tagged = run("a girl with pink hair, <lora:ink_style:0.7>")
        flagged = run("a girl with pink hair", loras=["ink_style:0.7"])
        plain = run("a girl with pink hair")
        by_path = run("a girl with pink hair", loras=[f"{kohya}:0.7"])
    finally:  # the shared test home's model folder is left as it was
        kohya.unlink()
    pixels = [np.asarray(r.images[0]) for r in (tagged, flagged, plain, by_path)]
    assert np.array_equal(pixels[0], pixels[1]) and np.array_equal(pixels[1], pixels[3])
    assert not np.array_equal(pixels[0], pixels[2])  # the LoRA did something
    assert tagged.params["Lora hashes"] == f"ink_style: {hashed}"
    assert "<lora:ink_style:0.7>" in (tagged.prompt or "")  # written as A1111 writes it
