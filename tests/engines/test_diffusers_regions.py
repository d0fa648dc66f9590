"""Several characters on diffusers without their traits bleeding (#34): regional
prompting. Tiny random models show no colours, so bleed is shown structurally: in a real
cross-attention layer of the (tiny) UNet, a character's tokens change only the pixels
of their own column, and the base prompt's change every pixel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require_diffusers

require_diffusers()

import torch  # noqa: E402

from sakuga.engines.base import EngineRequest, Task  # noqa: E402
from sakuga.engines.diffusion import DiffusersEngine  # noqa: E402
from sakuga.engines.diffusion import engine as engine_module  # noqa: E402
from sakuga.engines.diffusion.families import recognise  # noqa: E402
from sakuga.engines.diffusion.regions import RegionalAttention, plan_regions  # noqa: E402
from sakuga.prompt.artspec import ArtSpec  # noqa: E402

pytestmark = pytest.mark.slow

SHIP = (
    "can u draw my ship Aki x Hana hugging at the airport?? Aki has short black hair and a "
    "denim jacket, Hana has long blonde hair and a yellow sundress, a suitcase next to them, "
    "both crying happy tears"
)


def test_each_character_gets_a_prompt_of_their_own_and_the_scene_is_the_base() -> None:
    natural = recognise("x", "sd", "natural", None)
    plan = plan_regions(EngineRequest(Task.TEXT_TO_IMAGE, spec=ArtSpec.from_text(SHIP)), natural)
    assert plan is not None and plan.names == ("Aki", "Hana")
    aki, hana = plan.regions
    assert "short black hair" in aki and "denim jacket" in aki
    assert "blonde" not in aki and "sundress" not in aki
    assert "long blonde hair" in hana and "yellow sundress" in hana
    assert "black hair" not in hana and "denim" not in hana
    # The base holds the scene and what they do together, no one's hair or clothes.
    assert "airport" in plan.base and "hugging" in plan.base
    assert not any(w in plan.base for w in ("black hair", "blonde", "denim", "sundress"))
    assert "my ship" not in plan.written()
    assert plan.written() == f"{plan.base} ADDBASE {aki} ADDCOL {hana}"
    tags = recognise("x", "sd", "tags", None)
    seawall = ArtSpec.from_text("a boy and a girl sitting on a seawall at golden hour")
    tagged = plan_regions(EngineRequest(Task.TEXT_TO_IMAGE, spec=seawall), tags)
    assert tagged is not None and tagged.regions[0].startswith("1boy")
    assert tagged.regions[1].startswith("1girl")
    # One character, a prompt sent as given, an image task: no regions.
    one = EngineRequest(Task.TEXT_TO_IMAGE, spec=ArtSpec.from_text("a girl with red hair"))
    assert plan_regions(one, natural) is None
    given = EngineRequest(Task.TEXT_TO_IMAGE, spec=ArtSpec.from_text(SHIP), prompt=SHIP)
    assert plan_regions(given, natural) is None


def _cross_attention(tiny_sd: Path) -> Any:
    from diffusers import StableDiffusionPipeline

    pipe = StableDiffusionPipeline.from_pretrained(str(tiny_sd))
    return next(m for m in pipe.unet.modules() if getattr(m, "is_cross_attention", False))


def test_a_characters_tokens_reach_only_their_own_column(tiny_sd: Path) -> None:
    layer = _cross_attention(tiny_sd)
    rows, cols, tokens = 6, 8, 77
    processor = RegionalAttention(
        [(0, tokens), (tokens, 2 * tokens), (2 * tokens, 3 * tokens)],
        [(0.0, 0.5), (0.5, 1.0)],
        aspect=cols / rows,
    )
    generator = torch.Generator().manual_seed(0)
    pixels = torch.randn(2, rows * cols, layer.to_q.in_features, generator=generator)
    context = torch.randn(2, 3 * tokens, layer.to_k.in_features, generator=generator)

    def changed(span: slice) -> Any:
        """Which pixels change when the tokens of ``span`` change."""
        other = context.clone()
        other[:, span] += torch.randn(other[:, span].shape, generator=generator)
        with torch.no_grad():
            before, after = processor(layer, pixels, context), processor(layer, pixels, other)
        return (before - after).abs().amax(dim=(0, 2)).reshape(rows, cols) > 0

    left, right = changed(slice(tokens, 2 * tokens)), changed(slice(2 * tokens, 3 * tokens))
    assert left[:, : cols // 2].all() and not left[:, cols // 2 :].any()
    assert right[:, cols // 2 :].all() and not right[:, : cols // 2].any()
    assert changed(slice(0, tokens)).all()  # the scene reaches every pixel


def test_the_engine_draws_two_characters_in_regions_and_records_them(
    tiny_sd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[RegionalAttention] = []

    def probed(*args: Any, **kwargs: Any) -> RegionalAttention:
        made.append(RegionalAttention(*args, **kwargs, seen=[]))
        return made[-1]

    monkeypatch.setattr(engine_module, "RegionalAttention", probed)
    engine = DiffusersEngine()
    request = EngineRequest(
        Task.TEXT_TO_IMAGE,
        spec=ArtSpec.from_text(SHIP),
        model=str(tiny_sd),
        size=(96, 64),
        seed=1,
        options={"steps": 2},
    )
    result = engine.run(request)
    assert result.params["RP Active"] is True and result.params["RP Ratios"] == "1,1"
    assert result.params["Characters"] == "Aki, Hana"
    assert " ADDBASE " in (result.prompt or "") and " ADDCOL " in (result.prompt or "")
    (processor,) = made
    assert processor.seen  # every cross-attention layer of every step went through it
    for pixels, spans, masks in processor.seen:
        assert spans == 3 and masks is not None, pixels
        # Two columns that split every row of the layer between them.
        assert torch.equal(masks.sum(dim=0), torch.ones(pixels))
    # The layers have their own processors back after the run.
    pipe = engine.load(str(tiny_sd), {}).pipe
    layers = [m for m in pipe.unet.modules() if getattr(m, "is_cross_attention", False)]
    assert layers and not any(isinstance(m.processor, RegionalAttention) for m in layers)
    # One character: no regions.
    alone = engine.run(
        EngineRequest(
            Task.TEXT_TO_IMAGE,
            spec=ArtSpec.from_text("a girl with long blonde hair"),
            model=str(tiny_sd),
            size=(64, 64),
            seed=1,
            options={"steps": 2},
        )
    )
    assert "RP Active" not in alone.params and len(made) == 1


def _with_adapter(tiny_sd: Path, tmp_path: Path) -> tuple[Any, Path]:
    """The tiny pipeline's first cross-attention layer with a tiny IP-Adapter loaded."""
    from diffusers import StableDiffusionPipeline
    from transformers import CLIPVisionModelWithProjection

    from tests.engines.tiny_diffusers import build_ip_adapter

    adapter = build_ip_adapter(tiny_sd, tmp_path / "ip-adapter")
    pipe = StableDiffusionPipeline.from_pretrained(str(tiny_sd))
    pipe.register_modules(
        image_encoder=CLIPVisionModelWithProjection.from_pretrained(str(adapter / "image_encoder"))
    )
    pipe.load_ip_adapter(
        str(adapter),
        subfolder="",
        weight_name="ip-adapter_tiny.safetensors",
        image_encoder_folder=None,
    )
    layer = next(m for m in pipe.unet.modules() if getattr(m, "is_cross_attention", False))
    return layer, adapter


def test_each_reference_image_reaches_only_its_characters_column(
    tiny_sd: Path, tmp_path: Path
) -> None:
    layer, _ = _with_adapter(tiny_sd, tmp_path)
    assert hasattr(layer.processor, "to_k_ip")
    rows, cols, tokens, image_tokens = 4, 6, 77, 4
    processor = RegionalAttention(
        [(0, tokens), (tokens, 2 * tokens), (2 * tokens, 3 * tokens)],
        [(0.0, 0.5), (0.5, 1.0)],
        aspect=cols / rows,
        ip_columns=(0, 1),
        ip=layer.processor,
    )
    generator = torch.Generator().manual_seed(0)
    pixels = torch.randn(2, rows * cols, layer.to_q.in_features, generator=generator)
    context = torch.randn(2, 3 * tokens, layer.to_k.in_features, generator=generator)
    images = torch.randn(2, 2, image_tokens, layer.to_k.in_features, generator=generator)

    def changed(which: int) -> Any:
        """Which pixels change when reference image ``which``'s tokens change."""
        other = images.clone()
        other[:, which] += torch.randn(other[:, which].shape, generator=generator)
        with torch.no_grad():
            before = processor(layer, pixels, (context, [images]))
            after = processor(layer, pixels, (context, [other]))
        return (before - after).abs().amax(dim=(0, 2)).reshape(rows, cols) > 0

    first, second = changed(0), changed(1)
    assert first[:, : cols // 2].all() and not first[:, cols // 2 :].any()
    assert second[:, cols // 2 :].all() and not second[:, : cols // 2].any()
    # The image prompts add to the text's attention: without them the layer gives the
    # text's alone, and with the adapter at scale 0 the same.
    with torch.no_grad():
        text_only = processor(layer, pixels, context)
        layer.processor.scale = [0.0]
        silent = processor(layer, pixels, (context, [images]))
    assert torch.allclose(text_only, silent)


def test_the_engine_gives_each_saved_characters_reference_its_own_column(
    tiny_sd: Path,
    tmp_path: Path,
    astronaut: Any,
    cat: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.engines.tiny_diffusers import build_ip_adapter

    adapter = build_ip_adapter(tiny_sd, tmp_path / "ip-adapter")
    shown: list[tuple[int, ...]] = []
    real = RegionalAttention._image_prompts

    def probed(self: RegionalAttention, query: Any, images: Any, masks: Any, heads: Any) -> Any:
        shown.append((tuple(images[0].shape[:2]), self.ip_columns))
        return real(self, query, images, masks, heads)

    monkeypatch.setattr(RegionalAttention, "_image_prompts", probed)
    engine = DiffusersEngine()

    def run(names: list[str]) -> Any:
        return engine.run(
            EngineRequest(
                Task.TEXT_TO_IMAGE,
                spec=ArtSpec.from_text(SHIP),
                model=str(tiny_sd),
                size=(96, 64),
                seed=1,
                references=(cat, astronaut),
                options={"steps": 2, "ip_adapter": str(adapter), "reference_names": names},
            )
        )

    # Hana's reference first: each still goes to its own character's column.
    result = run(["Hana", "Aki"])
    assert result.params["IP-Adapter regions"] == "Aki: column 1, Hana: column 2"
    assert result.params["IP-Adapter image"] == "each character's reference"
    assert result.params["RP Active"] is True and "Regional prompting" not in result.params
    # Every cross-attention call of the UNet got both images (the CFG batch of 2), each
    # for its column.
    assert shown and all(s == ((2, 2), (0, 1)) for s in shown)
    # A reference of someone not in the prompt: no regions, and the recipe says why.
    shown.clear()
    off = run(["Hana", "Mio"])
    assert "RP Active" not in off.params and "IP-Adapter regions" not in off.params
    assert off.params["Regional prompting"].startswith("off:") and not shown


def test_saved_characters_in_one_scene_are_the_regions_their_references_name() -> None:
    from PIL import Image

    from sakuga.engines.diffusion.regions import references_apart
    from sakuga.studio.library.characters import Character
    from sakuga.studio.service.rules import with_characters

    def saved(name: str, hair: str, outfit: str) -> Character:
        traits = {"character": "girl", "hair": hair, "outfit": outfit}
        return Character(name, name, traits, None, None, None, (name,))

    cast = [saved("Mio", "long pink hair", "red kimono"), saved("Rin", "short blue hair", "hoodie")]
    spec, _ = with_characters(cast, ArtSpec.from_text("at a summer festival at night"), None)
    refs = (Image.new("RGB", (8, 8), "pink"), Image.new("RGB", (8, 8), "blue"))
    request = EngineRequest(
        Task.TEXT_TO_IMAGE, spec=spec, references=refs, options={"reference_names": ["Mio", "Rin"]}
    )
    plan = plan_regions(request, recognise("x", "sd", "natural", None))
    assert plan is not None and plan.names == ("Mio", "Rin")
    assert "pink" in plan.regions[0] and "blue" not in plan.regions[0]
    assert "blue" in plan.regions[1] and "pink" not in plan.regions[1]
    apart = references_apart(request, plan)
    assert apart is not None and apart.columns == (0, 1) and apart.images == refs
