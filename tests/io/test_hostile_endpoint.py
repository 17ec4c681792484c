"""Hostile SPARQL endpoints (issue 14, case 6): one sending a byte at a time meets the request's
deadline; one streaming without end, or announcing a huge answer, meets the size limit.  Each
is a one-line EndpointError; through the command line (``--endpoint-timeout``,
``--endpoint-max-mb``, ``sparql --timeout``) a one-line message naming the option, exit 1.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from chokemap.cli import cli
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
                if self.path.startswith(("/trickle", "/byte-a-second")):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(1 if self.path.startswith("/byte") else 0.1)
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


def cli_run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_cli_a_byte_a_second_meets_endpoint_timeout(server: str) -> None:
    start = time.monotonic()
    code, out = cli_run("--endpoint", f"{server}/byte-a-second/sparql", "--endpoint-timeout", "1.5", "stats")
    assert time.monotonic() - start < 10
    assert code == 1
    assert out == (f"Error: --endpoint-timeout 1.5: SPARQL endpoint {server}/byte-a-second/sparql did not finish "
                   "answering within 1.5 s; is it overloaded, or the query too broad? (allow more time, or "
                   "narrow the query)\n")


def test_cli_an_endless_answer_meets_endpoint_max_mb(server: str) -> None:
    code, out = cli_run("--endpoint", f"{server}/endless/sparql", "--endpoint-max-mb", "1", "show", "asml")
    assert code == 1
    assert out == (f"Error: --endpoint-max-mb 1: SPARQL endpoint {server}/endless/sparql sent more than 1 MiB; "
                   "narrow the query (add a LIMIT), ask a smaller graph, or allow a bigger answer\n")


def test_cli_sparql_timeout_bounds_an_endpoint_query(server: str) -> None:
    code, out = cli_run("--endpoint", f"{server}/trickle/sparql", "sparql", "--timeout", "1", "ASK { ?s ?p ?o }")
    assert code == 1
    assert out.startswith("Error: --timeout 1: SPARQL endpoint ") and out.count("\n") == 1


@pytest.mark.parametrize(("option", "value", "unit"), [
    ("--endpoint-timeout", "0", "seconds"), ("--endpoint-timeout", "-3", "seconds"),
    ("--endpoint-timeout", "nan", "seconds"), ("--endpoint-timeout", "inf", "seconds"),
    ("--endpoint-max-mb", "abc", "MiB"), ("--endpoint-max-mb", "0", "MiB")])
def test_cli_bad_bounds_are_usage_errors(option: str, value: str, unit: str) -> None:
    code, out = cli_run("--endpoint", "http://127.0.0.1:1/sparql", option, value, "stats")
    assert code == 2
    assert out.endswith(f"Error: {option} {value}: give a positive number of {unit} (below 10,000,000)\n")
    assert "Traceback" not in out


def test_cli_bounds_need_an_endpoint() -> None:
    code, out = cli_run("--endpoint-timeout", "5", "stats")
    assert code == 2
    assert out.endswith("Error: --endpoint-timeout 5: bounds a SPARQL endpoint's answers; give the endpoint too\n")


def test_sparql_nan_timeout_is_a_usage_error() -> None:
    tiny = str(Path(__file__).parents[1] / "data" / "tiny.ttl")
    code, out = cli_run("--no-cache", "--data", tiny, "sparql", "--timeout", "nan", "ASK {}")
    assert code == 2 and out.endswith("Error: --timeout nan: give a positive number of seconds\n")
