"""The Celery app for Celery's own tools, where the broker is ``SAKUGA_QUEUE_URL``::

    celery -A sakuga.worker inspect active     # the jobs each worker runs now
    celery -A sakuga.worker inspect ping
    celery -A sakuga.worker events             # or Flower: celery -A sakuga.worker flower

It registers the task `sakuga worker` runs (`sakuga.run_job`), so ``celery -A
sakuga.worker worker -Q sakuga.any,sakuga.ENGINE`` runs jobs too (on the library that
SAKUGA_DATABASE_URL and SAKUGA_STORAGE_URL name); `sakuga worker` is the usual way, as
it also picks the queues of the engines ready here and announces them to the servers.
Importing this module reads no setting and connects to nothing.
"""

from __future__ import annotations

from typing import Any

from sakuga.studio.jobs.celery_worker import tools_app

app: Any = tools_app()
