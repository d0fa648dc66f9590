"""How an image came to be: the tree of generations from its oldest ancestor down
(`Lineage.lineage`, a part of `Library`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select

from sakuga.studio.library.db import generations

if TYPE_CHECKING:
    from sakuga.studio.library.library import Generation


@dataclass
class LineageNode:
    generation: Generation
    children: list[LineageNode] = field(default_factory=list)


class Lineage:
    """The lineage of generations (a part of `Library`)."""

    db: Engine

    if TYPE_CHECKING:

        def get(self, gen_id: str) -> Generation: ...

    def lineage(self, gen_id: str) -> LineageNode:
        """The tree of how an image came to be: from its oldest ancestor down."""
        root = self.get(gen_id)
        seen = {root.id}
        while root.parent_id is not None and root.parent_id not in seen:
            root = self.get(root.parent_id)
            seen.add(root.id)
        return self._subtree(root, depth=0)

    def _subtree(self, gen: Generation, depth: int) -> LineageNode:
        node = LineageNode(gen)
        if depth > 50:
            return node
        with self.db.connect() as conn:
            child_ids = [
                r.id
                for r in conn.execute(
                    select(generations.c.id)
                    .where(generations.c.parent_id == gen.id)
                    .order_by(generations.c.created_at)
                )
            ]
        node.children = [self._subtree(self.get(c), depth + 1) for c in child_ids]
        return node
