"""Load shedding: past capacity, answer 429 with Retry-After at once instead of queueing.

Each server process (a gunicorn ``gthread`` worker) works on at most ``MAX_IN_FLIGHT`` requests
at a time. A request that finds every slot taken waits for one; if it cannot start within
``QUEUE_WAIT_SECONDS`` of reaching the server it is refused with ``429 Too Many Requests`` and
``Retry-After``, without touching the database. The wait counts the time the connection spent
waiting for a free thread of the process (measured by ``config/worker.py``; never the client's
own slowness in sending), so the bound holds however the queue forms.

Without this, requests past capacity queue in the server until every answer is late (the queue
only grows while arrivals exceed capacity), and clients time out and send again, adding load
exactly when there is none to spare. A refused client knows its request was not processed (a
429 stores nothing) and sends it again after ``Retry-After`` with the same client id, so nothing
is lost or doubled.

The slots are per process because a process's threads share one interpreter: more requests in
progress than a few only share the same CPU more thinly and make every answer later.
``MAX_IN_FLIGHT = 0`` turns shedding off.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

RETRY_AFTER_SECONDS = 1
# Pages and reads (a person waiting on a screen: a browser does not send a page again by itself,
# a teacher's heatmap is read while the class works) may wait this many times longer than an API
# write (devices sending evidence, which retry after Retry-After with the same id): past
# capacity the writes are shed first.
PATIENT_WAIT_FACTOR = 4

_waited = threading.local()


def note_waited(seconds: float) -> None:
    """How long the request this thread is about to serve waited for the thread (the worker
    calls this; 0 where unknown: the test client, ``runserver``)."""
    _waited.seconds = seconds


def waited() -> float:
    return float(getattr(_waited, "seconds", 0.0))


class Gate:
    """At most ``slots`` holders at once; ``enter`` waits up to ``wait_seconds`` for a slot."""

    def __init__(self, slots: int, wait_seconds: float) -> None:
        self.slots = slots
        self.wait_seconds = wait_seconds
        self._free = threading.BoundedSemaphore(max(slots, 1))
        self._lock = threading.Lock()
        self.refused = 0  # since this process started (for logs and tests)

    def enter(self, already_waited: float = 0.0, patience: float = 1.0) -> bool:
        """Take a slot, waiting at most what is left of ``patience`` x ``wait_seconds`` after
        ``already_waited`` (a free slot is always taken); False: the caller refuses."""
        bound = self.wait_seconds * patience
        if self._free.acquire(timeout=max(bound - already_waited, 0.0)):
            return True
        with self._lock:
            self.refused += 1
        return False

    def leave(self) -> None:
        self._free.release()


def too_busy(request: HttpRequest) -> HttpResponse:
    """429 with Retry-After; JSON for the API, a short page otherwise."""
    message = "The server is busy; try again in a moment. Nothing was saved."
    if request.path.startswith("/api/"):
        response = HttpResponse(
            json.dumps({"detail": message}), status=429, content_type="application/json"
        )
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


class LoadSheddingMiddleware:
    """First in the middleware list, so a refusal costs almost nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        slots = int(getattr(settings, "MAX_IN_FLIGHT", 0))
        wait = float(getattr(settings, "QUEUE_WAIT_SECONDS", 0.0))
        self.gate = Gate(slots, wait) if slots > 0 else None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.gate is None or request.path.startswith("/static/"):
            return self.get_response(request)
        api_write = request.path.startswith("/api/") and request.method not in ("GET", "HEAD")
        patience = 1.0 if api_write else PATIENT_WAIT_FACTOR
        if not self.gate.enter(waited(), patience):
            return too_busy(request)
        try:
            return self.get_response(request)
        finally:
            self.gate.leave()
