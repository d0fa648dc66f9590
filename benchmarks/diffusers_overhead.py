"""Sakuga's diffusers engine vs a bare diffusers pipeline call: the overhead ratio.

Both run the same tiny random-weight SD pipeline (built in code, loaded from disk),
the same prompt, negative prompt, sampler, steps, CFG, size and seeds, in this
process, one torch thread. The engine's extra work (request checks, chunked prompt
encoding, a fresh scheduler, the recipe params, the result check) is what is
measured. Goal: engine / bare ≤ 1.05.

    python benchmarks/diffusers_overhead.py [--steps 20] [--repeats 7]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.timing import best_of
from sakuga.engines.base import EngineRequest, Task
from sakuga.engines.diffusion import DiffusersEngine
from sakuga.engines.diffusion.samplers import get_sampler, make_scheduler
from sakuga.prompt.artspec import ArtSpec
from tests.engines.tiny_diffusers import build_sd

PROMPT = "a girl with pink hair in a school uniform, smiling, cherry blossoms"
NEGATIVE = "lowres, bad anatomy, bad hands, blurry"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("-n", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(1)

    folder = build_sd(Path(tempfile.mkdtemp(prefix="sakuga-bench-")) / "sd")
    engine = DiffusersEngine()
    options = {"steps": args.steps, "cfg": 7.0, "sampler": "DPM++ 2M Karras"}
    request = EngineRequest(
        Task.TEXT_TO_IMAGE,
        prompt=PROMPT,
        spec=ArtSpec(negative=NEGATIVE),
        size=(64, 64),  # the tiny model's native size, so neither side resizes
        n=args.n,
        seed=7,
        model=str(folder),
        options=options,
    )
    engine.run(request)  # load once (not timed) and warm up
    pipe = engine.load(str(folder), options).pipe
    sampler = get_sampler("DPM++ 2M Karras")

    def bare() -> object:
        pipe.scheduler = make_scheduler(sampler, pipe.scheduler.config)
        generators = [torch.Generator("cpu").manual_seed(7 + i) for i in range(args.n)]
        return pipe(
            PROMPT,
            negative_prompt=NEGATIVE,
            num_inference_steps=args.steps,
            guidance_scale=7.0,
            height=64,
            width=64,
            num_images_per_prompt=args.n,
            generator=generators,
            output_type="pil",
        ).images

    def sakuga() -> object:
        return engine.run(request).images

    bare()
    # Interleave the two so a slow spell of the shared machine hits both.
    bare_times, engine_times = [], []
    for _ in range(3):
        bare_times.append(best_of(bare, args.repeats))
        engine_times.append(best_of(sakuga, args.repeats))
    bare_s, engine_s = min(bare_times), min(engine_times)
    ratio = engine_s / bare_s
    print(f"tiny SD, 64x64, {args.steps} steps, n={args.n}, 1 thread, best of {args.repeats}x3")
    print(f"bare diffusers pipeline call: {bare_s * 1000:8.1f} ms")
    print(f"sakuga DiffusersEngine.run:   {engine_s * 1000:8.1f} ms")
    print(
        f"ratio engine / bare: {ratio:.3f}  (goal <= 1.05: {'met' if ratio <= 1.05 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
