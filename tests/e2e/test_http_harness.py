"""Self-tests of the HTTP capture checks (http_harness.py): they must pass good traffic and flag bad traffic.

These need no server binary: the exchanges are built by hand.
"""

from __future__ import annotations

import json
from typing import Any

from http_harness import Exchange, http_problems, parse_sse, routing_problems, schema_problems, wire_messages

URL = "http://127.0.0.1:1234/mcp"
META = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientCapabilities": {},
}
SERVER_INFO = {"io.modelcontextprotocol/serverInfo": {"name": "calculator", "version": "0.1.0"}}


def sse(*messages: Any) -> bytes:
    return b"".join(b"event: message\ndata: " + json.dumps(m).encode() + b"\n\n" for m in messages)


def call(request_id: int, token: int | None = None) -> dict[str, Any]:
    meta = dict(META)
    if token is not None:
        meta["progressToken"] = token
    return {"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": {"name": "count", "arguments": {"to": 1}, "_meta": meta}}


def result(request_id: int, text: str = "1") -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "result": {"content": [{"type": "text", "text": text}], "resultType": "complete", "_meta": SERVER_INFO},
    }


def progress(token: int) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "method": "notifications/progress", "params": {"progressToken": token, "progress": 1, "total": 1}}


def post(index: int, request: dict[str, Any], body: bytes, content_type: str, *, headers: dict[str, str] | None = None, t: float = 0.0) -> Exchange:
    request_headers = {
        "authorization": "Bearer <48 chars>",
        "mcp-protocol-version": "2026-07-28",
        "mcp-method": request["method"],
    }
    return Exchange(
        index=index,
        method="POST",
        url=URL,
        request_headers=request_headers,
        request_body=json.dumps(request).encode(),
        t_sent=t,
        status=200,
        response_headers={"content-type": content_type, **(headers or {})},
        chunks=[(t + 0.5, body)],
    )


def problems(exchanges: list[Exchange], kind: str = "streamable-2026-07-28") -> list[str]:
    messages, found = wire_messages(exchanges)
    return found + schema_problems(messages, "2026-07-28") + routing_problems(messages, kind) + http_problems(exchanges, kind, "2026-07-28")


def test_good_modern_traffic_passes() -> None:
    exchanges = [
        post(1, call(1, token=1), sse(progress(1), result(1)), "text/event-stream", t=0),
        post(2, call(2), json.dumps(result(2)).encode(), "application/json", t=1),
    ]
    assert problems(exchanges) == []


def test_session_id_on_a_modern_response_is_flagged() -> None:
    exchanges = [post(1, call(1), json.dumps(result(1)).encode(), "application/json", headers={"mcp-session-id": "abc"})]
    found = problems(exchanges)
    assert any("Mcp-Session-Id" in p for p in found), found


def test_invalid_result_is_flagged() -> None:
    bad = result(1)
    del bad["result"]["content"]
    found = problems([post(1, call(1), json.dumps(bad).encode(), "application/json")])
    assert any("not a valid CallToolResult" in p for p in found), found


def test_progress_on_another_requests_stream_is_flagged() -> None:
    exchanges = [
        post(1, call(1, token=1), sse(result(1)), "text/event-stream", t=0),
        post(2, call(2), sse(progress(1), result(2)), "text/event-stream", t=0.1),
    ]
    found = problems(exchanges)
    assert any("outside that request's response stream" in p for p in found), found


def test_progress_after_the_response_is_flagged() -> None:
    found = problems([post(1, call(1, token=1), sse(result(1), progress(1)), "text/event-stream")])
    assert any("follows its response" in p for p in found), found


def test_missing_response_and_wrong_content_type_are_flagged() -> None:
    found = problems([post(1, call(1), b"1", "text/plain")])
    assert any("got 0 responses" in p for p in found), found
    assert any("Content-Type 'text/plain'" in p for p in found), found


def test_server_request_on_a_modern_stream_is_flagged() -> None:
    request = {"jsonrpc": "2.0", "id": 99, "method": "ping"}
    found = problems([post(1, call(1), sse(request, result(1)), "text/event-stream")])
    assert any("MUST NOT send independent JSON-RPC requests" in p for p in found), found


def test_sse_parser_handles_crlf_comments_multiline_data_and_split_chunks() -> None:
    chunks = [(1.0, b": keep-alive\r\nevent: message\r\nid: 7\r\nda"), (2.0, b"ta: {\"a\":\r\ndata: 1}\r\n\r\n"), (3.0, b"data: x")]
    events, truncated = parse_sse(chunks)
    assert [(e.type, e.data, e.id, e.t) for e in events] == [("message", '{"a":\n1}', "7", 2.0)]
    assert truncated is not None and "data: x" in truncated


def test_legacy_session_checks() -> None:
    init_request = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    }
    init = post(1, init_request, b"{}", "application/json")
    init.request_headers.pop("mcp-protocol-version")
    initialized = post(2, {"jsonrpc": "2.0", "method": "notifications/initialized"}, b"", "")
    initialized.status = 200  # must be 202
    found = http_problems([init, initialized], "streamable-legacy", "2025-11-25")
    assert any("no Mcp-Session-Id" in p for p in found), found
    assert any("MUST get 202 Accepted" in p for p in found), found
