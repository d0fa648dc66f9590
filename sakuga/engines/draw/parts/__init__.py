"""The character's parts, one module each; `Painter` mixes them together."""
