"""A real server and a real browser: `pathways migrate`, `demo load`, `serve`, and Chromium.

The server runs exactly as `make demo` runs it (gunicorn, DEBUG off, SQLite in a temporary
folder). Chromium is Debian's /usr/bin/chromium driven by Playwright; nothing is downloaded.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Assertions on what htmx swaps in retry until it lands. They wait as long as any locator does
# (30 s), not Playwright's 5 s default: CI shares 2 cores and a schedule rebuild alone takes 5 s.
expect.set_options(timeout=30_000)

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "pathways-demo"

pytestmark = pytest.mark.xdist_group("browser")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pathways(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "pathways.cli.main", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var_dir = tmp_path_factory.mktemp("pathways-var")
    env = {
        **os.environ,
        "PATHWAYS_VAR_DIR": str(var_dir),
        "DATABASE_URL": "",
        "PATHWAYS_SECRET_KEY": secrets.token_urlsafe(40),
        "PATHWAYS_DEBUG": "false",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _pathways("migrate", env=env)
    _pathways("demo", "load", env=env)
    with _serve(env) as port:
        yield f"http://127.0.0.1:{port}"


@contextmanager
def _serve(env: dict[str, str]) -> Iterator[int]:
    """`pathways serve` (gunicorn, 2 workers) on a free loopback port until the block ends."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "pathways.cli.main", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("pathways serve did not start within 30 s")
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run `make system-deps` (apt install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server: str):
    """A fresh browser context (no cookies) with console errors collected in ``page.errors``."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on(
        "console",
        lambda message: page.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def follow(page, target) -> None:
    """Click a link, or a button that posts a whole form, and wait until the next page has loaded.

    A click returns as soon as the navigation starts. Reading the page then reads a document
    that is still empty, or the previous one: on CI's busy cores that counted 0 heatmap rows.
    (What htmx swaps into the same page is asserted with ``expect``, which retries instead.)
    """
    with page.expect_navigation():
        target.click()


def sign_in(page, username: str) -> None:
    page.goto("/signin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Sign in"))


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
