"""Typography and layouts for each use: posters, covers, thumbnails, stickers, sheets.

Empty so far: issue 7 builds it. Crops that respect faces live in `sakuga.imaging.geometry`.
"""
