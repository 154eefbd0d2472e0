"""The index page of a repository's build: every playbook in the output root, linked."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from gtmgen.manifest import MANIFEST, read_manifest

INDEX = "index.html"
INDEX_TEMPLATE = "html/index.html.j2"
DOCUMENT_ORDER = ("playbook", "launch-calendar", "roles", "hiring-plan")
KIND_ORDER = ("html", "pdf", "docx", "pptx", "md", "csv", "ics", "json")
LOCALE_FILE = re.compile(r"[a-z]{2,3}/[^/]+")


def index_entries(root: Path, base: Path,
                  statuses: Mapping[Path, str]) -> list[dict[str, Any]]:
    """Every output folder under `root` with a manifest whose playbook is still there, with
    its documents' links relative to `root` and its playbook's path relative to `base`;
    `statuses` marks this run's invalid or failed playbooks by output folder (resolved)."""
    entries = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if MANIFEST not in files:
            continue
        here = Path(folder)
        manifest = read_manifest(here)
        about = manifest.about if manifest else {}
        source = Path(str(about.get("playbook", "")))
        if manifest is None or not source.is_file():
            continue
        entries.append({
            "client": about.get("client", ""), "product": about.get("product", ""),
            "locale": about.get("locale", ""), "launch": about.get("launch", ""),
            "source": _relative(source, base), "status": statuses.get(here.resolve(), ""),
            "documents": _documents(here.relative_to(root), manifest.outputs)})
    return sorted(entries, key=lambda entry: (entry["client"], entry["source"]))


def _relative(path: Path, base: Path) -> str:
    return PurePosixPath(os.path.relpath(path, base.resolve())).as_posix()


def _documents(folder: Path, outputs: tuple[str, ...]) -> list[tuple[str, list[tuple[str, str]]]]:
    grouped: dict[str, list[tuple[str, str]]] = {}
    for name in outputs:
        stem, _, kind = name.rpartition(".")
        # Only our own files, and never a link with a scheme (javascript:); a playbook in
        # several languages has a folder per locale ("nl/playbook.html": the document
        # "nl/playbook").
        if ":" in name or not stem or kind not in KIND_ORDER \
                or not LOCALE_FILE.fullmatch(name) and "/" in name:
            continue
        grouped.setdefault(stem, []).append((kind, (PurePosixPath(*folder.parts) / name)
                                             .as_posix()))
    def place(stem: str) -> tuple[str, int, str]:
        locale, _, document = stem.rpartition("/")
        return (locale, DOCUMENT_ORDER.index(document) if document in DOCUMENT_ORDER
                else len(DOCUMENT_ORDER), document)

    return [(stem, sorted(grouped[stem], key=lambda link: (
        KIND_ORDER.index(link[0]) if link[0] in KIND_ORDER else len(KIND_ORDER), link[0])))
            for stem in sorted(grouped, key=place)]


def render_index(entries: list[dict[str, Any]], locale: str, templates: Path | None) -> bytes:
    """The index page in `locale`, from html/index.html.j2 (the user's templates first)."""
    from gtmgen.render.formats import Formats
    from gtmgen.render.templates import environment, render_template

    env = environment(templates, Formats(locale, "EUR"))
    return render_template(env, INDEX_TEMPLATE, {"playbooks": entries, "lang": locale},
                           tidy=False).encode("utf-8")
