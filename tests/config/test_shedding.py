"""Load shedding: past capacity a request is refused at once with 429 and Retry-After, nothing
reaches the application, and every slot is given back whatever happens to the request."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings
from gunicorn.workers.gthread import ThreadWorker

from pathways.config import shedding, worker
from pathways.config.shedding import Gate, LoadSheddingMiddleware


class Held:
    """An application whose requests stay in progress until ``release`` is set."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.inside = 0
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with self._lock:
            self.inside += 1
            self.calls += 1
        try:
            self.release.wait(5)
            return HttpResponse("done")
        finally:
            with self._lock:
                self.inside -= 1


def _middleware(app: Held, slots: int, wait_ms: int) -> LoadSheddingMiddleware:
    with override_settings(MAX_IN_FLIGHT=slots, QUEUE_WAIT_SECONDS=wait_ms / 1000):
        return LoadSheddingMiddleware(app)


def _wait_until(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_past_the_slots_a_request_is_refused_with_429_and_retry_after() -> None:
    app = Held()
    middleware = _middleware(app, slots=2, wait_ms=50)
    factory = RequestFactory()
    with ThreadPoolExecutor(4) as pool:
        busy = [pool.submit(middleware, factory.post("/api/v1/evidence")) for _ in range(2)]
        _wait_until(lambda: app.inside == 2)
        started = time.monotonic()
        refused = middleware(factory.post("/api/v1/evidence"))
        waited = time.monotonic() - started
        app.release.set()
        assert [f.result().status_code for f in busy] == [200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"
    assert refused["Cache-Control"] == "no-store"
    assert json.loads(refused.content)["detail"].startswith("The server is busy")
    assert app.calls == 2  # the refused request never reached the application
    assert 0.04 <= waited < 1.0  # it waited for a slot, but only as long as allowed
    assert middleware.gate is not None
    assert middleware.gate.refused == 1


def test_a_request_waiting_for_a_slot_is_served_when_one_frees_in_time() -> None:
    app = Held()
    middleware = _middleware(app, slots=1, wait_ms=2000)
    factory = RequestFactory()
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(middleware, factory.get("/sections/1/"))
        _wait_until(lambda: app.inside == 1)
        second = pool.submit(middleware, factory.get("/sections/1/"))
        time.sleep(0.05)
        assert app.calls == 1  # the second waits outside the application
        app.release.set()
        assert first.result().status_code == 200
        assert second.result().status_code == 200
    assert app.calls == 2


def test_time_already_spent_waiting_for_a_thread_counts_against_the_bound() -> None:
    app = Held()
    middleware = _middleware(app, slots=1, wait_ms=5000)
    factory = RequestFactory()
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(middleware, factory.get("/"))
        _wait_until(lambda: app.inside == 1)
        shedding.note_waited(5.0)  # this request already queued 5 s for a thread
        try:
            started = time.monotonic()
            refused = middleware(factory.post("/api/v1/evidence"))
            assert time.monotonic() - started < 1.0
        finally:
            shedding.note_waited(0.0)
        app.release.set()
        assert held.result().status_code == 200
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"


def test_a_free_slot_serves_even_a_request_that_queued_long() -> None:
    app = Held()
    app.release.set()
    middleware = _middleware(app, slots=1, wait_ms=10)
    shedding.note_waited(3.0)
    try:
        assert middleware(RequestFactory().get("/")).status_code == 200
    finally:
        shedding.note_waited(0.0)


def test_a_failing_request_gives_its_slot_back() -> None:
    def broken(request: HttpRequest) -> HttpResponse:
        raise RuntimeError("boom")

    with override_settings(MAX_IN_FLIGHT=1, QUEUE_WAIT_SECONDS=0.01):
        middleware = LoadSheddingMiddleware(broken)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            middleware(RequestFactory().get("/"))
    assert middleware.gate is not None
    assert middleware.gate.refused == 0


def test_zero_slots_turns_shedding_off_and_static_files_are_never_held() -> None:
    app = Held()
    app.release.set()
    assert _middleware(app, slots=0, wait_ms=0).gate is None
    middleware = _middleware(app, slots=1, wait_ms=0)
    assert middleware.gate is not None
    assert middleware.gate.enter()  # every slot taken
    try:
        assert middleware(RequestFactory().get("/static/web/app.css")).status_code == 200
        assert middleware(RequestFactory().get("/")).status_code == 429
    finally:
        middleware.gate.leave()


def test_gate_counts_slots_across_threads() -> None:
    gate = Gate(3, wait_seconds=0.0)
    assert [gate.enter() for _ in range(4)] == [True, True, True, False]
    gate.leave()
    assert gate.enter()
    assert gate.refused == 1


def test_the_worker_tells_shedding_how_long_a_connection_waited_for_a_thread(
    monkeypatch,
) -> None:
    """config/worker.py stamps a connection when it is queued and, when a thread takes it,
    hands the wait to the middleware; afterwards the thread's note is cleared."""
    seen: list[float] = []
    monkeypatch.setattr(ThreadWorker, "enqueue_req", lambda self, conn: None)
    monkeypatch.setattr(ThreadWorker, "handle", lambda self, conn: seen.append(shedding.waited()))
    server = object.__new__(worker.Worker)
    conn = SimpleNamespace()
    server.enqueue_req(conn)
    time.sleep(0.05)
    server.handle(conn)
    assert 0.04 <= seen[0] < 2.0
    assert shedding.waited() == 0.0
    server.handle(SimpleNamespace())  # a connection the worker did not queue: no wait known
    assert seen[1] == 0.0


def test_slots_are_chosen_by_database_unless_set(monkeypatch) -> None:
    from pathways.config import env

    monkeypatch.delenv("PATHWAYS_MAX_IN_FLIGHT", raising=False)
    monkeypatch.setenv("DATABASE_URL", "")
    assert env.number("PATHWAYS_MAX_IN_FLIGHT") == 1
    monkeypatch.setenv("DATABASE_URL", "postgres://pathways@db/pathways")
    assert env.number("PATHWAYS_MAX_IN_FLIGHT") == 2
    monkeypatch.setenv("PATHWAYS_MAX_IN_FLIGHT", " 3 ")
    assert env.number("PATHWAYS_MAX_IN_FLIGHT") == 3
    monkeypatch.setenv("PATHWAYS_MAX_IN_FLIGHT", "0")
    assert env.number("PATHWAYS_MAX_IN_FLIGHT") == 0
    monkeypatch.setenv("PATHWAYS_MAX_IN_FLIGHT", "many")
    with pytest.raises(ValueError, match="PATHWAYS_MAX_IN_FLIGHT: expected an integer"):
        env.number("PATHWAYS_MAX_IN_FLIGHT")


def test_pages_and_reads_wait_longer_than_api_writes_before_a_429() -> None:
    app = Held()
    middleware = _middleware(app, slots=1, wait_ms=40)
    factory = RequestFactory()
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(middleware, factory.post("/api/v1/evidence"))
        _wait_until(lambda: app.inside == 1)
        timings = {}
        for name, request in {
            "api write": factory.post("/api/v1/evidence"),
            "api read": factory.get("/api/v1/sections/1/heatmap"),
            "page": factory.get("/sections/1/"),
        }.items():
            started = time.monotonic()
            refused = middleware(request)
            timings[name] = time.monotonic() - started
            assert refused.status_code == 429
        assert refused["Content-Type"].startswith("text/plain")  # a page gets a short page
        app.release.set()
        assert held.result().status_code == 200
    assert 0.03 <= timings["api write"] < 0.15
    assert timings["api read"] >= 0.15  # 4 x 40 ms
    assert timings["page"] >= 0.15
