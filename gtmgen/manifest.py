"""The manifest of a build: what went into an output folder, so an unchanged playbook is not
built again.

Each output folder holds `.gtmgen-manifest.json`: a digest of every input the build read (the
playbook, its included files, the theme and logo, the user's templates, the Word and
PowerPoint templates, and files whose absence mattered, such as a theme.yaml that was not
there), the build's options, and gtmgen's own make-up (version, code, shipped templates and
the libraries that shape the bytes). A later build whose digests all match, and whose outputs
are all still there and untouched since, has nothing to do. This module is light on purpose:
checking a hundred manifests must not import the renderers.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gtmgen.safeio import open_regular, read_regular

MANIFEST = ".gtmgen-manifest.json"
FORMAT = 1
# Distributions whose versions shape the bytes of an output.
SHAPING = ("babel", "holidays", "jinja2", "lxml", "markdown-it-py", "matplotlib", "pillow",
           "pydantic", "python-docx", "python-pptx", "pyyaml", "weasyprint")


# An input a build cannot have read whole (a FIFO, a device, a file or folder past the limits
# below): its digest never matches, so the playbook is built again, and building says why.
UNREADABLE = "unreadable"
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_INPUT_BYTES = 512 * 1024 * 1024  # in one file, and in one folder's files together
MAX_FOLDER_FILES = 10_000


class _TooLarge(Exception):
    """A folder past MAX_FOLDER_FILES or MAX_INPUT_BYTES."""


def digest_file(path: Path) -> str | None:
    """SHA-256 of a file's bytes; of a folder's names and files, in order; None when absent;
    UNREADABLE for anything that is neither a regular file nor a folder of bounded size."""
    try:
        if path.is_dir():
            return _digest_tree(path)
        return _digest_regular(path, [MAX_INPUT_BYTES])
    except _TooLarge:
        return UNREADABLE
    except OSError as problem:
        return None if problem.errno in (errno.ENOENT, errno.ENOTDIR) else UNREADABLE
    except ValueError:
        return None


def _digest_regular(path: Path, budget: list[int]) -> str:
    """SHA-256 of a regular file, opened without waiting (a FIFO or a device is OSError);
    _TooLarge when it holds more than the bytes left in `budget`."""
    total = hashlib.sha256()
    with os.fdopen(open_regular(path), "rb") as stream:
        while chunk := stream.read(1024 * 1024):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise _TooLarge
            total.update(chunk)
    return total.hexdigest()


def _digest_tree(folder: Path) -> str:
    total = hashlib.sha256()
    budget, count = [MAX_INPUT_BYTES], 0
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            count += 1
            if count > MAX_FOLDER_FILES:
                raise _TooLarge
            path = Path(root, name)
            try:
                digest = _digest_regular(path, budget)
            except OSError as problem:
                digest = "-" if problem.errno in (errno.ENOENT, errno.ENOTDIR) else UNREADABLE
            total.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape"))
            total.update(b"\0")
            total.update(digest.encode("ascii"))
            total.update(b"\n")
    return total.hexdigest()


@functools.cache
def environment() -> str:
    """One digest of gtmgen's make-up in this process: version, code, shipped templates, Python
    and the libraries that shape the outputs (so an upgrade rebuilds everything)."""
    from importlib import metadata

    from gtmgen import __version__
    from gtmgen.shipped import shipped_templates

    total = hashlib.sha256(f"{__version__}\n{sys.version}\n".encode())
    for name in SHAPING:
        try:
            total.update(f"{name}=={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            total.update(f"{name} absent\n".encode())
    total.update(_digest_tree(Path(__file__).parent).encode())
    total.update(_digest_tree(shipped_templates()).encode())
    return total.hexdigest()


def options_digest(options: Mapping[str, Any]) -> str:
    """A digest of the options a build ran with (values as JSON, keys sorted)."""
    text = json.dumps(options, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Manifest:
    """What one build of one playbook read and made, and what the index shows of it."""

    environment: str
    options: str
    inputs: dict[str, str | None]  # absolute path → digest, None: the file was not there
    outputs: tuple[str, ...]  # names inside the output folder
    about: dict[str, Any] = field(default_factory=dict)  # client, product, locale, documents

    def to_bytes(self) -> bytes:
        """The manifest file's content: stable JSON."""
        data = {"manifest": FORMAT, "environment": self.environment, "options": self.options,
                "inputs": dict(sorted(self.inputs.items())), "outputs": sorted(self.outputs),
                "about": self.about}
        return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def digests(inputs: Iterable[Path]) -> dict[str, str | None]:
    """Each input by its resolved path, with its digest (None: not there)."""
    return {str(path.resolve()): digest_file(path) for path in inputs}


def record(inputs: Mapping[str, str | None], options: str, outputs: Iterable[str],
           about: Mapping[str, Any]) -> Manifest:
    """The manifest of a build that read `inputs` (digests() of them, taken before the build
    rendered; None for those it relied on staying away), ran with `options` (a digest) and
    made `outputs`."""
    return Manifest(environment(), options, dict(inputs), tuple(outputs), dict(about))


def read_manifest(out: Path) -> Manifest | None:
    """The manifest in an output folder, or None when there is none, it cannot be read (a
    FIFO, a link to a device, past 16 MiB, not JSON) or it is not of the manifest's shape."""
    raw = read_regular(out / MANIFEST, MAX_MANIFEST_BYTES)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("manifest") != FORMAT:
        return None
    environment_, options, inputs = data.get("environment"), data.get("options"), \
        data.get("inputs")
    outputs, about = data.get("outputs"), data.get("about") or {}
    if not (isinstance(environment_, str) and isinstance(options, str)
            and isinstance(inputs, dict) and isinstance(outputs, list)
            and isinstance(about, dict)
            and all(isinstance(v, str | None) for v in inputs.values())
            and all(isinstance(name, str) for name in outputs)
            and all(isinstance(v, str) for v in about.values())):
        return None
    return Manifest(environment_, options, inputs, tuple(outputs), about)


def current(out: Path, options: str) -> Manifest | None:
    """The manifest of `out` when building again would make the same outputs: same gtmgen,
    same options, every input as it was, every output there and not touched since."""
    found = read_manifest(out)
    if found is None or found.options != options or found.environment != environment():
        return None
    for path, digest in found.inputs.items():
        if digest == UNREADABLE or digest_file(Path(path)) != digest:
            return None
    try:
        written = (out / MANIFEST).stat().st_mtime_ns
        for name in found.outputs:
            info = (out / name).stat()
            if info.st_mtime_ns > written:
                return None
    except OSError:
        return None
    return found


def touch(out: Path) -> None:
    """Mark the manifest as written after every output (an output restored by this build
    would otherwise look newer than a manifest whose bytes did not change)."""
    try:
        os.utime(out / MANIFEST)
    except OSError:
        pass
