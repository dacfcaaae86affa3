"""Self-tests of stdio_bridge.py against a scripted stdio server; need no binary.

The scripted server (FAKE_SERVER) answers every request with its own pid, so the tests
see which child served what; `progress` sends a progress notification before its reply,
and `fail` replies with the error code it is given.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_conformance_stdio import process_group_members

BRIDGE = Path(__file__).resolve().parent / "stdio_bridge.py"

FAKE_SERVER = r"""
import json, os, sys
for line in sys.stdin:
    message = json.loads(line)
    if "id" not in message or "method" not in message:
        continue
    params = message.get("params") or {}
    def send(payload):
        sys.stdout.write(json.dumps(payload) + "\n")
        sys.stdout.flush()
    if message["method"] == "ask":
        # A request to the client; the reply waits for the client's response.
        send({"jsonrpc": "2.0", "id": "s1", "method": "elicitation/create", "params": {}})
        answer = json.loads(sys.stdin.readline())
        send({"jsonrpc": "2.0", "id": message["id"], "result": {"answer": answer.get("result")}})
        continue
    if message["method"] == "progress":
        token = params["_meta"]["progressToken"]
        send({"jsonrpc": "2.0", "method": "notifications/progress", "params": {"progressToken": token, "progress": 1}})
    if message["method"] == "fail":
        send({"jsonrpc": "2.0", "id": message["id"], "error": {"code": params["code"], "message": "failed"}})
    else:
        send({"jsonrpc": "2.0", "id": message["id"], "result": {"pid": os.getpid()}})
"""

META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}
JSON_ONLY = "application/json"
BOTH = "application/json, text/event-stream"


@pytest.fixture
def bridge_url(tmp_path: Path) -> Iterator[str]:
    fake = tmp_path / "fake_server.py"
    fake.write_text(FAKE_SERVER, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(BRIDGE), "--timeout", "10", "--", sys.executable, str(fake)],
        stdout=subprocess.PIPE, stderr=open(tmp_path / "bridge.stderr", "wb"),  # noqa: SIM115
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode()
        assert line.startswith("bridging MCP at http://127.0.0.1:"), line
        yield line.split()[3]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(20)
        leftovers = process_group_members(process.pid)
        if leftovers:
            os.killpg(process.pid, signal.SIGKILL)
        assert not leftovers, f"children outlived the bridge: {leftovers}"


def post(url: str, message: Any, accept: str = BOTH, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        url, data=json.dumps(message).encode(), method="POST",
        headers={"Content-Type": "application/json", "Accept": accept, **headers},
    )
    return send(request)


def send(request: urllib.request.Request) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def request(method: str, id_: int = 1, **params: Any) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": id_, "method": method, "params": params}


def sse_data(body: bytes) -> list[dict[str, Any]]:
    return [json.loads(line[len(b"data: "):]) for line in body.splitlines() if line.startswith(b"data: ")]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ", 1)[1][0] != "Z"


def test_session_keeps_one_child_until_delete(bridge_url: str) -> None:
    status, headers, body = post(bridge_url, request("initialize", protocolVersion="2025-11-25"))
    assert status == 200 and headers["content-type"] == "application/json"
    session = headers["mcp-session-id"]
    child = json.loads(body)["result"]["pid"]
    assert post(bridge_url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, **{"Mcp-Session-Id": session})[0] == 202
    status, _, body = post(bridge_url, request("tools/list", 2), **{"Mcp-Session-Id": session})
    assert status == 200 and json.loads(body) == {"jsonrpc": "2.0", "id": 2, "result": {"pid": child}}
    # Legacy: an unknown method is a 200 with the error.
    status, _, body = post(bridge_url, request("fail", 3, code=-32601), **{"Mcp-Session-Id": session})
    assert status == 200 and json.loads(body)["error"]["code"] == -32601

    status, _, _ = send(urllib.request.Request(bridge_url, method="DELETE", headers={"Mcp-Session-Id": session}))
    assert status == 200
    deadline = time.monotonic() + 10
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child), "DELETE left the session's stdio server running"
    assert post(bridge_url, request("tools/list", 4), **{"Mcp-Session-Id": session})[0] == 404


def test_notifications_before_the_reply_make_a_stream(bridge_url: str) -> None:
    _, headers, _ = post(bridge_url, request("initialize", protocolVersion="2025-11-25"))
    session = {"Mcp-Session-Id": headers["mcp-session-id"]}
    progress = request("progress", 2, _meta={"progressToken": "p"})
    status, headers, body = post(bridge_url, progress, **session)
    assert status == 200 and headers["content-type"] == "text/event-stream"
    events = sse_data(body)
    assert [e.get("method") for e in events] == ["notifications/progress", None]
    assert events[0]["params"]["progressToken"] == "p" and events[1]["id"] == 2
    # A client that accepts only JSON gets the reply alone.
    status, headers, body = post(bridge_url, {**progress, "id": 3}, accept=JSON_ONLY, **session)
    assert status == 200 and headers["content-type"] == "application/json" and json.loads(body)["id"] == 3


def test_each_stateless_request_gets_a_fresh_child(bridge_url: str) -> None:
    pids = []
    for id_ in (1, 2):
        status, headers, body = post(bridge_url, request("tools/list", id_, _meta=META), **{"MCP-Protocol-Version": "2026-07-28"})
        assert status == 200 and "mcp-session-id" not in headers
        pids.append(json.loads(body)["result"]["pid"])
    assert pids[0] != pids[1]
    deadline = time.monotonic() + 10  # the bridge ends the child just after replying
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in pids), "a stateless request's stdio server outlived its reply"


@pytest.mark.parametrize(
    ("code", "meta", "status"),
    [
        (-32601, META, 404),
        (-32602, META, 200),  # e.g. an unknown tool
        (-32602, {}, 400),  # a request missing required `_meta` fields is malformed
        (-32600, META, 400),
        (-32700, META, 400),
        (-32020, META, 400),
        (-32021, META, 400),
        (-32022, META, 400),
        (-32603, META, 200),
    ],
)
def test_stateless_error_statuses(bridge_url: str, code: int, meta: dict[str, Any], status: int) -> None:
    got, _, body = post(bridge_url, request("fail", code=code, _meta=meta), **{"MCP-Protocol-Version": "2026-07-28"})
    assert (got, json.loads(body)["error"]["code"]) == (status, code)


def test_get_and_delete_need_a_session(bridge_url: str) -> None:
    for method in ("GET", "DELETE"):
        status, headers, _ = send(urllib.request.Request(bridge_url, method=method, headers={"Accept": BOTH}))
        assert status == 405 and headers["allow"] == "POST"
        status, _, _ = send(urllib.request.Request(bridge_url, method=method, headers={"Mcp-Session-Id": "nope"}))
        assert status == 404
    assert post(bridge_url, {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {}})[0] == 202


def test_requests_to_the_client_go_out_on_the_stream_and_responses_come_back(bridge_url: str) -> None:
    _, headers, _ = post(bridge_url, request("initialize", protocolVersion="2025-11-25"))
    session = {"Mcp-Session-Id": headers["mcp-session-id"]}
    ask = urllib.request.Request(
        bridge_url, data=json.dumps(request("ask", 2)).encode(), method="POST",
        headers={"Content-Type": "application/json", "Accept": BOTH, **session},
    )
    with urllib.request.urlopen(ask, timeout=20) as stream:
        assert stream.headers["Content-Type"] == "text/event-stream"
        first = b""
        while not first.startswith(b"data: "):
            first = stream.readline()
        assert json.loads(first[len(b"data: "):]) == {
            "jsonrpc": "2.0", "id": "s1", "method": "elicitation/create", "params": {},
        }
        response = {"jsonrpc": "2.0", "id": "s1", "result": {"action": "accept"}}
        assert post(bridge_url, response, **session)[0] == 202
        rest = sse_data(stream.read())
    assert rest == [{"jsonrpc": "2.0", "id": 2, "result": {"answer": {"action": "accept"}}}]
