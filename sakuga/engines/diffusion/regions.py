"""Several characters without their traits bleeding into each other (#34): regional
prompting, as A1111's Regional Prompter does it in its Attention mode.

Two characters in one prompt is Stable Diffusion's classic failure: every word reaches
every pixel through cross-attention, so one's hair colour lands on the other. Here the
prompt is read into its characters (`sakuga.prompt.cast`): a **base** prompt holds the
scene (the place, light, mood, what they do together, the style) and each character
gets a prompt of their own and a column of the picture, left to right. The prompts
are encoded apart and joined along the sequence; in every cross-attention layer
(`RegionalAttention`) each pixel attends to the base prompt, and a pixel in a
character's column also attends, separately, to that character's prompt alone; the
two are mixed as Regional Prompter mixes them (``base_ratio`` of the base). A
character's tokens so reach only their own column, by construction.

With an IP-Adapter and saved characters' reference images, each reference is an
image prompt for its own character's column only: the adapter's image tokens are
attended to apart, per image, and each result is added to its column alone (as
diffusers' IP-Adapter masks do, here inside the same processor, since both read the
same layers). A reference that is no character's in the prompt turns regions off.

The recipe records it as Regional Prompter writes it: the prompt as ``base ADDBASE
first ADDCOL second``, and its ``RP …`` parameters (columns, ratios 1,1, base ratio).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Final

from PIL import Image

from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.diffusion.dialects import write_prompt
from sakuga.engines.diffusion.families import Family
from sakuga.engines.diffusion.prompts import Embeddings, encode_prompts
from sakuga.prompt.members import layout

#: How much of the base prompt a character's column keeps (Regional Prompter's
#: default "Base Ratio").
BASE_RATIO: Final = 0.2


@dataclass(frozen=True)
class RegionPlan:
    """The base prompt and each character's, left to right, in the model's dialect."""

    base: str
    regions: tuple[str, ...]
    names: tuple[str, ...]
    base_ratio: float = BASE_RATIO

    def boxes(self) -> list[tuple[float, float]]:
        """Each character's column, as shares of the width: equal columns."""
        k = len(self.regions)
        return [(i / k, (i + 1) / k) for i in range(k)]

    def written(self) -> str:
        """The prompt as Regional Prompter writes it."""
        return f"{self.base} ADDBASE " + " ADDCOL ".join(self.regions)

    def infotext(self) -> dict[str, Any]:
        """Regional Prompter's parameters for these regions."""
        return {
            "RP Active": True,
            "RP Divide mode": "Matrix",
            "RP Matrix submode": "Horizontal",
            "RP Mask submode": "Mask",
            "RP Prompt submode": "Prompt",
            "RP Calc Mode": "Attention",
            "RP Ratios": ",".join("1" for _ in self.regions),
            "RP Base Ratios": self.base_ratio,
            "RP Use Base": True,
            "RP Use Common": False,
            "RP Use Ncommon": False,
            "Characters": ", ".join(self.names),
        }


def plan_regions(request: EngineRequest, family: Family) -> RegionPlan | None:
    """The regions of a prompt that names two or three characters (None for one, for a
    prompt sent as given, and for tasks that start from an image: their layout is the
    image's, not columns)."""
    spec = request.spec
    if request.prompt or request.task is not Task.TEXT_TO_IMAGE:
        return None
    subject = "{count} characters side by side" if not family.tags else "multiple characters"
    laid = layout(spec, subject)
    if laid is None:
        return None
    regions = []
    for _, own in laid.members:
        text = own.compose()
        regions.append(write_prompt(own, text, False, family)[0] if family.tags else text)
    base = laid.scene.compose()
    if family.tags:
        base = write_prompt(laid.scene, base, spec.negative is not None, family)[0]
    return RegionPlan(base, tuple(regions), tuple(who for who, _ in laid.members))


@dataclass(frozen=True)
class Apart:
    """Each saved character's reference image and the column it is an image prompt for."""

    images: tuple[Image.Image, ...]
    columns: tuple[int, ...]

    def infotext(self, plan: RegionPlan) -> str:
        return ", ".join(f"{plan.names[c]}: column {c + 1}" for c in self.columns)


def references_apart(request: EngineRequest, plan: RegionPlan) -> Apart | None:
    """Each character's first reference image, by name, with their column — when every
    reference is named (``reference_names``) as a character of the plan; else None
    (a reference no column owns would reach every column: the bleed regions avoid)."""
    names = request.options.get("reference_names")
    refs = request.references
    if not refs or not isinstance(names, list) or len(names) != len(refs):
        return None
    columns = {who.casefold(): k for k, who in enumerate(plan.names)}
    said = [str(name).casefold() for name in names]
    if any(name not in columns for name in said):
        return None
    first: dict[int, Image.Image] = {}
    for name, image in zip(said, refs, strict=True):
        first.setdefault(columns[name], image)
    order = sorted(first)
    return Apart(tuple(first[c] for c in order), tuple(order))


def regional_embeddings(
    pipe: Any, plan: RegionPlan, negative: str, clip_skip: int
) -> tuple[Embeddings, list[tuple[int, int]]]:
    """The base prompt's and each character's embeddings joined along the sequence,
    and where each lies in it (token spans: the base first). Each part's negative is
    the negative prompt encoded to that part's length, so both halves of a CFG batch
    line up."""
    import torch

    parts = [encode_prompts(pipe, text, negative, clip_skip) for text in (plan.base, *plan.regions)]
    spans, start = [], 0
    for part in parts:
        spans.append((start, start + part.prompt.shape[1]))
        start += part.prompt.shape[1]
    joined = Embeddings(
        torch.cat([p.prompt for p in parts], dim=1),
        torch.cat([p.negative for p in parts], dim=1),
        parts[0].pooled,
        parts[0].negative_pooled,
        chunks=sum(p.chunks for p in parts),
    )
    return joined, spans


@dataclass
class RegionalAttention:
    """A cross-attention processor: every pixel attends to the base span; a pixel in
    region i's column also attends to span i alone, mixed in at ``1 - base_ratio``.
    ``aspect`` is the picture's width over its height (a layer's grid is found from
    its number of pixels). ``seen`` collects, when a list, each call's grid and masks
    (the tests' probe).

    ``ip`` is the layer's own IP-Adapter processor, when one is loaded (`regional`
    binds it per layer): its image tokens come in beside the text, one image per
    entry of ``ip_columns``, and image i's attention is added to column
    ``ip_columns[i]`` alone, at the adapter's scale."""

    spans: list[tuple[int, int]]
    boxes: list[tuple[float, float]]
    aspect: float
    base_ratio: float = BASE_RATIO
    seen: list[tuple[int, int, Any]] | None = None
    ip_columns: tuple[int, ...] = ()
    ip: Any = None
    _masks: dict[int, Any] = field(default_factory=dict)

    def masks(self, pixels: int, device: Any, dtype: Any) -> Any | None:
        """(regions, pixels) 0/1: which of a layer's pixels each column holds (None
        when no grid of the picture's aspect has ``pixels``)."""
        import torch

        if pixels not in self._masks:
            grid = _grid(pixels, self.aspect)
            if grid is None:
                self._masks[pixels] = None
            else:
                rows, cols = grid
                x = (torch.arange(cols, dtype=torch.float32) + 0.5) / cols
                masks = torch.stack([((x >= a) & (x < b)).float() for a, b in self.boxes])
                self._masks[pixels] = masks.repeat(1, rows)  # row-major: x runs fastest
        found = self._masks[pixels]
        return None if found is None else found.to(device=device, dtype=dtype)

    def __call__(
        self,
        attn: Any,
        hidden_states: Any,
        encoder_hidden_states: Any = None,
        attention_mask: Any = None,
        temb: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        import torch.nn.functional as F

        residual = hidden_states
        images = None
        if isinstance(encoder_hidden_states, tuple):  # a loaded IP-Adapter's image tokens
            encoder_hidden_states, images = encoder_hidden_states
        if attn.spatial_norm is not None:
            hidden_states = attn.spatial_norm(hidden_states, temb)
        four = hidden_states.ndim == 4
        if four:
            batch, channel, height, width = hidden_states.shape
            hidden_states = hidden_states.view(batch, channel, height * width).transpose(1, 2)
        batch = hidden_states.shape[0]
        if attn.group_norm is not None:
            hidden_states = attn.group_norm(hidden_states.transpose(1, 2)).transpose(1, 2)
        query = attn.to_q(hidden_states)
        context = encoder_hidden_states
        if attn.norm_cross:
            context = attn.norm_encoder_hidden_states(context)
        key, value = attn.to_k(context), attn.to_v(context)
        head = key.shape[-1] // attn.heads

        def heads(t: Any) -> Any:
            return t.view(batch, -1, attn.heads, head).transpose(1, 2)

        query, key, value = heads(query), heads(key), heads(value)
        if attn.norm_q is not None:
            query = attn.norm_q(query)
        if attn.norm_k is not None:
            key = attn.norm_k(key)
        outs = [
            F.scaled_dot_product_attention(query, key[:, :, a:b], value[:, :, a:b])
            for a, b in self.spans
        ]
        base = outs[0]
        masks = self.masks(query.shape[2], query.device, query.dtype)
        mixed = base
        if masks is not None:
            for mask, own in zip(masks, outs[1:], strict=False):
                weight = mask[None, None, :, None]
                blend = self.base_ratio * base + (1 - self.base_ratio) * own
                mixed = mixed * (1 - weight) + blend * weight
            if images is not None:
                mixed = mixed + self._image_prompts(query, images, masks, heads)
        if self.seen is not None:
            self.seen.append((query.shape[2], len(self.spans), masks))
        out = mixed.transpose(1, 2).reshape(batch, -1, attn.heads * head).to(query.dtype)
        out = attn.to_out[1](attn.to_out[0](out))
        if four:
            out = out.transpose(-1, -2).reshape(batch, channel, height, width)
        if attn.residual_connection:
            out = out + residual
        return out / attn.rescale_output_factor

    def _image_prompts(self, query: Any, images: Any, masks: Any, heads: Any) -> Any:
        """Each reference image's attention, at the adapter's scale, in its column only."""
        import torch.nn.functional as F

        if self.ip is None or len(self.ip.to_k_ip) != 1 or len(images) != 1:
            raise ValueError("regional image prompts take one IP-Adapter and its processors")
        (states,), scale = images, self.ip.scale[0]
        if states.shape[1] != len(self.ip_columns):
            raise ValueError(f"{states.shape[1]} image prompts for {len(self.ip_columns)} columns")
        added = 0
        for i, column in enumerate(self.ip_columns):
            key = heads(self.ip.to_k_ip[0](states[:, i]))
            value = heads(self.ip.to_v_ip[0](states[:, i]))
            weight = scale[i] if isinstance(scale, list) else scale
            seen = F.scaled_dot_product_attention(query, key, value)
            added = added + weight * seen * masks[column][None, None, :, None]
        return added


def _grid(pixels: int, aspect: float) -> tuple[int, int] | None:
    """(rows, columns) of a layer with ``pixels`` of a picture ``aspect`` wide to high."""
    guess = math.sqrt(pixels / aspect)
    for rows in sorted(range(max(1, int(guess) - 3), int(guess) + 4), key=lambda r: abs(r - guess)):
        if pixels % rows == 0 and abs(pixels // rows / rows - aspect) <= 0.5 * aspect:
            return rows, pixels // rows
    return None


@contextmanager
def regional(modules: list[Any], processor: RegionalAttention) -> Iterator[None]:
    """``processor`` on every cross-attention layer of ``modules`` (a UNet, its
    ControlNets) while the block runs, bound to the layer's IP-Adapter processor where
    one is loaded; each layer's own processor back after it."""
    kept = []
    for module in modules:
        for layer in module.modules():
            if getattr(layer, "is_cross_attention", False) and hasattr(layer, "set_processor"):
                kept.append((layer, layer.processor))
                own = layer.processor if hasattr(layer.processor, "to_k_ip") else None
                layer.set_processor(replace(processor, ip=own) if own else processor)
    try:
        yield
    finally:
        for layer, before in kept:
            layer.set_processor(before)
