"""`gtmgen serve`: the playbooks' documents on a local web server, rebuilt in this process as
their files change, and every open page reloaded by itself.

The server shows what `gtmgen build` writes, from the same output folders: an index of the
playbooks (html/index.html.j2) and each output file. Pages get a small script (html/serve.html.j2)
that listens for changes (server-sent events) and reloads; when a playbook is invalid its last
good outputs stay, and its pages show the problems over them, each at FILE:LINE:COL.

Only files inside the output root are served: a path with `..`, a hidden name (the manifest, a
build's staging folder), a link that leads out of it, or a folder (other than the root's index)
is 404. On a loopback address, a request that names another site in its Host header (a page of
that site whose name was pointed at this computer: "DNS rebinding") is refused.
"""

from __future__ import annotations

import ipaddress
import mimetypes
import os
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
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
# A client that sends nothing (or reads nothing) for this long is let go: each one holds a thread.
IDLE_SECONDS = 60.0
# How often the watcher looks again at which folders it should watch (a folder deleted or made
# again, a file included from a new folder).
RECHECK_MS = 1000
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

    def __post_init__(self) -> None:
        # The server may outlive its working folder (the playbook's folder deleted and made
        # again): every path is made absolute once, at the start.
        self.jobs = [replace(job, playbook=job.playbook.absolute(), out=job.out.absolute(),
                             home=None if job.home is None else job.home.absolute())
                     for job in self.jobs]
        self.root, self.base = self.root.absolute(), self.base.absolute()
        if self.templates is not None:
            self.templates = self.templates.absolute()

    def build(self, jobs: Iterable[Job]) -> list[Outcome]:
        """Build `jobs` here, in this process (whose imports, templates and charts stay warm),
        unless their inputs are those of their last build; note their problems, and tell every
        open page when something changed. Returns the outcomes that changed what the pages
        show: a playbook built, its problems new or different, or gone."""
        from gtmgen.batch import BUILT, FAILED, INVALID, build_job
        from gtmgen.diagnostics import format_text

        started = time.perf_counter()
        outcomes = [build_job(job, self.options, early=self._shown_early(job)) for job in jobs]
        self.seconds = time.perf_counter() - started
        with self.changed:
            shown, self.shown = self.shown, set()  # the playbooks whose pages reloaded already
            self.fresh.clear()  # written now
            news = []
            for outcome in outcomes:
                out = outcome.job.out.resolve()
                before = self.problems.get(out)
                if outcome.status == INVALID:
                    self.problems[out] = Problems(
                        format_text([d for d in outcome.diagnostics
                                     if str(d.severity) == "error"]).splitlines(), True)
                elif outcome.status == FAILED:
                    self.problems[out] = Problems([outcome.message], False)
                else:
                    self.problems.pop(out, None)
                # A save that changed nothing the outputs depend on (an editor's backup file,
                # the same bytes again, the same mistake) leaves the pages as they are.
                if outcome.status == BUILT or self.problems.get(out) != before:
                    news.append(outcome)
            # Pages reloaded already with the fresh HTML are not reloaded again.
            if any(o.status != BUILT or o.job.out.resolve() not in shown for o in news):
                self.version += 1
                self.changed.notify_all()
        return news

    def current(self) -> int:
        """The version of the outputs: it grows by one whenever a rebuild changed a page."""
        with self.changed:
            return self.version

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
        """The jobs a change to `paths` (outside every output folder) concerns: a file its
        last good build read or looked for (its manifest's inputs, the only files that can
        make it build again); for a playbook with problems, any file in its folder too (the
        file that mends it may be new); every job when one has never been built."""
        from gtmgen.manifest import read_manifest

        # Watchfiles reports paths under the resolved folders it watches: plain strings and
        # their parents are compared, as pathlib would be slow for thousands of changes.
        outs = [str(job.out.resolve()) for job in self.jobs]
        changed = [str(path) for path in paths]
        changed = [path for path in changed if not _under(path, set(outs))]
        with self.changed:
            broken = {str(out) for out in self.problems}
        jobs = []
        for job, out in zip(self.jobs, outs, strict=True):
            manifest = read_manifest(job.out)
            if manifest is None:
                if changed:
                    jobs.append(job)
                continue
            sources = set(manifest.inputs)
            if out in broken:
                sources.add(str(job.playbook.resolve().parent))
            if any(_under(path, sources) for path in changed):
                jobs.append(job)
        return jobs

    def stale(self) -> list[Job]:
        """The good playbooks whose files are no longer those their last build read."""
        from gtmgen.batch import is_current

        with self.changed:
            broken = set(self.problems)
        return [job for job in self.jobs
                if job.out.resolve() not in broken and not is_current(job, self.options)]

    def watched(self) -> list[Path]:
        """The folders to watch that are there: each playbook's, and those of files its
        last build read elsewhere (an included file, the repository's templates or theme)."""
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
        return sorted(folder for folder in folders if folder.is_dir())

    def file(self, url_path: str) -> Path | None:
        """The file a request names, when it is a regular file inside the served root whose
        path has no hidden name (`..`, the manifest, a build's staging folder)."""
        path = urllib.parse.unquote(url_path)
        parts = PurePosixPath(path).parts
        if "\0" in path or "\\" in path or not parts or parts[0] != "/" or any(
                part.startswith(".") for part in parts[1:]):
            return None
        root = self.root.resolve()
        try:
            target = root.joinpath(*parts[1:]).resolve()
            if target.is_relative_to(root) and (target.is_file() or target in self.fresh):
                return target
        except (OSError, RuntimeError):  # a name too long for the system, a loop of links
            pass
        return None

    def page(self, target: Path | None) -> bytes:
        """A page with its snippet: the index (`target` None) or an HTML file. The version is
        read before the page, so that a rebuild that ends meanwhile reloads it at once."""
        version = self.current()
        data = self.index() if target is None else self.read(target)
        return with_snippet(data, self.snippet(target, version))

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

    def snippet(self, target: Path | None, version: int) -> bytes:
        """What a served page of `version` gets before its </body>: the script that reloads
        it, and the problems over it."""
        from gtmgen.render.formats import Formats
        from gtmgen.render.templates import environment, render_template

        env = environment(self.templates, Formats(self.locale_of(target), "EUR"))
        problems = [{"file": self.file_of(out), "invalid": p.invalid, "lines": p.lines}
                    for out, p in self.problems_of(target)]
        return render_template(env, SNIPPET_TEMPLATE, {
            "events": EVENTS, "version": version, "problems": problems},
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


def _under(path: str, folders: set[str]) -> bool:
    """Whether `path` (absolute) is one of `folders` or inside one of them."""
    while path not in folders:
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
    return True


def with_snippet(page: bytes, snippet: bytes) -> bytes:
    """The page with `snippet` before its last </body> (at its end when it has none)."""
    at = page.rfind(b"</body>")
    return page + snippet if at < 0 else page[:at] + snippet + page[at:]


def since_of(query: str, current: int) -> int:
    """The version a page says it shows (`since=` in the events' query); `current` when it
    says none that is a plain number."""
    text = urllib.parse.parse_qs(query).get("since", [""])[0]
    # Only ASCII digits, and not so many that int() refuses them ("²" is a digit to isdigit).
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else current


def loopback_name(host_header: str) -> bool:
    """Whether a Host header names this computer: localhost (or a name under .localhost,
    which browsers keep on this computer) or a loopback address, with or without a port."""
    name = host_header.strip()
    name = name[1:name.find("]")] if name.startswith("[") else name.rsplit(":", 1)[0]
    name = name.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class Handler(BaseHTTPRequestHandler):
    """GET only: the index, the files of the root, and the change events."""

    site: Site  # set on the subclass made for a server
    server_version = "gtmgen"
    sys_version = ""
    timeout = IDLE_SECONDS
    server: Server

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        host = self.headers.get("Host")
        if self.server.loopback and host is not None and not loopback_name(host):
            self._status(HTTPStatus.FORBIDDEN)
            return
        path = urllib.parse.urlsplit(self.path)
        if path.path == EVENTS:
            self._events(since_of(path.query, self.site.current()))
            return
        if path.path in ("/", "/index.html"):
            self._send(self.site.page(None), TYPES[".html"])
            return
        target = self.site.file(path.path)
        try:
            if target is None:
                raise FileNotFoundError(path.path)
            data = self.site.page(target) if target.suffix == ".html" else self.site.read(target)
        except OSError:  # not there, or gone since (a rebuild removed it)
            self._status(HTTPStatus.NOT_FOUND)
            return
        kind = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] \
            or "application/octet-stream"
        self._send(data, kind)

    def refuse(self) -> None:
        """Every method but GET: 405, saying which one is answered."""
        self._status(HTTPStatus.METHOD_NOT_ALLOWED, {"Allow": "GET"})

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = \
        refuse  # noqa: N815 - the names http.server calls

    def _status(self, status: HTTPStatus, headers: dict[str, str] | None = None) -> None:
        self._send(f"{status.value} {status.phrase}\n".encode("ascii"),
                   "text/plain; charset=utf-8", status, headers)

    def _send(self, data: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": kind, "Content-Length": str(len(data)),
                            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                            **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":  # its answer is the headers alone
            self.wfile.write(data)

    def _events(self, seen: int) -> None:
        """Server-sent events: `change` whenever a rebuild ends (at once when the page is
        older than the last one), a comment now and then to keep the line open."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        while True:  # until the page goes away: writing to it fails, an OSError
            version = self.site.wait(seen, KEEPALIVE_SECONDS)
            message = f"event: change\ndata: {version}\n\n" if version != seen else ": \n\n"
            self.wfile.write(message.encode("ascii"))
            self.wfile.flush()
            seen = version

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        return  # requests are not worth a line each


class Server(ThreadingHTTPServer):
    """The HTTP server: a thread per client (daemon threads: open pages do not keep Ctrl-C
    waiting); a client gone mid-answer is no news, any other failure is one line."""

    loopback = True  # whether it listens on this computer only
    say: Any = print

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        problem = sys.exc_info()[1]
        if isinstance(problem, OSError):  # the page went away, or stayed silent too long
            return
        self.say(f"gtmgen: internal error answering a request ({type(problem).__name__}: "
                 f"{problem}); please report this")


def bind(host: str, port: int, chosen: bool, site: Site, say: Any = print) -> Server:
    """The server on `host`:`port`; when the port was not chosen by the user and is taken,
    on a free one."""
    import errno

    from gtmgen.errors import UsageError

    handler = type("SiteHandler", (Handler,), {"site": site})
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server_class = type("SiteServer", (Server,), {"address_family": family, "say": say})
    try:
        try:
            server = server_class((host, port), handler)
        except OSError as problem:
            if problem.errno != errno.EADDRINUSE or chosen:
                raise
            server = server_class((host, 0), handler)
    except OSError as problem:
        shown = f"[{host}]:{port}" if family == socket.AF_INET6 else f"{host}:{port}"
        if problem.errno in (errno.EADDRINUSE, errno.EACCES):
            words = "is taken" if problem.errno == errno.EADDRINUSE else "is not yours to use"
            raise UsageError(f"{shown} {words}; choose another with --port") from None
        raise UsageError(f"cannot listen on {shown} ({problem.strerror or problem}); choose "
                         "another address with --host") from None
    server.loopback = ipaddress.ip_address(str(server.server_address[0])).is_loopback
    return server


def address(server: Server) -> str:
    """Where the server is seen: http://localhost:PORT/ on this computer (and a word that
    the network sees it too), the address otherwise."""
    host, port = str(server.server_address[0]), server.server_address[1]
    ip = ipaddress.ip_address(host)
    if ip.is_loopback:
        return f"http://localhost:{port}/"
    if ip.is_unspecified:
        return f"http://localhost:{port}/, and to the network on port {port}"
    return f"http://[{host}]:{port}/" if ip.version == 6 else f"http://{host}:{port}/"


def watch(site: Site, stop: threading.Event, say: Any) -> None:
    """Rebuild the playbooks a change concerns, and say what became of them, until `stop` is
    set. The folders watched are looked at again after every change and every RECHECK_MS: a
    folder deleted, made again, or newly read from (an include) is followed."""
    from watchfiles import watch as changes

    trouble, folders = "", site.watched()
    while not stop.is_set():
        before, folders = folders, site.watched()
        if not folders:  # every one is gone: look again in a moment
            stop.wait(RECHECK_MS / 1000)
            continue
        try:
            # A folder that came (back) since the last look may hold changes no one saw.
            came = [folder for folder in folders if folder not in before]
            if came and (jobs := site.affected(came)):
                say_outcomes(site.build(jobs), say, site.seconds)
            for found in changes(*folders, stop_event=stop, debounce=DEBOUNCE_MS, step=10,
                                 rust_timeout=RECHECK_MS, yield_on_timeout=True,
                                 raise_interrupt=False, recursive=True):
                # Every RECHECK_MS without a change: a good playbook whose inputs are not those
                # of its last build (a save before the watch began, a change the system did
                # not report) is built.
                jobs = (site.affected(Path(path) for _change, path in found) if found
                        else site.stale())
                if jobs:
                    say_outcomes(site.build(jobs), say, site.seconds)
                if site.watched() != folders:
                    break
            else:
                return  # stopped
        except Exception as problem:  # noqa: BLE001 - the server goes on without one change
            if str(problem) != trouble:  # a lasting trouble is said once
                say(f"gtmgen: cannot follow the changes ({type(problem).__name__}: "
                    f"{problem}); trying again")
            trouble = str(problem)
            stop.wait(RECHECK_MS / 1000)


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
    """Listen (first: a port that is taken writes nothing), build every playbook, then serve
    them and rebuild on change until interrupted."""
    need_watchfiles()
    server = bind(host, port, chosen, site, say)
    stop = threading.Event()
    try:
        say_outcomes(site.build(site.jobs), say, site.seconds)
        say(f"serving {len(site.jobs)} playbook{'s' if len(site.jobs) != 1 else ''} at "
            f"{address(server)} (Ctrl-C stops)")
        watcher = threading.Thread(target=watch, args=(site, stop, say), daemon=True,
                                   name="gtmgen-watch")
        watcher.start()
        if ready is not None:
            ready.set()
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()


def say_outcomes(outcomes: Sequence[Outcome], say: Any, seconds: float) -> None:
    """A line per playbook whose pages changed: built (files written, and the time the build
    of all took), invalid or failed (with why), or current again."""
    from gtmgen.batch import BUILT, UNCHANGED

    for outcome in outcomes:
        if outcome.status == BUILT:
            say(f"{outcome.job.file}: rebuilt in {seconds:.2f} s, {len(outcome.written)} file"
                f"{'s' if len(outcome.written) != 1 else ''} changed")
        elif outcome.status == UNCHANGED:
            say(f"{outcome.job.file}: as it was at its last good build; its pages are current")
        else:  # the summary names the file; a failure's message does not
            say(f"{outcome.summary or f'{outcome.job.file}: {outcome.message}'}; the page "
                "keeps its last good build")
