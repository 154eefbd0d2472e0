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
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def _fietsdeel_site(tmp_path: Path, form: str) -> tuple[Any, Any, Path]:
    """The Dutch example served in one format: its Site, its job and its playbook's copy."""
    from gtmgen.batch import Job
    from gtmgen.build import Options
    from gtmgen.serve import Site

    folder = tmp_path / "fietsdeel"
    shutil.copytree(ROOT / "playbooks" / "fietsdeel", folder)
    playbook = folder / "playbook.yaml"
    job = Job(playbook, "playbook.yaml", folder / "out")
    return Site([job], Options(formats=(form,)), folder / "out", folder), job, playbook


def test_the_problems_are_labelled_in_the_clients_language(tmp_path) -> None:
    site, job, playbook = _fietsdeel_site(tmp_path, "html")
    folder = playbook.parent
    site.build([job])
    assert site.version == 1 and not site.problems
    site.build([job])  # nothing changed: no new version, the pages stay
    assert site.version == 1
    lines = playbook.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("  date: "))
    playbook.write_text("\n".join(text.replace("  date: ", "  date: x", 1) if n == line
                                  else text for n, text in enumerate(lines, 1)) + "\n")
    site.build([job])
    page = site.snippet(folder / "out" / "playbook.html", site.version).decode()
    assert "playbook.yaml bevat fouten: deze pagina toont de laatste goede versie." in page
    assert f"playbook.yaml:{line}:9: error:" in page
    assert (folder / "out" / "playbook.html").exists()  # the last good page stays


# In this process: a server over a folder of files, no playbook, answering at once.


@pytest.fixture
def files(tmp_path: Path) -> Iterator[tuple[int, Path, list[str]]]:
    """A server (in this process) over tmp_path/out, which holds page.html and data.bin; the
    port, the folder, and the lines the server said."""
    from gtmgen.build import Options
    from gtmgen.serve import Site, bind

    out = tmp_path / "out"
    out.mkdir()
    (out / "page.html").write_text("<html><body><p>page</p></body></html>")
    (out / "data.bin").write_bytes(bytes(range(256)) * 16384)  # 4 MiB: longer than a buffer
    said: list[str] = []
    server = bind("127.0.0.1", 0, True, Site([], Options(), out, tmp_path), said.append)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server.server_address[1], out, said
    server.shutdown()
    server.server_close()
    thread.join()


def _ask(port: int, request: bytes) -> bytes:
    """The raw answer to a raw request (the server closes the line after each answer)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as line:
        line.sendall(request)
        answer = b""
        while chunk := line.recv(65536):
            answer += chunk
    return answer


def _status(port: int, path: str, host: str = "localhost") -> int:
    answer = _ask(port, f"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode("latin-1"))
    return int(answer.split(b" ", 2)[1])


def test_hidden_names_loops_of_links_and_names_too_long_are_404_without_a_trace(
        files, capfd) -> None:
    port, out, said = files
    (out / ".gtmgen-manifest.json").write_text('{"inputs": {"/home/someone/secret": null}}')
    (out / ".staging").mkdir()
    (out / ".staging" / "page.html").write_text("half a build")
    (out / "loop1").symlink_to(out / "loop2")
    (out / "loop2").symlink_to(out / "loop1")
    assert _status(port, "/page.html") == 200
    # A name of 300 letters is past the 255 of a Linux name (ENAMETOOLONG); 3,000 folders of
    # two bytes each, 6,000 bytes, are past its 4,096 of a path.
    for path in ("/.gtmgen-manifest.json", "/.staging/page.html", "/%2egtmgen-manifest.json",
                 "/loop1", "/loop2/x", "/" + "a" * 300, "/" + "a/" * 3000, "/..%5cpage.html",
                 "/%252e%252e/page.html", "/page.html%00", "/%ff%fe", "/\xff"):
        assert _status(port, path) == 404, path
    assert said == []
    assert "Traceback" not in capfd.readouterr().err


def test_a_page_of_another_site_that_names_this_computer_is_refused(files) -> None:
    """DNS rebinding: evil.example, pointed at 127.0.0.1 after its page loaded, sends its own
    name in Host; the server on a loopback address answers only to this computer's names."""
    port, _out, _said = files
    for host in ("localhost", f"localhost:{port}", f"127.0.0.1:{port}", "[::1]:80",
                 "app.localhost", "LOCALHOST."):
        assert _status(port, "/page.html", host) == 200, host
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.nip.io", "0.0.0.0", ""):
        assert _status(port, "/page.html", host) == 403, host


def test_every_method_but_get_is_405_and_says_get(files) -> None:
    port, _out, _said = files
    for method in ("HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"):
        answer = _ask(port, f"{method} /page.html HTTP/1.0\r\nHost: localhost\r\n\r\n"
                      .encode())
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.0 405 ") and b"\r\nAllow: GET" in head, method
        assert (body == b"") == (method == "HEAD"), method  # HEAD's answer has no body


def test_a_client_gone_mid_answer_leaves_no_trace(files, capfd) -> None:
    port, _out, said = files
    for _ in range(5):
        line = socket.socket()
        line.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        line.connect(("127.0.0.1", port))
        line.sendall(b"GET /data.bin HTTP/1.0\r\nHost: localhost\r\n\r\n")
        line.recv(10)
        # Gone at once (a reset, not a goodbye) while the server still writes its 4 MiB.
        line.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        line.close()
    assert _status(port, "/page.html") == 200  # and it still answers
    assert said == []
    assert "Traceback" not in capfd.readouterr().err


def test_a_since_that_is_not_a_plain_number_means_the_current_version() -> None:
    from gtmgen.serve import since_of

    assert since_of("since=3", 7) == 3
    # "²" is a digit to str.isdigit but not to int(); 5,000 digits are past int()'s 4,300.
    for query in ("since=%C2%B2", "since=" + "9" * 5000, "since=-1", "since=x", "", "since="):
        assert since_of(query, 7) == 7, query[:20]


def test_a_page_made_while_a_rebuild_ends_carries_the_older_version(files, monkeypatch) -> None:
    """The version is read before the page: a rebuild that ends while the page is read gives
    the page the older number, and its events answer `change` at once."""
    _port, out, _said = files
    from gtmgen.serve import Site

    site = Site([], None, out, out)  # type: ignore[arg-type]
    site.version = 4
    read = Path.read_bytes

    def read_during_a_rebuild(path: Path) -> bytes:
        data = read(path)
        site.version = 5  # the rebuild ended just after the old page was read
        return data

    monkeypatch.setattr(Path, "read_bytes", read_during_a_rebuild)
    page = site.page(out / "page.html").decode()
    assert '"/_gtmgen/events?since=4"' in page


def test_the_same_mistake_saved_again_neither_reloads_nor_is_said_again(tmp_path) -> None:
    site, job, playbook = _fietsdeel_site(tmp_path, "md")
    assert [o.status for o in site.build([job])] == ["built"]
    text = playbook.read_text(encoding="utf-8")
    playbook.write_text(text.replace("  date: ", "  date: x", 1), encoding="utf-8")
    assert [o.status for o in site.build([job])] == ["invalid"]
    assert site.version == 2  # 1: built, 2: invalid
    assert site.build([job]) == [] and site.version == 2  # the same mistake: nothing new
    playbook.write_text(text, encoding="utf-8")  # mended: the outputs are those of build 1
    assert [o.status for o in site.build([job])] == ["unchanged"]
    assert site.version == 3 and not site.problems


def test_a_change_concerns_the_files_a_good_build_read_and_a_broken_ones_folder(
        tmp_path) -> None:
    from gtmgen.batch import Job
    from gtmgen.build import Options
    from gtmgen.serve import Problems, Site

    jobs = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        shutil.copy(ROOT / "playbooks" / "fietsdeel" / "playbook.yaml", tmp_path / name)
        jobs.append(Job(tmp_path / name / "playbook.yaml", f"{name}/playbook.yaml",
                        tmp_path / "build" / name))
    site = Site(jobs, Options(formats=("md",)), tmp_path / "build", tmp_path)
    site.build(jobs)
    a, b = tmp_path / "a", tmp_path / "b"

    def concerned(*paths: Path) -> list[str]:
        return [job.file for job in site.affected(paths)]

    assert concerned(a / "notes.txt", *(a / f"junk{n}" for n in range(1000))) == []
    assert concerned(a / "playbook.yaml") == ["a/playbook.yaml"]
    assert concerned(b / "theme.yaml") == ["b/playbook.yaml"]  # looked for, not there
    assert concerned(b / "templates" / "html" / "page.html.j2") == ["b/playbook.yaml"]
    assert concerned(tmp_path / "build" / "a" / "playbook.md") == []  # its own outputs
    site.problems[(tmp_path / "build" / "a").resolve()] = Problems(["x"], True)
    assert concerned(a / "notes.txt") == ["a/playbook.yaml"]  # it may be what mends it


def test_a_taken_port_given_with_port_is_refused_before_anything_is_written(tmp_path) -> None:
    from gtmgen.batch import Job
    from gtmgen.build import Options
    from gtmgen.errors import UsageError
    from gtmgen.serve import Site, serve

    pytest.importorskip("watchfiles", reason="the serve extra (watchfiles) is not installed")
    shutil.copy(ROOT / "playbooks" / "fietsdeel" / "playbook.yaml", tmp_path)
    job = Job(tmp_path / "playbook.yaml", "playbook.yaml", tmp_path / "out")
    site = Site([job], Options(formats=("md",)), tmp_path / "out", tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UsageError, match=f"127.0.0.1:{port} is taken"):
            serve(site, "127.0.0.1", port, True, print)
    assert not (tmp_path / "out").exists()


def test_the_printed_address_and_an_ipv6_loopback(tmp_path) -> None:
    from gtmgen.errors import UsageError
    from gtmgen.serve import Site, address, bind

    site = Site([], None, tmp_path, tmp_path)  # type: ignore[arg-type]
    server = bind("0.0.0.0", 0, True, site)
    port = server.server_address[1]
    assert address(server) == f"http://localhost:{port}/, and to the network on port {port}"
    assert not server.loopback
    server.server_close()
    try:
        server = bind("::1", 0, True, site)
    except UsageError:
        pytest.skip("this computer has no IPv6 loopback")
    assert address(server) == f"http://localhost:{server.server_address[1]}/" and server.loopback
    server.server_close()
    with pytest.raises(UsageError, match=r"cannot listen on nowhere\.invalid:80 .*--host"):
        bind("nowhere.invalid", 80, True, site)


def test_without_watchfiles_serve_says_so_in_plain_words_and_exits_2(tmp_path) -> None:
    shutil.copy(ROOT / "playbooks" / "fietsdeel" / "playbook.yaml", tmp_path)
    hide = ("import sys; sys.modules['watchfiles'] = None; "
            "sys.argv = ['gtmgen', 'serve', 'playbook.yaml']; "
            "from gtmgen.cli import main; main()")
    done = subprocess.run([sys.executable, "-c", hide], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == "gtmgen: gtmgen serve needs the serve extra: pip install " \
                          "'gtmgen[serve]'\n"
    assert not (tmp_path / "build").exists()
