"""`/api/health` while the server does image work inside requests (#30).

Starts `sakuga serve` on loopback, then times `/api/health` idle (the baseline) and
while 4 uploads of a 12 MP photo, 4 control maps of it and 4 character sheets run at
once. Prints health's p50, p99 and worst time in both, their ratio, and how many of
the heavy requests were refused with 429 (the server does `max_heavy` at once).

    python benchmarks/health_under_load.py [--rounds 3] [--only uploads,maps,sheets]
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np
from PIL import Image


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _photo() -> bytes:
    """A 12 MP JPEG of a real photo (scikit-image's astronaut, enlarged)."""
    from skimage import data

    image = Image.fromarray(data.astronaut()).resize((4000, 3000), Image.Resampling.LANCZOS)
    noise = np.random.default_rng(0).integers(0, 12, (3000, 4000, 3), dtype=np.uint8)
    image = Image.fromarray(np.clip(np.asarray(image, np.int16) + noise, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _times(client: httpx.Client, until: threading.Event | None, count: int = 40) -> list[float]:
    taken = []
    while (until is not None and not until.is_set()) or (until is None and len(taken) < count):
        start = time.perf_counter()
        client.get("/api/health")
        taken.append((time.perf_counter() - start) * 1000)
        time.sleep(0.05)
    return taken


def _summary(name: str, times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    p50 = statistics.median(ordered)
    print(f"{name:>8}: {len(times):4d} calls  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
          f"worst {ordered[-1]:7.1f} ms")  # fmt: skip
    return p50, p99, ordered[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--only",
        default="uploads,maps,sheets",
        help="which heavy requests to run (comma-separated: uploads, maps, sheets)",
    )
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="sakuga-health-"))
    port = _port()
    env = {**os.environ, "SAKUGA_HOME": str(home)}
    server = subprocess.Popen(
        [sys.executable, "-m", "sakuga", "serve", "--port", str(port), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if client.get("/api/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
            photo = _photo()
            files = {"file": ("photo.jpg", photo, "image/jpeg")}
            digest = client.post("/api/uploads", files=files).json()["id"]
            client.post(
                "/api/characters",
                json={"name": "Mika", "description": "a girl with long pink hair, school uniform"},
            )
            idle = _times(client, None)
            loaded: list[float] = []
            statuses: list[int] = []
            for _ in range(args.rounds):
                done = threading.Event()

                def upload() -> None:
                    with httpx.Client(base_url=base, timeout=120) as c:
                        statuses.append(c.post("/api/uploads", files=files).status_code)

                def control_map() -> None:
                    with httpx.Client(base_url=base, timeout=120) as c:
                        body = {"upload": digest, "kind": "canny"}
                        statuses.append(c.post("/api/control-maps", json=body).status_code)

                def sheet() -> None:
                    with httpx.Client(base_url=base, timeout=120) as c:
                        statuses.append(c.post("/api/characters/Mika/sheet").status_code)

                chosen = {"uploads": upload, "maps": control_map, "sheets": sheet}
                kinds = [chosen[k.strip()] for k in args.only.split(",")]
                workers = [threading.Thread(target=f) for f in kinds * 4]
                for worker in workers:
                    worker.start()
                poller = threading.Thread(
                    target=lambda: loaded.extend(_times(client, done))  # noqa: B023
                )
                poller.start()
                for worker in workers:
                    worker.join()
                done.set()
                poller.join()
        print(f"health on 127.0.0.1 ({os.cpu_count()} cores), {args.rounds} rounds of "
              "4 uploads (12 MP), 4 control maps and 4 sheets at once")  # fmt: skip
        idle_p50, _, _ = _summary("idle", idle)
        p50, _p99, worst = _summary("loaded", loaded)
        print(f"ratio loaded/idle: p50 {p50 / idle_p50:.1f}x; goal: under 100 ms "
              f"({'met' if worst < 100 else 'NOT met'} at worst {worst:.0f} ms)")  # fmt: skip
        counts = {code: statuses.count(code) for code in sorted(set(statuses))}
        print(f"heavy requests by status: {counts} (429: refused while max_heavy were busy)")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
