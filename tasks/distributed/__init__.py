"""Fleet jobs on Celery workers: settings and routing (`settings`), the Celery app and the
worker's task (`app`), and the coordinator that sends shards and collects typed results
(`coordinator`). The local engine (one process) stays the default; see docs/celery.md."""
