"""pytest plugin: the session fixture ``browser``, a headless Chromium (the Debian one, from
``scripts/install-chromium``) driven by the playwright package, which never downloads a browser.

Load it from conftest.py with ``pytest_plugins = ["browser_fixture"]``. Without Chromium (or the
playwright package) the tests that use it skip locally but FAIL when ``CI == "true"``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from needs import unavailable

CHROMIUM = os.environ.get("ECOKG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: Records calls to the dialog functions instead of opening dialogs (an XSS payload that ran
#: would call one): read them back with ``page.evaluate("window.__ecokgDialogCalls || []")``.
RECORD_DIALOGS_JS = """
(() => {
  window.__ecokgDialogCalls = [];
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const record = (...args) => { window.__ecokgDialogCalls.push([name, String(args[0])]); };
    Object.defineProperty(window, name, { value: record, writable: false, configurable: false });
  }
})();
"""


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium launched once per session."""
    chromium = shutil.which(CHROMIUM) or (CHROMIUM if os.access(CHROMIUM, os.X_OK) else None)
    if chromium is None:
        unavailable(f"no Chromium at {CHROMIUM} (run scripts/install-chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("python package 'playwright' is not installed (run scripts/install-chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()
