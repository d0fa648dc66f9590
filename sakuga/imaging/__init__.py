"""Safe image I/O, recipe metadata, masks, faces and compositing helpers."""
