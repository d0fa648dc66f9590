"""Prompt embeddings without the 77-token cut, and with A1111's clip skip.

CLIP reads 77 tokens (75 words' worth between its start and end tokens); diffusers
truncates longer prompts with a warning. Sakuga does what A1111 does instead: the
tokens are cut into chunks of 75, each chunk is encoded on its own (with start,
end and padding), and the chunk embeddings are joined along the sequence, so every
word reaches the UNet's cross-attention. The negative prompt is padded to the same
number of chunks.

A1111's attention syntax is honoured with its semantics (`sakuga.prompt.attention`):
each token carries its fragment's weight, the chunk's hidden states are multiplied by
those weights and then rescaled so their mean is what it was unweighted; ``BREAK``
ends the current chunk (it is padded) and starts the next.

A chunk that fills up in the middle of a phrase is cut after its last comma, when
that comma is within 20 tokens of the edge, and the rest moves to the next chunk
(A1111's "comma backtrack", its default 20), so a tag is not split across chunks.

Clip skip uses A1111's numbering. On SD 1.x/2.x, 1 = the last CLIP layer (its output
after the final layer norm, as A1111 and diffusers feed it), 2 = the one before it
(what many anime checkpoints were trained with), each followed by the final layer
norm. SDXL reads the penultimate layer of both encoders without the norm: that is
"clip skip 2" as A1111 (its "Clip skip SDXL" setting) and ComfyUI's "CLIP Set Last
Layer -2" count it, so 1 and 2 both give SDXL's own embedding, and 3 or more moves both
encoders further back as ComfyUI does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sakuga.prompt.attention import BREAK, parse_attention

CHUNK: int = 75


@dataclass
class Embeddings:
    prompt: Any  # torch.Tensor (1, 77·k, dim)
    negative: Any
    pooled: Any | None = None  # SDXL only: (1, dim2)
    negative_pooled: Any | None = None
    chunks: int = 1


#: A chunk: up to 75 token ids and the weight of each.
Chunk = tuple[list[int], list[float]]


#: A1111's "comma backtrack": how far back from a full chunk's edge a comma may be for
#: the words after it to move to the next chunk.
COMMA_BACKTRACK: int = 20


def _token_chunks(tokenizer: Any, text: str) -> list[Chunk]:
    """The prompt's tokens with their A1111 weights, in chunks of at most 75."""
    comma = _comma_id(tokenizer)
    chunks: list[Chunk] = []
    ids: list[int] = []
    weights: list[float] = []
    last_comma = -1  # the index in ``ids`` of the chunk's last comma
    for fragment, weight in parse_attention(text):
        if weight == -1.0 and fragment == BREAK:
            chunks.append((ids, weights))
            ids, weights, last_comma = [], [], -1
            continue
        tokens = tokenizer(fragment, add_special_tokens=False, truncation=False).input_ids
        for token in tokens:
            if len(ids) == CHUNK:
                if token != comma and last_comma != -1 and CHUNK - last_comma <= COMMA_BACKTRACK:
                    # The words after the comma move whole into the next chunk.
                    cut = last_comma + 1
                    chunks.append((ids[:cut], weights[:cut]))
                    ids, weights = ids[cut:], weights[cut:]
                else:
                    chunks.append((ids, weights))
                    ids, weights = [], []
                last_comma = -1
            if token == comma:
                last_comma = len(ids)
            ids.append(token)
            weights.append(weight)
    if ids or not chunks:
        chunks.append((ids, weights))
    return chunks


def _comma_id(tokenizer: Any) -> int | None:
    """The id of a comma on its own (CLIP's ``,</w>``), or None for a vocabulary without."""
    ids = tokenizer(",", add_special_tokens=False).input_ids
    return int(ids[0]) if len(ids) == 1 else None


def _framed(tokenizer: Any, chunk: list[int]) -> list[int]:
    """A chunk with start and end tokens, padded to the tokenizer's 77."""
    length = tokenizer.model_max_length
    bos, eos = tokenizer.bos_token_id, tokenizer.eos_token_id
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos
    ids = [bos, *chunk, eos]
    return ids + [pad] * (length - len(ids))


def _encode(
    encoder: Any,
    tokenizer: Any,
    chunks: list[Chunk],
    layer_from_end: int,
    *,
    final_norm: bool,
) -> tuple[Any, Any]:
    """Hidden states of every chunk joined along the sequence, and the first chunk's
    pooled output (``text_embeds`` for a projection model, else the pooler output)."""
    import torch

    device = encoder.device
    states = []
    pooled = None
    for chunk, weights in chunks:
        ids = torch.tensor([_framed(tokenizer, chunk)], device=device)
        out = encoder(ids, output_hidden_states=True)
        hidden = out.hidden_states[-layer_from_end]
        if final_norm:
            # transformers 5 flattened CLIPTextModel; 4.x keeps the norm in .text_model.
            inner = getattr(encoder, "text_model", encoder)
            hidden = inner.final_layer_norm(hidden)
        if any(w != 1.0 for w in weights):
            # A1111: weight each token's state, then restore the chunk's mean.
            scale = [1.0, *weights] + [1.0] * (hidden.shape[1] - len(weights) - 1)
            factor = torch.tensor(scale, dtype=hidden.dtype, device=device)[None, :, None]
            before = hidden.mean()
            hidden = hidden * factor
            after = hidden.mean()
            # A mean of ~0 (an untrained norm) cannot be restored by scaling: keep the
            # weighted states rather than divide by nothing.
            if abs(float(after)) > 1e-6 * float(hidden.abs().mean()):
                hidden = hidden * (before / after)
        states.append(hidden)
        if pooled is None:
            pooled = out[0] if out[0].ndim == 2 else None
    return torch.cat(states, dim=1), pooled


def _expand(pipe: Any, text: str, tokenizer: Any) -> str:
    """A multi-vector textual-inversion token written out as its vectors' tokens
    (``EasyNegative`` → ``EasyNegative EasyNegative_1 …``), as diffusers' own encoding
    does; text without such tokens is returned as it is."""
    convert = getattr(pipe, "maybe_convert_prompt", None)
    return str(convert(text, tokenizer)) if convert is not None else text


def _pad_to(chunks: list[Chunk], count: int) -> list[Chunk]:
    return chunks + [([], []) for _ in range(count - len(chunks))]


def encode_prompts(pipe: Any, prompt: str, negative: str, clip_skip: int = 1) -> Embeddings:
    """Embeddings for ``prompt`` and ``negative`` on ``pipe`` (SD 1.x/2.x or SDXL)."""
    import torch

    if clip_skip < 1:
        raise ValueError(f"clip skip counts from 1 (no skip), got {clip_skip}")
    encoders = [e for e in (pipe.text_encoder, getattr(pipe, "text_encoder_2", None)) if e]
    tokenizers = [t for t in (pipe.tokenizer, getattr(pipe, "tokenizer_2", None)) if t]
    xl = len(encoders) == 2
    with torch.no_grad():
        if not xl:
            pos = _token_chunks(tokenizers[0], _expand(pipe, prompt, tokenizers[0]))
            neg = _token_chunks(tokenizers[0], _expand(pipe, negative, tokenizers[0]))
            count = max(len(pos), len(neg))
            p, _ = _encode(
                encoders[0], tokenizers[0], _pad_to(pos, count), clip_skip, final_norm=True
            )
            n, _ = _encode(
                encoders[0], tokenizers[0], _pad_to(neg, count), clip_skip, final_norm=True
            )
            return Embeddings(p, n, chunks=count)
        pos_parts, neg_parts = [], []
        pooled = negative_pooled = None
        per_tok = [
            (
                _token_chunks(t, _expand(pipe, prompt, t)),
                _token_chunks(t, _expand(pipe, negative, t)),
            )
            for t in tokenizers
        ]
        count = max(max(len(a), len(b)) for a, b in per_tok)
        for encoder, tokenizer, (pos, neg) in zip(encoders, tokenizers, per_tok, strict=True):
            # SDXL reads the penultimate layer without the final norm ("clip skip 2").
            layer = max(2, clip_skip)
            p, p_pool = _encode(encoder, tokenizer, _pad_to(pos, count), layer, final_norm=False)
            n, n_pool = _encode(encoder, tokenizer, _pad_to(neg, count), layer, final_norm=False)
            pos_parts.append(p)
            neg_parts.append(n)
            pooled, negative_pooled = p_pool, n_pool  # from the second encoder
        return Embeddings(
            torch.cat(pos_parts, dim=-1),
            torch.cat(neg_parts, dim=-1),
            pooled,
            negative_pooled,
            chunks=count,
        )
