"""Self-tests of stdio_bridge.py against a scripted stdio server; need no binary.

The scripted server (FAKE_SERVER) handles each request in a thread of its own (so many
can be in flight at once, as on the bridge's shared child) and answers with its pid and
the id and progress token it saw (`wire_id`, `wire_token`), so the tests see which child
served what and that the bridge rewrote ids on the shared child. Methods:
`sleep` waits `seconds` then answers with `value`; `progress` sends a progress
notification (message `value`) before its reply, after `seconds`; `fail` replies with the
error code it is given; `ask` sends a request to the client and answers with the
client's response; `subscriptions/listen` acknowledges with the listen request's id in
`_meta` (as the 2026-07-28 spec says) and stays open until cancelled;
`trigger` sends `notifications/tools/list_changed` to every open listen, tagged likewise;
`log` sends a `notifications/message` with `value` before its reply; `hang` never
answers; `cancellations` lists the `tag` params of the requests cancelled so far (by a
`notifications/cancelled` naming their id); `die` exits at once. A batch is answered
with the pid for each request in it.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_conformance_stdio import process_group_members

BRIDGE = Path(__file__).resolve().parent / "stdio_bridge.py"

FAKE_SERVER = r"""
import json, os, sys, threading, time
lock = threading.Lock()
requests = {}      # id key -> (method, params, cancelled event)
listens = {}       # id key -> listen id
cancelled_tags = []
answers = {}       # id key of our request to the client -> [event, response]

def key(value):
    return json.dumps(value, sort_keys=True)

def send(payload):
    with lock:
        sys.stdout.write(json.dumps(payload) + "\n")
        sys.stdout.flush()

def handle(message):
    method, id_ = message["method"], message["id"]
    params = message.get("params") or {}
    meta = params.get("_meta") or {}
    seen = {"pid": os.getpid(), "wire_id": id_, "wire_token": meta.get("progressToken")}
    done = requests[key(id_)][2]
    if method == "ask":
        # A request to the client; the reply waits for the client's response.
        answers[key("s1")] = [threading.Event(), None]
        send({"jsonrpc": "2.0", "id": "s1", "method": "elicitation/create", "params": {}})
        answers[key("s1")][0].wait()
        send({"jsonrpc": "2.0", "id": id_, "result": {"answer": answers[key("s1")][1].get("result")}})
        return
    if method == "subscriptions/listen":
        tag = {"io.modelcontextprotocol/subscriptionId": id_}
        send({"jsonrpc": "2.0", "method": "notifications/subscriptions/acknowledged",
              "params": {"_meta": tag, "notifications": params.get("notifications", {})}})
        with lock:
            listens[key(id_)] = id_
        done.wait()
        with lock:
            listens.pop(key(id_), None)
        return  # cancelled: no reply
    if method == "hang":
        done.wait()
        return
    if method == "die":
        os._exit(3)
    if method in ("sleep", "progress"):
        if method == "progress":
            send({"jsonrpc": "2.0", "method": "notifications/progress",
                  "params": {"progressToken": meta["progressToken"], "progress": 1, "message": params.get("value")}})
        time.sleep(params.get("seconds", 0))
        seen["value"] = params.get("value")
    if method == "trigger":
        with lock:
            ids = list(listens.values())
        for listen_id in ids:
            send({"jsonrpc": "2.0", "method": "notifications/tools/list_changed",
                  "params": {"_meta": {"io.modelcontextprotocol/subscriptionId": listen_id}}})
    if method == "log":
        send({"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "info", "data": params.get("value")}})
        seen["value"] = params.get("value")
    if method == "cancellations":
        with lock:
            seen["tags"] = list(cancelled_tags)
    if method == "fail":
        send({"jsonrpc": "2.0", "id": id_, "error": {"code": params["code"], "message": "failed"}})
    else:
        send({"jsonrpc": "2.0", "id": id_, "result": seen})

for line in sys.stdin:
    message = json.loads(line)
    if isinstance(message, list):
        send([{"jsonrpc": "2.0", "id": m["id"], "result": {"pid": os.getpid()}} for m in message if "id" in m])
        continue
    if "method" not in message:
        waiting = answers.get(key(message.get("id")))
        if waiting is not None:
            waiting[1] = message
            waiting[0].set()
        continue
    if "id" not in message:
        if message["method"] == "notifications/cancelled":
            entry = requests.get(key(message["params"]["requestId"]))
            if entry is not None:
                with lock:
                    cancelled_tags.append((entry[1] or {}).get("tag"))
                entry[2].set()
        continue
    requests[key(message["id"])] = (message["method"], message.get("params"), threading.Event())
    threading.Thread(target=handle, args=(message,), daemon=True).start()
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
    reply = json.loads(body)
    # A session's child sees the client's own ids.
    assert status == 200 and reply["id"] == 2 and reply["result"]["pid"] == child and reply["result"]["wire_id"] == 2
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


def modern(method: str, id_: Any = 1, **params: Any) -> dict[str, Any]:
    """A 2026-07-28 request (sessionless)."""
    meta = {**META, **params.pop("_meta", {})}
    return request(method, id_, _meta=meta, **params)


MODERN = {"MCP-Protocol-Version": "2026-07-28"}


def open_stream(url: str, message: Any) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    """POSTs a request and returns once the response starts (its first SSE event, for a stream)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    connection.request("POST", parts.path, body=json.dumps(message),
                       headers={"Content-Type": "application/json", "Accept": BOTH, **MODERN})
    return connection, connection.getresponse()


def next_event(response: http.client.HTTPResponse) -> dict[str, Any]:
    while True:
        line = response.readline()
        assert line, "the SSE stream ended"
        if line.startswith(b"data: "):
            return json.loads(line[len(b"data: "):])


def hang_up_after_sending(url: str, message: Any) -> None:
    """Sends a POST, waits until the bridge has surely forwarded it, and closes the connection."""
    parts = urllib.parse.urlsplit(url)
    body = json.dumps(message).encode()
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as connection:
        connection.sendall(
            b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2026-07-28\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )
        time.sleep(0.5)


def cancelled_tags(url: str, wanted: str) -> list[str]:
    """The tags of the requests the shared child saw cancelled, once `wanted` is among them."""
    deadline = time.monotonic() + 10
    while True:
        status, _, body = post(url, modern("cancellations", "c"), **MODERN)
        assert status == 200
        tags = json.loads(body)["result"]["tags"]
        if wanted in tags or time.monotonic() > deadline:
            return tags
        time.sleep(0.1)


def test_sessionless_requests_share_one_child_under_bridge_ids(bridge_url: str) -> None:
    replies = []
    for _ in range(2):
        status, headers, body = post(bridge_url, modern("tools/list", 1), **MODERN)
        assert status == 200 and "mcp-session-id" not in headers
        replies.append(json.loads(body))
    assert [r["id"] for r in replies] == [1, 1]
    pids = {r["result"]["pid"] for r in replies}
    wire_ids = [r["result"]["wire_id"] for r in replies]
    assert len(pids) == 1 and alive(next(iter(pids))), "sessionless requests met different stdio servers"
    assert all(isinstance(w, int) for w in wire_ids) and wire_ids[0] != wire_ids[1]
    # String ids are restored as strings.
    status, _, body = post(bridge_url, modern("tools/list", "x"), **MODERN)
    assert status == 200 and json.loads(body)["id"] == "x" and json.loads(body)["result"]["pid"] in pids
    # An initialize (which could open a legacy session) and a batch never reach the shared child.
    status, _, body = post(bridge_url, modern("initialize", 1, protocolVersion="2026-07-28"), **MODERN)
    assert json.loads(body)["result"]["pid"] not in pids
    status, _, body = post(bridge_url, [modern("tools/list", 1)], **MODERN)
    assert status == 200 and json.loads(body)[0]["result"]["pid"] not in pids


def test_concurrent_clients_with_the_same_id_and_progress_token(bridge_url: str) -> None:
    results: dict[str, Any] = {}

    def call(value: str, seconds: float) -> None:
        message = modern("progress", 7, seconds=seconds, value=value, _meta={"progressToken": "tok"})
        status, headers, body = post(bridge_url, message, **MODERN)
        results[value] = (status, headers["content-type"], sse_data(body), time.monotonic())

    slow = threading.Thread(target=call, args=("a", 1.5))
    slow.start()
    time.sleep(0.3)  # "a" is in flight in the shared child when "b" arrives
    call("b", 0.0)
    slow.join(20)
    assert results["b"][3] < results["a"][3], "the quick request waited for the slow one"
    pids = set()
    for value in ("a", "b"):
        status, content_type, events, _ = results[value]
        assert status == 200 and content_type == "text/event-stream"
        progress, reply = events
        assert progress["method"] == "notifications/progress"
        assert progress["params"]["progressToken"] == "tok" and progress["params"]["message"] == value
        assert reply["id"] == 7 and reply["result"]["value"] == value
        # The child saw bridge-unique ids, and the id as progress token.
        assert reply["result"]["wire_token"] == reply["result"]["wire_id"] != 7
        pids.add(reply["result"]["pid"])
    assert len(pids) == 1


def test_listen_streams_hear_of_a_change_another_request_makes(bridge_url: str) -> None:
    # Two clients listen, both with id 1; a third triggers the change, also with id 1.
    streams = [open_stream(bridge_url, modern("subscriptions/listen", 1, tag=f"listen-{n}",
                                              notifications={"toolsListChanged": True}))
               for n in range(2)]
    try:
        for _, response in streams:
            assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
            ack = next_event(response)
            assert ack["method"] == "notifications/subscriptions/acknowledged"
            assert ack["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == 1
        # Logs are request-scoped: a log goes to its request, never to a listen stream.
        status, _, body = post(bridge_url, modern("log", 1, value="hello", _meta={"io.modelcontextprotocol/logLevel": "info"}), **MODERN)
        assert status == 200 and [e.get("method") for e in sse_data(body)] == ["notifications/message", None]
        status, _, body = post(bridge_url, modern("trigger", 1), **MODERN)
        assert status == 200 and json.loads(body)["id"] == 1
        for _, response in streams:
            change = next_event(response)
            assert change == {
                "jsonrpc": "2.0", "method": "notifications/tools/list_changed",
                "params": {"_meta": {"io.modelcontextprotocol/subscriptionId": 1}},
            }
    finally:
        streams[0][0].close()
    # Hanging up ends that subscription (notifications/cancelled for its id), not the other.
    assert "listen-0" in cancelled_tags(bridge_url, "listen-0")
    try:
        status, _, _ = post(bridge_url, modern("trigger", 2), **MODERN)
        assert status == 200
        assert next_event(streams[1][1])["method"] == "notifications/tools/list_changed"
    finally:
        streams[1][0].close()
    assert "listen-1" in cancelled_tags(bridge_url, "listen-1")


def test_hanging_up_cancels_the_request(bridge_url: str) -> None:
    hang_up_after_sending(bridge_url, modern("hang", 1, tag="hung"))
    assert "hung" in cancelled_tags(bridge_url, "hung")


def test_the_shared_child_is_restarted_after_it_dies(bridge_url: str) -> None:
    _, _, body = post(bridge_url, modern("tools/list", 1), **MODERN)
    first = json.loads(body)["result"]["pid"]
    status, _, body = post(bridge_url, modern("die", 2), **MODERN)
    assert status == 502 and json.loads(body)["error"]["code"] == -32603
    status, _, body = post(bridge_url, modern("tools/list", 3), **MODERN)
    assert status == 200
    second = json.loads(body)["result"]["pid"]
    assert second != first and alive(second)
    deadline = time.monotonic() + 10
    while alive(first) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(first), "the dead shared stdio server was not reaped"
    status, _, body = post(bridge_url, modern("tools/list", 4), **MODERN)
    assert json.loads(body)["result"]["pid"] == second


def test_requests_of_the_shared_child_to_the_client(bridge_url: str) -> None:
    """A 2026-07-28 server should write none; if one does, it goes to the oldest request's
    stream, and the client's (sessionless) response goes back to the shared child."""
    connection, response = open_stream(bridge_url, modern("ask", 9))
    try:
        assert next_event(response) == {"jsonrpc": "2.0", "id": "s1", "method": "elicitation/create", "params": {}}
        answer = {"jsonrpc": "2.0", "id": "s1", "result": {"action": "accept"}}
        assert post(bridge_url, answer, **MODERN)[0] == 202
        assert next_event(response) == {"jsonrpc": "2.0", "id": 9, "result": {"answer": {"action": "accept"}}}
    finally:
        connection.close()


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
    got, _, body = post(bridge_url, request("fail", code=code, _meta=meta), **MODERN)
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
