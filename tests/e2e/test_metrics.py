"""`GET /metrics`: the calculator over HTTP with a bearer token, scraped before and after
known traffic. The text is parsed by `prometheus_client`'s parser (the reference
implementation of the format), and each counter must move by exactly what was sent:
tool calls, a request that is not JSON, requests without a token, a legacy session."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from prometheus_client.parser import text_string_to_metric_families

from harness import calculator_bin
from server_process import ServerProcess, start_server, stop_server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[ServerProcess, str]]:
    token = secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_")}
    env["MCP_AUTH_TOKEN"] = token
    stderr = tmp_path / "calculator.stderr"
    process, url = start_server(calculator_bin(), env, stderr)
    running = ServerProcess(process=process, mcp_url=url, stderr_path=stderr)
    try:
        yield running, token
    finally:
        stop_server(running)


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: httpx2.Client, token: str) -> tuple[Samples, dict[str, str]]:
    """Every sample by name and labels, and every family's type."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4"), response.headers
    samples: Samples = {}
    types: dict[str, str] = {}
    for family in text_string_to_metric_families(response.text):
        types[family.name] = family.type
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples, types


def modern(method: str, params: dict[str, object], token: str, id_: int) -> tuple[dict[str, str], bytes]:
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": "2026-07-28",
        "Mcp-Method": method,
    }
    if method == "tools/call":
        headers["Mcp-Name"] = str(params["name"])
    body = {"jsonrpc": "2.0", "id": id_, "method": method, "params": {**params, "_meta": meta}}
    return headers, json.dumps(body).encode()


def requests(samples: Samples, method: str, outcome: str) -> float:
    return samples.get(("mcp_http_requests_total", (("method", method), ("outcome", outcome))), 0.0)


def test_metrics_parse_and_move_with_traffic(server: tuple[ServerProcess, str]) -> None:
    running, token = server
    base = running.mcp_url.removesuffix("/mcp")
    with httpx2.Client(base_url=base, timeout=10.0) as client:
        assert client.get("/metrics").status_code == 401, "/metrics is protected like /mcp"
        before, types = scrape(client, token)
        assert types["mcp_http_requests"] == "counter"
        assert types["mcp_http_request_duration_seconds"] == "histogram"
        for gauge in ("mcp_http_requests_in_flight", "mcp_sessions_open", "mcp_streams_open"):
            assert types[gauge] == "gauge", types

        for id_ in range(3):
            headers, body = modern("tools/call", {"name": "add", "arguments": {"a": id_, "b": 1}}, token, id_)
            reply = client.post("/mcp", headers=headers, content=body)
            assert reply.status_code == 200 and reply.json()["result"]["content"][0]["text"] == str(id_ + 1), reply.text
        headers, _ = modern("tools/list", {}, token, 9)
        assert client.post("/mcp", headers=headers, content=b"{not json").status_code == 400
        for _ in range(2):
            assert client.post("/mcp", headers={"Content-Type": "application/json"}, content=b"{}").status_code == 401
        initialize = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
        }
        opened = client.post(
            "/mcp",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept": "application/json, text/event-stream"},
            content=json.dumps(initialize).encode(),
        )
        assert opened.status_code == 200 and "mcp-session-id" in opened.headers, opened.text

        after, _ = scrape(client, token)

    def moved(key: tuple[str, tuple[tuple[str, str], ...]]) -> float:
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert requests(after, "tools/call", "ok") - requests(before, "tools/call", "ok") == 3, after
    assert requests(after, "none", "client_error") - requests(before, "none", "client_error") == 1, after
    assert requests(after, "initialize", "ok") - requests(before, "initialize", "ok") == 1, after
    assert moved(("mcp_auth_failures_total", ())) == 2, "the two POSTs without a token"
    assert moved(("mcp_http_request_duration_seconds_count", ())) == 5, "3 calls, 1 bad body, 1 initialize"
    assert moved(("mcp_http_request_duration_seconds_bucket", (("le", "+Inf"),))) == 5
    assert after[("mcp_http_request_duration_seconds_sum", ())] > before.get(("mcp_http_request_duration_seconds_sum", ()), 0.0)
    assert after[("mcp_sessions_open", ())] == 1
    assert after[("mcp_http_requests_in_flight", ())] == 0
    assert running.alive()
