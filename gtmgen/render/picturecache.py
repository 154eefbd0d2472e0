"""Pictures drawn before, kept in the user's cache folder and found again by what they show.

A chart's SVG describes every mark of it (text as outlines, colours, sizes), and the 300-dpi
PNG is a fixed function of the same figure; so the PNG is kept under a digest of the SVG, the
resolution and matplotlib's version. A build whose chart did not change (a text edit, a
sibling playbook with the same roles) then copies the PNG instead of drawing it again. The
cache never fails a build: a folder that cannot be made or written is not used.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

GENERATION = 1  # raise to leave every kept picture behind
KEEP = 2000  # pictures kept; the oldest go first
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def cache_folder(name: str) -> Path | None:
    """`gtmgen/<name>` in the user's cache folder (XDG_CACHE_HOME, else ~/.cache), made if
    needed; None where it cannot be."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "gtmgen" / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def png_key(svg: bytes, dpi: int) -> str:
    """The key of the PNG of the figure whose SVG is `svg`, at `dpi`."""
    from importlib import metadata

    total = hashlib.sha256(svg)
    total.update(f"\0{dpi}\0{metadata.version('matplotlib')}\0{GENERATION}".encode())
    return total.hexdigest()


def kept(key: str) -> bytes | None:
    """The PNG kept under `key`, or None."""
    folder = cache_folder(f"pictures-{GENERATION}")
    if folder is None:
        return None
    try:
        data = (folder / f"{key}.png").read_bytes()
    except OSError:
        return None
    return data if data.startswith(PNG_SIGNATURE) else None


def keep(key: str, data: bytes) -> None:
    """Keep a PNG under `key` (written aside, then renamed: a reader never sees half)."""
    folder = cache_folder(f"pictures-{GENERATION}")
    if folder is None:
        return
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".png")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, folder / f"{key}.png")
        _prune(folder)
    except OSError:
        pass


def _prune(folder: Path) -> None:
    entries = [entry for entry in os.scandir(folder) if entry.name.endswith(".png")]
    if len(entries) <= KEEP:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in entries[: len(entries) - KEEP]:
        try:
            os.unlink(entry.path)
        except OSError:
            pass
