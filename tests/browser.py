"""The system's Chromium for the tests that look at pages in a real browser (Playwright drives
it; it never downloads a browser of its own). Each such test skips, saying why, without it."""

from __future__ import annotations

import shutil

import pytest

# Chromium as a sandboxed machine with a closed network needs it.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    """The path of the system's Chromium, or a skip with how to install it."""
    found = next((path for name in ("chromium", "chromium-browser")
                  if (path := shutil.which(name))), None)
    if found is None:
        pytest.skip("Chromium is not installed (Debian: apt install chromium)")
    return found
