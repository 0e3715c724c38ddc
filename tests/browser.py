"""Playwright on Debian's chromium: no browser download, no network beyond 127.0.0.1."""

from __future__ import annotations

import base64
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from playwright.sync_api import Browser, Page, Route, sync_playwright
from werkzeug.serving import make_server

from gis.cluster import free_port

CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# A 1×1 transparent PNG, answered for every basemap tile (recorded stand-in for Kartverket).
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


def chromium_path() -> str:
    """Debian's chromium; the suite fails (not skips) without it."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not shutil.which(path):
        raise RuntimeError("Debian's chromium is not installed (apt-get install chromium)")
    return path


@contextmanager
def launch() -> Iterator[Browser]:
    """A headless chromium."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def serve_blank_basemap(page: Page) -> None:
    """Answer Kartverket tile requests locally: the machine has no network."""

    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="image/png", body=BLANK_TILE)

    page.route("https://cache.kartverket.no/**", fulfil)


def block_basemap(page: Page) -> None:
    """Make every basemap tile fail, as offline."""
    page.route("https://cache.kartverket.no/**", lambda route: route.abort())


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """The app served over HTTP on 127.0.0.1 from a background thread; yields its base URL."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


SIDEWAYS_SCROLL = """() => ({
    document: document.documentElement.scrollWidth, body: document.body.scrollWidth,
    viewport: window.innerWidth,
    widest: Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                && !e.closest('.nk-table-scroll, .leaflet-container, .visually-hidden'))
        .slice(0, 3).map(e => e.tagName + '.' + e.className)})"""


def scrolls_sideways(page: Page) -> dict[str, object] | None:
    """The widths when the page is wider than its window (a phone user must scroll sideways)."""
    widths: dict[str, object] = page.evaluate(SIDEWAYS_SCROLL)
    widest = max(int(str(widths["document"])), int(str(widths["body"])))
    return widths if widest > int(str(widths["viewport"])) else None
