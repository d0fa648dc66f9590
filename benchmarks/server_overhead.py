"""A bounded load test of `sakuga serve` on 127.0.0.1: 50 concurrent clients for 30 s
with the fake engine, through the OpenAI-compatible endpoint.

    python benchmarks/server_overhead.py [--seconds 30] [--clients 50]

Prints: requests served, 429s (the bounded queue saying "later", each retried after
Retry-After), 5xx (must be 0), lost jobs (a 200 without its images; must be 0), and
the time the server adds around a job: response time minus the engine's own time
for the job (from the library's records), as p50/p99. The baseline in the same run
is the engine's own time per job. Goal: p99 overhead under 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.server.live import live_server


async def client_loop(base: str, until: float, stats: dict[str, list[float] | int]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        while time.monotonic() < until:
            started = time.perf_counter()
            response = await client.post(
                "/v1/images/generations", json={"model": "fake", "prompt": "girl", "size": "16x16"}
            )
            elapsed = time.perf_counter() - started
            if response.status_code == 429:
                stats["rejected"] += 1  # type: ignore[operator]
                await asyncio.sleep(min(0.2, float(response.headers.get("retry-after", "1"))))
                continue
            if response.status_code >= 500:
                stats["errors"] += 1  # type: ignore[operator]
                continue
            if response.status_code != 200 or not response.json().get("data"):
                stats["lost"] += 1  # type: ignore[operator]
                continue
            stats["latency"].append(elapsed)  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sakuga-load-"))
    stats: dict[str, list[float] | int] = {"latency": [], "rejected": 0, "errors": 0, "lost": 0}
    with live_server(folder / "lib") as base:

        async def run() -> None:
            until = time.monotonic() + args.seconds
            await asyncio.gather(*(client_loop(base, until, stats) for _ in range(args.clients)))

        asyncio.run(run())
    from sakuga.studio.library import Library

    library = Library.open(folder / "lib")
    engine_times = [g.seconds or 0.0 for g in library.find(limit=500)]
    latency = sorted(stats["latency"])  # type: ignore[arg-type]
    engine = statistics.median(engine_times) if engine_times else 0.0
    overhead = [max(0.0, t - engine) for t in latency]
    p50 = overhead[len(overhead) // 2] * 1000 if overhead else float("nan")
    p99 = overhead[int(len(overhead) * 0.99) - 1] * 1000 if overhead else float("nan")
    print(
        f"{len(latency)} served, {stats['rejected']} answered 429, {stats['errors']} 5xx, "
        f"{stats['lost']} lost, {args.clients} clients for {args.seconds:.0f} s"
    )
    print(f"engine time per job (baseline): {engine * 1000:.1f} ms")
    print(
        f"server overhead p50 {p50:.1f} ms, p99 {p99:.1f} ms (goal p99 < 20 ms); "
        f"ratio p99 overhead / engine time {p99 / max(engine * 1000, 1e-6):.1f}x"
    )


if __name__ == "__main__":
    main()
