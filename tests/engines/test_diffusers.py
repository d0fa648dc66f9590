"""The `diffusers` engine on tiny random-weight SD and SDXL pipelines, loaded offline."""

from __future__ import annotations

import json
import os
import pickle
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from tests.conftest import require_diffusers

require_diffusers()

import torch  # noqa: E402

from sakuga.engines.base import EngineRequest, Task  # noqa: E402
from sakuga.engines.diffusion import DiffusersEngine, latent_preview, parse_lora  # noqa: E402
from sakuga.engines.diffusion.loading import file_arch, resolve_source  # noqa: E402
from sakuga.engines.diffusion.prompts import encode_prompts  # noqa: E402
from sakuga.engines.diffusion.samplers import SAMPLERS, get_sampler  # noqa: E402
from sakuga.errors import ModelError, SpecError  # noqa: E402
from tests.engines.contract import EngineContract, Previews  # noqa: E402
from tests.engines.tiny_diffusers import build_lora, build_sdxl  # noqa: E402
from tests.test_cli import in_process, sakuga  # noqa: E402

# The slow lane (tiny diffusers pipelines on PyTorch): `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow

STEPS = {"steps": 2}


@pytest.fixture(scope="session")
def tiny_sdxl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sdxl(tmp_path_factory.mktemp("tiny-sdxl") / "sdxl")


@pytest.fixture(scope="session")
def tiny_lora(tiny_sd: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_lora(tiny_sd, tmp_path_factory.mktemp("lora") / "tiny_style.safetensors")


class _Contract(EngineContract):
    folder_fixture = ""

    @pytest.fixture()
    def engine(
        self, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
    ) -> DiffusersEngine:
        folder = request.getfixturevalue(self.folder_fixture)
        # The contract builds requests without a model or options: point the settings at
        # the tiny model and keep the steps few.
        monkeypatch.setenv("SAKUGA_DIFFUSERS_MODEL", str(folder))
        return _FewSteps()


class _FewSteps(DiffusersEngine):
    def run(self, request: EngineRequest, progress=None):  # type: ignore[no-untyped-def]
        from dataclasses import replace

        return super().run(replace(request, options={**STEPS, **request.options}), progress)


class TestSDContract(_Contract):
    folder_fixture = "tiny_sd"


class TestSDXLContract(_Contract):
    folder_fixture = "tiny_sdxl"


def test_unavailable_without_a_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAKUGA_DIFFUSERS_MODEL", raising=False)
    available = DiffusersEngine().availability()
    assert not available.ok and "--model" in available.reason


def test_folders_are_recognised_by_architecture(tiny_sd: Path, tiny_sdxl: Path) -> None:
    assert resolve_source(str(tiny_sd)).arch == "sd"
    assert resolve_source(str(tiny_sdxl)).arch == "sdxl"


def test_same_seed_same_pixels_at_any_batch_position(tiny_sd: Path) -> None:
    engine = DiffusersEngine()
    batch = engine.run(
        EngineRequest(Task.TEXT_TO_IMAGE, n=3, seed=40, model=str(tiny_sd), options=STEPS)
    )
    alone = engine.run(
        EngineRequest(Task.TEXT_TO_IMAGE, n=1, seed=42, model=str(tiny_sd), options=STEPS)
    )
    assert batch.seeds == [40, 41, 42]
    # Batched maths rounds a little differently; the picture is the same.
    diff = np.abs(np.asarray(batch.images[2], np.int16) - np.asarray(alone.images[0], np.int16))
    assert diff.mean() < 0.5
    other = np.asarray(batch.images[1], np.int16) - np.asarray(alone.images[0], np.int16)
    assert np.abs(other).mean() > 2 * diff.mean() + 0.5


@pytest.mark.parametrize("sampler", ["Euler a", "DPM++ 2M Karras", "DDIM", "UniPC"])
def test_samplers_by_a1111_names(tiny_sd: Path, sampler: str) -> None:
    result = DiffusersEngine().run(
        EngineRequest(
            Task.TEXT_TO_IMAGE, seed=1, model=str(tiny_sd), options={**STEPS, "sampler": sampler}
        )
    )
    assert result.params["Sampler"] == sampler
    assert get_sampler(sampler.lower().replace(" ", "_")).name == sampler
    assert len(SAMPLERS) >= 8


def test_unknown_sampler_and_bad_controls_are_clear(tiny_sd: Path) -> None:
    engine = DiffusersEngine()
    for options, message in (
        ({"sampler": "Euler z"}, "unknown sampler"),
        ({"steps": 0}, "steps must be"),
        ({"cfg": 99}, "cfg must be"),
        ({"strength": 1.5}, "strength must be"),
        ({"device": "tpu"}, "device must be"),
    ):
        task = Task.VARIATION if "strength" in options else Task.TEXT_TO_IMAGE
        image = Image.new("RGB", (64, 64)) if task is Task.VARIATION else None
        with pytest.raises(SpecError, match=message):
            engine.run(
                EngineRequest(task, image=image, model=str(tiny_sd), options={**STEPS, **options})
            )


def test_long_prompts_are_chunked_not_cut(tiny_sd: Path, tiny_sdxl: Path) -> None:
    from diffusers import DiffusionPipeline

    short = "a girl with pink hair"
    long = ", ".join(["a girl with pink hair in the rain"] * 12)  # well over 77 tokens
    for folder, width in ((tiny_sd, 32), (tiny_sdxl, 64)):
        pipe = DiffusionPipeline.from_pretrained(folder, use_safetensors=True)
        few = encode_prompts(pipe, short, "")
        many = encode_prompts(pipe, long, "")
        assert few.prompt.shape == (1, 77, width) and few.chunks == 1
        assert many.chunks >= 3 and many.prompt.shape == (1, 77 * many.chunks, width)
        assert many.negative.shape == many.prompt.shape  # negative padded to the same chunks
        # The end of the prompt changes the embedding: nothing was cut.
        other = encode_prompts(pipe, long + ", blue eyes", "")
        assert not torch.equal(other.prompt, many.prompt)
        if folder == tiny_sdxl:
            assert many.pooled is not None and many.pooled.shape == (1, 32)


def test_clip_skip_changes_the_embedding(tiny_sd: Path) -> None:
    from diffusers import DiffusionPipeline

    pipe = DiffusionPipeline.from_pretrained(tiny_sd, use_safetensors=True)
    one = encode_prompts(pipe, "a girl", "", clip_skip=1)
    two = encode_prompts(pipe, "a girl", "", clip_skip=2)
    assert not torch.equal(one.prompt, two.prompt)
    result = DiffusersEngine().run(
        EngineRequest(
            Task.TEXT_TO_IMAGE, seed=3, model=str(tiny_sd), options={**STEPS, "clip_skip": 2}
        )
    )
    assert result.params["Clip skip"] == 2


def test_lora_changes_the_output_and_unloading_restores_it(tiny_sd: Path, tiny_lora: Path) -> None:
    engine = DiffusersEngine()

    def make(**options: object) -> np.ndarray:
        request = EngineRequest(
            Task.TEXT_TO_IMAGE, seed=8, model=str(tiny_sd), options={**STEPS, **options}
        )
        return np.asarray(engine.run(request).images[0], dtype=np.int16)

    plain = make()
    styled = engine.run(
        EngineRequest(
            Task.TEXT_TO_IMAGE,
            seed=8,
            model=str(tiny_sd),
            options={**STEPS, "loras": [f"{tiny_lora}:0.8"]},
        )
    )
    assert np.abs(np.asarray(styled.images[0], dtype=np.int16) - plain).mean() > 1.0
    assert styled.params["Lora hashes"].startswith("tiny_style: ")
    assert np.array_equal(make(), plain)  # the LoRA is gone again
    assert parse_lora("/x/y.safetensors:0.5") == ("/x/y.safetensors", 0.5)
    assert parse_lora("y.safetensors") == ("y.safetensors", 1.0)


def _pickle_file(path: Path) -> Path:
    path.write_bytes(pickle.dumps({"state_dict": {"w": [1, 2, 3]}}, protocol=4))
    return path


@pytest.mark.parametrize("name", ["model.ckpt", "model.bin", "model.pt", "renamed.safetensors"])
def test_pickle_checkpoints_are_refused_by_content(tmp_path: Path, name: str) -> None:
    path = _pickle_file(tmp_path / name)
    with pytest.raises(ModelError, match="pickle"):
        DiffusersEngine().run(EngineRequest(Task.TEXT_TO_IMAGE, model=str(path), options=STEPS))


def test_a_folder_with_pickle_weights_is_refused(tiny_sd: Path, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(tiny_sd, folder)
    unet = folder / "unet" / "diffusion_pytorch_model.safetensors"
    _pickle_file(unet)  # a pickle renamed .safetensors inside an otherwise fine folder
    with pytest.raises(ModelError, match="pickle"):
        resolve_source(str(folder))


def test_lora_must_be_safetensors(tiny_sd: Path, tmp_path: Path) -> None:
    bad = _pickle_file(tmp_path / "style.safetensors")
    with pytest.raises(ModelError, match="pickle"):
        DiffusersEngine().run(
            EngineRequest(
                Task.TEXT_TO_IMAGE, model=str(tiny_sd), options={**STEPS, "loras": [str(bad)]}
            )
        )


def test_single_file_layout_is_read_from_the_header(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    zero = np.zeros(1, np.float32)
    save_file({"model.diffusion_model.out.0.weight": zero}, str(tmp_path / "sd.safetensors"))
    save_file(
        {
            "model.diffusion_model.out.0.weight": zero,
            "conditioner.embedders.1.model.ln_final.weight": zero,
        },
        str(tmp_path / "xl.safetensors"),
    )
    save_file({"something.else": zero}, str(tmp_path / "other.safetensors"))
    assert file_arch(tmp_path / "sd.safetensors") == "sd"
    assert file_arch(tmp_path / "xl.safetensors") == "sdxl"
    with pytest.raises(ModelError, match="single-file layout"):
        file_arch(tmp_path / "other.safetensors")


def test_single_file_without_a_config_folder_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safetensors.numpy import save_file

    monkeypatch.delenv("SAKUGA_DIFFUSERS_CONFIG", raising=False)
    path = tmp_path / "anime.safetensors"
    save_file({"model.diffusion_model.out.0.weight": np.zeros(1, np.float32)}, str(path))
    with pytest.raises(ModelError, match=r"config folder.*models pull"):
        DiffusersEngine().run(EngineRequest(Task.TEXT_TO_IMAGE, model=str(path), options=STEPS))


def test_repo_ids_never_download_while_generating() -> None:
    with pytest.raises(ModelError, match="sakuga models pull"):
        resolve_source("someone/not-downloaded-anime-model")


def test_step_previews_are_cheap_projections(tiny_sdxl: Path) -> None:
    callback = Previews()
    DiffusersEngine().run(
        EngineRequest(Task.TEXT_TO_IMAGE, seed=2, model=str(tiny_sdxl), options={"steps": 3}),
        callback,
    )
    previews = [p.preview for p in callback.seen if p.preview is not None]
    assert len(previews) == 3 and previews[0].size == (8, 8)  # 64 px / VAE factor 8
    latents = torch.zeros(1, 4, 16, 24)
    assert latent_preview(latents, "sd").size == (24, 16)


def test_cli_create_anime_edit_end_to_end(tiny_sd: Path, tiny_lora: Path, tmp_path: Path) -> None:
    common = ("--engine", "diffusers", "--model", str(tiny_sd), "--steps", "2", "--json")
    out = sakuga(
        "create", "a girl with pink hair, smiling", "-n", "2", "--seed", "5", "--size", "96x64",
        "--sampler", "Euler a", "--cfg", "5", "--clip-skip", "2", "--lora", f"{tiny_lora}:0.7",
        "--negative", "lowres", "-o", str(tmp_path / "create"), *common,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    made = json.loads(out.stdout)
    assert [(i["width"], i["height"], i["seed"]) for i in made["images"]] == [
        (96, 64, 5),
        (96, 64, 6),
    ]
    info = json.loads(sakuga("info", made["images"][0]["path"], "--json").stdout)
    params = info["parameters"]
    expected = {
        "Steps": "2",
        "Sampler": "Euler a",
        "CFG scale": "5.0",
        "Seed": "5",
        "Clip skip": "2",
        "Size": "96x64",
    }
    assert {k: params.get(k) for k in expected} == expected
    # A folder model has no A1111 model hash to give; its UNet's hash is named as such.
    assert "Model hash" not in params and len(params["UNet hash"]) == 10
    assert params["Lora hashes"].startswith("tiny_style: ")
    assert params["negative_prompt"] == "lowres"

    out = sakuga("anime", "sample:cat", "--strength", "0.4", "-o", str(tmp_path / "anime"), *common)
    assert out.returncode == 0, out.stderr
    photo = json.loads(out.stdout)["images"][0]
    assert (
        json.loads(sakuga("info", photo["path"], "--json").stdout)["parameters"][
            "Denoising strength"
        ]
        == "0.4"
    )

    source = Image.open(photo["path"])
    mask = Image.new("L", source.size, 0)
    mask.paste(255, (10, 10, 60, 50))
    mask.save(tmp_path / "mask.png")
    out = sakuga(
        "edit", photo["path"], "--mask", str(tmp_path / "mask.png"), "--prompt", "a red bow",
        "-o", str(tmp_path / "edit.png"), *common,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    edited = np.asarray(Image.open(tmp_path / "edit.png").convert("RGB"))
    assert np.array_equal(edited[:, 80:], np.asarray(source.convert("RGB"))[:, 80:])


def test_cli_refuses_a_pickle_with_one_line(tmp_path: Path) -> None:
    path = _pickle_file(tmp_path / "anime.ckpt")
    out = sakuga("create", "a girl", "--engine", "diffusers", "--model", str(path))
    assert out.returncode == 1 and "pickle" in out.stderr and "Traceback" not in out.stderr


@pytest.fixture(scope="session")
def tiny_single_file(tiny_sd: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from tests.engines.tiny_single_file import write_single_file

    root = tmp_path_factory.mktemp("single-file")
    return write_single_file(tiny_sd, root / "tiny-anime.safetensors", root / "configs")


def test_single_file_loads_offline_and_matches_the_folder(
    tiny_sd: Path, tiny_single_file: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, configs = tiny_single_file
    assert not list(configs.rglob("*.safetensors"))  # the weights come from the file only
    assert resolve_source(str(path)).kind == "file" and file_arch(path) == "sd"
    engine = DiffusersEngine()
    folder = engine.run(
        EngineRequest(Task.TEXT_TO_IMAGE, seed=3, model=str(tiny_sd), options=STEPS)
    )
    single = engine.run(
        EngineRequest(
            Task.TEXT_TO_IMAGE, seed=3, model=str(path), options={**STEPS, "config": str(configs)}
        )
    )
    # Every tensor found its place: random weights would otherwise change the picture.
    assert np.array_equal(np.asarray(folder.images[0]), np.asarray(single.images[0]))
    assert single.model == "tiny-anime"
    # The config folder can also come from the setting, or from Sakuga's model folder.
    monkeypatch.setenv("SAKUGA_DIFFUSERS_CONFIG", str(configs))
    again = DiffusersEngine().run(
        EngineRequest(Task.TEXT_TO_IMAGE, seed=3, model=str(path), options=STEPS)
    )
    assert np.array_equal(np.asarray(again.images[0]), np.asarray(single.images[0]))


def test_single_file_with_config_from_the_model_folder(
    tiny_single_file: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import shutil

    path, configs = tiny_single_file
    monkeypatch.delenv("SAKUGA_DIFFUSERS_CONFIG", raising=False)
    monkeypatch.setenv("SAKUGA_HOME", str(tmp_path))
    shutil.copytree(configs, tmp_path / "models" / "configs" / "sd")
    shutil.copy(path, tmp_path / "models" / path.name)
    # By name, from the model folder, as `sakuga models list` shows it.
    result = DiffusersEngine().run(
        EngineRequest(Task.TEXT_TO_IMAGE, seed=1, model="tiny-anime", options=STEPS)
    )
    assert result.model == "tiny-anime"


def test_ip_adapter_image_prompt(
    tiny_sd: Path, tmp_path: Path, astronaut: Image.Image, cat: Image.Image
) -> None:
    from tests.engines.tiny_diffusers import build_ip_adapter

    adapter = build_ip_adapter(tiny_sd, tmp_path / "ip-adapter")
    engine = DiffusersEngine()

    def make(reference: Image.Image | None) -> np.ndarray:
        options = (
            {**STEPS, "ip_adapter": str(adapter), "ip_adapter_scale": 1.0} if reference else STEPS
        )
        refs = (reference,) if reference else ()
        request = EngineRequest(
            Task.TEXT_TO_IMAGE, seed=4, model=str(tiny_sd), references=refs, options=options
        )
        result = engine.run(request)
        assert ("IP-Adapter" in result.params) is (reference is not None)
        return np.asarray(result.images[0], dtype=np.int16)

    plain = make(None)
    with_astronaut = make(astronaut)
    with_cat = make(cat)
    assert np.abs(with_astronaut - plain).mean() > 0.5  # the image prompt steers the picture
    assert np.abs(with_astronaut - with_cat).mean() > 0.5  # and which image it is matters
    assert np.array_equal(make(None), plain)  # unloaded again after the run
    with pytest.raises(ModelError, match="image_encoder"):
        engine.run(
            EngineRequest(
                Task.TEXT_TO_IMAGE,
                model=str(tiny_sd),
                references=(cat,),
                options={**STEPS, "ip_adapter": str(tmp_path)},
            )
        )


def _token_rows(pipe: Any, text: str, word: str) -> list[int]:
    """Positions (after the start token) of ``word``'s tokens in the first chunk."""
    ids = pipe.tokenizer(text, add_special_tokens=False).input_ids
    target = pipe.tokenizer(word, add_special_tokens=False).input_ids
    for i in range(len(ids) - len(target) + 1):
        if ids[i : i + len(target)] == target:
            return [1 + i + k for k in range(len(target))]
    raise AssertionError(f"{word!r} not in {text!r}")


def test_a1111_weights_reach_the_embedding(tiny_sd: Path) -> None:
    from diffusers import DiffusionPipeline

    pipe = DiffusionPipeline.from_pretrained(tiny_sd, use_safetensors=True)
    # A trained CLIP's final layer norm has a bias (its states' mean is not 0, so A1111's
    # mean restoring means something); the untrained one is 0 throughout.
    with torch.no_grad():
        torch.manual_seed(0)
        getattr(pipe.text_encoder, "text_model", pipe.text_encoder).final_layer_norm.bias.normal_(
            0.5, 0.2
        )
    plain = encode_prompts(pipe, "a cat and a dog", "").prompt[0]
    up = encode_prompts(pipe, "a (cat:1.5) and a dog", "").prompt[0]
    down = encode_prompts(pipe, "a [cat] and a dog", "").prompt[0]
    cat = _token_rows(pipe, "a cat and a dog", "cat")
    dog = _token_rows(pipe, "a cat and a dog", "dog")

    def ratio(states: torch.Tensor) -> float:
        return float(states[cat].norm() / states[dog].norm())

    # Weighted up, the cat's states grow against the dog's; weighted down, they shrink.
    assert ratio(up) > ratio(plain) * 1.2
    assert ratio(down) < ratio(plain) * 0.95
    # A1111 restores the chunk's mean after weighting.
    assert float(up.mean()) == pytest.approx(float(plain.mean()), rel=1e-4, abs=1e-6)


def test_break_starts_a_new_chunk(tiny_sd: Path) -> None:
    from diffusers import DiffusionPipeline

    pipe = DiffusionPipeline.from_pretrained(tiny_sd, use_safetensors=True)
    assert encode_prompts(pipe, "a girl, red scarf", "").chunks == 1
    assert encode_prompts(pipe, "a girl BREAK red scarf", "").chunks == 2


def test_tag_models_get_tags_and_the_recipe_keeps_the_syntax(tiny_sd: Path, tmp_path: Path) -> None:
    from sakuga.engines.diffusion.families import recognise
    from sakuga.imaging.metadata import read_recipe

    assert recognise("models/animagine-xl-4.0.safetensors").name == "animagine-xl-4"
    assert recognise("~/m/ponyDiffusionV6XL.safetensors").name == "pony"
    assert recognise(str(tiny_sd)).name == "natural"
    assert recognise(str(tiny_sd), prompt_style="tags").tags
    with pytest.raises(SpecError, match="tags or natural"):
        recognise(str(tiny_sd), prompt_style="danbooru")
    text = "1girl, (long silver hair:1.2), [blurry], smile, looking at viewer"
    code, out, err = in_process(
        "create", text, "--engine", "diffusers", "--model", str(tiny_sd), "--steps", "2",
        "--size", "64x64", "--prompt-style", "tags", "-o", str(tmp_path), "--json",
        home=tmp_path / "home",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["dialect"] == "tags: tags"
    assert "(long silver hair:1.2)" in data["prompt"] and "masterpiece" in data["prompt"]
    recipe = read_recipe(Image.open(data["images"][0]["path"]))
    assert recipe is not None and "(long silver hair:1.2), [blurry]" in recipe.prompt
    assert recipe.request is not None and recipe.request["dialect"] == "tags: tags"


@pytest.fixture(scope="session")
def tiny_union(tiny_sdxl: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.engines.tiny_diffusers import build_controlnet

    return build_controlnet(tiny_sdxl, tmp_path_factory.mktemp("cnu") / "tiny-union", union=True)


def _controlled(model: Path, task: Task, controls: list[dict[str, Any]], **extra: Any) -> Any:
    from skimage import data

    photo = Image.fromarray(data.astronaut()).resize((64, 64))
    request = EngineRequest(
        task,
        size=(64, 64),
        seed=3,
        model=str(model),
        image=photo if task is not Task.TEXT_TO_IMAGE else None,
        mask=Image.new("L", (64, 64), 255) if task is Task.MASKED_EDIT else None,
        options={**STEPS, "controls": controls},
        **extra,
    )
    return DiffusersEngine().run(request)


def test_a_controlnet_map_changes_the_output_and_is_recorded(
    tiny_sd: Path, tiny_controlnet: Path
) -> None:
    from skimage import data

    from sakuga.imaging.control import control_map

    plain = DiffusersEngine().run(
        EngineRequest(Task.TEXT_TO_IMAGE, size=(64, 64), seed=3, model=str(tiny_sd), options=STEPS)
    )
    lines = control_map(Image.fromarray(data.astronaut()), "lineart").resize((64, 64))
    control = {"kind": "lineart", "model": str(tiny_controlnet), "weight": 1.0, "image": 0}
    guided = _controlled(tiny_sd, Task.TEXT_TO_IMAGE, [control], control_images=(lines,))
    a, b = (np.asarray(r.images[0], np.float32) for r in (plain, guided))
    assert np.abs(a - b).mean() > 1.0
    assert re.fullmatch(
        r"Module: lineart_anime, Model: tiny-lineart-cn \[[0-9a-f]{8}\], "
        r"Weight: 1, Guidance Start: 0, Guidance End: 1",
        guided.params["ControlNet 0"],
    )
    # Weight 0 is the plain picture again (to float rounding).
    off = _controlled(
        tiny_sd, Task.TEXT_TO_IMAGE, [{**control, "weight": 0.0}], control_images=(lines,)
    )
    assert np.abs(a - np.asarray(off.images[0], np.float32)).mean() < 0.5


@pytest.mark.parametrize("task", [Task.PHOTO_TO_ANIME, Task.MASKED_EDIT])
def test_controls_work_on_img2img_and_inpaint_with_the_map_made_from_the_photo(
    tiny_sd: Path, tiny_controlnet: Path, task: Task
) -> None:
    two = [
        {"kind": "lineart", "model": str(tiny_controlnet), "weight": 0.8},
        {"kind": "canny", "model": str(tiny_controlnet), "weight": 0.5, "start": 0.2, "end": 0.9},
    ]
    result = _controlled(tiny_sd, task, two)
    assert result.images[0].size == (64, 64)
    assert "Module: canny" in result.params["ControlNet 1"]
    assert "Guidance Start: 0.2, Guidance End: 0.9" in result.params["ControlNet 1"]


def test_a_union_controlnet_on_sdxl(tiny_sdxl: Path, tiny_union: Path) -> None:
    controls = [
        {"kind": "lineart", "model": str(tiny_union)},
        {"kind": "pose", "model": str(tiny_union), "image": 0},
    ]
    pose = Image.new("RGB", (64, 64))
    result = _controlled(tiny_sdxl, Task.PHOTO_TO_ANIME, controls, control_images=(pose,))
    assert result.images[0].size == (64, 64) and "Module: openpose" in result.params["ControlNet 1"]


def test_controls_are_checked_with_clear_errors(tiny_sd: Path, tiny_controlnet: Path) -> None:
    from sakuga.engines.diffusion.controls import parse_control

    assert parse_control(f"lineart:{tiny_controlnet}:0.7:0.1-0.8").as_option() == {
        "kind": "lineart",
        "model": str(tiny_controlnet),
        "weight": 0.7,
        "start": 0.1,
        "end": 0.8,
    }
    with pytest.raises(SpecError, match="names no ControlNet model"):
        parse_control("canny:0.5")
    with pytest.raises(SpecError, match="range"):
        parse_control("canny:m:0.9-0.2")
    with pytest.raises(SpecError, match="needs a map"):
        _controlled(tiny_sd, Task.TEXT_TO_IMAGE, [{"kind": "canny", "model": str(tiny_controlnet)}])
    with pytest.raises(ModelError, match="not a diffusers ControlNet folder"):
        _controlled(tiny_sd, Task.PHOTO_TO_ANIME, [{"kind": "canny", "model": str(tiny_sd)}])


def test_cli_controls_are_recorded_and_rerun_reproduces_them(
    tiny_sd: Path, tiny_controlnet: Path, tmp_path: Path
) -> None:
    common = ("--engine", "diffusers", "--model", str(tiny_sd), "--steps", "2", "--json")
    code, out, err = in_process(
        "control", "sample:astronaut", "--kind", "lineart", "-o", str(tmp_path / "lines.png"),
        home=tmp_path,
    )  # fmt: skip
    assert code == 0, err
    code, out, err = in_process(
        "create", "a girl, white hair", "--size", "64x64", "--seed", "9",
        "--control", f"lineart:{tiny_controlnet}:0.9:0-0.8",
        "--control-image", str(tmp_path / "lines.png"),
        "-o", str(tmp_path / "create"), *common, home=tmp_path,
    )  # fmt: skip
    assert code == 0, err
    made = json.loads(out)["images"][0]
    code, out, err = in_process("info", made["path"], "--json", home=tmp_path)
    params = json.loads(out)["parameters"]
    assert params["ControlNet 0"].startswith("Module: lineart_anime, Model: tiny-lineart-cn [")
    assert params["ControlNet 0"].endswith("Weight: 0.9, Guidance Start: 0, Guidance End: 0.8")
    # The map is kept with the request: a re-run draws the same picture.
    code, out, err = in_process(
        "rerun", made["id"], "-o", str(tmp_path / "again"), "--json", home=tmp_path
    )
    assert code == 0, err
    again = json.loads(out)["images"][0]
    first, second = (np.asarray(Image.open(p["path"]), np.float32) for p in (made, again))
    assert np.abs(first - second).max() <= 1.0
    # From a photo the map is made from the photo; two controls at once.
    code, out, err = in_process(
        "anime", "sample:cat", "--size", "64x64",
        "--control", f"lineart:{tiny_controlnet}", "--control", f"canny:{tiny_controlnet}:0.5",
        "-o", str(tmp_path / "anime"), *common, home=tmp_path,
    )  # fmt: skip
    assert code == 0, err
    code, _, err = in_process(
        "create", "x", "--control", "canny", "-o", str(tmp_path / "x"), *common, home=tmp_path
    )
    assert code != 0 and "names no ControlNet model" in err


def test_hires_fix_draws_again_at_the_upscaled_size_and_records_it(
    tiny_sd: Path, tmp_path: Path
) -> None:
    common = ("--engine", "diffusers", "--model", str(tiny_sd), "--steps", "2", "--json")
    args = ("create", "a girl, white hair", "--size", "128x128", "--seed", "4", *common)
    code, out, err = in_process(*args, "-o", str(tmp_path / "plain"), home=tmp_path)
    assert code == 0, err
    plain = json.loads(out)["images"][0]
    code, out, err = in_process(
        *args, "--hires", "2", "--hires-strength", "0.5", "--hires-steps", "3",
        "-o", str(tmp_path / "hires"), home=tmp_path,
    )  # fmt: skip
    assert code == 0, err
    fixed = json.loads(out)["images"][0]
    assert (fixed["width"], fixed["height"]) == (128, 128)
    code, out, _ = in_process("info", fixed["path"], "--json", home=tmp_path)
    params = json.loads(out)["parameters"]
    assert params["Hires upscale"] == "2.0" and params["Hires steps"] == "3"
    assert params["Hires upscaler"] == "Lanczos" and params["Denoising strength"] == "0.5"
    assert params["Generation size"] == "64x64" and params["Hires size"] == "128x128"
    # The second pass drew: the picture is not the first pass stretched.
    a, b = (np.asarray(Image.open(p["path"]).convert("RGB"), np.float32) for p in (plain, fixed))
    assert np.abs(a - b).mean() > 2.0
    # It reruns: the recipe holds the hires options.
    code, out, err = in_process(
        "rerun", fixed["id"], "-o", str(tmp_path / "again"), "--json", home=tmp_path
    )
    assert code == 0, err
    again = np.asarray(Image.open(json.loads(out)["images"][0]["path"]).convert("RGB"), np.float32)
    assert np.abs(again - b).max() <= 1.0


def test_a_cover_gets_the_hires_fix_and_image_tasks_refuse_it(tiny_sd: Path) -> None:
    from sakuga.prompt.artspec import ArtSpec

    engine = DiffusersEngine()
    cover = engine.run(
        EngineRequest(
            Task.TEXT_TO_IMAGE,
            spec=ArtSpec.build(use="cover"),
            size=(96, 96),
            seed=1,
            model=str(tiny_sd),
            options=STEPS,
        )
    )
    assert cover.params["Hires fix"] == "auto (cover)" and cover.params["Hires upscale"] == 2.0
    with pytest.raises(SpecError, match="hires fix is for text"):
        engine.run(
            EngineRequest(
                Task.PHOTO_TO_ANIME,
                image=Image.new("RGB", (64, 64)),
                model=str(tiny_sd),
                options={**STEPS, "hires": 2},
            )
        )
    with pytest.raises(SpecError, match="go with hires"):
        engine.run(
            EngineRequest(
                Task.TEXT_TO_IMAGE, model=str(tiny_sd), options={**STEPS, "hires_steps": 3}
            )
        )


@pytest.mark.skipif(
    not __import__("sakuga.imaging.rig", fromlist=["rig_available"]).rig_available()
    and not os.environ.get("SAKUGA_REQUIRE_RIG"),
    reason="no rig",
)
def test_the_detailer_changes_pixels_only_inside_the_feathered_face_box(tiny_sd: Path) -> None:
    from skimage import data

    from sakuga.engines.diffusion.detailer import find_boxes

    photo = Image.fromarray(data.astronaut())

    def anime(**options: Any) -> Any:
        return DiffusersEngine().run(
            EngineRequest(
                Task.PHOTO_TO_ANIME,
                image=photo,
                size=(64, 64),
                seed=2,
                model=str(tiny_sd),
                options={**STEPS, **options},
            )
        )

    plain, detailed = anime(detail="none"), anime(detail="face", detail_strength=0.45)
    assert detailed.params["Detailer"] == "face" and detailed.params["Detailer boxes"] == 1
    assert detailed.params["Detailer source"] == "rig on the input photo"
    assert detailed.params["Detailer denoise"] == 0.45
    before = np.asarray(plain.images[0].convert("RGB"), np.int16)
    after = np.asarray(detailed.images[0].convert("RGB"), np.int16)
    (box,), _ = find_boxes(plain.images[0], photo, ["face"])
    x0, y0, x1, y1 = box.padded((64, 64))
    inside = np.zeros(before.shape[:2], bool)
    inside[y0:y1, x0:x1] = True
    changed = np.abs(after - before).max(axis=2) > 0
    assert changed[inside].mean() > 0.1  # the face was drawn again …
    assert not changed[~inside].any()  # … and nothing outside its padded box moved
    # Its centre changed most, its crop's edge least: the blend is feathered.
    centre = np.abs(after - before)[(y0 + y1) // 2, (x0 + x1) // 2].max()
    edge = np.abs(after - before)[y0, x0:x1].max()
    assert centre > edge
    with pytest.raises(SpecError, match="detail can be face, hands"):
        anime(detail="feet")


def test_ip_adapter_plus_face_loads_and_takes_the_face_crop(
    tiny_sd: Path, tmp_path: Path, astronaut: Image.Image
) -> None:
    from tests.engines.tiny_diffusers import build_ip_adapter

    adapter = build_ip_adapter(tiny_sd, tmp_path / "plus-face", layout="plus")
    engine = DiffusersEngine()

    def make(**options: Any) -> Any:
        return engine.run(
            EngineRequest(
                Task.PHOTO_TO_ANIME,
                image=astronaut,
                size=(64, 64),
                seed=4,
                model=str(tiny_sd),
                options={**STEPS, "detail": "none", **options},
            )
        )

    plain = make()
    face = make(ip_adapter=str(adapter), ip_adapter_scale=1.0)
    assert face.params["IP-Adapter"] == "plus-face"
    assert face.params["IP-Adapter image"] == "the face"  # a Plus-Face adapter sees the face
    a, b = (np.asarray(r.images[0], np.int16) for r in (plain, face))
    assert np.abs(a - b).mean() > 0.5


@pytest.mark.skipif(
    not __import__("sakuga.imaging.rig", fromlist=["rig_available"]).rig_available()
    and not os.environ.get("SAKUGA_REQUIRE_RIG"),
    reason="no rig",
)
def test_the_photo_recipe_runs_all_of_its_stages(
    tiny_sd: Path, tiny_controlnet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.engines.tiny_diffusers import build_ip_adapter

    adapter = build_ip_adapter(tiny_sd, tmp_path / "plus-face", layout="plus")
    monkeypatch.setenv("SAKUGA_CONTROLNET_LINEART", str(tiny_controlnet))
    monkeypatch.setenv("SAKUGA_CONTROLNET_POSE", str(tiny_controlnet))
    monkeypatch.setenv("SAKUGA_IP_ADAPTER", str(adapter))
    common = ("--engine", "diffusers", "--model", str(tiny_sd), "--steps", "2", "--json")

    def anime(*extra: str) -> dict[str, str]:
        code, out, err = in_process(
            "anime", "sample:astronaut", "--size", "64x64", "--style", "cinematic", *extra,
            "-o", str(tmp_path / "out"), *common, home=tmp_path / "home",
        )  # fmt: skip
        assert code == 0, err
        path = json.loads(out)["images"][0]["path"]
        _, info, _ = in_process("info", path, "--json", home=tmp_path / "home")
        return dict(json.loads(info)["parameters"])

    params = anime()
    # img2img at the style's denoise, line art and pose from the photo at its weights,
    # the Plus-Face adapter on the face crop, then the detailer on the face.
    assert params["Denoising strength"] == "0.45"
    assert params["ControlNet 0"].startswith("Module: lineart_anime,")
    assert "Weight: 0.8," in params["ControlNet 0"]
    assert params["ControlNet 1"].startswith("Module: openpose,")
    assert params["IP-Adapter"] == "plus-face" and params["IP-Adapter image"] == "the face"
    assert params["Detailer"] == "face" and params["Detailer boxes"] == "1"
    # Each stage is the creator's to change or turn off.
    changed = anime(
        "--strength", "0.3", "--control", f"canny:{tiny_controlnet}:0.4", "--detail", "none"
    )
    assert changed["Denoising strength"] == "0.3"
    assert changed["ControlNet 0"].startswith("Module: canny,") and "ControlNet 1" not in changed
    assert "Detailer" not in changed


def test_sdxl_toolkit_end_to_end_through_the_cli(
    tiny_sdxl: Path, tiny_union: Path, tmp_path: Path
) -> None:
    from sakuga.imaging.control import draw_openpose

    common = ("--engine", "diffusers", "--model", str(tiny_sdxl), "--steps", "2", "--json")
    home = tmp_path / "home"
    pose = tmp_path / "pose.png"
    draw_openpose(
        (64, 64), [[(32, 12), (32, 24), (24, 24), None, None, (40, 24)] + [None] * 12]
    ).save(pose)
    code, out, err = in_process(
        "create", "1girl, waving", "--size", "128x128", "--seed", "3",
        "--control", f"pose:{tiny_union}:0.7", "--control-image", str(pose),
        "--hires", "2", "--hires-steps", "2", "-o", str(tmp_path / "a"), *common, home=home,
    )  # fmt: skip
    assert code == 0, err
    made = json.loads(out)["images"][0]
    assert (made["width"], made["height"]) == (128, 128)
    _, info, _ = in_process("info", made["path"], "--json", home=home)
    params = json.loads(info)["parameters"]
    assert params["Architecture"] == "SDXL" and params["Hires upscale"] == "2.0"
    assert params["ControlNet 0"].startswith("Module: openpose, Model: tiny-union [")
    code, out, err = in_process(
        "anime", "sample:astronaut", "--size", "64x64", "--control", f"lineart:{tiny_union}",
        "--detail", "face", "-o", str(tmp_path / "b"), *common, home=home,
    )  # fmt: skip
    assert code == 0, err
    _, info, _ = in_process("info", json.loads(out)["images"][0]["path"], "--json", home=home)
    params = json.loads(info)["parameters"]
    assert params["Detailer"] == "face" and "Module: lineart_anime" in params["ControlNet 0"]


def test_a_grid_over_cfg_and_sampler_is_the_single_creates(tiny_sd: Path, tmp_path: Path) -> None:
    """#38: A1111's X/Y plot of CFG by sampler, on a real (tiny) pipeline: each cell is
    the single create with those flags, pixel for pixel."""
    common = ("--engine", "diffusers", "--model", str(tiny_sd), "--steps", "2", "--seed", "3",
              "--size", "64x64", "--json")  # fmt: skip
    out = sakuga(
        "create", "a girl with pink hair", "--grid", "cfg=3,9", "--grid", "sampler=Euler a|DPM++ 2M",
        "-o", str(tmp_path / "grid"), *common,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    grid = json.loads(out.stdout)
    assert [c["labels"] for c in grid["cells"]][-1] == ["cfg 9", "sampler DPM++ 2M"]
    seen = []
    for cell in grid["cells"]:
        cfg, sampler = cell["labels"][0].split()[1], cell["labels"][1].removeprefix("sampler ")
        alone = sakuga(
            "create", "a girl with pink hair", "--cfg", cfg, "--sampler", sampler,
            "-o", str(tmp_path / f"{cfg}-{sampler}.png"), *common,
        )  # fmt: skip
        assert alone.returncode == 0, alone.stderr
        single = np.asarray(Image.open(json.loads(alone.stdout)["images"][0]["path"]))
        made = np.asarray(Image.open(cell["image"]["path"]))
        assert np.array_equal(made, single), cell["labels"]
        seen.append(made)
    assert not np.array_equal(seen[0], seen[1]) and not np.array_equal(seen[0], seen[2])
