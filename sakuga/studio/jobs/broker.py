"""kombu's Redis transport, hardened against one bad entry in a queue.

kombu decodes each entry it pops from a Redis list as JSON before Celery sees it; an
entry that is not a message (written by hand, by another program, or damaged) raised
out of the worker's event loop and stopped the worker process. Here such an entry is
logged and dropped, and the worker goes on to the next. Connection errors still rise,
so kombu reconnects as before. A subclass through kombu's own extension point (the
transport class), not a patch of kombu; built on first use, as kombu comes with the
``queue`` extra only.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

log = logging.getLogger(__name__)


@cache
def safe_transport() -> type:
    """The Redis transport class whose channel skips an entry that is not a message."""
    from kombu.transport import redis as kombu_redis

    class SafeChannel(kombu_redis.Channel):
        def _brpop_read(self, **options: Any) -> bool:
            try:
                return bool(super()._brpop_read(**options))
            except self.connection_errors:
                raise
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                # BRPOP took the entry already: dropping it is skipping it.
                log.error("dropped a broker entry that is not a message: %s", exc)
                return False

    class SafeTransport(kombu_redis.Transport):
        Channel = SafeChannel

    return SafeTransport
