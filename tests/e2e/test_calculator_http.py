"""End-to-end tests: the `calculator` example served over HTTP, driven by the official MCP SDKs.

The server runs as `calculator --transport http --bind 127.0.0.1:0` with a random
bearer token (MCP_AUTH_TOKEN). The Python SDK (mcp 2.3.0) connects over
  - Streamable HTTP at 2026-07-28 (stateless, no session): kinds streamable-auto
    (server/discover probe) and streamable-2026-07-28 (pinned, no probe);
  - Streamable HTTP with a legacy initialize session: streamable-legacy (the SDK's
    handshake, 2025-11-25), streamable-legacy-2025-06-18 and -2025-03-26;
  - the deprecated HTTP+SSE transport (GET /sse + POST /messages): sse (the SDK's
    handshake, 2025-11-25) and sse-2024-11-05.
Every HTTP exchange is recorded; every JSON-RPC message the server sent is
validated against the official schema of the revision in use (http_harness.py).

The official TypeScript SDK (tests/e2e/ts/http-client.mjs, run by the Node of
scripts/node-env.sh) connects with its StreamableHTTPClientTransport.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp.shared.exceptions import MCPError

import mcp_schema
from harness import count_to_3_with_progress, text_of
from http_harness import (
    HTTP_KINDS,
    LEGACY_STREAMABLE_KINDS,
    MODERN_HTTP_KINDS,
    SSE_KINDS,
    Exchange,
    HttpCapture,
    HttpServer,
    connect_http,  # noqa: F401  (fixture)
    http_problems,
    http_server,  # noqa: F401  (fixture)
    open_http,
    routing_problems,
    schema_problems,
    unwrap,
    wire_messages,
)
from ts_client import NODE_SETUP_TIMEOUT, TS_CLIENT_TIMEOUT, load_ts_capture, node, run_ts_script, ts_summary  # noqa: F401  (node is a fixture)

pytestmark = pytest.mark.anyio

TEST_TIMEOUT = 30.0
"""Upper bound for one test's body (on top of the SDK's per-request timeout)."""


def session_ids(exchanges: list[Exchange]) -> tuple[set[str], set[str]]:
    """Mcp-Session-Id values the client sent, and those the server sent."""
    sent = {ex.request_headers["mcp-session-id"] for ex in exchanges if "mcp-session-id" in ex.request_headers}
    got = {ex.response_headers["mcp-session-id"] for ex in exchanges if "mcp-session-id" in ex.response_headers}
    return sent, got


# --------------------------------------------------------------------------------------
# The Python SDK: tools over every HTTP transport


@pytest.mark.parametrize("kind", HTTP_KINDS)
async def test_list_tools(connect_http, kind: str) -> None:
    async with connect_http(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            result = await conn.list_tools()
        tools = {tool.name: tool for tool in result.tools}
        assert {"add", "count", "divide"} <= set(tools), f"tools listed: {sorted(tools)}"
        assert tools["add"].input_schema["required"] == ["a", "b"], tools["add"].input_schema
        assert tools["divide"].input_schema["required"] == ["a", "b"], tools["divide"].input_schema
        assert tools["count"].input_schema["required"] == ["to"], tools["count"].input_schema
        assert tools["count"].input_schema["properties"]["to"]["type"] == "integer", tools["count"].input_schema


@pytest.mark.parametrize("kind", HTTP_KINDS)
async def test_add(connect_http, kind: str) -> None:
    async with connect_http(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            result = await conn.call_tool("add", {"a": 2, "b": 0.5})
            assert not result.is_error, f"add(2, 0.5) returned an error result: {result!r}"
            assert text_of(result) == "2.5"
            result = await conn.call_tool("add", {"a": -0.75, "b": -0.5})
            assert text_of(result) == "-1.25"


@pytest.mark.parametrize("kind", HTTP_KINDS)
async def test_divide_by_zero_is_a_tool_error(connect_http, kind: str) -> None:
    async with connect_http(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            result = await conn.call_tool("divide", {"a": 1, "b": 0})
            assert result.is_error is True, f"divide(1, 0) must be a tool result with isError: true, got {result!r}"
            message = text_of(result).lower()
            assert "zero" in message, f"divide(1, 0) text does not explain: {message!r}"
            # A tool-level error is not a protocol error: the connection keeps serving.
            result = await conn.call_tool("divide", {"a": 1, "b": 4})
            assert not result.is_error and text_of(result) == "0.25", result


@pytest.mark.parametrize("kind", HTTP_KINDS)
async def test_count_reports_progress(connect_http, kind: str) -> None:
    async with connect_http(kind) as conn:
        await count_to_3_with_progress(conn, TEST_TIMEOUT)

        # On the wire: three notifications for this request's token, before its response
        # (that they came on the right stream is checked for every connection).
        messages = conn.messages()
        request = next(
            m.message() for m in messages if m.direction == "c2s" and (m.message().get("params") or {}).get("name") == "count"
        )
        token = request["params"]["_meta"]["progressToken"]
        progress = [
            m for m in messages
            if m.direction == "s2c"
            and m.message().get("method") == "notifications/progress"
            and m.message()["params"].get("progressToken") == token
        ]
        assert [m.message()["params"]["progress"] for m in progress] == [1, 2, 3], [m.text for m in progress]
        if kind.startswith("streamable"):
            (response,) = [m for m in messages if m.direction == "s2c" and m.message().get("id") == request["id"]]
            assert response.exchange.content_type == "text/event-stream", (
                f"count with a progress token was answered with {response.exchange.content_type!r}; "
                "progress needs the SSE response stream"
            )


# --------------------------------------------------------------------------------------
# The Python SDK: what each mode negotiates


@pytest.mark.parametrize("kind", MODERN_HTTP_KINDS)
async def test_modern_streamable_http_is_stateless(connect_http, kind: str) -> None:
    async with connect_http(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            await conn.list_tools()
            result = await conn.call_tool("add", {"a": 2, "b": 0.5})
            assert text_of(result) == "2.5"
        assert conn.client is not None and conn.client.protocol_version == "2026-07-28"
        assert conn.session.initialize_result is None, "an initialize handshake ran"
        if kind == "streamable-auto":
            assert conn.session.discover_result is not None and "2026-07-28" in conn.session.discover_result.supported_versions
    exchanges = conn.capture.exchanges
    sent, got = session_ids(exchanges)
    assert not sent and not got, f"session ids on a 2026-07-28 connection: client sent {sent}, server sent {got}"
    assert {(ex.method, ex.route) for ex in exchanges} == {("POST", "/mcp")}, [ex.label for ex in exchanges]
    methods = [ex.request_headers.get("mcp-method") for ex in exchanges]
    assert "initialize" not in methods and all(methods), methods
    for ex in exchanges:
        assert ex.request_headers.get("mcp-protocol-version") == "2026-07-28", ex.label


async def add_in_initialized_session(connect_http, kind: str) -> list[Exchange]:
    """add(2, 0.5) on a connection that negotiated its revision with initialize; its exchanges."""
    async with connect_http(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            result = await conn.call_tool("add", {"a": 2, "b": 0.5})
            assert text_of(result) == "2.5"
        assert conn.session.protocol_version == conn.revision
        assert conn.session.initialize_result is not None
        assert conn.session.initialize_result.protocol_version == conn.revision
    return conn.capture.exchanges


@pytest.mark.parametrize("kind", LEGACY_STREAMABLE_KINDS)
async def test_legacy_streamable_http_session(connect_http, kind: str) -> None:
    exchanges = await add_in_initialized_session(connect_http, kind)
    sent, got = session_ids(exchanges)
    assert len(got) == 1, f"expected the server to issue one session id, it sent {got}"
    assert sent == got, f"the client used {sent}, the server issued {got}"
    init = exchanges[0]
    assert init.request_message()["method"] == "initialize" and "mcp-session-id" in init.response_headers
    if kind == "streamable-legacy":
        # Client(mode="legacy") ends the session with DELETE on close (the spec's SHOULD).
        deletes = [ex for ex in exchanges if ex.method == "DELETE"]
        assert len(deletes) == 1 and deletes[0].status in (200, 202, 204), [ex.label for ex in deletes]


@pytest.mark.parametrize("kind", SSE_KINDS)
async def test_http_sse_transport(connect_http, kind: str) -> None:
    exchanges = await add_in_initialized_session(connect_http, kind)
    assert exchanges[0].method == "GET" and exchanges[0].route == "/sse", exchanges[0].label
    posts = [ex for ex in exchanges if ex.method == "POST"]
    assert posts and all(ex.route == "/messages" and "sessionId=" in ex.url for ex in posts), [ex.label for ex in posts]
    assert not any(ex.route == "/mcp" for ex in exchanges), [ex.label for ex in exchanges]


# --------------------------------------------------------------------------------------
# The Python SDK without the token


@pytest.mark.parametrize("kind", ["streamable-auto", "streamable-2026-07-28", "streamable-legacy", "sse"])
@pytest.mark.parametrize("credential", ["none", "wrong"])
async def test_connection_without_the_token_fails(http_server: HttpServer, tmp_path: Path, kind: str, credential: str) -> None:
    headers = {} if credential == "none" else {"Authorization": "Bearer " + "0" * len(http_server.token)}
    capture = HttpCapture(tmp_path / f"http-unauthorized-{kind}.jsonl")
    listed: list[Any] = []
    with pytest.raises(Exception) as caught:
        with anyio.fail_after(TEST_TIMEOUT):
            async with open_http(http_server, kind, capture, headers=headers) as conn:
                # A pinned 2026-07-28 client sends nothing until its first request.
                listed.append(await conn.list_tools())
    assert not listed, f"tools/list succeeded without the token: {listed}"
    error = unwrap(caught.value)
    if kind.startswith("sse"):
        assert isinstance(error, httpx2.HTTPStatusError), f"expected the sse client's HTTPStatusError, got {error!r}"
        assert error.response.status_code == 401, error
    else:
        # The streamable transport turns an HTTP error without a JSON-RPC body into an MCPError.
        assert isinstance(error, MCPError), f"expected MCPError, got {error!r}"
    exchanges = capture.exchanges
    assert exchanges, "the SDK sent nothing"
    for ex in exchanges:
        assert ex.status == 401, f"{ex.label}: expected 401 without a valid token"
        challenge = ex.response_headers.get("www-authenticate", "")
        assert challenge.split(" ")[0].lower() == "bearer", f"{ex.label}: WWW-Authenticate is {challenge!r}"
    # The server is unharmed and still serves a client with the token.
    async with open_http(http_server, kind, HttpCapture(tmp_path / f"http-after-{kind}.jsonl")) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            assert text_of(await conn.call_tool("add", {"a": 2, "b": 0.5})) == "2.5"


# --------------------------------------------------------------------------------------
# The TypeScript SDK


def run_ts_client(node: Path, server: HttpServer, tmp_path: Path, *, token: str | None) -> tuple[subprocess.CompletedProcess[str], Path]:
    capture = tmp_path / "ts-http.jsonl"
    return run_ts_script(node, "http-client.mjs", server.mcp_url, capture, token), capture


@pytest.mark.timeout(NODE_SETUP_TIMEOUT + 2 * TS_CLIENT_TIMEOUT)
async def test_typescript_sdk_over_streamable_http(node: Path, http_server: HttpServer, tmp_path: Path) -> None:
    done, capture = run_ts_client(node, http_server, tmp_path, token=http_server.token)
    context = f"\nstdout:\n{done.stdout}\nstderr:\n{done.stderr[-3000:]}\nserver stderr:\n{http_server.stderr_tail()}"
    summary = ts_summary(done, "http-client.mjs", context)
    assert {"add", "count", "divide"} <= set(summary["tools"]), summary
    assert summary["add"] == "2.5", summary
    assert summary["divideByZero"]["isError"] is True and "zero" in summary["divideByZero"]["text"].lower(), summary
    assert summary["count"] == "3", summary
    assert [p["progress"] for p in summary["progress"]] == [1, 2, 3], summary
    assert all(p["total"] == 3 for p in summary["progress"]), summary

    # The wire, as the SDK's fetch saw it: the version the SDK offered is the one negotiated
    # (the server supports every handshake revision), in a session; every server message is
    # valid for that revision.
    exchanges = load_ts_capture(capture)
    messages, problems = wire_messages(exchanges)
    init = next(m.message() for m in messages if m.direction == "c2s" and m.message().get("method") == "initialize")
    offered = init["params"]["protocolVersion"]
    negotiated = summary["protocolVersion"]
    assert negotiated == offered, f"the TS SDK offered {offered}, the server answered {negotiated}"
    assert negotiated in mcp_schema.ALL_REVISIONS, negotiated
    kind = "streamable-legacy" if negotiated in mcp_schema.LEGACY_REVISIONS else "streamable-2026-07-28"
    if kind == "streamable-legacy":
        assert summary["sessionId"], f"no session id after a {negotiated} initialize: {summary}"
    problems += schema_problems(messages, negotiated)
    problems += routing_problems(messages, kind)
    problems += http_problems(exchanges, kind, negotiated)
    assert not problems, f"{len(problems)} problem(s) on the TS SDK's connection at {negotiated}:\n" + "\n".join(
        f"  - {p}" for p in problems
    ) + f"\ncapture: {capture}{context}"
    print(f"TypeScript SDK negotiated {negotiated} (offered {offered}), session {'yes' if summary['sessionId'] else 'no'}")


@pytest.mark.timeout(NODE_SETUP_TIMEOUT + 2 * TS_CLIENT_TIMEOUT)
async def test_typescript_sdk_without_the_token_fails(node: Path, http_server: HttpServer, tmp_path: Path) -> None:
    done, capture = run_ts_client(node, http_server, tmp_path, token=None)
    context = f"\nstdout:\n{done.stdout}\nstderr:\n{done.stderr[-3000:]}"
    assert done.returncode != 0, f"http-client.mjs succeeded without a token{context}"
    assert "401" in done.stderr, f"the failure does not name the 401{context}"
    exchanges = load_ts_capture(capture)
    assert exchanges and all(ex.status == 401 for ex in exchanges), [(ex.method, ex.status) for ex in exchanges]
