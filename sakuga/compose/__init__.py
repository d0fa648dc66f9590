"""Made for its use: fonts, typesetting with contrast, layouts per use, stickers, sheets.

`layouts.compose(art, use, title=…)` is the entry point; `sticker.make_sticker` cuts
a subject out; `sheet.contact_sheet` puts versions side by side.
"""
