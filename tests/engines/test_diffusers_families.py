"""The diffusers engine right for the checkpoints people run (#29): v-prediction from a
single file's marker keys or a folder's config, samplers that do not leak between runs,
clip skip as A1111 counts it, each family's settings, buckets, and the precision per
card. Tiny random-weight models, built in code and loaded through the real path."""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import require_diffusers

require_diffusers()

import diffusers  # noqa: E402
import torch  # noqa: E402

from sakuga.engines.base import EngineRequest, Task  # noqa: E402
from sakuga.engines.diffusion import DiffusersEngine, choose_device  # noqa: E402
from sakuga.engines.diffusion.families import (  # noqa: E402
    families,
    nearest_bucket,
    recognise,
)
from sakuga.engines.diffusion.prompts import CHUNK, _token_chunks, encode_prompts  # noqa: E402
from sakuga.engines.diffusion.samplers import SAMPLERS  # noqa: E402
from sakuga.errors import ModelError, SpecError  # noqa: E402
from tests.engines.tiny_diffusers import build_sd, build_sdxl  # noqa: E402
from tests.test_cli import in_process  # noqa: E402

# The slow lane (tiny diffusers pipelines on PyTorch): `pytest -m "not slow"` leaves it out.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sd(tmp_path_factory.mktemp("fam-sd") / "sd")


@pytest.fixture(scope="module")
def sdxl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sdxl(tmp_path_factory.mktemp("fam-sdxl") / "sdxl")


def _run(model: Path | str, **options: Any) -> Any:
    engine = DiffusersEngine()
    result = engine.run(
        EngineRequest(Task.TEXT_TO_IMAGE, seed=5, model=str(model), options=options)
    )
    return engine, result


def _scheduler(engine: DiffusersEngine) -> Any:
    (loaded,) = engine._loaded.values()
    return loaded.pipe.scheduler


def _with_scheduler_config(folder: Path, out: Path, **changes: Any) -> Path:
    """A copy of a tiny pipeline folder whose scheduler config says ``changes``."""
    shutil.copytree(folder, out)
    path = out / "scheduler" / "scheduler_config.json"
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))
    return out


# --- 1. v-prediction from a single file's marker keys ----------------------------------


@pytest.fixture(scope="module")
def vpred_file(sd: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The tiny SD as one LDM-layout file carrying NoobAI's v_pred and ztsnr keys."""
    from safetensors.torch import load_file, save_file

    from tests.engines.tiny_single_file import write_single_file

    root = tmp_path_factory.mktemp("vpred-file")
    path, configs = write_single_file(sd, root / "my-merge.safetensors", root / "configs")
    tensors = load_file(str(path))
    tensors["v_pred"] = torch.tensor([])
    tensors["ztsnr"] = torch.tensor([])
    save_file(tensors, str(path))
    return path, configs


def test_a_single_file_with_v_pred_keys_runs_as_zero_snr_v_prediction(
    vpred_file: tuple[Path, Path], sd: Path
) -> None:
    path, configs = vpred_file
    engine, result = _run(path, steps=2, config=str(configs))
    scheduler = _scheduler(engine)
    assert scheduler.config.prediction_type == "v_prediction"
    assert scheduler.config.rescale_betas_zero_snr is True
    assert scheduler.config.timestep_spacing == "trailing"
    assert result.params["Prediction"] == "v_prediction, zero terminal SNR (from marker keys)"
    # What such cards ask for: Euler, and Lin et al.'s guidance rescale.
    assert result.params["Sampler"] == "Euler"
    assert result.params["Guidance rescale"] == 0.7
    # The same weights as an epsilon model draw another picture.
    _, plain = _run(sd, steps=2, sampler="Euler")
    assert not np.array_equal(np.asarray(plain.images[0]), np.asarray(result.images[0]))


def test_zero_snr_refuses_samplers_that_would_run_it_wrong(vpred_file: tuple[Path, Path]) -> None:
    path, configs = vpred_file
    for sampler in ("DPM++ SDE", "LMS", "Heun", "DPM++ 2M Karras", "DPM++ 2M SDE Karras"):
        with pytest.raises(SpecError, match="zero-terminal-SNR") as caught:
            _run(path, steps=2, config=str(configs), sampler=sampler)
        assert "Euler" in str(caught.value)  # and says what works
    # The explicit option wins over the marker keys.
    engine, result = _run(path, steps=2, config=str(configs), prediction="epsilon")
    assert _scheduler(engine).config.prediction_type == "epsilon"
    assert "Prediction" not in result.params


# --- 4. v-prediction from a diffusers folder ---------------------------------------------


def test_a_v_prediction_folder_gets_trailing_spacing_and_guidance_rescale(
    sdxl: Path, tmp_path: Path
) -> None:
    folder = _with_scheduler_config(
        sdxl, tmp_path / "vpred", prediction_type="v_prediction", rescale_betas_zero_snr=True
    )
    calls: list[dict[str, Any]] = []
    engine = DiffusersEngine()
    result = engine.run(
        EngineRequest(Task.TEXT_TO_IMAGE, seed=1, model=str(folder), options={"steps": 2})
    )
    scheduler = _scheduler(engine)
    assert scheduler.config.timestep_spacing == "trailing"
    assert scheduler.config.rescale_betas_zero_snr is True
    assert result.params["Guidance rescale"] == 0.7
    assert "scheduler config" in result.params["Prediction"]
    # The rescale reaches the pipeline call.
    pipe = next(iter(engine._loaded.values())).pipe
    original = type(pipe).__call__

    @functools.wraps(original)  # the engine reads the call's signature
    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return original(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(pipe), "__call__", spy)
        engine.run(
            EngineRequest(
                Task.TEXT_TO_IMAGE,
                seed=1,
                model=str(folder),
                options={"steps": 2, "guidance_rescale": 0.5},
            )
        )
    assert calls and calls[0]["guidance_rescale"] == 0.5


def test_a_controlnet_pipeline_without_guidance_rescale_says_so(sd: Path, tmp_path: Path) -> None:
    from tests.engines.tiny_diffusers import build_controlnet

    folder = _with_scheduler_config(
        sd, tmp_path / "vpred-sd", prediction_type="v_prediction", rescale_betas_zero_snr=True
    )
    net = build_controlnet(sd, tmp_path / "tiny-lineart-cn")
    controls = [{"kind": "canny", "model": str(net), "weight": 1.0, "image": 0}]
    request = EngineRequest(
        Task.TEXT_TO_IMAGE,
        size=(64, 64),
        seed=3,
        model=str(folder),
        options={"steps": 2, "controls": controls},
        control_images=(_square(),),
    )
    result = DiffusersEngine().run(request)
    assert "Guidance rescale" not in result.params
    assert (
        "not available with StableDiffusionControlNetPipeline"
        in (result.params["Guidance rescale skipped"])
    )
    from dataclasses import replace

    asked = replace(request, options={**request.options, "guidance_rescale": 0.7})
    with pytest.raises(SpecError, match="guidance_rescale is not available"):
        DiffusersEngine().run(asked)


def _square() -> Any:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (64, 64), "black")
    ImageDraw.Draw(image).rectangle((16, 16, 48, 48), outline="white", width=3)
    return image


# --- 2. samplers do not leak -------------------------------------------------------------


def test_no_sampler_setting_leaks_into_the_next_run(sd: Path) -> None:
    """After "DPM++ 2M SDE Karras", every other sampler is exactly a freshly built one."""
    pristine = diffusers.EulerDiscreteScheduler.from_pretrained(sd, subfolder="scheduler").config
    engine = DiffusersEngine()
    request = EngineRequest(Task.TEXT_TO_IMAGE, seed=1, model=str(sd))
    for name in SAMPLERS.values():
        if name.name in ("DPM++ 2M SDE Karras", "DPM++ SDE"):
            continue  # the first; DPM++ SDE (singlestep) is checked alike below
        for first in ("DPM++ 2M SDE Karras", "DPM++ 2M Karras"):
            engine.run(replace_options(request, steps=1, sampler=first))
            engine.run(replace_options(request, steps=1, sampler=name.name))
            got = _public(_scheduler(engine).config)
            fresh = _public(
                getattr(diffusers, name.scheduler).from_config(pristine, **name.options).config
            )
            assert got == fresh, (first, name.name)
            assert not got.get("use_karras_sigmas") or "Karras" in name.name
            assert got.get("algorithm_type") in (None, "dpmsolver++"), (first, name.name)


def _public(config: Any) -> dict[str, Any]:
    return {k: v for k, v in config.items() if not k.startswith("_")}


def replace_options(request: EngineRequest, **options: Any) -> EngineRequest:
    from dataclasses import replace

    return replace(request, options=options)


# --- 3. clip skip as A1111 counts it, against diffusers' own encode_prompt ----------------


def test_clip_skip_matches_diffusers_encode_prompt(sd: Path, sdxl: Path) -> None:
    pipe = diffusers.StableDiffusionPipeline.from_pretrained(sd, use_safetensors=True)
    text = "a girl with long hair"
    # Clip skip 1: the normed last layer, as diffusers feeds it.
    expected, _ = pipe.encode_prompt(text, "cpu", 1, False)
    torch.testing.assert_close(encode_prompts(pipe, text, "").prompt, expected)
    # Clip skip 2: the layer before, through the final norm (A1111's code; diffusers'
    # clip_skip=1 computes the same, but reaches the norm through a path transformers 5
    # removed, so it is written out here).
    ids = pipe.tokenizer(text, padding="max_length", max_length=77, return_tensors="pt").input_ids
    with torch.no_grad():
        hidden = pipe.text_encoder(ids, output_hidden_states=True).hidden_states[-2]
        inner = getattr(pipe.text_encoder, "text_model", pipe.text_encoder)  # transformers 4/5
        expected = inner.final_layer_norm(hidden)
    torch.testing.assert_close(encode_prompts(pipe, text, "", 2).prompt, expected)
    xl = diffusers.StableDiffusionXLPipeline.from_pretrained(sdxl, use_safetensors=True)
    # SDXL reads the penultimate layer: A1111's and ComfyUI's "clip skip 2" (and 1).
    for a1111, theirs in ((1, None), (2, None), (3, 1)):
        ours_xl = encode_prompts(xl, text, "", a1111)
        prompt, _, pooled, _ = xl.encode_prompt(text, device="cpu", clip_skip=theirs)
        torch.testing.assert_close(ours_xl.prompt, prompt, msg=f"SDXL clip skip {a1111}")
        torch.testing.assert_close(ours_xl.pooled, pooled)


def test_a_tag_at_the_chunk_edge_moves_whole_to_the_next_chunk(sd: Path) -> None:
    pipe = diffusers.StableDiffusionPipeline.from_pretrained(sd, use_safetensors=True)
    tokenizer = pipe.tokenizer
    comma = tokenizer(",", add_special_tokens=False).input_ids[0]
    # 70 one-token words, a comma, then a ten-token tag that would straddle the edge.
    head = " ".join(["a"] * 70)
    tag = " ".join(["b"] * 10)
    chunks = _token_chunks(tokenizer, f"{head}, {tag}")
    first, second = (ids for ids, _ in chunks)
    assert first[-1] == comma and len(first) == 71
    assert len(second) == 10  # the whole tag, together
    # Far from any comma, a chunk is cut at 75 as before.
    chunks = _token_chunks(tokenizer, " ".join(["a"] * 80))
    assert [len(ids) for ids, _ in chunks] == [CHUNK, 5]


# --- 5. precision per card ----------------------------------------------------------------


@pytest.mark.parametrize(("capability", "dtype"), [((7, 5), "float16"), ((6, 1), "float16"),
                                                     ((8, 6), "bfloat16"), ((9, 0), "bfloat16")])  # fmt: skip
def test_bf16_only_where_the_card_computes_it(
    monkeypatch: pytest.MonkeyPatch, capability: tuple[int, int], dtype: str
) -> None:
    # An RTX 20-series (7.5) or a GTX (6.1) "supports" bf16 only by emulation.
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda including_emulation=True: True)
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda device=None: capability)
    assert choose_device("cuda") == ("cuda", getattr(torch, dtype))


# --- 6. buckets ---------------------------------------------------------------------------


def test_sizes_are_drawn_on_the_family_buckets() -> None:
    buckets = recognise("animagine-xl-4.0", "sdxl").buckets
    assert nearest_bucket((1024, 1536), buckets, 1024) == (832, 1216)  # poster
    assert nearest_bucket((1280, 720), buckets, 1024) == (1344, 768)  # thumbnail
    assert nearest_bucket((1920, 1080), buckets, 1024) == (1344, 768)  # wallpaper
    assert nearest_bucket((1080, 1350), buckets, 1024) == (896, 1152)  # social post
    assert nearest_bucket((3000, 3000), buckets, 1024) == (1024, 1024)  # cover
    # An SDXL model of no known family gets SDXL's own buckets.
    assert recognise("my-own-xl", "sdxl").buckets == buckets
    # A model of another native size gets them scaled, in multiples of 8.
    assert nearest_bucket((1024, 1536), buckets, 64) == (48, 80)


def test_the_engine_generates_on_the_bucket_and_fits_the_use(sdxl: Path) -> None:
    engine = DiffusersEngine()
    result = engine.run(
        EngineRequest(
            Task.TEXT_TO_IMAGE, size=(1280, 720), seed=1, model=str(sdxl), options={"steps": 1}
        )
    )
    # The tiny model's native side is 64: 1344×768 scaled by 1/16, multiples of 8.
    assert result.params["Generation size"] == "80x48"
    assert result.images[0].size == (1280, 720)


# --- 7. each family's settings, applied, recorded, and read back by rerun ----------------

#: (file name as downloaded, family, its card's settings as the recipe writes them)
FAMILY_FILES = [
    ("animagineXLV31_v31", "animagine-xl-3.1", {"Sampler": "Euler a", "CFG scale": 7.0, "Steps": 28}),
    ("animagine-xl-4.0", "animagine-xl-4", {"Sampler": "Euler a", "CFG scale": 5.0, "Steps": 28}),
    ("noobaiXLNAIXL_epsilonPred11Version", "noobai-xl", {"Sampler": "Euler a", "CFG scale": 5.5, "Steps": 28}),
    ("noobaiXLNAIXL_vPred10Version", "noobai-xl-vpred", {"Sampler": "Euler", "CFG scale": 4.5, "Steps": 32, "Guidance rescale": 0.7}),
    ("illustriousXL_v01", "illustrious", {"Sampler": "Euler a", "CFG scale": 6.0, "Steps": 28}),
    ("ponyDiffusionV6XL_v6StartWithThisOne", "pony", {"Sampler": "Euler a", "Steps": 25, "Clip skip": 2}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "family", "expected"), FAMILY_FILES)
def test_each_family_gets_its_card_settings_and_rerun_reproduces_them(
    sdxl: Path, tmp_path: Path, name: str, family: str, expected: dict[str, Any]
) -> None:
    from PIL import Image

    from sakuga.imaging.metadata import read_recipe

    model = tmp_path / name
    shutil.copytree(sdxl, model)
    home = tmp_path / "home"
    code, out, err = in_process(
        "create", "a girl with a red scarf", "--engine", "diffusers", "--model", str(model),
        "--size", "64x64", "--seed", "4", "-o", str(tmp_path / "out"), "--json", home=home,
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    params = read_recipe(Image.open(data["images"][0]["path"])).params  # type: ignore[union-attr]
    assert params["Model family"] == family
    for key, value in expected.items():
        assert str(params[key]) == str(value), key
    row = next(f for f in families() if f.name == family)
    assert all(q in data["prompt"] for q in row.quality)
    code, out, err = in_process(
        "rerun", data["images"][0]["id"], "-o", str(tmp_path / "again"), "--json", home=home
    )
    assert code == 0, err
    again = json.loads(out)
    params_again = read_recipe(Image.open(again["images"][0]["path"])).params  # type: ignore[union-attr]
    for key in (*expected, "Model family", "Family defaults", "Seed"):
        assert params_again[key] == params[key], key
    first = np.asarray(Image.open(data["images"][0]["path"]))
    assert np.array_equal(first, np.asarray(Image.open(again["images"][0]["path"])))


def test_explicit_options_win_over_the_family(sdxl: Path, tmp_path: Path) -> None:
    model = tmp_path / "ponyDiffusionV6XL"
    shutil.copytree(sdxl, model)
    _, result = _run(model, steps=3, cfg=4.0, sampler="DDIM", clip_skip=1)
    assert (result.params["Steps"], result.params["CFG scale"]) == (3, 4.0)
    assert result.params["Sampler"] == "DDIM" and "Clip skip" not in result.params
    assert "Family defaults" not in result.params
    assert result.params["Model family"] == "pony"


def test_civitai_names_and_metadata_are_recognised(tmp_path: Path) -> None:
    from safetensors.torch import save_file

    for name, family in (
        ("animagineXLV31_v31.safetensors", "animagine-xl-3.1"),
        ("animagineXLV3_v30.safetensors", "animagine-xl-3"),
        ("animagine-xl-3.0", "animagine-xl-3"),
        ("noobaiXLNAIXL_vPred10Version.safetensors", "noobai-xl-vpred"),
        ("Illustrious-XL-v0.1-GUIDED.safetensors", "illustrious"),
        ("cagliostrolab/animagine-xl-4.0", "animagine-xl-4"),
    ):
        assert recognise(name, "sdxl").name == family, name
    assert recognise("meinamix_v11.safetensors", "sd").name == "sd15-anime"
    # A family is for its architecture: an SD 1.5 file named "pony-something" is not Pony.
    assert recognise("pony-style-sd15.safetensors", "sd").name == "natural"
    # A merge named anything: its safetensors metadata names it.
    path = tmp_path / "merge_v2.safetensors"
    save_file({"x": torch.zeros(1)}, str(path), metadata={"modelspec.title": "NoobAI XL V-Pred"})
    assert recognise(str(path), "sdxl").name == "noobai-xl-vpred"
    # An unnamed v-prediction merge: its marker key.
    assert recognise("merge_v3.safetensors", "sdxl", keys=frozenset({"v_pred"})).name == (
        "vpred-merge"
    )


def test_every_family_row_is_complete_and_cited() -> None:
    for row in families():
        assert row.card.startswith("https://"), row.name
        assert row.arch in ("sd", "sdxl") and (row.patterns or row.keys), row.name
        assert row.sampler in {s.name for s in SAMPLERS.values()}, row.name
        assert row.sources, row.name
        if row.arch == "sdxl":
            assert row.buckets and row.buckets[0][0] == row.buckets[0][1], row.name
        if row.zero_snr:
            assert row.prediction == "v_prediction" and "Karras" not in row.sampler


def test_tiling_and_slicing_are_per_run(sd: Path) -> None:
    engine, _ = _run(sd, steps=1, vae_tiling=True, attention_slicing=True)
    pipe = next(iter(engine._loaded.values())).pipe
    assert pipe.vae.use_tiling
    engine.run(EngineRequest(Task.TEXT_TO_IMAGE, seed=5, model=str(sd), options={"steps": 1}))
    assert not pipe.vae.use_tiling


# --- 8. an IP-Adapter meets the encoder it was trained on ---------------------------------


def test_an_ip_adapter_is_paired_with_the_encoder_of_its_width(sd: Path, tmp_path: Path) -> None:
    """h94's layout: sdxl_models/ holds a ViT-bigG image_encoder beside the *_vit-h
    adapters, whose ViT-H encoder is in models/image_encoder. Widths here are tiny
    stand-ins (48 for ViT-H, 32 for ViT-bigG)."""
    from PIL import Image

    from sakuga.engines.diffusion.adapters import pair
    from sakuga.errors import ModelError
    from tests.engines.tiny_diffusers import build_ip_adapter

    root = tmp_path / "IP-Adapter"
    build_ip_adapter(sd, root / "sdxl_models", layout="plus", width=48)
    (root / "models").mkdir()
    (root / "sdxl_models" / "image_encoder").rename(root / "models" / "image_encoder")
    build_ip_adapter(sd, root / "sdxl_models", width=32)  # plain, with the "bigG" encoder
    face = root / "sdxl_models" / "ip-adapter-plus-face_tiny.safetensors"
    # The alphabetically first adapter is the Plus-Face one; it reads hidden states 48
    # wide, which only models/image_encoder gives.
    chosen = pair(str(root / "sdxl_models"))
    assert chosen.weights == face and chosen.encoder == root / "models" / "image_encoder"
    plain = pair(str(root / "sdxl_models" / "ip-adapter_tiny.safetensors"))
    assert plain.encoder == root / "sdxl_models" / "image_encoder"
    result = DiffusersEngine().run(
        EngineRequest(
            Task.PHOTO_TO_ANIME,
            image=Image.new("RGB", (64, 64), (200, 150, 120)),
            size=(64, 64),
            seed=4,
            model=str(sd),
            options={"steps": 2, "detail": "none", "ip_adapter": str(face)},
        )
    )
    assert result.params["IP-Adapter weights"] == face.name
    assert result.params["IP-Adapter encoder"] == "models/image_encoder"
    # With no encoder of its width anywhere, it is said plainly.
    shutil.rmtree(root / "models")
    with pytest.raises(ModelError, match="reads hidden states 48 wide"):
        pair(str(face))


def test_prediction_and_guidance_rescale_from_the_cli(sd: Path, tmp_path: Path) -> None:
    """A v-prediction merge with no marker keys: the creator says so."""
    from PIL import Image

    from sakuga.imaging.metadata import read_recipe

    code, out, err = in_process(
        "create", "a girl", "--engine", "diffusers", "--model", str(sd), "--steps", "2",
        "--size", "64x64", "--prediction", "v_prediction", "--guidance-rescale", "0.3",
        "-o", str(tmp_path / "out"), "--json", home=tmp_path / "home",
    )  # fmt: skip
    assert code == 0, err
    path = json.loads(out)["images"][0]["path"]
    params = read_recipe(Image.open(path)).params  # type: ignore[union-attr]
    assert params["Prediction"] == "v_prediction (from option)"
    assert params["Guidance rescale"] == "0.3"
    code, _, err = in_process(
        "create", "a girl", "--engine", "diffusers", "--model", str(sd), "--prediction", "x",
        "-o", str(tmp_path / "bad"), home=tmp_path / "home",
    )  # fmt: skip
    assert code != 0 and "prediction must be epsilon or v_prediction" in err


def test_the_readme_documents_every_family_with_its_source() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for row in families():
        assert f"| {row.title} |" in readme and row.card in readme, row.name


# --- 9. an external VAE -------------------------------------------------------------------


def test_an_external_vae_is_used_recorded_and_put_back(sd: Path, tmp_path: Path) -> None:
    """A VAE file as A1111 users download them (the original layout, no prefix), and a
    diffusers VAE folder; the next run without one draws with the model's own again."""
    from safetensors.torch import save_file

    from tests.engines.tiny_single_file import vae_key

    vae = diffusers.AutoencoderKL.from_pretrained(sd, subfolder="vae")
    with torch.no_grad():
        vae.decoder.conv_out.bias += 0.3  # a visibly different decoder
    blocks = len(vae.config.block_out_channels)
    tensors = {}
    for key, value in vae.state_dict().items():
        ldm = vae_key(key, blocks)
        if ".mid.attn_1." in ldm and value.ndim == 2:
            value = value[:, :, None, None]
        tensors[ldm] = value.contiguous()
    file = tmp_path / "anime-vae.safetensors"
    save_file(tensors, str(file))
    vae.save_pretrained(tmp_path / "vae-folder", safe_serialization=True)

    engine = DiffusersEngine()

    def draw(**options: Any) -> Any:
        return engine.run(
            EngineRequest(
                Task.TEXT_TO_IMAGE, seed=2, model=str(sd), options={"steps": 2, **options}
            )
        )

    own = draw()
    with_file = draw(vae=str(file))
    with_folder = draw(vae=str(tmp_path / "vae-folder"))
    again = draw()
    pixels = [np.asarray(r.images[0], np.int16) for r in (own, with_file, with_folder, again)]
    assert np.abs(pixels[1] - pixels[0]).mean() > 5  # the other decoder drew it
    assert np.abs(pixels[1] - pixels[2]).max() <= 1  # file and folder: the same VAE
    assert np.array_equal(pixels[3], pixels[0])  # the model's own VAE is back
    assert with_file.params["VAE"] == "anime-vae" and len(with_file.params["VAE hash"]) == 10
    assert "VAE" not in again.params
    with pytest.raises(ModelError, match="VAE not found"):
        draw(vae=str(tmp_path / "missing.safetensors"))


def _embedding_file(path: Path, arch: str, vectors: int = 2) -> Path:
    """A random textual inversion in A1111's safetensors layout (SD: emb_params; SDXL:
    clip_l and clip_g), for the tiny encoders (32 wide)."""
    from safetensors.torch import save_file

    torch.manual_seed(7)
    tensors = (
        {"emb_params": torch.randn(vectors, 32) * 3}
        if arch == "sd"
        else {"clip_l": torch.randn(vectors, 32) * 3, "clip_g": torch.randn(vectors, 32) * 3}
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path))
    return path


@pytest.mark.parametrize("arch", ["sd", "sdxl"])
def test_negative_embeddings_named_in_the_prompt_load_from_the_model_folder(
    sd: Path, sdxl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arch: str
) -> None:
    monkeypatch.setenv("SAKUGA_HOME", str(tmp_path))
    _embedding_file(tmp_path / "models" / "embeddings" / "EasyNegative.safetensors", arch)
    model = sd if arch == "sd" else sdxl
    engine = DiffusersEngine()

    def draw(negative: str | None, prompt: str = "a girl", **options: Any) -> Any:
        from sakuga.prompt.artspec import ArtSpec

        spec = ArtSpec(negative=negative) if negative else ArtSpec()
        return engine.run(
            EngineRequest(
                Task.TEXT_TO_IMAGE, spec=spec, prompt=prompt, seed=2, model=str(model),
                options={"steps": 2, "prompt_style": "natural", **options},
            )
        )  # fmt: skip

    plain = draw("lowres")
    easy = draw("EasyNegative, lowres")
    assert easy.params["TI hashes"].startswith("EasyNegative: ")
    assert len(easy.params["TI hashes"].split(": ")[1]) == 12
    assert "TI hashes" not in plain.params
    a, b = (np.asarray(r.images[0], np.int16) for r in (plain, easy))
    assert np.abs(a - b).mean() > 0.5  # the embedding's vectors reached the encoder
    # Unloaded after the run: the same request without it draws as before.
    assert np.array_equal(np.asarray(draw("lowres").images[0], np.int16), a)
    # ComfyUI's syntax works, and a missing name is said.
    prefixed = draw("embedding:EasyNegative, lowres")
    assert np.array_equal(np.asarray(prefixed.images[0], np.int16), b)
    with pytest.raises(ModelError, match="embedding:Nope not found"):
        draw("embedding:Nope")
    # A word that only looks like a name is left alone.
    assert "TI hashes" not in draw("easynegative lowres").params


def test_an_embedding_for_the_other_architecture_is_refused(
    sd: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAKUGA_HOME", str(tmp_path / "home"))
    file = _embedding_file(tmp_path / "downloads" / "xl-neg.safetensors", "sdxl")
    with pytest.raises(ModelError, match="an embedding for SDXL"):
        _run(sd, steps=1, embeddings=[str(file)])


# --- LyCORIS LoHa and LoKr ----------------------------------------------------------------


def _lycoris_file(path: Path, kind: str, layer_names: dict[str, tuple[int, ...]]) -> Path:
    """A random LoHa or LoKr in kohya's key names for the given layers (name → weight
    shape), strong enough to show in two steps."""
    from safetensors.torch import save_file

    torch.manual_seed(11)
    tensors: dict[str, torch.Tensor] = {}
    for name, shape in layer_names.items():
        out, rest = shape[0], int(np.prod(shape[1:]))
        rank = 2
        tensors[f"{name}.alpha"] = torch.tensor(float(rank))
        if kind == "loha":
            tensors[f"{name}.hada_w1_a"] = torch.randn(out, rank)
            tensors[f"{name}.hada_w1_b"] = torch.randn(rank, rest)
            tensors[f"{name}.hada_w2_a"] = torch.randn(out, rank)
            tensors[f"{name}.hada_w2_b"] = torch.randn(rank, rest)
        else:  # LoKr: w1 whole (4 × 4), w2 decomposed; kron(w1, w2) is the weight's shape
            tensors[f"{name}.lokr_w1"] = torch.randn(4, 4)
            tensors[f"{name}.lokr_w2_a"] = torch.randn(out // 4, rank)
            tensors[f"{name}.lokr_w2_b"] = torch.randn(rank, rest // 4)
    save_file(tensors, str(path))
    return path


@pytest.mark.parametrize("kind", ["loha", "lokr"])
def test_lycoris_loha_and_lokr_change_the_picture_and_are_taken_out_after(
    sd: Path, tmp_path: Path, kind: str
) -> None:
    pipe = diffusers.StableDiffusionPipeline.from_pretrained(sd, use_safetensors=True)
    layers = {
        "lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn1_to_q": tuple(
            pipe.unet.down_blocks[1].attentions[0].transformer_blocks[0].attn1.to_q.weight.shape
        ),
        "lora_unet_down_blocks_0_resnets_0_conv1": tuple(
            pipe.unet.down_blocks[0].resnets[0].conv1.weight.shape
        ),  # a 3×3 convolution
        "lora_te_text_model_encoder_layers_0_self_attn_q_proj": (32, 32),
    }
    file = _lycoris_file(tmp_path / f"style_{kind}.safetensors", kind, layers)
    engine = DiffusersEngine()

    def draw(**options: Any) -> Any:
        return engine.run(
            EngineRequest(Task.TEXT_TO_IMAGE, seed=3, model=str(sd),
                          options={"steps": 2, **options})
        )  # fmt: skip

    plain = draw()
    styled = draw(loras=[f"{file}:1.0"])
    again = draw()
    a, b, c = (np.asarray(r.images[0], np.int16) for r in (plain, styled, again))
    assert np.abs(a - b).mean() > 2  # the LoHa/LoKr reached the UNet and the encoder
    assert np.array_equal(a, c)  # put back exactly after the run
    assert styled.params["Lora hashes"].startswith(f"style_{kind}: ")


def test_a_lycoris_file_with_layers_this_model_lacks_is_refused(sd: Path, tmp_path: Path) -> None:
    file = _lycoris_file(
        tmp_path / "sdxl_sgm.safetensors", "loha",
        {"lora_unet_input_blocks_4_1_transformer_blocks_0_attn1_to_q": (32, 32)},
    )  # fmt: skip
    engine = DiffusersEngine()
    with pytest.raises(ModelError, match="no layer 'lora_unet_input_blocks_4_1"):
        engine.run(
            EngineRequest(Task.TEXT_TO_IMAGE, seed=3, model=str(sd),
                          options={"steps": 1, "loras": [str(file)]})
        )  # fmt: skip
    # Nothing stays merged after the refusal.
    plain = DiffusersEngine().run(
        EngineRequest(Task.TEXT_TO_IMAGE, seed=3, model=str(sd), options={"steps": 1})
    )
    after = engine.run(
        EngineRequest(Task.TEXT_TO_IMAGE, seed=3, model=str(sd), options={"steps": 1})
    )
    assert np.array_equal(np.asarray(plain.images[0]), np.asarray(after.images[0]))


def test_the_sd15_anime_family_gets_clip_skip_2_and_rerun_reproduces_it(
    sd: Path, tmp_path: Path
) -> None:
    from PIL import Image

    from sakuga.imaging.metadata import read_recipe

    model = tmp_path / "meinamix_v11"
    shutil.copytree(sd, model)
    home = tmp_path / "home"
    code, out, err = in_process(
        "create", "a girl with a red scarf", "--engine", "diffusers", "--model", str(model),
        "--size", "64x64", "--seed", "4", "--steps", "2", "-o", str(tmp_path / "out"),
        "--json", home=home,
    )  # fmt: skip
    assert code == 0, err
    first = json.loads(out)["images"][0]
    params = read_recipe(Image.open(first["path"])).params  # type: ignore[union-attr]
    assert params["Model family"] == "sd15-anime"
    assert (params["Clip skip"], params["Sampler"], params["CFG scale"]) == (
        "2",
        "DPM++ 2M Karras",
        "7.0",
    )
    code, out, err = in_process("rerun", first["id"], "-o", str(tmp_path / "again"), "--json",
                                home=home)  # fmt: skip
    assert code == 0, err
    again = json.loads(out)["images"][0]
    assert np.array_equal(
        np.asarray(Image.open(first["path"])), np.asarray(Image.open(again["path"]))
    )
