"""What a hand holds, drawn around its grip: each hand-drawn prop is one method,
found by name in `HELD` (a prop with none is drawn by the vector library, `things`).
Figure units, as the arms' (`arms.py`)."""

from __future__ import annotations

import math

from sakuga.engines.draw.canvas import NECK_Y, Canvas
from sakuga.engines.draw.svg import RGB, el, fmt, light, mix, shade

#: The method that draws each hand-drawn prop.
HELD: dict[str, str] = {
    "sword": "_held_sword",
    "katana": "_held_sword",
    "staff": "_held_staff",
    "wand": "_held_staff",
    "umbrella": "_held_umbrella",
    "microphone": "_held_microphone",
    "lantern": "_held_lantern",
    "bow": "_held_bow",
    "book": "_held_book",
    "mug": "_held_mug",
    "phone": "_held_phone",
    "flowers": "_held_flowers",
    "fan": "_held_fan",
    "uchiwa": "_held_uchiwa",
}


class HeldPainter(Canvas):
    def prop(self, prop: str, grip: tuple[float, float], side: int) -> tuple[str, str]:
        """What the hand holds at ``grip``: (drawn behind the hand, drawn in front)."""
        method = HELD.get(prop)
        if method is None:
            return "", ""
        held: tuple[str, str] = getattr(self, method)(prop, *grip, side)
        return held

    def _held_sword(self, prop: str, gx: float, gy: float, side: int) -> tuple[str, str]:
        """Katana, sword in the hand at (gx, gy): (behind it, in front). A katana's blade
        is slender and curved, over a round guard (tsuba) and a long wrapped grip; a
        sword's is straight and broad over a crossguard."""
        if prop == "katana":
            return self._katana(gx, gy, side), ""
        ink = self.params.ink
        steel, dark = self.traits.prop_color or (218, 224, 236), (60, 56, 70)
        width = 22
        top = gy - 560
        blade = (
            f"M {fmt(gx - width / 2)} {fmt(gy - 40)} L {fmt(gx - width / 2)} {fmt(top + 40)} "
            f"L {fmt(gx)} {fmt(top)} L {fmt(gx + width / 2)} {fmt(top + 40)} "
            f"L {fmt(gx + width / 2)} {fmt(gy - 40)} Z"
        )
        guard = self.shape(
            f"M {fmt(gx - 60)} {fmt(gy - 48)} L {fmt(gx + 60)} {fmt(gy - 48)} L {fmt(gx + 60)} {fmt(gy - 32)} L {fmt(gx - 60)} {fmt(gy - 32)} Z",
            (200, 170, 80),
            ink,
        )
        handle = self.shape(
            f"M {fmt(gx - 11)} {fmt(gy - 36)} L {fmt(gx + 11)} {fmt(gy - 36)} L {fmt(gx + 11)} {fmt(gy + 70)} L {fmt(gx - 11)} {fmt(gy + 70)} Z",
            dark,
            ink,
        )
        shine = self.stroke(
            f"M {fmt(gx - 2)} {fmt(gy - 60)} L {fmt(gx - 2)} {fmt(top + 40)}",
            "#ffffff",
            self.line_width * 0.8,
            opacity="0.8",
        )
        return self.shape(blade, steel, ink) + shine + handle + guard, ""

    def _katana(self, gx: float, gy: float, side: int) -> str:
        """A katana in the hand at (gx, gy): the blade slender and curved back towards
        its spine (away from ``side``'s open side), a round dark tsuba above the fist,
        and a long grip wrapped in a diamond pattern below it."""
        ink = self.params.ink
        steel = self.traits.prop_color or (222, 228, 238)
        wrap, tsuba = (40, 36, 50), (58, 50, 44)
        top = gy - 600
        bend = 95 * side  # the curve (sori) sweeps the tip out to the open side
        base = gy - 58
        edge = (
            f"M {fmt(gx - 8)} {fmt(base)} "
            f"Q {fmt(gx - 8 + bend * 0.2)} {fmt((base + top) / 2)} {fmt(gx + bend)} {fmt(top)} "
            f"Q {fmt(gx + 14 + bend * 0.25)} {fmt((base + top) / 2 + 20)} {fmt(gx + 10)} {fmt(base)} Z"
        )
        hamon = self.stroke(
            f"M {fmt(gx + 3)} {fmt(base - 20)} Q {fmt(gx + 3 + bend * 0.22)} {fmt((base + top) / 2 + 10)} "
            f"{fmt(gx + bend * 0.96)} {fmt(top + 24)}",
            "#ffffff",
            self.line_width * 0.7,
            opacity="0.85",
        )
        guard = el(
            "ellipse",
            cx=fmt(gx),
            cy=fmt(gy - 50),
            rx="40",
            ry="14",
            fill=self.colour(tsuba),
            stroke=self.ink(ink),
            stroke_width=fmt(self.line_width * 0.8),
        )
        collar = self.shape(
            f"M {fmt(gx - 12)} {fmt(gy - 70)} L {fmt(gx + 12)} {fmt(gy - 70)} "
            f"L {fmt(gx + 12)} {fmt(gy - 56)} L {fmt(gx - 12)} {fmt(gy - 56)} Z",
            (214, 176, 84),
        )
        grip = self.shape(
            f"M {fmt(gx - 12)} {fmt(gy - 40)} L {fmt(gx + 12)} {fmt(gy - 40)} "
            f"L {fmt(gx + 11)} {fmt(gy + 130)} L {fmt(gx - 11)} {fmt(gy + 130)} Z",
            wrap,
            ink,
        )
        diamonds = "".join(
            self.stroke(
                f"M {fmt(gx - 10)} {fmt(gy - 30 + i * 24)} L {fmt(gx + 10)} {fmt(gy - 18 + i * 24)} "
                f"M {fmt(gx + 10)} {fmt(gy - 30 + i * 24)} L {fmt(gx - 10)} {fmt(gy - 18 + i * 24)}",
                self.colour((236, 232, 220)),
                3,
            )
            for i in range(7)
        )
        pommel = self.shape(
            f"M {fmt(gx - 13)} {fmt(gy + 126)} L {fmt(gx + 13)} {fmt(gy + 126)} "
            f"L {fmt(gx + 11)} {fmt(gy + 142)} L {fmt(gx - 11)} {fmt(gy + 142)} Z",
            (214, 176, 84),
        )
        return self.shape(edge, steel, ink) + hamon + grip + diamonds + pommel + collar + guard

    def _held_staff(self, prop: str, gx: float, gy: float, side: int) -> tuple[str, str]:
        """Staff, wand in the hand at (gx, gy): (behind it, in front)."""
        ink = self.params.ink
        top = gy - (520 if prop == "staff" else 200)
        bottom = gy + (480 if prop == "staff" else 40)
        stick = self.shape(
            f"M {fmt(gx - 8)} {fmt(top)} L {fmt(gx + 8)} {fmt(top)} L {fmt(gx + 8)} {fmt(bottom)} L {fmt(gx - 8)} {fmt(bottom)} Z",
            (120, 80, 50) if prop == "staff" else (250, 240, 250),
            ink,
        )
        if prop == "staff":
            gem = el(
                "circle",
                cx=fmt(gx),
                cy=fmt(top - 34),
                r="36",
                fill=self.colour((120, 200, 255)),
                stroke=self.ink((60, 120, 200)),
                stroke_width=fmt(self.line_width),
            )
            glow = el(
                "circle",
                cx=fmt(gx),
                cy=fmt(top - 34),
                r="80",
                fill=self.colour((160, 220, 255)),
                opacity="0.35",
            )
            return glow + stick + gem, ""
        star = " ".join(
            f"{'M' if i == 0 else 'L'} {fmt(gx + math.sin(i * math.pi / 5) * (40 if i % 2 == 0 else 17))} "
            f"{fmt(top - 30 - math.cos(i * math.pi / 5) * (40 if i % 2 == 0 else 17))}"
            for i in range(10)
        )
        return stick + self.shape(star + " Z", (255, 220, 90), ink), ""

    def _held_umbrella(self, prop: str, gx: float, gy: float, side: int) -> tuple[str, str]:
        """Umbrella in the hand at (gx, gy): (behind it, in front)."""
        dark = (60, 56, 70)
        # Held over the head: its rim and ribs across the top of the picture.
        shift = self.traits.canopy_shift  # shared: over the two of them
        cx, cy, r = gx * 0.3 + shift, -300.0, 430.0 * (1.3 if shift else 1.0)
        if self.squash != 1.0:  # a chibi's arms are squashed about the neck: so is this,
            # its rim just over the big head (not across the eyes)
            cy = NECK_Y + (-270.0 - NECK_Y) / self.squash
        canopy = (
            f"M {fmt(cx - r)} {fmt(cy)} Q {fmt(cx)} {fmt(cy - r * 0.9)} {fmt(cx + r)} {fmt(cy)} "
            + " ".join(
                f"Q {fmt(cx + r - (i + 0.5) * r / 3)} {fmt(cy - 46)} {fmt(cx + r - (i + 1) * r / 3)} {fmt(cy)}"
                for i in range(6)
            )
            + " Z"
        )
        colour = self.traits.prop_color or mix(self.traits.accessory_color, (220, 60, 70), 0.7)
        shaft = self.stroke(
            f"M {fmt(cx)} {fmt(cy - r * 0.45)} L {fmt(gx)} {fmt(gy + 60)}",
            self.ink(dark),
            self.line_width * 2.2,
        )
        clear = self.traits.prop_clear  # a clear vinyl umbrella: the sky shows through it
        ribs = "".join(
            self.stroke(
                f"M {fmt(cx)} {fmt(cy - r * 0.45)} L {fmt(cx + x)} {fmt(cy)}",
                self.colour((250, 252, 255)) if clear else self.ink(colour),
                self.line_width * (0.9 if clear else 0.8),
            )
            for x in (-r * 2 / 3, -r / 3, r / 3, r * 2 / 3)
        )
        if clear:
            glass = (226, 238, 248)
            film = el(
                "path",
                d=canopy,
                fill=self.colour(glass),
                fill_opacity="0.38",
                stroke=self.ink(glass),
                stroke_width=fmt(self.line_width),
            )
            return shaft + film + ribs, ""
        inner = self.shape(canopy, shade(colour, 0.25), None, transform="translate(0 8)")
        return shaft + inner + self.shape(canopy, colour, colour) + ribs, ""

    def _held_microphone(self, prop: str, gx: float, gy: float, side: int) -> tuple[str, str]:
        """Microphone in the hand at (gx, gy): (behind it, in front)."""
        dark = (60, 56, 70)
        tx, ty = gx - side * 80, gy - 150
        body = self.stroke(
            f"M {fmt(gx)} {fmt(gy + 50)} L {fmt(tx)} {fmt(ty)}", self.colour((30, 30, 36)), 26
        )
        head = el(
            "circle",
            cx=fmt(tx),
            cy=fmt(ty),
            r="34",
            fill=self.colour((70, 72, 82)),
            stroke=self.ink(dark),
            stroke_width=fmt(self.line_width),
        )
        mesh = "".join(
            self.stroke(
                f"M {fmt(tx - 30)} {fmt(ty + dy)} L {fmt(tx + 30)} {fmt(ty + dy)}",
                self.colour((120, 124, 136)),
                self.line_width * 0.6,
            )
            for dy in (-12, 0, 12)
        )
        shine = el("circle", cx=fmt(tx - 12), cy=fmt(ty - 14), r="8", fill="#ffffff", opacity="0.8")
        return body + head + mesh + shine, ""

    def _held_lantern(self, prop: str, gx: float, gy: float, side: int) -> tuple[str, str]:
        """Lantern in the hand at (gx, gy): (behind it, in front)."""
        dark = (60, 56, 70)
        ly = gy + 140
        string = self.stroke(
            f"M {fmt(gx)} {fmt(gy - 50)} L {fmt(gx)} {fmt(ly - 60)}",
            self.ink(dark),
            self.line_width,
        )
        paper = el(
            "ellipse",
            cx=fmt(gx),
            cy=fmt(ly),
            rx="62",
            ry="76",
            fill=self.colour((230, 70, 60)),
            stroke=self.ink((150, 30, 30)),
            stroke_width=fmt(self.line_width),
        )
        glow = el(
            "circle",
            cx=fmt(gx),
            cy=fmt(ly),
            r="140",
            fill=self.colour((255, 200, 120)),
            opacity="0.3",
        )
        ribs = "".join(
            el(
                "ellipse",
                cx=fmt(gx),
                cy=fmt(ly),
                rx=fmt(62 * k),
                ry="76",
                fill="none",
                stroke=self.ink((150, 30, 30)),
                stroke_width=fmt(self.line_width * 0.6),
            )
            for k in (0.35, 0.7)
        )
        caps = "".join(
            el(
                "rect",
                x=fmt(gx - 30),
                y=fmt(y),
                width="60",
                height="14",
                fill=self.colour(dark),
            )
            for y in (ly - 84, ly + 70)
        )
        return glow + string + paper + ribs + caps, ""

    def _held_bow(self, prop: str, gx: float, gy: float, side: int) -> tuple[str, str]:
        """Bow in the hand at (gx, gy): (behind it, in front)."""
        bx = gx
        arc = self.stroke(
            f"M {fmt(bx + side * 10)} {fmt(gy - 460)} Q {fmt(bx - side * 130)} {fmt(gy - 40)} {fmt(bx + side * 10)} {fmt(gy + 380)}",
            self.colour((130, 85, 50)),
            16,
        )
        string = self.stroke(
            f"M {fmt(bx + side * 10)} {fmt(gy - 460)} L {fmt(bx + side * 10)} {fmt(gy + 380)}",
            "#f2efe6",
            self.line_width * 0.8,
        )
        return string + arc, ""

    # Small props in front of the hand, at the chest.

    def _held_book(self, prop: str, gx: float, gy: float, side: int) -> tuple[str, str]:
        """Book in the hand at (gx, gy): (behind it, in front)."""
        ink = self.params.ink
        if self.traits.reading:
            # Read: open in front of the chest, its two pages spread in a shallow V
            # towards the face, the cover's edge showing under them.
            cx, cy = gx - side * 120, gy - 40
            cover = self.shape(
                f"M {fmt(cx - 190)} {fmt(cy - 6)} L {fmt(cx)} {fmt(cy + 34)} "
                f"L {fmt(cx + 190)} {fmt(cy - 6)} L {fmt(cx + 186)} {fmt(cy + 150)} "
                f"L {fmt(cx)} {fmt(cy + 186)} L {fmt(cx - 186)} {fmt(cy + 150)} Z",
                (120, 60, 70),
                ink,
            )
            leaf: RGB = (250, 246, 234)
            pages = "".join(
                self.shape(
                    f"M {fmt(cx)} {fmt(cy + 20)} L {fmt(cx + k * 176)} {fmt(cy - 18)} "
                    f"L {fmt(cx + k * 172)} {fmt(cy + 132)} L {fmt(cx)} {fmt(cy + 168)} Z",
                    leaf,
                    ink,
                )
                for k in (-1, 1)
            )
            lines = "".join(
                self.stroke(
                    f"M {fmt(cx + k * 30)} {fmt(cy + 34 + j * 26)} "
                    f"L {fmt(cx + k * 150)} {fmt(cy + 8 + j * 26)}",
                    self.colour((170, 160, 150)),
                    5,
                )
                for k in (-1, 1)
                for j in range(4)
            )
            return "", cover + pages + lines
        if self.traits.books > 1:
            return "", self._book_stack(gx, gy, side, self.traits.books)
        # Held by its outer edge, in front of the chest below the chin (not over the
        # face): the cover runs from the hand towards the body's middle.
        x0, y0 = (gx - 210 if side > 0 else gx + 20), gy - 60
        cover = self.shape(
            f"M {fmt(x0)} {fmt(y0)} L {fmt(x0 + 190)} {fmt(y0 - 10)} L {fmt(x0 + 190)} {fmt(y0 + 220)} L {fmt(x0)} {fmt(y0 + 230)} Z",
            (120, 60, 70),
            ink,
        )
        pages = self.stroke(
            f"M {fmt(x0 + 14)} {fmt(y0 + 16)} L {fmt(x0 + 14)} {fmt(y0 + 214)}",
            self.colour((250, 244, 230)),
            8,
        )
        return "", cover + pages

    def _book_stack(self, gx: float, gy: float, side: int, count: int) -> str:
        """``count`` closed books lying one on another, spines out, carried against the
        chest, the fist gripping the pile's top corner (its top below the chin): each a
        little offset and its own colour."""
        ink = self.params.ink
        covers: tuple[RGB, ...] = ((120, 60, 70), (60, 92, 140), (70, 120, 84), (196, 150, 64))
        cx = gx - side * 110
        out = []
        heights = [52 + (i % 3) * 8 for i in range(count)]
        y = gy - 30 + sum(heights)  # the lowest book's underside
        for i in range(count):
            w, h = 250 - (i % 2) * 30, heights[i]
            x = cx - w / 2 + (-1) ** i * 14
            cover = covers[i % len(covers)]
            out.append(
                self.shape(
                    f"M {fmt(x)} {fmt(y - h)} L {fmt(x + w)} {fmt(y - h)} "
                    f"L {fmt(x + w)} {fmt(y)} L {fmt(x)} {fmt(y)} Z",
                    cover,
                    ink,
                )
            )
            # The pages' edge along the side, and a band across the spine.
            out.append(
                self.shape(
                    f"M {fmt(x + w - 22)} {fmt(y - h + 8)} L {fmt(x + w - 6)} {fmt(y - h + 8)} "
                    f"L {fmt(x + w - 6)} {fmt(y - 8)} L {fmt(x + w - 22)} {fmt(y - 8)} Z",
                    (250, 244, 230),
                )
            )
            out.append(
                self.stroke(
                    f"M {fmt(x + 30)} {fmt(y - h)} L {fmt(x + 30)} {fmt(y)}",
                    self.colour(light(cover, 0.45)),
                    9,
                )
            )
            y -= h
        return "".join(out)

    def _held_mug(self, prop: str, gx: float, gy: float, side: int) -> tuple[str, str]:
        """Mug in the hand at (gx, gy): (behind it, in front)."""
        ink = self.params.ink
        x0, y0 = gx - side * 30 - 45, gy - 110
        cup = self.shape(
            f"M {fmt(x0)} {fmt(y0)} L {fmt(x0 + 90)} {fmt(y0)} L {fmt(x0 + 84)} {fmt(y0 + 100)} Q {fmt(x0 + 45)} {fmt(y0 + 112)} {fmt(x0 + 6)} {fmt(y0 + 100)} Z",
            (245, 245, 240),
            ink,
        )
        rim = el(
            "ellipse",
            cx=fmt(x0 + 45),
            cy=fmt(y0),
            rx="45",
            ry="10",
            fill=self.colour((120, 80, 50)),
            stroke=self.ink(ink),
            stroke_width=fmt(self.line_width * 0.7),
        )
        steam = "".join(
            self.stroke(
                f"M {fmt(x0 + 30 + i * 22)} {fmt(y0 - 20)} q 10 -20 0 -40 q -10 -20 0 -40",
                "#ffffff",
                self.line_width,
                opacity="0.7",
            )
            for i in range(2)
        )
        return "", cup + rim + steam

    def _held_phone(self, prop: str, gx: float, gy: float, side: int) -> tuple[str, str]:
        """Phone in the hand at (gx, gy): (behind it, in front)."""
        ink = self.params.ink
        x0, y0 = gx - 32, gy - 150
        case = self.shape(
            f"M {fmt(x0)} {fmt(y0)} L {fmt(x0 + 64)} {fmt(y0)} L {fmt(x0 + 64)} {fmt(y0 + 120)} L {fmt(x0)} {fmt(y0 + 120)} Z",
            (40, 40, 48),
            ink,
        )
        screen = el(
            "rect",
            x=fmt(x0 + 7),
            y=fmt(y0 + 8),
            width="50",
            height="100",
            fill=self.colour((150, 200, 255)),
        )
        return "", case + screen

    def _held_flowers(self, prop: str, gx: float, gy: float, side: int) -> tuple[str, str]:
        """Flowers in the hand at (gx, gy): (behind it, in front)."""
        out = [
            self.stroke(
                f"M {fmt(gx + dx)} {fmt(gy + 40)} L {fmt(gx + dx * 2.2)} {fmt(gy - 120)}",
                self.colour((90, 150, 80)),
                6,
            )
            for dx in (-12, 0, 12)
        ]
        for i, (dx, dy) in enumerate(((-30, -150), (0, -175), (30, -150), (-14, -120), (16, -122))):
            colour = ((240, 90, 120), (255, 180, 200), (250, 220, 110))[i % 3]
            for k in range(5):
                a = k * math.tau / 5
                out.append(
                    el(
                        "circle",
                        cx=fmt(gx + dx + math.cos(a) * 12),
                        cy=fmt(gy + dy + math.sin(a) * 12),
                        r="13",
                        fill=self.colour(colour),
                    )
                )
            out.append(
                el(
                    "circle",
                    cx=fmt(gx + dx),
                    cy=fmt(gy + dy),
                    r="8",
                    fill=self.colour((255, 230, 120)),
                )
            )
        return "".join(out), ""

    def _held_uchiwa(self, prop: str, gx: float, gy: float, side: int) -> tuple[str, str]:
        """A round paper fan (uchiwa) in the hand at (gx, gy): a disc of paper on bamboo
        ribs that fan out from its handle, a darker rim, the handle in the fist."""
        r = 118
        cx, cy = gx + side * 10, gy - 40 - r
        paper = self.traits.prop_color or (250, 236, 214)
        bamboo = (196, 160, 96)
        ribs = "".join(
            self.stroke(
                f"M {fmt(cx)} {fmt(cy + r * 0.92)} L {fmt(cx + math.cos(a) * r * 0.95)} "
                f"{fmt(cy - math.sin(a) * r * 0.95)}",
                self.ink(paper),
                self.line_width * 0.45,
                opacity="0.45",
            )
            for a in (math.radians(d) for d in range(-10, 200, 14))
        )
        disc = el(
            "circle",
            cx=fmt(cx),
            cy=fmt(cy),
            r=fmt(r),
            fill=self.colour(paper),
            stroke=self.ink(shade(paper, 0.35)),
            stroke_width=fmt(self.line_width * 1.4),
        )
        handle = self.shape(
            f"M {fmt(cx - 9)} {fmt(cy + r - 6)} L {fmt(cx + 9)} {fmt(cy + r - 6)} "
            f"L {fmt(gx + 9)} {fmt(gy + 60)} L {fmt(gx - 9)} {fmt(gy + 60)} Z",
            bamboo,
            bamboo,
        )
        return handle + disc + ribs, ""

    def _held_fan(self, prop: str, gx: float, gy: float, side: int) -> tuple[str, str]:
        """Fan in the hand at (gx, gy): (behind it, in front)."""
        r = 150
        cx, cy = gx, gy - 50
        wedge = f"M {fmt(cx)} {fmt(cy)} L {fmt(cx - r * 0.94)} {fmt(cy - r * 0.34)} A {r} {r} 0 0 1 {fmt(cx + r * 0.94)} {fmt(cy - r * 0.34)} Z"
        colour = shade(mix(self.traits.accessory_color, (230, 90, 110), 0.6), 0.0)
        folds = "".join(
            self.stroke(
                f"M {fmt(cx)} {fmt(cy)} L {fmt(cx + math.cos(a) * r)} {fmt(cy - math.sin(a) * r)}",
                self.ink(colour),
                self.line_width * 0.6,
            )
            for a in (math.radians(d) for d in range(30, 160, 16))
        )
        return self.shape(wedge, colour, colour) + folds, ""
