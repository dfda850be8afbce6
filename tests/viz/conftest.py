"""Fixtures for the ecokg.viz tests: headless Chromium via the playwright package.

Chromium is the Debian one (``scripts/install-chromium``); playwright never downloads a
browser. Without Chromium the browser tests skip locally but FAIL when ``CI == "true"``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# The helper modules (viz_graphs, viz_pages) live beside this file; make them importable
# under any pytest import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_fixture import RECORD_DIALOGS_JS  # the `browser` fixture is the plugin's (tests/conftest.py)

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "views"
VIEWPORT = {"width": 1280, "height": 800}
READY_TIMEOUT_MS = 120_000

#: Test-only: an uncaught error marks the page so ``wait_ready`` fails fast.
FAIL_FAST_JS = """
window.addEventListener("error", () => {
  if (document.body) { document.body.dataset.ready = "error"; }
});
"""


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@dataclass
class PageWatch:
    """A page plus everything suspicious it did."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    network_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.console_errors == [], self.console_errors
        assert self.page_errors == [], self.page_errors
        assert self.failed_requests == [], self.failed_requests
        assert self.network_requests == [], self.network_requests
        assert self.dialogs == [], self.dialogs
        assert self.dialog_calls() == []

    def dialog_calls(self) -> list[Any]:
        return self.page.evaluate("window.__ecokgDialogCalls || []")

    def wait_ready(self) -> None:
        """Wait for the page's ready flag (or the error flag set by ``FAIL_FAST_JS``).

        A selector wait, not ``wait_for_function``: the page's CSP forbids eval, which
        playwright's polling predicate would need.
        """
        self.page.wait_for_selector("body[data-ready]", state="attached", timeout=READY_TIMEOUT_MS)
        state = self.page.get_attribute("body", "data-ready")
        assert state == "1", f"page failed before ready: {self.page_errors or self.console_errors}"

    def node_count(self) -> int:
        return int(self.page.evaluate("window.ecokgNodes.length"))


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """``open_page(path, offline=False) -> PageWatch``: load a written view page.

    All non-``file:`` requests are aborted (and recorded), so any attempt to reach the
    network shows up as a test failure rather than a hang.
    """
    contexts: list[Any] = []

    def _open(path: Path, offline: bool = False) -> PageWatch:
        context = browser.new_context(viewport=VIEWPORT, offline=offline)
        contexts.append(context)
        context.add_init_script(RECORD_DIALOGS_JS)
        context.add_init_script(FAIL_FAST_JS)
        page = context.new_page()
        watch = PageWatch(page)

        def route(r: Any) -> None:
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                watch.network_requests.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: watch.console_errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: watch.page_errors.append(str(e)))
        page.on("requestfailed", lambda r: watch.failed_requests.append(r.url))

        def on_dialog(d: Any) -> None:
            watch.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)
        page.goto(Path(path).resolve().as_uri())
        watch.wait_ready()
        return watch

    yield _open
    for context in contexts:
        context.close()
