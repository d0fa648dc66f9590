"""A bounded load test of `sakuga serve` on 127.0.0.1: 50 concurrent clients for 30 s
with the fake engine, through the OpenAI-compatible endpoint.

    python benchmarks/server_overhead.py [--seconds 30] [--clients 50] [--engine-ms 0]
        [--workers 2] [--max-queued 32] [--ramp 1]

The server runs in its own process; the clients (a minimal HTTP/1.1 keep-alive client,
far cheaper than the server it loads) join over the first second and send requests
back to back, waiting on a 429 for as long as retry-after-ms / Retry-After says, as
the OpenAI SDK does. ``--engine-ms`` gives the fake engine a real engine's pace.

Prints: requests served, 429s, 5xx (must be 0), lost jobs (a 200 without a PNG, or a
served job that the library does not hold as done once the server stopped; must be
0), the server's CPU per served request, and for each served request (traced through
its X-Sakuga-Job header into the library): the engine's own time (the baseline), the
time the job waited in the queue, and the time the server added around the job:
response time minus queue wait minus engine time, split into time outside the app
(socket, HTTP parsing, the event loop's backlog), the job's run less the engine
(claim, encoding the images) and the app's work around the job (parse, submit, wake,
answer); also by the server's own clock (its Server-Timing header). Goal: p99 of the
server-added time under 20 ms. tests/server/test_load.py runs the same load for 10 s
in CI and checks its correctness half.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gc
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

# The fake engine is for tests and benchmarks of the job path: served only where asked.
os.environ.setdefault("SAKUGA_TEST_ENGINES", "1")


@contextmanager
def served(home: Path, *options: str, engine_s: float = 0.0) -> Iterator[tuple[str, int]]:
    """`sakuga serve` in a second process (clients here must not share its GIL)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "SAKUGA_HOME": str(home), "SAKUGA_FAKE_DELAY": str(engine_s)}
    server = subprocess.Popen(
        [sys.executable, "-m", "sakuga", "serve", "--quiet", "--port", str(port), *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base, server.pid
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


class _Connection:
    """A minimal HTTP/1.1 keep-alive client for one request shape. A load generator must
    cost far less than the server it loads: httpx spends about 3 ms of CPU per request
    here, which on a 2-core machine takes the cores the server is being measured on."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        for _ in range(2):
            if self.reader is None or self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            reader, writer = self.reader, self.writer
            writer.write(request)
            try:
                status_line = await reader.readline()
            except ConnectionError:
                status_line = b""
            if status_line:
                break
            # The server closed the idle keep-alive connection (uvicorn does after 5 s,
            # e.g. while this client waited out a Retry-After): open a new one.
            writer.close()
            self.reader = self.writer = None
        else:
            raise ConnectionError("the server closed the connection twice")
        status = int(status_line.split()[1])
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        data = await reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            writer.close()
            self.reader = self.writer = None
        return status, headers, data


async def client_loop(
    base: str, until: float, stats: dict[str, list[Any] | int], start_after: float = 0.0
) -> None:
    await asyncio.sleep(start_after)
    host, _, port = base.removeprefix("http://").partition(":")
    connection = _Connection(host, int(port))
    body = json.dumps({"model": "fake", "prompt": "girl", "size": "16x16"}).encode()
    while time.monotonic() < until:
        started = time.perf_counter()
        status, headers, data = await connection.post("/v1/images/generations", body)
        elapsed = time.perf_counter() - started
        if status == 429:
            stats["rejected"] += 1  # type: ignore[operator]
            # As the OpenAI SDK does: retry-after-ms first, then Retry-After.
            if "retry-after-ms" in headers:
                await asyncio.sleep(float(headers["retry-after-ms"]) / 1000)
            else:
                await asyncio.sleep(float(headers.get("retry-after", "1")))
            continue
        if status >= 500:
            stats["errors"] += 1  # type: ignore[operator]
            continue
        images = json.loads(data).get("data") if status == 200 else None
        if not images or not base64.b64decode(images[0]["b64_json"]).startswith(b"\x89PNG"):
            stats["lost"] += 1  # type: ignore[operator]
            continue
        timing = headers.get("server-timing", "")
        server_s = float(timing.split("dur=")[1]) / 1000 if "dur=" in timing else elapsed
        stats["latency"].append((headers["x-sakuga-job"], elapsed, server_s))  # type: ignore[union-attr]


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process so far; NaN where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Load:
    """What the clients saw: each served request as (job id, response seconds, the
    server's own seconds), and the counts of 429s, 5xx and lost answers."""

    home: Path
    seconds: float
    clients: int
    served: list[tuple[str, float, float]] = field(default_factory=list)
    rejected: int = 0
    errors: int = 0
    lost: int = 0
    cpu: float = float("nan")  # the server's CPU seconds during the load


def run_load(
    seconds: float = 30,
    clients: int = 50,
    *,
    workers: int = 2,
    max_queued: int = 32,
    ramp: float = 1.0,
    engine_ms: float = 0.0,
) -> Load:
    """Start `sakuga serve` on a fresh library, load it, stop it (which waits for
    every job it accepted to be recorded)."""
    load = Load(Path(tempfile.mkdtemp(prefix="sakuga-load-")) / "home", seconds, clients)
    stats: dict[str, list[Any] | int] = {"latency": [], "rejected": 0, "errors": 0, "lost": 0}
    options = ("--workers", str(workers), "--max-queued", str(max_queued))
    with served(load.home, *options, engine_s=engine_ms / 1000) as (base, pid):

        async def run() -> None:
            until = time.monotonic() + seconds
            # Clients join over the ramp (as load tools ramp up users): 50 connections
            # opened in the same millisecond measure the burst, not the steady load.
            step = ramp / clients
            await asyncio.gather(
                *(client_loop(base, until, stats, i * step) for i in range(clients))
            )

        # The load generator must not pause itself: a full collection of this process's
        # heap took ~40 ms here, stopping the clock of every request in flight.
        gc.collect()
        gc.freeze()
        try:
            cpu_before = _cpu_seconds(pid)
            asyncio.run(run())
            load.cpu = _cpu_seconds(pid) - cpu_before
        finally:
            gc.unfreeze()  # collectable again once the clock stops
    load.served = stats["latency"]  # type: ignore[assignment]
    load.rejected, load.errors, load.lost = (
        int(stats["rejected"]),  # type: ignore[call-overload]
        int(stats["errors"]),  # type: ignore[call-overload]
        int(stats["lost"]),  # type: ignore[call-overload]
    )
    return load


def measure(load: Load) -> dict[str, list[float]]:
    """Milliseconds per served request, from its job as the library recorded it: the
    engine's time, the queue wait, the time the server added (by the client's clock
    and by the server's own), and where that went. A served job that is not in the
    library as done is counted as lost."""
    from sakuga.studio.jobs.local import LocalJobQueue
    from sakuga.studio.library.library import Library, LibraryError

    library = Library.open(load.home)
    queue = LocalJobQueue(library)  # not started: only to read jobs back
    times: dict[str, list[float]] = {
        k: [] for k in ("engine", "wait", "added", "server", "outside", "run", "around")
    }
    for job_id, elapsed, server_s in load.served:
        try:
            job = queue.get(job_id)
            generations = library.get_many(job.result)
        except LibraryError:
            job = None
        if job is None or job.status != "done" or not generations:
            load.lost += 1  # answered, but not recorded
            continue
        engine = generations[0].seconds or 0.0
        waited = (job.started_at or job.created_at) - job.created_at
        ran = (job.finished_at or job.created_at) - (job.started_at or job.created_at)
        times["engine"].append(engine * 1000)
        times["wait"].append(waited * 1000)
        times["added"].append(max(0.0, elapsed - waited - engine) * 1000)
        # The same, from the server's own clock (Server-Timing): without the time the
        # request spent in the client process and the socket before the server saw it.
        times["server"].append(max(0.0, server_s - waited - engine) * 1000)
        # Where it goes: before the app / after its answer (socket, HTTP parsing, the
        # event loop's backlog); the job's run less the engine (claim, encode); and the
        # app's own work around the job (parse, submit, wake, answer).
        times["outside"].append(max(0.0, elapsed - server_s) * 1000)
        times["run"].append(max(0.0, ran - engine) * 1000)
        times["around"].append(max(0.0, server_s - waited - ran) * 1000)
    return times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="sakuga serve --workers")
    parser.add_argument("--max-queued", type=int, default=32, help="sakuga serve --max-queued")
    parser.add_argument("--ramp", type=float, default=1.0, help="seconds over which clients join")
    parser.add_argument(
        "--engine-ms",
        type=float,
        default=0.0,
        help="give the fake engine this much time per image (a real engine's pace)",
    )
    args = parser.parse_args()
    load = run_load(
        args.seconds,
        args.clients,
        workers=args.workers,
        max_queued=args.max_queued,
        ramp=args.ramp,
        engine_ms=args.engine_ms,
    )
    t = measure(load)
    print(
        f"{len(t['added'])} served, {load.rejected} answered 429, {load.errors} 5xx, "
        f"{load.lost} lost, {args.clients} clients for {args.seconds:.0f} s"
    )
    print(f"engine time per job (baseline): p50 {pct(t['engine'], 0.5):.1f} ms")
    print(
        f"server CPU: {load.cpu / args.seconds:.2f} cores, "
        f"{load.cpu * 1000 / max(1, len(t['added'])):.2f} ms per served request (429s included)"
    )
    print(f"queue wait: p50 {pct(t['wait'], 0.5):.0f} ms, p99 {pct(t['wait'], 0.99):.0f} ms")
    for name, key in (
        ("outside the app (socket, HTTP, loop backlog)", "outside"),
        ("job run less engine (claim, encode)", "run"),
        ("app around the job (parse, submit, wake, answer)", "around"),
    ):
        print(f"  {name}: p50 {pct(t[key], 0.5):.1f} ms, p99 {pct(t[key], 0.99):.1f} ms")
    print(
        f"server-added, server's own clock (Server-Timing): p50 {pct(t['server'], 0.5):.1f} "
        f"ms, p99 {pct(t['server'], 0.99):.1f} ms"
    )
    added, engine = t["added"], t["engine"]
    print(
        f"server-added time around a job: p50 {pct(added, 0.5):.1f} ms, "
        f"p99 {pct(added, 0.99):.1f} ms (goal p99 < 20 ms); "
        f"p99 / engine p50 = {pct(added, 0.99) / max(pct(engine, 0.5), 1e-3):.1f}x"
    )


if __name__ == "__main__":
    main()
