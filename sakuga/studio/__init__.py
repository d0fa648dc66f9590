"""The studio below the front ends (the CLI, the server and its routes, the workers):

- `service` — the studio service: one method per user action (`service.studio.Studio`),
  its rules, sheets and exports, the one way a plan runs (`service.running`) and the
  one container a front end builds (`service.services.Services`);
- `library` — the creator's library: generations with lineage, recipes and verdicts,
  characters, the database and its repair;
- `storage` — the library's image files by content hash, in a folder or in an
  S3-compatible object store;
- `jobs` — the job queue: what a job is and what a queue promises (`jobs.base`), the
  in-process queue (`jobs.local`) and the distributed one over Celery (its server side
  `jobs.celery_server`, its worker side `jobs.celery_worker`).
"""
