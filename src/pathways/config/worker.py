"""The gunicorn worker of ``pathways serve``: gthread, telling load shedding how long each
request waited for a thread.

A gthread worker accepts connections as they come and hands each to a pool of threads; when
every thread is busy, connections wait in the pool's queue, where the Django middleware cannot
see them. This worker notes when a connection was queued and, when a thread takes it, how long it
waited; ``config/shedding.py`` counts that wait against its bound. Only the server's own queue is
counted: a connection is queued once its request starts arriving, and time spent reading a slow
client's request comes after the measurement.
"""

from __future__ import annotations

import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

from pathways.config import shedding


class Worker(ThreadWorker):  # type: ignore[misc]
    def enqueue_req(self, conn: Any) -> None:
        conn.pathways_queued_at = time.monotonic()
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        queued_at = getattr(conn, "pathways_queued_at", None)
        shedding.note_waited(0.0 if queued_at is None else time.monotonic() - queued_at)
        try:
            return super().handle(conn)
        finally:
            shedding.note_waited(0.0)
