"""Prompt embeddings without the 77-token cut, and with A1111's clip skip.

CLIP reads 77 tokens (75 words' worth between its start and end tokens); diffusers
truncates longer prompts with a warning. Sakuga does what A1111 does instead: the
tokens are cut into chunks of 75, each chunk is encoded on its own (with start,
end and padding), and the chunk embeddings are joined along the sequence, so every
word reaches the UNet's cross-attention. The negative prompt is padded to the same
number of chunks.

Clip skip uses A1111's numbering: 1 = the last CLIP layer (no skip), 2 = the one
before it (what many anime checkpoints were trained with), each followed by the
final layer norm as in A1111. SDXL always reads the penultimate layer of both
encoders; clip skip moves both further back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CHUNK: int = 75


@dataclass
class Embeddings:
    prompt: Any  # torch.Tensor (1, 77·k, dim)
    negative: Any
    pooled: Any | None = None  # SDXL only: (1, dim2)
    negative_pooled: Any | None = None
    chunks: int = 1


def _token_chunks(tokenizer: Any, text: str) -> list[list[int]]:
    ids: list[int] = tokenizer(text, add_special_tokens=False, truncation=False).input_ids
    if not ids:
        return [[]]
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


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
    chunks: list[list[int]],
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
    for chunk in chunks:
        ids = torch.tensor([_framed(tokenizer, chunk)], device=device)
        out = encoder(ids, output_hidden_states=True)
        hidden = out.hidden_states[-layer_from_end]
        if final_norm and layer_from_end > 1:
            # transformers 5 flattened CLIPTextModel; 4.x keeps the norm in .text_model.
            inner = getattr(encoder, "text_model", encoder)
            hidden = inner.final_layer_norm(hidden)
        states.append(hidden)
        if pooled is None:
            pooled = out[0] if out[0].ndim == 2 else None
    return torch.cat(states, dim=1), pooled


def _pad_to(chunks: list[list[int]], count: int) -> list[list[int]]:
    return chunks + [[] for _ in range(count - len(chunks))]


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
            pos = _token_chunks(tokenizers[0], prompt)
            neg = _token_chunks(tokenizers[0], negative)
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
        per_tok = [(_token_chunks(t, prompt), _token_chunks(t, negative)) for t in tokenizers]
        count = max(max(len(a), len(b)) for a, b in per_tok)
        for encoder, tokenizer, (pos, neg) in zip(encoders, tokenizers, per_tok, strict=True):
            # SDXL reads the penultimate layer without the final norm.
            layer = 1 + clip_skip
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
