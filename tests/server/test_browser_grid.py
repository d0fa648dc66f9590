"""Try across… on the page (#38), in Debian's Chromium: one idea across two axes, shown
as a labelled table whose cells open in the viewer, with no accessibility violation."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import requires_chromium, requires_fonts
from tests.server.test_browser import studio_page, violations

pytestmark = [pytest.mark.slow, requires_chromium, requires_fonts]


def test_a_grid_from_the_page_is_a_labelled_table(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with studio_page(tmp_path, (1440, 900)) as (base, page):
        page.click("nav button[data-tab=prompt]")
        page.fill("#prompt-text", "girl with a red scarf on a snowy bridge")
        page.click("#advanced summary")
        page.select_option("#adv-engine", "draw")
        page.fill("#adv-seed", "7")
        page.click("#prompt-try")
        dialog = page.locator("#try-dialog")
        expect(dialog).to_be_visible()
        # Across every style by default; the count is said before any work.
        expect(page.locator("#try-x-values")).to_have_value(
            "cute,cinematic,webtoon,fantasy,cyberpunk"
        )
        expect(page.locator("#try-count")).to_contain_text("5 images")
        page.fill("#try-x-values", "cute,cyberpunk")
        page.select_option("#try-y", "prompt")
        page.fill("#try-y-values", "red scarf|blue scarf")
        expect(page.locator("#try-count")).to_contain_text("4 images")
        assert violations(page) == []
        page.click("#try-go")
        table = page.locator("table.try-grid")
        expect(table).to_be_visible(timeout=60_000)
        expect(table.locator("thead th")).to_have_text(["cute", "cyberpunk"])
        expect(table.locator("tbody th")).to_have_text(["red scarf", "blue scarf"])
        cells = table.locator("button.try-cell")
        expect(cells).to_have_count(4)
        expect(cells.nth(3).locator("img")).to_have_attribute("alt", "cyberpunk, blue scarf")
        for i in range(4):  # every cell's image is shown, not a broken icon
            image = cells.nth(i).locator("img")
            expect(image).to_have_js_property("complete", True)
            assert image.evaluate("img => img.naturalWidth") > 100
        assert violations(page) == []
        # Each cell is the image the same single job makes.
        cell = cells.nth(3).get_attribute("data-id")
        with httpx.Client(base_url=base) as http:
            gen = http.get(f"/api/generations/{cell}").json()
            assert gen["style"] == "cyberpunk" and gen["seed"] == 7
            assert "blue scarf" in gen["prompt"] and "red scarf" not in gen["prompt"]
        # A cell opens in the viewer, at full size with its recipe.
        cells.nth(3).click()
        expect(page.locator("#viewer")).to_be_visible()
        expect(page.locator("#viewer-image")).to_have_attribute("src", f"/api/images/{cell}")
        page.keyboard.press("Escape")
        expect(page.locator("a.try-layout")).to_be_visible()
        # The work of the tab keeps the grid over a reload.
        page.reload()
        expect(page.locator("table.try-grid button.try-cell")).to_have_count(4)
        # An axis the server refuses is said, and nothing is queued.
        page.click("#prompt-try")
        page.select_option("#try-y", "prompt")
        page.fill("#try-y-values", "green hat|blue hat")
        page.click("#try-go")
        expect(page.locator("#status")).to_contain_text("not in the prompt")
