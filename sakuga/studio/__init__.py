"""The creator's library. For now: writing results with their recipes (`outputs`).

The database, lineage, characters and jobs come with issue 6.
"""
