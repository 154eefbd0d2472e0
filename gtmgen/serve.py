"""`gtmgen serve`: the playbooks' documents on a local web server, rebuilt in this process as
their files change, and every open page reloaded by itself.

The server shows what `gtmgen build` writes, from the same output folders: an index of the
playbooks (html/index.html.j2) and each output file. Pages get a small script (html/serve.html.j2)
that listens for changes (server-sent events) and reloads; when a playbook is invalid its last
good outputs stay, and its pages show the problems over them, each at FILE:LINE:COL.

Only files inside the output root are served: a path with `..`, a link that leads out of it, or
a folder (other than the root's index) is 404.
"""

from __future__ import annotations

import mimetypes
import threading
import time
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gtmgen.batch import Job, Outcome
    from gtmgen.build import Options

DEFAULT_PORT = 8765
EVENTS = "/_gtmgen/events"
SNIPPET_TEMPLATE = "html/serve.html.j2"
KEEPALIVE_SECONDS = 15.0
# Editors save in bursts (a temporary file, a rename, a touch): changes this close together are
# one rebuild.
DEBOUNCE_MS = 40
TYPES = {".md": "text/markdown; charset=utf-8", ".csv": "text/csv; charset=utf-8",
         ".ics": "text/calendar; charset=utf-8", ".json": "application/json",
         ".html": "text/html; charset=utf-8",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         ".pdf": "application/pdf"}


@dataclass
class Problems:
    """Why a playbook's outputs are not current: located diagnostics, or a failure's words."""

    lines: list[str]
    invalid: bool  # True: the playbook has errors; False: the build failed


@dataclass
class Site:
    """The served playbooks: their jobs (batch.Job: playbook and output folder), the options
    they are built with, the folder served (`root`), and what the last build of each said."""

    jobs: list[Job]
    options: Options
    root: Path
    base: Path
    templates: Path | None = None
    version: int = 0
    seconds: float = 0.0  # how long the last build took
    problems: dict[Path, Problems] = field(default_factory=dict)  # by output folder
    fresh: dict[Path, bytes] = field(default_factory=dict)  # pages rendered, not yet written
    shown: set[Path] = field(default_factory=set)  # output folders whose fresh pages were told
    changed: threading.Condition = field(default_factory=threading.Condition)

    def build(self, jobs: Iterable[Job]) -> list[Outcome]:
        """Build `jobs` here, in this process (whose imports, templates and charts stay warm),
        unless their inputs are those of their last build; note their problems, and tell every
        open page when something changed."""
        from gtmgen.batch import FAILED, INVALID, UNCHANGED, build_job
        from gtmgen.diagnostics import format_text

        started = time.perf_counter()
        outcomes = [build_job(job, self.options, early=self._shown_early(job)) for job in jobs]
        self.seconds = time.perf_counter() - started
        with self.changed:
            shown, self.shown = self.shown, set()  # the playbooks whose pages reloaded already
            self.fresh.clear()  # written now
            before = dict(self.problems)
            for outcome in outcomes:
                out = outcome.job.out.resolve()
                if outcome.status == INVALID:
                    self.problems[out] = Problems(
                        format_text([d for d in outcome.diagnostics
                                     if str(d.severity) == "error"]).splitlines(), True)
                elif outcome.status == FAILED:
                    self.problems[out] = Problems([outcome.message], False)
                else:
                    self.problems.pop(out, None)
            # A save that changed nothing the outputs depend on (an editor's backup file, the
            # same bytes again) leaves the pages as they are.
            if self.problems != before or any(
                    o.status != UNCHANGED and o.job.out.resolve() not in shown
                    for o in outcomes):
                self.version += 1
                self.changed.notify_all()
        return outcomes

    def _shown_early(self, job: Job) -> Any:
        """What a build calls with its HTML pages, before it renders the other formats and
        writes: the pages are served from memory and the open ones reload at once."""
        def early(pages: dict[str, bytes]) -> None:
            out = job.out.resolve()
            with self.changed:
                self.fresh.update({out / name: data for name, data in pages.items()})
                self.shown.add(out)
                self.problems.pop(out, None)
                self.version += 1
                self.changed.notify_all()

        return early

    def wait(self, seen: int, timeout: float) -> int:
        """The version after `seen`, or `seen` again when nothing changed within `timeout`."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen, timeout)
            return self.version

    def affected(self, paths: Iterable[Path]) -> list[Job]:
        """The jobs a change to `paths` concerns: a file in a playbook's folder (outside every
        output folder) or one its last build read; every job when one has never built."""
        from gtmgen.manifest import read_manifest

        outs = [job.out.resolve() for job in self.jobs]
        changed = [path.resolve() for path in paths]
        changed = [path for path in changed if not any(path.is_relative_to(out) for out in outs)]
        jobs = []
        for job in self.jobs:
            manifest = read_manifest(job.out)
            read = [Path(name) for name in manifest.inputs] if manifest else []
            folder = job.playbook.resolve().parent
            if manifest is None and changed or any(
                    path.is_relative_to(folder) or any(path.is_relative_to(source)
                                                       for source in read)
                    for path in changed):
                jobs.append(job)
        return jobs

    def watched(self) -> list[Path]:
        """The folders to watch: each playbook's, and those of files its builds read
        elsewhere (an included file, the repository's templates or theme)."""
        from gtmgen.manifest import read_manifest

        folders = {job.playbook.resolve().parent for job in self.jobs}
        for job in self.jobs:
            manifest = read_manifest(job.out)
            for name in manifest.inputs if manifest else ():
                path = Path(name)
                folder = path if path.is_dir() else path.parent
                if folder.is_dir() and not any(folder.is_relative_to(f) for f in folders):
                    folders.add(folder)
        if self.templates is not None:
            folders.add(self.templates.resolve())
        return sorted(folders)

    def file(self, url_path: str) -> Path | None:
        """The file a request names, when it is a regular file inside the served root."""
        path = urllib.parse.unquote(url_path)
        parts = PurePosixPath(path).parts
        if "\0" in path or "\\" in path or ".." in parts or not parts or parts[0] != "/":
            return None
        root = self.root.resolve()
        target = (root.joinpath(*parts[1:])).resolve()
        if not target.is_relative_to(root) or not (target.is_file() or target in self.fresh):
            return None
        return target

    def read(self, target: Path) -> bytes:
        """A served file's bytes: the page a rebuild has just rendered, else the file's."""
        with self.changed:
            fresh = self.fresh.get(target)
        return fresh if fresh is not None else target.read_bytes()

    def problems_of(self, target: Path | None) -> list[tuple[Path, Problems]]:
        """The problems a page shows: its own playbook's, or every one's on the index."""
        with self.changed:
            found = sorted(self.problems.items())
        if target is None:
            return found
        return [(out, problems) for out, problems in found if target.is_relative_to(out)]

    def locale_of(self, target: Path | None) -> str:
        """The language of a page's labels: its playbook's last build's (or the first
        playbook's on the index), else English."""
        from gtmgen.manifest import read_manifest

        for job in self.jobs:
            if target is None or target.is_relative_to(job.out.resolve()):
                manifest = read_manifest(job.out)
                if manifest is not None and manifest.about.get("locale"):
                    return str(manifest.about["locale"])
        return "en"

    def snippet(self, target: Path | None) -> bytes:
        """What a served page gets before its </body>: the script that reloads it, and the
        problems over it."""
        from gtmgen.render.formats import Formats
        from gtmgen.render.templates import environment, render_template

        env = environment(self.templates, Formats(self.locale_of(target), "EUR"))
        problems = [{"file": self.file_of(out), "invalid": p.invalid, "lines": p.lines}
                    for out, p in self.problems_of(target)]
        return render_template(env, SNIPPET_TEMPLATE, {
            "events": EVENTS, "version": self.version, "problems": problems},
            tidy=False).encode("utf-8")

    def file_of(self, out: Path) -> str:
        return next((job.file for job in self.jobs if job.out.resolve() == out), str(out))

    def index(self) -> bytes:
        """The index page: every playbook built under the root, with its documents."""
        from gtmgen.batch import FAILED, INVALID
        from gtmgen.render.index import index_entries, render_index

        statuses = {out: (INVALID if p.invalid else FAILED) for out, p in self.problems_of(None)}
        return render_index(index_entries(self.root, self.base, statuses),
                            self.locale_of(None), self.templates)


def with_snippet(page: bytes, snippet: bytes) -> bytes:
    """The page with `snippet` before its last </body> (at its end when it has none)."""
    at = page.rfind(b"</body>")
    return page + snippet if at < 0 else page[:at] + snippet + page[at:]


class Handler(BaseHTTPRequestHandler):
    """GET only: the index, the files of the root, and the change events."""

    site: Site  # set on the subclass made for a server
    server_version = "gtmgen"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        path = urllib.parse.urlsplit(self.path)
        if path.path == EVENTS:
            self._events(urllib.parse.parse_qs(path.query).get("since", ["-1"])[0])
            return
        if path.path in ("/", "/index.html"):
            self._send(with_snippet(self.site.index(), self.site.snippet(None)), TYPES[".html"])
            return
        target = self.site.file(path.path)
        if target is None:
            self._send(b"Not found\n", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)
            return
        data = self.site.read(target)
        kind = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] \
            or "application/octet-stream"
        if target.suffix == ".html":
            data = with_snippet(data, self.site.snippet(target))
        self._send(data, kind)

    def do_HEAD(self) -> None:  # noqa: N802
        self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)

    def _send(self, data: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(data)

    def _events(self, since: str) -> None:
        """Server-sent events: `change` whenever a rebuild ends (at once when the page is
        older than the last one), a comment now and then to keep the line open."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = int(since) if since.isdigit() else self.site.version
        try:
            while True:
                version = self.site.wait(seen, KEEPALIVE_SECONDS)
                message = f"event: change\ndata: {version}\n\n" if version != seen else ": \n\n"
                self.wfile.write(message.encode("ascii"))
                self.wfile.flush()
                seen = version
        except OSError:  # the page went away
            return

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        return  # requests are not worth a line each


def bind(host: str, port: int, chosen: bool, site: Site) -> ThreadingHTTPServer:
    """The server on `host`:`port`; when the port was not chosen by the user and is taken,
    on a free one."""
    import errno

    from gtmgen.errors import UsageError

    handler = type("SiteHandler", (Handler,), {"site": site})
    ThreadingHTTPServer.daemon_threads = True
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError as problem:
        if problem.errno == errno.EADDRINUSE and not chosen:
            return ThreadingHTTPServer((host, 0), handler)
        words = ("is taken" if problem.errno == errno.EADDRINUSE
                 else f"cannot be used ({problem.strerror})")
        raise UsageError(f"{host}:{port} {words}; choose another with --port") from None


def watch(site: Site, stop: threading.Event, report: Any) -> None:
    """Rebuild the playbooks a change concerns, until `stop` is set. `report` is called with
    each rebuild's outcomes."""
    from watchfiles import watch as changes

    for found in changes(*site.watched(), stop_event=stop, debounce=DEBOUNCE_MS, step=10,
                         raise_interrupt=False, recursive=True):
        jobs = site.affected(Path(path) for _change, path in found)
        if jobs:
            report(site.build(jobs), site.seconds)


def need_watchfiles() -> None:
    """A plain-words usage error when the serve extra is not installed."""
    from gtmgen.errors import UsageError

    try:
        import watchfiles  # noqa: F401
    except ImportError:
        raise UsageError("gtmgen serve needs the serve extra: pip install 'gtmgen[serve]'"
                         ) from None


def serve(site: Site, host: str, port: int, chosen: bool, say: Any,
          ready: threading.Event | None = None) -> None:
    """Build every playbook, then serve them and rebuild on change until interrupted."""
    need_watchfiles()
    say_outcomes(site.build(site.jobs), say, site.seconds)
    server = bind(host, port, chosen, site)
    address = server.server_address
    say(f"serving {len(site.jobs)} playbook{'s' if len(site.jobs) != 1 else ''} at "
        f"http://{_shown_host(str(address[0]))}:{address[1]}/ (Ctrl-C stops)")
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(site, stop, lambda o, s: say_outcomes(o, say, s)),
                               daemon=True, name="gtmgen-watch")
    watcher.start()
    if ready is not None:
        ready.set()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()


def _shown_host(host: str) -> str:
    return "localhost" if host in ("127.0.0.1", "::1") else host


def say_outcomes(outcomes: Sequence[Outcome], say: Any, seconds: float) -> None:
    """A line per rebuilt playbook: built (files written, and the time the build of all took),
    invalid or failed (with why)."""
    from gtmgen.batch import BUILT, UNCHANGED

    for outcome in outcomes:
        if outcome.status == BUILT:
            say(f"{outcome.job.file}: rebuilt in {seconds:.2f} s, {len(outcome.written)} file"
                f"{'s' if len(outcome.written) != 1 else ''} changed")
        elif outcome.status != UNCHANGED:  # the summary names the file; a failure does not
            say(f"{outcome.summary or f'{outcome.job.file}: {outcome.message}'}; its pages "
                "keep the last good build")
