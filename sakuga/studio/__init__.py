"""The creator's library: generations with lineage and verdicts, characters, files by
content hash (`library`, `files`, `db`), the job queue (`jobs`), and writing results
with their recipes (`outputs`)."""
