"""How fast the studio page loads in Debian's Chromium, against a baseline page.

    python benchmarks/page_load.py [--loads 15]

`sakuga serve` runs in its own process with a library of 30 images. Each load is a
fresh browser context (an empty cache, as a first visit) opening the page and waiting
until it is ready: the load event, then no network for a moment (the page's own calls:
engines, characters, tags). Timed from navigation start by the browser's clock
(Navigation and Resource Timing). The baseline is the API docs page served by the same
server (a small HTML page with one script and Swagger UI's bundle), loaded the same way
in the same run. Prints the median and worst time of each, and the studio page's
median as a ratio of the baseline's. Goal: the studio page is ready in under 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.server_overhead import served
from tests.server.test_browser import launch

#: Milliseconds from navigation start until the page and every request it made ended.
READY = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const ends = performance.getEntriesByType("resource").map((r) => r.responseEnd);
  return Math.max(nav.loadEventEnd, ...ends);
}"""


def load_times(browser, url: str, loads: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(loads):
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        times.append(float(page.evaluate(READY)) / 1000)
        context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loads", type=int, default=15)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as home, served(Path(home)) as (base, _pid):
        with httpx.Client(base_url=base, timeout=120) as http:
            jobs = [
                http.post("/api/jobs", json={"kind": "create", "prompt": prompt, "n": 10})
                for prompt in ("anime girl", "anime boy", "chibi cat girl")
            ]
            for job in (j.json()["id"] for j in jobs):
                while http.get(f"/api/jobs/{job}").json()["status"] not in ("done", "failed"):
                    time.sleep(0.1)
        with sync_playwright() as p:
            browser = launch(p)
            load_times(browser, base + "/", 2)  # the server's first answers warm it
            studio = load_times(browser, base + "/", args.loads)
            docs = load_times(browser, base + "/docs", args.loads)
            browser.close()
    for name, times in (("studio page", studio), ("baseline (/docs)", docs)):
        print(
            f"{name:18} median {statistics.median(times) * 1000:6.0f} ms"
            f"   worst {max(times) * 1000:6.0f} ms   ({len(times)} loads)"
        )
    ratio = statistics.median(studio) / statistics.median(docs)
    print(f"studio / baseline: {ratio:.2f}×   goal: studio median under 500 ms")


if __name__ == "__main__":
    main()
