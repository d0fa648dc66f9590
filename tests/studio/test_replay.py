"""`sakuga rerun IMAGE` (#35): an image's recipe made again, Sakuga's own or another
tool's (A1111's parameters, a ComfyUI graph), with what is not replayed said aloud."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, PngImagePlugin

from sakuga.errors import SpecError
from sakuga.studio.service.replay import replay


def _png_with(chunks: dict[str, str], size: tuple[int, int] = (64, 64)) -> Image.Image:
    """A PNG as another tool writes it: these text chunks, read back as a file is."""
    import io

    info = PngImagePlugin.PngInfo()
    for key, value in chunks.items():
        info.add_text(key, value)
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 90, 200)).save(buffer, format="PNG", pnginfo=info)
    buffer.seek(0)
    image = Image.open(buffer)
    image.load()
    return image


def _comfy_graph(checkpoint: str, lora: str | None, seed: int = 3) -> str:
    """A ComfyUI API-format graph: checkpoint → (LoRA) → two prompts → KSampler."""
    model_from = ["4", 0]
    graph: dict[str, object] = {
        "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": checkpoint}},
        "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
        "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a girl with pink hair", "clip": ["4", 1]}},
        "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "lowres, blurry", "clip": ["4", 1]}},
    }  # fmt: skip
    if lora:
        graph["10"] = {
            "class_type": "LoraLoader",
            "inputs": {"lora_name": lora, "strength_model": 0.7, "strength_clip": 0.7,
                       "model": ["4", 0], "clip": ["4", 1]},
        }  # fmt: skip
        model_from = ["10", 0]
    graph["3"] = {
        "class_type": "KSampler",
        "inputs": {"seed": seed, "steps": 2, "cfg": 6.5, "sampler_name": "euler_ancestral",
                   "scheduler": "normal", "denoise": 1.0, "model": model_from,
                   "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]},
    }  # fmt: skip
    return json.dumps(graph)


@pytest.fixture
def model_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A model folder holding one checkpoint named ``anything`` (a diffusers folder)."""
    folder = tmp_path / "models"
    (folder / "anything").mkdir(parents=True)
    (folder / "anything" / "model_index.json").write_text("{}")
    monkeypatch.setattr("sakuga.engines.models.models_dir", lambda: folder)
    return folder


def test_a1111_parameters_become_the_diffusers_engines_settings(model_folder: Path) -> None:
    parameters = (
        "1girl, silver hair, <lora:ink:0.6>\n"
        "Negative prompt: lowres\n"
        "Steps: 20, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1234, "
        "Size: 512x768, Model hash: 6e430eb514, Model: anything, Clip skip: 2, "
        "ADetailer model: face_yolov8n.pt, Version: v1.10.1"
    )
    again = replay(None, _png_with({"parameters": parameters}))  # type: ignore[arg-type]
    request = again.plan.request
    assert again.plan.engine == "diffusers"
    assert request.prompt == "1girl, silver hair, <lora:ink:0.6>"  # the tag applies
    assert request.negative == "lowres"
    assert (request.seed, request.size, request.model) == (1234, (512, 768), "anything")
    assert request.options == {
        "steps": 20, "cfg": 7.0, "clip_skip": 2, "sampler": "DPM++ 2M Karras"
    }  # fmt: skip
    # A setting Sakuga has no way to apply is said, not dropped in silence.
    assert again.not_replayed == ["ADetailer model: face_yolov8n.pt"]


def test_a_comfyui_graph_becomes_the_same_settings(model_folder: Path) -> None:
    graph = _comfy_graph("anything.safetensors", "ink_style.safetensors")
    again = replay(None, _png_with({"prompt": graph}))  # type: ignore[arg-type]
    request = again.plan.request
    assert request.prompt == "a girl with pink hair <lora:ink_style:0.7>"
    assert request.negative == "lowres, blurry"
    assert (request.seed, request.size, request.model) == (3, (64, 64), "anything")
    assert request.options == {"steps": 2, "cfg": 6.5, "sampler": "Euler a"}
    assert again.not_replayed == []


def test_what_a_rerun_cannot_do_without_is_refused_with_what_to_do(model_folder: Path) -> None:
    def refused(parameters: str) -> str:
        with pytest.raises(SpecError) as failed:
            replay(None, _png_with({"parameters": parameters}))  # type: ignore[arg-type]
        return str(failed.value)

    common = "Steps: 20, Seed: 1, Size: 64x64"
    assert "'nothere'" in refused(f"a girl\n{common}, Sampler: Euler a, Model: nothere")
    assert "Euler a" in refused(f"a girl\n{common}, Sampler: Restart, Model: anything")
    assert "another image" in refused(
        f"a girl\n{common}, Sampler: Euler, Model: anything, Denoising strength: 0.5"
    )
    assert "outside" in refused(
        "a girl\nSteps: 2, Seed: 18446744073709551000, Size: 64x64, Sampler: Euler, Model: anything"
    )
    big = _comfy_graph("anything.safetensors", None, seed=2**40)
    with pytest.raises(SpecError, match="outside"):
        replay(None, _png_with({"prompt": big}))  # type: ignore[arg-type]
    with pytest.raises(SpecError, match="no recipe"):
        replay(None, _png_with({}))  # type: ignore[arg-type]


def test_sakugas_own_recipe_is_its_request(tmp_path: Path) -> None:
    """A file Sakuga wrote (outside any library) runs again as the request it records,
    on its engine: draw gives the same pixels."""
    from tests.test_cli import in_process

    code, out, err = in_process(
        "create", "a girl with short green hair, smiling", "--engine", "draw", "--seed", "5",
        "--size", "96x96", "-o", str(tmp_path / "first.png"), "--json", home=tmp_path / "home",
    )  # fmt: skip
    assert code == 0, err
    first = Path(json.loads(out)["images"][0]["path"])
    code, out, err = in_process(
        "rerun", str(first), "-o", str(tmp_path / "again.png"), "--json", home=tmp_path / "other"
    )
    assert code == 0, err
    again = Path(json.loads(out)["images"][0]["path"])
    assert np.array_equal(np.asarray(Image.open(first)), np.asarray(Image.open(again)))


@pytest.mark.slow
def test_a_comfyui_png_reruns_as_the_same_settings_on_diffusers(tmp_path: Path) -> None:
    """`sakuga rerun comfy.png` with the graph's checkpoint and LoRA in the model folder
    (A1111's ``Lora`` folder, a kohya file) gives the pixels of the same settings given
    by hand to the diffusers engine."""
    from tests.conftest import require_diffusers

    require_diffusers()
    import shutil

    import torch

    torch.set_num_threads(1)
    from sakuga.engines.base import EngineRequest, Task
    from sakuga.engines.diffusion import DiffusersEngine
    from sakuga.prompt.artspec import ArtSpec
    from tests.engines.test_loras import _kohya_from
    from tests.engines.tiny_diffusers import build_lora, build_sd
    from tests.test_cli import in_process

    home = tmp_path / "home"
    models = home / "models"
    sd = build_sd(models / "tiny-sd")
    _kohya_from(
        build_lora(sd, tmp_path / "d.safetensors"), models / "Lora" / "ink_style.safetensors"
    )
    comfy = tmp_path / "ComfyUI_00001_.png"
    graph = _comfy_graph("tiny-sd.safetensors", "ink_style.safetensors")
    Image.new("RGB", (64, 64)).save(comfy, pnginfo=_info(graph))
    previous = os.environ.get("SAKUGA_HOME")
    os.environ["SAKUGA_HOME"] = str(home)
    try:
        code, out, err = in_process(
            "rerun", str(comfy), "-o", str(tmp_path / "out.png"), "--json", home=home
        )
        assert code == 0, err
        made = np.asarray(Image.open(json.loads(out)["images"][0]["path"]).convert("RGB"))
        by_hand = DiffusersEngine().run(
            EngineRequest(
                Task.TEXT_TO_IMAGE,
                spec=ArtSpec.build(negative="lowres, blurry"),
                prompt="a girl with pink hair <lora:ink_style:0.7>",
                model="tiny-sd",
                size=(64, 64),
                seed=3,
                options={"steps": 2, "cfg": 6.5, "sampler": "Euler a"},
            )
        )
    finally:
        if previous is not None:
            os.environ["SAKUGA_HOME"] = previous
        shutil.rmtree(models, ignore_errors=True)
    assert np.array_equal(made, np.asarray(by_hand.images[0].convert("RGB")))


def _info(graph: str) -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text("prompt", graph)
    return info
