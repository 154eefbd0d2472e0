"""`gtmgen serve`: the real command in its own process, looked at in a real Chromium (the page
changes by itself as the playbook is edited, broken and mended), and its safety and its
stopping checked over plain HTTP."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import FLAGS, chromium
from tests.conftest import CRUMB, ROOT

# Crumb's first value proposition, and the line it is written on in the English view.
FIRST = "Warm, bakery-quality cookies in 18 minutes from your freezer."
NEW = "Fresh cookies in ten minutes, straight from the freezer."


class Server:
    """A `gtmgen serve` process and the address it printed."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process, self.port = process, port

    def get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()


def _start(folder: Path, *args: str) -> Server:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "gtmgen.cli", "serve", "playbook.yaml",
                                *args], cwd=folder, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        found = re.search(r"serving 1 playbook at http://localhost:(\d+)/", line)
        if found:
            return Server(process, int(found.group(1)))
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"no address printed: {process.stderr.read() if process.stderr else ''}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    pytest.importorskip("watchfiles", reason="the serve extra (watchfiles) is not installed")
    folder = tmp_path / "crumb"
    folder.mkdir()
    shutil.copy(CRUMB, folder / "playbook.yaml")
    server = _start(folder, "--port", "0", "--format", "md,docx,html")
    yield server, folder / "playbook.yaml"
    if server.process.poll() is None:
        server.process.kill()
        server.process.wait()


def _edit(playbook: Path, old: str, new: str) -> None:
    text = playbook.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    playbook.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_page_follows_the_playbook_in_a_real_browser(served) -> None:
    server, playbook = served
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium(), args=FLAGS)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.port}/playbook.html")
        assert FIRST in page.inner_text("main")
        page.evaluate("window.untouched = true")  # gone once the page reloads itself

        # A new value proposition, saved: the page shows it without being reloaded by hand.
        _edit(playbook, FIRST, NEW)
        page.wait_for_function("text => document.body.innerText.includes(text)", arg=NEW,
                               timeout=30_000)
        assert page.evaluate("window.untouched === undefined")
        assert FIRST not in page.inner_text("main")

        # A broken playbook: the last good page stays, the problem shows over it, located.
        # The launch date is on the line `  date: 2027-03-01` under `launch:`; its value
        # starts after "  date: ", at column 9.
        lines = playbook.read_text(encoding="utf-8").splitlines()
        line = next(number for number, text in enumerate(lines, 1)
                    if text == "  date: 2027-03-01")
        _edit(playbook, "  date: 2027-03-01", "  date: 2027-02-30")
        page.wait_for_selector("#gtmgen-problems", timeout=30_000)
        problems = page.inner_text("#gtmgen-problems")
        assert f"playbook.yaml:{line}:9: error:" in problems, problems
        assert "last good build" in problems
        assert NEW in page.inner_text("main")

        # Mended: the problems go and the page is back.
        _edit(playbook, "  date: 2027-02-30", "  date: 2027-03-01")
        page.wait_for_selector("#gtmgen-problems", state="detached", timeout=30_000)
        assert NEW in page.inner_text("main")
        browser.close()


def test_only_the_outputs_are_served(served, tmp_path) -> None:
    server, playbook = served
    status, page = server.get("/")
    assert status == 200 and b'href="playbook.html"' in page and b'href="playbook.docx"' in page
    status, data = server.get("/playbook.docx")
    assert status == 200 and data[:2] == b"PK"
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the browser")
    out = playbook.parent / "build" / "playbook"
    (out / "link.txt").symlink_to(secret)
    (out / "folder").mkdir()
    for path in ("/../playbook.yaml", "/%2e%2e/playbook.yaml", "/..%2fplaybook.yaml",
                 "//etc/passwd", f"/{secret}", "/link.txt", "/folder", "/folder/",
                 "/%00playbook.html", "/nothing.html", "/playbook.yaml"):
        status, data = server.get(path)
        assert status == 404 and b"not for the browser" not in data, path


def test_ctrl_c_stops_cleanly_with_exit_130(served) -> None:
    server, _playbook = served
    server.process.send_signal(signal.SIGINT)
    _out, err = server.process.communicate(timeout=30)
    assert server.process.returncode == 130
    assert "Traceback" not in err and "gtmgen: interrupted" in err


def test_a_taken_default_port_gives_a_free_one_and_a_taken_chosen_port_is_refused(
        tmp_path) -> None:
    from gtmgen.errors import UsageError
    from gtmgen.serve import Site, bind

    site = Site([], None, tmp_path, tmp_path)  # type: ignore[arg-type]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = bind("127.0.0.1", port, False, site)
        assert server.server_address[1] not in (port, 0)
        server.server_close()
        with pytest.raises(UsageError, match=f"127.0.0.1:{port} is taken; choose another"):
            bind("127.0.0.1", port, True, site)


def test_the_problems_are_labelled_in_the_clients_language(tmp_path) -> None:
    from gtmgen.batch import Job
    from gtmgen.build import Options
    from gtmgen.serve import Site

    folder = tmp_path / "fietsdeel"
    shutil.copytree(ROOT / "playbooks" / "fietsdeel", folder)
    playbook = folder / "playbook.yaml"
    job = Job(playbook, "playbook.yaml", folder / "out")
    site = Site([job], Options(formats=("html",)), folder / "out", folder)
    site.build([job])
    assert site.version == 1 and not site.problems
    site.build([job])  # nothing changed: no new version, the pages stay
    assert site.version == 1
    lines = playbook.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("  date: "))
    playbook.write_text("\n".join(text.replace("  date: ", "  date: x", 1) if n == line
                                  else text for n, text in enumerate(lines, 1)) + "\n")
    site.build([job])
    page = site.snippet(folder / "out" / "playbook.html").decode()
    assert "playbook.yaml bevat fouten: deze pagina toont de laatste goede versie." in page
    assert f"playbook.yaml:{line}:9: error:" in page
    assert (folder / "out" / "playbook.html").exists()  # the last good page stays
