"""`--allow-ip` and `--trusted-proxy`: the calculator over HTTP on 127.0.0.1, reached
from several loopback source addresses (127.0.0.2, 127.0.0.3, …, all of 127.0.0.0/8 is
this machine). An address outside the list gets 403 on every route before anything of
the request is read; `X-Forwarded-For` counts only from a trusted proxy."""

from __future__ import annotations

import json
import os
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from harness import calculator_bin
from server_process import ServerProcess, start_server, stop_server

ALLOWED = "127.0.0.2"
STRANGER = "127.0.0.3"
PROXY = "127.0.0.10"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[ServerProcess, str]]:
    token = secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_")}
    env.update(MCP_AUTH_TOKEN=token, MCP_TRUSTED_PROXIES=f"{PROXY}/32")
    stderr = tmp_path / "calculator.stderr"
    process, url = start_server(calculator_bin(), env, stderr, args=("--allow-ip", f"{ALLOWED}/32"))
    running = ServerProcess(process=process, mcp_url=url, stderr_path=stderr)
    try:
        yield running, token
    finally:
        stop_server(running)


def request_from(source: str, url: str, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, bytes]:
    """One HTTP/1.1 request on a connection from `source`; the status and body."""
    parts = urlsplit(url)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection((parts.hostname, parts.port), timeout=10, source_address=(source, 0)) as conn:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    head, _, rest = reply.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), rest


def tools_list(token: str, extra: dict[str, str] | None = None) -> tuple[dict[str, str], bytes]:
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/list",
        "params": {
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {},
            }
        },
    }
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": "2026-07-28",
        "Mcp-Method": "tools/list",
        **(extra or {}),
    }
    return headers, json.dumps(body).encode()


def test_only_allowed_addresses_are_served(server: tuple[ServerProcess, str]) -> None:
    running, token = server
    headers, body = tools_list(token)
    status, reply = request_from(ALLOWED, running.mcp_url, "POST", "/mcp", headers, body)
    assert status == 200, reply
    assert "add" in {tool["name"] for tool in json.loads(reply)["result"]["tools"]}
    for path, method in (("/mcp", "POST"), ("/health", "GET"), ("/sse", "GET")):
        status, reply = request_from(STRANGER, running.mcp_url, method, path, headers, body if method == "POST" else b"")
        assert status == 403, f"{method} {path} from {STRANGER}: {status} {reply!r}"
    # Refused before the body is read: a body that is not JSON changes nothing.
    status, _ = request_from(STRANGER, running.mcp_url, "POST", "/mcp", headers, b"{not json")
    assert status == 403
    # Nor are token checks reached: no token, still 403 (not 401).
    status, _ = request_from(STRANGER, running.mcp_url, "POST", "/mcp", {"Content-Type": "application/json"}, body)
    assert status == 403
    status, _ = request_from(ALLOWED, running.mcp_url, "GET", "/health", {})
    assert status == 200
    assert running.alive()


def test_forwarded_for_counts_only_from_a_trusted_proxy(server: tuple[ServerProcess, str]) -> None:
    running, token = server
    cases = [
        (PROXY, ALLOWED, 200),  # the proxy speaks for an allowed client
        (PROXY, STRANGER, 403),  # … and for a stranger
        (PROXY, f"{STRANGER}, {ALLOWED}", 200),  # the last hop is what the proxy heard
        (PROXY, f"{ALLOWED}, {STRANGER}", 403),  # a client cannot prepend its way in
        (PROXY, None, 403),  # without the header, the proxy itself is the client
        (STRANGER, ALLOWED, 403),  # an untrusted peer's header is ignored
    ]
    for source, forwarded, expected in cases:
        extra = {} if forwarded is None else {"X-Forwarded-For": forwarded}
        headers, body = tools_list(token, extra)
        status, reply = request_from(source, running.mcp_url, "POST", "/mcp", headers, body)
        assert status == expected, f"from {source}, X-Forwarded-For {forwarded!r}: {status} {reply[:200]!r}"
