"""Pictures drawn before, kept in the user's cache folder and found again by what they show.

A chart is drawn from a `ChartInput` (charts.py) and from nothing else: its data, title,
legend words, locale and theme. The picture is kept under a digest of that input, the kind
(PNG or SVG), the resolution and the drawing's own versions (matplotlib, gtmgen's charts). A
build whose chart did not change (a text edit, a sibling playbook with the same roles) then
reads the picture instead of drawing it again, and gets the same bytes. The cache never fails
a build: a folder that cannot be made or written is not used.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path

from gtmgen.safeio import read_regular

GENERATION = 1  # raise to leave every kept picture behind
KEEP = 2000  # pictures kept; the oldest go first
# What a kept picture must start with to be used (a damaged one is drawn again).
SIGNATURES = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<?xml"}
# After the picture's bytes, a kept file holds this and their SHA-256: a file cut short or
# changed is drawn again, never put into a document.
SEAL = b"\0gtmgen-picture-sha256\0"
MAX_PICTURE_BYTES = 64 * 1024 * 1024


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


@functools.cache
def _drawing_version() -> str:
    """matplotlib's version and the source of the code that draws (charts, org chart)."""
    from importlib import metadata

    here = Path(__file__).parent
    total = hashlib.sha256(metadata.version("matplotlib").encode())
    for name in ("charts.py", "orgchart.py", "orglayout.py", "scenariochart.py", "reviewchart.py"):
        total.update((here / name).read_bytes())
    return total.hexdigest()


def drawing_key(what: str, kind: str, dpi: int) -> str:
    """The key of a picture: the full description of what it shows (`what`), its kind and
    resolution, and the drawing's version."""
    total = hashlib.sha256(what.encode("utf-8", "surrogatepass"))
    total.update(f"\0{kind}\0{dpi}\0{_drawing_version()}\0{GENERATION}".encode())
    return total.hexdigest()


def kept(key: str, kind: str) -> bytes | None:
    """The picture of `kind` (png or svg) kept under `key`, or None."""
    folder = cache_folder(f"pictures-{GENERATION}")
    if folder is None:
        return None
    # Not waited on when a FIFO, never read without end (a link to /dev/zero), nor past 64 MiB.
    raw = read_regular(folder / f"{key}.{kind}", MAX_PICTURE_BYTES)
    size = len(SEAL) + hashlib.sha256().digest_size
    if raw is None or len(raw) < size or raw[-size:-size + len(SEAL)] != SEAL:
        return None
    data = raw[:-size]
    if hashlib.sha256(data).digest() != raw[-size + len(SEAL):]:
        return None
    return data if data.startswith(SIGNATURES[kind]) else None


def keep(key: str, kind: str, data: bytes) -> None:
    """Keep a picture under `key` (written aside, then renamed: a reader never sees half)."""
    folder = cache_folder(f"pictures-{GENERATION}")
    if folder is None:
        return
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".", suffix=f".{kind}")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data + SEAL + hashlib.sha256(data).digest())
        os.replace(temp, folder / f"{key}.{kind}")
        _prune(folder)
    except OSError:
        pass


def _prune(folder: Path) -> None:
    entries = [entry for entry in os.scandir(folder) if not entry.name.startswith(".")]
    if len(entries) <= KEEP:
        return
    entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
    for entry in entries[: len(entries) - KEEP]:
        try:
            os.unlink(entry.path)
        except OSError:
            pass
