"""The recipe every image carries, so the image alone can be reproduced or loaded back.

Two entries are written:

* ``parameters`` in the AUTOMATIC1111 form that A1111, ComfyUI, Civitai and most
  viewers read::

      a calm anime boy, short silver hair
      Negative prompt: lowres, bad hands
      Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 42, Size: 512x512, Model: toon

  Values holding ``,`` ``:`` or a newline are JSON-quoted, as A1111 does.
* ``sakuga``: the full request as JSON.

PNG gets text chunks (iTXt when the text is not Latin-1, e.g. a Japanese prompt);
JPEG and WEBP get EXIF UserComment (``parameters``) and ImageDescription (``sakuga``).
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from PIL import Image, PngImagePlugin

from sakuga.imaging.io import atomic_write

PARAMETERS_KEY: Final = "parameters"
SAKUGA_KEY: Final = "sakuga"
_EXIF_IFD: Final = 0x8769
_USER_COMMENT: Final = 0x9286
_IMAGE_DESCRIPTION: Final = 0x010E
_PARAM_RE: Final = re.compile(r'\s*([\w][\w \-/]*?):\s*("(?:\\.|[^\\"])*"|[^,]*)(?:,|$)')
#: A whole "key: value" pair of a parameters line (not a weight: "(red eyes:1.3)").
_PAIR_RE: Final = re.compile(r'(?:^|,)\s*[A-Za-z][\w \-/]*:\s*(?:"(?:\\.|[^\\"])*"|[^,()]*)(?=,|$)')


@dataclass
class Recipe:
    """What made an image: the A1111 fields plus Sakuga's full request."""

    prompt: str = ""
    negative_prompt: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    request: dict[str, Any] | None = None

    def parameters_text(self) -> str:
        return format_parameters(self.prompt, self.negative_prompt, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {
            "prompt": self.prompt,
            "negative_prompt": self.negative_prompt,
            "params": self.params,
            "sakuga": self.request,
        }


def _quote(value: Any) -> str:
    text = str(value)
    if any(c in text for c in ",:\n"):
        return json.dumps(text, ensure_ascii=False)
    return text


def format_parameters(prompt: str, negative: str, params: Mapping[str, Any]) -> str:
    """The A1111 ``parameters`` text."""
    lines = [prompt]
    if negative:
        lines.append(f"Negative prompt: {negative}")
    fields = ", ".join(f"{k}: {_quote(v)}" for k, v in params.items() if v is not None)
    if fields:
        lines.append(fields)
    return "\n".join(lines)


def parse_parameters(text: str) -> Recipe:
    """Read an A1111 ``parameters`` text back into a `Recipe`."""
    lines = text.strip().split("\n")
    params: dict[str, Any] = {}
    if lines and _looks_like_params(lines[-1]):
        for key, raw in _PARAM_RE.findall(lines.pop()):
            value: Any = raw.strip()
            if value.startswith('"') and value.endswith('"') and len(value) >= 2:
                try:
                    value = json.loads(value)
                except json.JSONDecodeError:
                    value = value[1:-1]
            params[key.strip()] = value
    prompt_lines: list[str] = []
    negative_lines: list[str] = []
    target = prompt_lines
    for line in lines:
        if line.startswith("Negative prompt:"):
            target = negative_lines
            line = line.removeprefix("Negative prompt:").strip()
        target.append(line)
    return Recipe(
        prompt="\n".join(prompt_lines).strip(),
        negative_prompt="\n".join(negative_lines).strip(),
        params=params,
    )


def _looks_like_params(line: str) -> bool:
    """Whether the last line is the parameters: it names one of the usual ones, or it
    holds three or more ``key: value`` pairs as A1111 reads it ("CFG scale: 5, Clip
    skip: 2, Version: v1.10.1" is parameters, not more of the negative prompt)."""
    usual = re.search(r"(?:^|, )(Steps|Seed|Size|Model|Sampler): ", line)
    return bool(usual) or len(_PAIR_RE.findall(line)) >= 3


def _is_latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def encode_image(
    image: Image.Image, recipe: Recipe | None = None, fmt: str = "png", quality: int = 95
) -> bytes:
    """``image`` encoded as ``png``, ``jpeg`` or ``webp``, with its recipe embedded."""
    fmt = {"jpg": "jpeg"}.get(fmt.lower(), fmt.lower())
    if fmt not in ("png", "jpeg", "webp"):
        from sakuga.errors import OutputError

        raise OutputError(f"cannot write {fmt!r} images; use png, jpeg or webp")
    kwargs: dict[str, Any] = {}
    if fmt == "png":
        info = PngImagePlugin.PngInfo()
        if recipe is not None:
            text = recipe.parameters_text()
            if _is_latin1(text):
                info.add_text(PARAMETERS_KEY, text)
            else:
                info.add_itxt(PARAMETERS_KEY, text)
            if recipe.request is not None:
                info.add_itxt(SAKUGA_KEY, json.dumps(recipe.request, ensure_ascii=False), zip=True)
        kwargs["pnginfo"] = info
    else:
        if image.mode not in ("RGB", "L") and fmt == "jpeg":
            image = image.convert("RGB")
        kwargs["quality"] = quality
        if recipe is not None:
            kwargs["exif"] = _exif(recipe)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt.upper(), **kwargs)
    return buffer.getvalue()


def _exif(recipe: Recipe) -> bytes:
    """The EXIF block that carries a recipe in a JPEG or WEBP, written the standard way
    (and A1111's): UserComment of type UNDEFINED behind the ``UNICODE\\0`` header,
    the text in UTF-16; ImageDescription holds the request as ASCII JSON. Pillow would
    type a bytes UserComment as BYTE, which A1111's piexif reader cannot decode."""
    import piexif
    import piexif.helper

    return bytes(
        piexif.dump(
            {
                "0th": {
                    piexif.ImageIFD.ImageDescription: json.dumps(
                        recipe.request or {}, ensure_ascii=True
                    ).encode("ascii")
                },
                "Exif": {
                    piexif.ExifIFD.UserComment: piexif.helper.UserComment.dump(
                        recipe.parameters_text(), encoding="unicode"
                    )
                },
            }
        )
    )


def save_image(
    image: Image.Image,
    path: str | os.PathLike[str],
    recipe: Recipe | None = None,
    fmt: str | None = None,
    quality: int = 95,
) -> Path:
    """Write ``image`` atomically to ``path`` with its recipe embedded.

    ``fmt`` is ``png``, ``jpeg`` or ``webp``; by default it follows the suffix.
    """
    target = Path(path)
    data = encode_image(image, recipe, fmt or target.suffix.lstrip(".") or "png", quality)
    return atomic_write(target, lambda handle: handle.write(data))


def read_recipe(image: Image.Image) -> Recipe | None:
    """The recipe embedded in an opened image, from Sakuga, A1111 or compatible tools."""
    parameters: str | None = None
    request: dict[str, Any] | None = None
    text_chunks: dict[str, Any] = dict(getattr(image, "text", {}) or {})
    text_chunks.update(
        {k: v for k, v in image.info.items() if isinstance(k, str) and isinstance(v, str)}
    )
    if isinstance(text_chunks.get(PARAMETERS_KEY), str):
        parameters = text_chunks[PARAMETERS_KEY]
    raw_request = text_chunks.get(SAKUGA_KEY)
    exif = image.getexif()
    if parameters is None and exif:
        comment = exif.get_ifd(_EXIF_IFD).get(_USER_COMMENT)
        if isinstance(comment, bytes):
            parameters = _decode_user_comment(comment)
        elif isinstance(comment, str):
            parameters = comment
    if raw_request is None and exif and isinstance(exif.get(_IMAGE_DESCRIPTION), str):
        raw_request = exif[_IMAGE_DESCRIPTION]
    if isinstance(raw_request, str):
        try:
            loaded = json.loads(raw_request)
        except json.JSONDecodeError:
            loaded = None
        request = loaded if isinstance(loaded, dict) else None
    if parameters is None and request is None:
        graph = text_chunks.get("prompt")
        return comfy_recipe(graph) if isinstance(graph, str) else None
    recipe = parse_parameters(parameters) if parameters else Recipe()
    recipe.request = request
    return recipe


#: ComfyUI's sampler names as A1111 writes them (its scheduler "karras" adds " Karras").
_COMFY_SAMPLERS: Final = {
    "euler": "Euler",
    "euler_ancestral": "Euler a",
    "heun": "Heun",
    "dpm_2": "DPM2",
    "dpm_2_ancestral": "DPM2 a",
    "lms": "LMS",
    "dpmpp_2m": "DPM++ 2M",
    "dpmpp_2m_sde": "DPM++ 2M SDE",
    "dpmpp_sde": "DPM++ SDE",
    "dpmpp_2s_ancestral": "DPM++ 2S a",
    "dpmpp_3m_sde": "DPM++ 3M SDE",
    "ddim": "DDIM",
    "uni_pc": "UniPC",
    "lcm": "LCM",
}


def comfy_recipe(graph_text: str) -> Recipe | None:
    """The recipe of a ComfyUI PNG, from its ``prompt`` chunk (the graph it ran): the
    KSampler's positive and negative CLIPTextEncode texts, seed, steps, CFG, sampler,
    denoise, the EmptyLatentImage's size, the checkpoint and any LoRA loaders. None
    when the chunk holds no sampler to read."""
    try:
        graph = json.loads(graph_text)
    except json.JSONDecodeError:
        return None
    if not isinstance(graph, dict):
        return None
    nodes = {k: v for k, v in graph.items() if isinstance(v, dict)}

    def node(ref: Any) -> dict[str, Any]:
        """The node an input links to (``["6", 0]``)."""
        if isinstance(ref, list) and ref and str(ref[0]) in nodes:
            return nodes[str(ref[0])]
        return {}

    def text_of(ref: Any, depth: int = 0) -> str:
        found = node(ref)
        inputs = found.get("inputs", {}) if isinstance(found.get("inputs"), dict) else {}
        if isinstance(inputs.get("text"), str):
            return inputs["text"]
        # Through a node that passes conditioning on (a ControlNet apply, a combine).
        for key in ("conditioning", "conditioning_1", "positive", "negative"):
            if key in inputs and depth < 8:
                return text_of(inputs[key], depth + 1)
        return ""

    sampler = next(
        (n for n in nodes.values() if str(n.get("class_type", "")).startswith("KSampler")), None
    )
    if sampler is None or not isinstance(sampler.get("inputs"), dict):
        return None
    given = sampler["inputs"]
    params: dict[str, Any] = {}
    if "steps" in given:
        params["Steps"] = given["steps"]
    name = str(given.get("sampler_name", ""))
    if name:
        label = _COMFY_SAMPLERS.get(name, name)
        params["Sampler"] = label + (" Karras" if given.get("scheduler") == "karras" else "")
    if "cfg" in given:
        params["CFG scale"] = given["cfg"]
    seed = given.get("seed", given.get("noise_seed"))
    if seed is not None:
        params["Seed"] = seed
    latent = node(given.get("latent_image")).get("inputs", {})
    if isinstance(latent, dict) and "width" in latent and "height" in latent:
        params["Size"] = f"{latent['width']}x{latent['height']}"
    if given.get("denoise") not in (None, 1, 1.0):
        params["Denoising strength"] = given["denoise"]
    kinds = {str(n.get("class_type", "")): n.get("inputs", {}) for n in nodes.values()}
    checkpoint = next(
        (i.get("ckpt_name") for k, i in kinds.items() if k.startswith("CheckpointLoader")), None
    )
    if checkpoint:
        params["Model"] = str(checkpoint).rsplit(".", 1)[0]
    loaders = [
        n["inputs"]
        for n in nodes.values()
        if str(n.get("class_type", "")).startswith("LoraLoader")
        and isinstance(n.get("inputs"), dict)
    ]
    loras = [
        f"{str(i.get('lora_name', '')).rsplit('.', 1)[0]}:{i.get('strength_model', 1)}"
        for i in loaders
    ]
    if loras:
        params["Lora"] = ", ".join(loras)
    params["Source"] = "ComfyUI"
    return Recipe(
        prompt=text_of(given.get("positive")).strip(),
        negative_prompt=text_of(given.get("negative")).strip(),
        params=params,
    )


def _decode_user_comment(raw: bytes) -> str:
    prefix, body = raw[:8], raw[8:]
    if prefix == b"UNICODE\x00":
        # A1111 writes UTF-16 big-endian; some tools write little-endian with a BOM.
        if body.startswith(b"\xff\xfe"):
            return body[2:].decode("utf-16-le", errors="replace")
        return body.decode("utf-16-be", errors="replace")
    return body.decode("utf-8", errors="replace").rstrip("\x00")
