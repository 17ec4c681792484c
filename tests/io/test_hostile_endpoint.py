"""Hostile SPARQL endpoints (issue 14, case 6): one sending a byte at a time meets the request's
deadline; one streaming without end, or announcing a huge answer, meets the size limit.  Each
is a one-line EndpointError.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator

import pytest

from chokemap.graph.io.backends import EndpointError, HttpEndpoint


class Hostile(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        if self.path.startswith("/huge"):
            self.send_header("Content-Length", str(10 << 30))
        self.end_headers()
        try:
            end = time.monotonic() + 15
            while time.monotonic() < end:
                if self.path.startswith("/trickle"):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
                else:  # /endless and /huge: as fast as the client reads
                    self.wfile.write(b" " * 65536)
        except OSError:
            pass  # the client gave up: what it should do

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_a_trickling_endpoint_meets_the_deadline(server: str) -> None:
    endpoint = HttpEndpoint(f"{server}/trickle/sparql", timeout=5, deadline=1)
    with pytest.raises(EndpointError, match=r"did not finish answering within 1 s") as caught:
        endpoint.send("SELECT * { ?s ?p ?o }", "application/sparql-results+json")
    assert "\n" not in str(caught.value)


def test_an_endless_answer_meets_the_size_limit(server: str) -> None:
    endpoint = HttpEndpoint(f"{server}/endless/sparql", deadline=30, max_bytes=1 << 20)
    with pytest.raises(EndpointError, match=r"sent more than 1 MiB; narrow the query"):
        endpoint.send("SELECT * { ?s ?p ?o }", "application/sparql-results+json")


def test_a_huge_announced_answer_is_refused_before_reading(server: str) -> None:
    endpoint = HttpEndpoint(f"{server}/huge/sparql", deadline=30)
    with pytest.raises(EndpointError, match=r"sent more than 1 GiB"):
        endpoint.select("SELECT * { ?s ?p ?o }")


def test_bounds_have_defaults() -> None:
    endpoint = HttpEndpoint("http://localhost:1/sparql")
    assert endpoint.deadline == 300
    assert endpoint.max_bytes == 1 << 30
