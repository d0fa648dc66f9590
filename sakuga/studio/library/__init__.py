"""The creator's library: generations with their recipes, lineage and verdicts, and
saved characters (`library`), over one database (`db`); how a recorded request is read
back (`requests`, `recipes`); crash repair (`repair`)."""
