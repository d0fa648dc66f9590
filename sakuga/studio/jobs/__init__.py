"""The job queue: what a job is and what every queue promises (`base`); the in-process
queue (`local`, its worker threads in `local_workers`); the distributed queue over
Celery and Redis — its server side (`celery_server`), its worker side
(`celery_worker`), what both share (`celery_common`, `broker`)."""
