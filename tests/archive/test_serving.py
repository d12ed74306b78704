"""`make serve` for real: gunicorn on a free port with DEBUG off, behind a (pretended) TLS proxy,
serving pages with the policy and HSTS, and static files; and a server error's traceback in the log."""

import gzip
import http.client
import os
import runpy
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.archive.test_settings import ROOT, YEAR, environment_for

BOOT_SECONDS = 180  # migrate, collectstatic and the workers' start on a busy machine
BEHIND_TLS = {"X-Forwarded-Proto": "https"}


@dataclass(frozen=True)
class Served:
    port: int
    data_dir: Path
    output: Path  # the server's stdout and stderr


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(served: Served, path: str, **headers: str) -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


@contextmanager
def running(command: list[str], *, data_dir: Path, **env: str):
    """``command`` started in its own process group, until it listens on its port; stopped after."""
    port = free_port()
    output = data_dir.parent / f"{data_dir.name}-output.log"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [part.format(port=port) for part in command], cwd=ROOT, env=environment_for(data_dir, **env),
            stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )
    served = Served(port, data_dir, output)
    try:
        deadline = time.monotonic() + BOOT_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"{' '.join(command)} stopped with {process.returncode}:\n{output.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"nothing listens on {port} after {BOOT_SECONDS} s:\n{output.read_text()}")
                time.sleep(0.3)
        yield served
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`make serve` over a new archive, HTTPS on and trusting the proxy's header. `-o install`:
    the suite already runs in the installed environment, and `install` would ask the package index."""
    data_dir = tmp_path_factory.mktemp("served") / "data"
    command = ["make", "--no-print-directory", "-o", "install", "serve", "HOST=127.0.0.1:{port}"]
    with running(command, data_dir=data_dir, DJANGO_HTTPS="1", DJANGO_BEHIND_PROXY="1", WEB_CONCURRENCY="2") as server:
        yield server


def test_a_page_through_the_tls_proxy_comes_with_the_policy_and_hsts(served):
    reply = fetch(served, "/", **BEHIND_TLS)

    assert reply.status == 200
    assert reply.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'self'" in reply.headers["content-security-policy"]
    assert "unsafe-inline" not in reply.headers["content-security-policy"]
    assert reply.headers["strict-transport-security"] == f"max-age={YEAR}; includeSubDomains"
    assert 'href="/static/css/archive.css"' in reply.body.decode()


def test_debug_is_off_so_a_missing_page_is_the_archives_404(served):
    reply = fetch(served, "/no-such-page/", **BEHIND_TLS)

    assert reply.status == 404
    assert b"URLconf" not in reply.body and b'dir="rtl"' in reply.body


def test_plain_http_is_sent_to_https(served):
    reply = fetch(served, "/search/?q=x")

    assert reply.status == 301
    assert reply.headers["location"] == "https://127.0.0.1/search/?q=x"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("css/archive.css", "text/css"),
        ("js/suggest.js", "text/javascript"),
        ("js/facets.js", "text/javascript"),
        ("fonts/noto-naskh-arabic-arabic-400-normal.woff2", "font/woff2"),
        ("admin/css/base.css", "text/css"),
    ],
)
def test_static_files_are_served_from_the_data_directory(served, path, content_type):
    reply = fetch(served, f"/static/{path}", **BEHIND_TLS)

    assert reply.status == 200
    assert reply.headers["content-type"].startswith(content_type)
    assert reply.body == (served.data_dir / "static" / path).read_bytes()
    assert "max-age" in reply.headers["cache-control"]


def test_a_stylesheet_goes_compressed_to_a_browser_that_takes_gzip(served):
    reply = fetch(served, "/static/css/archive.css", **BEHIND_TLS, **{"Accept-Encoding": "gzip"})

    assert reply.headers["content-encoding"] == "gzip"
    assert gzip.decompress(reply.body) == (ROOT / "static" / "css" / "archive.css").read_bytes()


def test_a_server_error_leaves_its_traceback_in_the_log_file_and_on_stderr(tmp_path):
    # An archive nobody migrated: the home page's query fails inside the server.
    data_dir = tmp_path / "unmigrated"
    gunicorn = [str(Path(sys.executable).with_name("gunicorn")), "--config", "archive/gunicorn_conf.py", "--bind", "127.0.0.1:{port}"]
    with running(gunicorn, data_dir=data_dir, DJANGO_DEBUG="0", WEB_CONCURRENCY="1") as server:
        reply = fetch(server, "/")
        log = (data_dir / "logs" / "archive.log").read_text(encoding="utf-8")
        output = server.output.read_text(encoding="utf-8")

    assert reply.status == 500
    assert b'dir="rtl"' in reply.body and b"Traceback" not in reply.body
    for text in (log, output):
        assert "ERROR django.request" in text and "Internal Server Error: /" in text
        assert "Traceback (most recent call last)" in text
        assert "no such table: articles_article" in text


@pytest.mark.parametrize(("web_concurrency", "expected"), [(None, 2 * len(os.sched_getaffinity(0)) + 1), ("3", 3)])
def test_gunicorn_takes_its_workers_from_the_cores_unless_told(monkeypatch, web_concurrency, expected):
    if web_concurrency is None:
        monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    else:
        monkeypatch.setenv("WEB_CONCURRENCY", web_concurrency)

    assert runpy.run_path(str(ROOT / "archive" / "gunicorn_conf.py"))["workers"] == expected
