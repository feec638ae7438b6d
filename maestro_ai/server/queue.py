"""Jobs on Celery workers with a Redis broker, for more than one machine: `maestro serve
--broker redis://host:6379/0` queues each job it accepts as a Celery task, and `maestro worker`
(one per machine, any number) makes them with the same `Runner` the in-process worker uses.
The job's state stays in the shared database (PostgreSQL, by URL) and its files in the shared
file store (S3, server.s3), so any worker may take any job and any server may answer for it.

A task is acknowledged only when its job is done (acks_late), so a worker that dies mid-job
leaves its task in Redis; once the broker's visibility timeout has passed, another worker gets
it again, marked redelivered, and makes the job again from the start.

>>> app = celery_app("redis://127.0.0.1:6399/0")
>>> app.conf.task_acks_late, app.conf.worker_prefetch_multiplier
(True, 1)
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from celery import Celery

from maestro_ai.server.files import LocalFiles
from maestro_ai.server.jobs import Runner
from maestro_ai.server.store import Store

TASK = "maestro.make_job"
QUEUE = "maestro-jobs"
VISIBILITY_SECONDS = 3600.0  # longer than any job: a task unacknowledged this long is given to another worker


def visibility_seconds() -> float:
    """$MAESTRO_VISIBILITY_SECONDS, else an hour."""
    return float(os.environ.get("MAESTRO_VISIBILITY_SECONDS") or VISIBILITY_SECONDS)


def celery_app(broker: str) -> Celery:
    """The Celery app on `broker` (a redis:// URL), with Maestro's delivery settings."""
    app = Celery("maestro", broker=broker)
    app.conf.update(task_acks_late=True, task_reject_on_worker_lost=False, worker_prefetch_multiplier=1,
                    task_serializer="json", accept_content=["json"], task_default_queue=QUEUE,
                    broker_connection_retry_on_startup=True, task_ignore_result=True, worker_hijack_root_logger=False,
                    broker_transport_options={"visibility_timeout": visibility_seconds()})
    return app


def dispatcher(broker: str) -> Callable[[int], None]:
    """What `maestro serve --broker` does with each job it queues: send it to the workers."""
    app = celery_app(broker)

    def dispatch(job_id: int) -> None:
        app.send_task(TASK, args=[job_id], queue=QUEUE)
    return dispatch


def run_worker(broker: str, store: Store, files: LocalFiles, work_dir: Path) -> None:
    """Make jobs from `broker`, one at a time, until stopped (`maestro worker`; start more of them
    for more at once: a song already keeps two cores busy)."""
    app = celery_app(broker)
    runner = Runner(store, files, work_dir)

    @app.task(name=TASK, bind=True)
    def make_job(task, job_id: int) -> None:
        redelivered = bool((task.request.delivery_info or {}).get("redelivered"))
        if runner.store.claim(job_id, retake=redelivered):
            runner.run(job_id)

    app.worker_main(["worker", "--pool=solo", "--loglevel=WARNING",
                     "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", QUEUE])
