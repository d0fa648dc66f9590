"""A sticker set from the page (#37), in Debian's Chromium: a character's "Make
stickers" with the reactions chosen, the set's sheet shown on the character, and a pack
download for each messenger that takes a set of that size — with no accessibility
violation."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.conftest import requires_chromium, requires_fonts
from tests.server.test_browser import save_character, studio_page, violations

pytestmark = [pytest.mark.slow, requires_chromium, requires_fonts]


def test_a_sticker_set_from_a_character_card(tmp_path: Path) -> None:
    from playwright.sync_api import expect

    with studio_page(tmp_path, (1440, 900)) as (base, page):
        card = save_character(
            page, "Mika", "a girl with pink twin tails and green eyes, school uniform"
        )
        card.get_by_role("button", name="Make stickers: Mika").click()
        dialog = page.locator("#set-dialog")
        expect(dialog).to_be_visible()
        # The default eight are ticked; the count says which messengers take them.
        expect(dialog.locator("input:checked")).to_have_count(8)
        expect(page.locator("#set-count")).to_contain_text("8 stickers")
        expect(page.locator("#set-count")).to_contain_text("LINE")
        assert violations(page) == []
        for name in ("happy", "thanks", "ok", "love", "sleepy"):  # keep sad, angry, surprised
            dialog.locator(f"input[value={name}]").uncheck()
        expect(page.locator("#set-count")).to_contain_text("3 stickers")
        expect(page.locator("#set-count")).not_to_contain_text("LINE")
        page.select_option("#set-caption", "en")
        page.click("#set-go")
        sheet = card.locator(".stickers a.set-sheet img")
        expect(sheet).to_have_js_property("complete", True, timeout=60_000)
        assert sheet.evaluate("img => img.naturalWidth") > 100
        packs = card.locator(".stickers ul.packs")
        expect(packs.locator("a")).to_have_text(
            ["Telegram pack (.zip)", "Discord pack (.zip)", "WhatsApp pack (.zip)"]
        )
        expect(packs).to_contain_text("LINE: a pack has 8, 16, 24, 32, 40 stickers")
        assert violations(page) == []
        href = packs.locator("a").nth(2).get_attribute("href")
        assert href is not None
        with httpx.Client(base_url=base) as http:
            zipped = http.get(href)
            assert zipped.status_code == 200
            with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
                names = set(archive.namelist())
            assert {"01.webp", "02.webp", "03.webp", "tray.png", "contents.json"} <= names
            set_id = href.split("/")[3]
            made = http.get(f"/api/generations/{set_id}").json()
            assert made["engine"] == "compose" and made["model"] == "grid"
        # The sheet opens in the viewer.
        card.locator(".stickers a.set-sheet").click()
        expect(page.locator("#viewer")).to_be_visible()
        expect(page.locator("#viewer-image")).to_have_attribute("src", f"/api/images/{set_id}")


def test_a_brand_kit_from_a_character_card(tmp_path: Path) -> None:
    """ "Make a brand kit" on a character: the title asked, the kit's sheet shown on the
    card (it opens the viewer), and the laid-out kit downloaded as a zip."""
    from playwright.sync_api import expect

    with studio_page(tmp_path, (1440, 900)) as (base, page):
        card = save_character(page, "Ren", "a boy with messy black hair and a red hoodie")
        card.get_by_role("button", name="Make a brand kit: Ren").click()
        dialog = page.locator("#brand-dialog")
        expect(dialog).to_be_visible()
        assert violations(page) == []
        page.fill("#brand-name", "Ren Builds")
        page.click("#brand-go")
        sheet = card.locator(".kit a.set-sheet img")
        expect(sheet).to_have_js_property("complete", True, timeout=90_000)
        assert sheet.evaluate("img => img.naturalWidth") > 100
        zip_link = card.locator(".kit a[download]")
        expect(zip_link).to_contain_text("Brand kit (.zip)")
        assert violations(page) == []
        href = zip_link.get_attribute("href")
        assert href is not None and "title=Ren+Builds" in href
        with httpx.Client(base_url=base, timeout=120) as http:
            zipped = http.get(href)
            assert zipped.status_code == 200
            with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
                names = set(archive.namelist())
        assert {"avatar.png", "avatar-circle.png", "banner.png", "thumbnail.jpg"} <= names
        card.locator(".kit a.set-sheet").click()
        expect(page.locator("#viewer")).to_be_visible()


def test_a_story_from_a_character_card(tmp_path: Path) -> None:
    """ "Make a story" on a character: a script to start from with the character's name
    in it, the layout chosen, the lettered page shown on the card, and its zip."""
    from playwright.sync_api import expect

    with studio_page(tmp_path, (1440, 900)) as (base, page):
        card = save_character(page, "Mika", "a girl with pink twin tails, school uniform")
        card.get_by_role("button", name="Make a story: Mika").click()
        dialog = page.locator("#story-dialog")
        expect(dialog).to_be_visible()
        expect(page.locator("#story-script")).to_have_value(re.compile("Mika: Good morning!"))
        assert violations(page) == []
        page.select_option("#story-layout", "4koma")
        page.fill("#story-name", "A holiday")
        page.click("#story-go")
        shown = card.locator(".story img.story-page")
        expect(shown).to_have_js_property("complete", True, timeout=90_000)
        assert shown.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [1000, 2764]
        zip_link = card.locator(".story a[download]")
        expect(zip_link).to_contain_text("Story page (.zip)")
        assert violations(page) == []
        with httpx.Client(base_url=base, timeout=120) as http:
            zipped = http.get(zip_link.get_attribute("href") or "")
            assert zipped.status_code == 200
            with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
                assert "page.png" in archive.namelist()
        # A script that names someone unknown says so in the dialog.
        card.get_by_role("button", name="Make a story: Mika").click()
        page.fill("#story-script", "1. a park\nKen: hi")
        page.click("#story-go")
        expect(page.locator("#story-error")).to_contain_text("Ken is not a character")


def test_each_character_has_a_column_of_parts_and_one_can_be_added(tmp_path: Path) -> None:
    """Several characters in the prompt (#34): the part fields show a column per
    character, read from the prompt; editing one changes only that character's phrases,
    a part they lack is added beside them, and "Add a character" names a new one."""
    from playwright.sync_api import expect

    with studio_page(tmp_path, (1440, 900)) as (_, page):
        page.click("nav button[data-tab=prompt]")
        page.fill(
            "#prompt-text",
            "Aki has short black hair and a denim jacket, Hana has long blonde hair and a "
            "yellow sundress, at the airport",
        )
        page.click("#parts summary")
        columns = page.locator("#cast-columns .cast-column")
        expect(columns).to_have_count(2)
        expect(columns.nth(0).locator("legend")).to_have_text("Aki")
        expect(page.get_by_label("Hana hair")).to_have_value("long blonde hair")
        expect(columns.nth(1)).to_contain_text("missing: expression")
        assert violations(page) == []
        page.get_by_label("Hana hair").fill("pink twin tails")
        expect(page.locator("#prompt-text")).to_have_value(
            "Aki has short black hair and a denim jacket, Hana has pink twin tails and a "
            "yellow sundress, at the airport"
        )
        page.get_by_label("Aki expression").fill("smiling")
        expect(page.locator("#prompt-text")).to_have_value(
            "Aki has short black hair and a denim jacket, smiling, Hana has pink twin tails "
            "and a yellow sundress, at the airport"
        )
        expect(columns.nth(0)).not_to_contain_text("missing: expression")
        page.fill("#cast-name", "Ren")
        page.select_option("#cast-kind", "boy")
        page.click("#cast-add")
        expect(columns).to_have_count(3)
        expect(columns.nth(2).locator("legend")).to_have_text("Ren")
        expect(page.locator("#prompt-text")).to_have_value(re.compile(r"; Ren is a boy$"))
        page.get_by_label("Ren hair").fill("messy red hair")
        expect(page.locator("#prompt-text")).to_have_value(re.compile(r"Ren is a boy.*red hair"))
        assert violations(page) == []
