"""Streamable HTTP in front of stdio MCP servers: one shared stdio server for 2026-07-28
requests, a fresh one for each legacy session.

The official conformance suite only speaks HTTP. This bridge lets it test a server's stdio
transport: it serves Streamable HTTP at `/mcp` on 127.0.0.1 and forwards every message,
one JSON line at a time, to a child process speaking stdio (by default
`everything --transport stdio`). It adds framing only, never MCP semantics:

  * `POST` of a legacy `initialize` (no `Mcp-Session-Id`, no 2026-07-28 version in the
    `MCP-Protocol-Version` header or in `_meta`) spawns a fresh child, forwards the
    message and returns the child's reply. When the reply is a result, the bridge mints a
    session id (`Mcp-Session-Id`) bound to that child; otherwise the child is ended.
  * `POST` with `Mcp-Session-Id` goes to that session's child, unchanged. A request waits
    for the child's reply with the same id. Notifications and responses are forwarded
    and get `202`.
  * A sessionless `POST` of a single request whose id is a string or an integer (a
    2026-07-28 request) goes to the shared child: ONE long-lived stdio server, started
    with the first such request and started again by the next one after it exits, that
    serves the sessionless requests of every HTTP client concurrently over its one
    stdin/stdout, as a stdio client with many requests in flight would (see
    "Multiplexing" below).
  * Any other sessionless `POST` (a batch, a body that is not JSON-RPC, a request whose
    id is neither a string nor an integer, and any `initialize`, which would open a
    legacy session inside the shared child) goes to a child of its own, which is ended
    after the reply. Sessionless notifications get `202` and reach no child (a client's
    `notifications/cancelled` names its own id, which the bridge cannot tell apart from
    another client's; over HTTP a client cancels by hanging up). A sessionless response
    gets `202` and is forwarded to the shared child only if it answers a request that
    child wrote (there should be none, see below); else it reaches no child.
  * A reply is JSON, unless the child wrote a message routed to the request (progress, a
    log, a subscription notification, a request to the client) before it and the client
    accepts `text/event-stream`: then the response is an SSE stream of those messages,
    ending with the reply.
  * `GET` with a session opens the session's standalone SSE stream (messages the child
    writes while no request is in flight); `DELETE` ends the child. Both are `405`
    without a session and `404` for an unknown one.

The child knows nothing of HTTP, so the status codes the transport rules tie to JSON-RPC
errors are derived from the error code of the child's reply, as the HTTP transport of
`mcp` does: `400` for -32700, -32600, -32020, -32021, -32022; for sessionless (2026-07-28)
requests also `404` for -32601, and `400` for -32602 when the request lacks a required
`_meta` field (a malformed request, which the 2026-07-28 rules answer with `400`).
HTTP-only checks (Origin, `Mcp-Method`/`Mcp-Name` against the body, resumable SSE) are
not done here: they belong to an HTTP transport, not to stdio.

Multiplexing (the shared child). Requests from different HTTP clients may carry the same
JSON-RPC id, and so may their progress tokens, so the bridge rewrites both on the way in:
each request gets a bridge-unique integer id (1, 2, 3, ... per shared child), and a
`_meta.progressToken` that is a string or an integer is replaced by that same integer.
The bridge remembers (HTTP request, original id, original token) and restores them in
what it hands back. What the shared child writes is routed like this:

  * a response: to the request with its (rewritten) id, with the original id restored;
  * a message whose `params._meta` has `io.modelcontextprotocol/subscriptionId`: to the
    `subscriptions/listen` request with that (rewritten) id, with the original id
    restored in that field. The 2026-07-28 spec has every message of a listen stream
    carry the JSON-RPC id of the listen request there (`basic/patterns/subscriptions`),
    and `mcp` puts it on the acknowledgement, on each `notifications/*/list_changed`, and
    in the `_meta` of the completion result that ends a subscription; that result's
    field is restored too. Tagged messages of a subscription no longer in flight are
    dropped;
  * `notifications/progress`: to the request that carries its (rewritten) token, with
    the original token restored; progress for no request in flight is dropped;
  * `notifications/cancelled` naming a listen request: the server ended that
    subscription (the stdio form, `basic/patterns/cancellation`); the bridge ends the
    listen request's SSE stream (the HTTP form) without forwarding the notification;
  * anything else (a `notifications/message` log, which carries no request id on stdio;
    a request to the client): to the oldest request in flight that is not a listen
    request (listen streams carry only their own subscription's messages, and logs are
    request-scoped), preferring for a log the oldest one that set
    `io.modelcontextprotocol/logLevel` (the server may log only for those); with none in
    flight it is dropped. With several such requests in flight a log may so reach the
    wrong one: stdio gives no way to tell. A 2026-07-28 server writes no requests to the
    client (input requests are `input_required` results), so that case should not occur.

A `subscriptions/listen` request is exempt from `--timeout`: its stream stays open, with
an SSE comment every 15 s of silence, until the server ends it or the client hangs up.

A client that hangs up while waiting (or whose request gets no reply within `--timeout`)
stops the wait. For the shared child the bridge then sends
`notifications/cancelled` with the rewritten id, the 2026-07-28 way to cancel a request
on stdio and to end a subscription (`basic/transports/stdio`, "Cancellation"); a late
reply is dropped. A child of its own gets the stdio form of hanging up (its stdin
closes; it answers what is in flight and exits); a session's child is left alone (its
late reply is dropped). Sessions whose client never sends `DELETE` end after
`--session-idle` seconds without traffic (the shared child does not expire). Replies the
child does not give within `--timeout` seconds are answered `504`. If the shared child
exits, the requests in flight in it are answered `502` (or their SSE streams end) and
their subscriptions are gone, as after any stdio server restart; the next sessionless
request starts a new one.

Usage (prints `bridging MCP at http://127.0.0.1:PORT/mcp` on stdout once it listens):

    python stdio_bridge.py [--port 0] [--timeout 60] [-- COMMAND ARG...]

The default command is `$EVERYTHING_BIN --transport stdio` (or
`target/debug/everything --transport stdio`). SIGTERM or SIGINT ends every child and
exits. Children inherit the bridge's environment and write their stderr to the bridge's
stderr. Since every 2026-07-28 request meets the same process, a sealed `requestState`
a server hands a client comes back to the process that sealed it: no shared key
(`MCP_STATE_SECRET` for `mcp` servers) is needed, except for states to survive a restart
of the shared child.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import queue
import re
import select
import socket
import signal
import subprocess
import sys
import threading
import time
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]

MODERN_VERSION = "2026-07-28"
PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion"
CLIENT_CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities"
REQUIRED_META_KEYS = (PROTOCOL_VERSION_KEY, CLIENT_CAPABILITIES_KEY)
SUBSCRIPTION_ID_KEY = "io.modelcontextprotocol/subscriptionId"
LOG_LEVEL_KEY = "io.modelcontextprotocol/logLevel"
LISTEN = "subscriptions/listen"

# JSON-RPC error codes that decide an HTTP status.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
HEADER_MISMATCH = -32020
MISSING_REQUIRED_CLIENT_CAPABILITY = -32021
UNSUPPORTED_PROTOCOL_VERSION = -32022
BAD_REQUEST_CODES = frozenset(
    {PARSE_ERROR, INVALID_REQUEST, HEADER_MISMATCH, MISSING_REQUIRED_CLIENT_CAPABILITY, UNSUPPORTED_PROTOCOL_VERSION}
)

KEEP_ALIVE_SECONDS = 15.0
"""How often an idle `GET` stream, or a silent `subscriptions/listen` stream, sends an SSE comment."""

POLL_SECONDS = 0.25
"""How often a handler waiting for the child checks whether its client hung up."""

EXIT_GRACE_SECONDS = 5.0
"""How long a child gets to exit after its stdin closes before it is killed."""

MAX_BODY_BYTES = 16 * 1024 * 1024


def log(message: str) -> None:
    print(f"stdio_bridge: {message}", file=sys.stderr, flush=True)


def id_key(value: Any) -> str:
    """A dictionary key for a JSON-RPC id (1 and "1" stay distinct)."""
    return json.dumps(value, sort_keys=True)


def is_request(message: Any) -> bool:
    return isinstance(message, dict) and "method" in message and "id" in message


def is_plain_id(value: Any) -> bool:
    """Whether a value is a valid JSON-RPC id or progress token: a string or an integer."""
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def meta_of(message: Any) -> dict[str, Any] | None:
    """The `params._meta` object of a message, if it has one."""
    params = message.get("params") if isinstance(message, dict) else None
    meta = params.get("_meta") if isinstance(params, dict) else None
    return meta if isinstance(meta, dict) else None


def encode(message: Any) -> bytes:
    """One message as one compact JSON line (without the newline)."""
    try:
        return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode()
    except UnicodeEncodeError:  # a lone surrogate: escape it rather than write bad UTF-8
        return json.dumps(message, separators=(",", ":")).encode()


def lacks_required_meta(message: Any) -> bool:
    params = message.get("params") if isinstance(message, dict) else None
    meta = params.get("_meta") if isinstance(params, dict) else None
    return not isinstance(meta, dict) or any(key not in meta for key in REQUIRED_META_KEYS)


def error_code(reply: Any) -> int | None:
    """The JSON-RPC error code of a reply (the first error of a batch reply)."""
    replies = reply if isinstance(reply, list) else [reply]
    for item in replies:
        if isinstance(item, dict) and isinstance(item.get("error"), dict):
            code = item["error"].get("code")
            return code if isinstance(code, int) else None
    return None


def http_status(reply: Any, request: Any, stateless: bool) -> int:
    code = error_code(reply)
    if code is None:
        return 200
    if code in BAD_REQUEST_CODES:
        return 400
    if stateless and code == METHOD_NOT_FOUND:
        return 404
    if stateless and code == INVALID_PARAMS and lacks_required_meta(request):
        return 400
    return 200


# --------------------------------------------------------------------------------------
# Children


class Exchange:
    """One forwarded request: the messages routed to it, then its reply.

    `wire_id` and `token` are the request's id and progress token as the child sees them
    (rewritten for the shared child); `original_id` and `original_token` are the client's.
    """

    def __init__(self, request: Any) -> None:
        self.request = request
        self.listen = is_request(request) and request["method"] == LISTEN
        self.original_id = request["id"] if is_request(request) else None
        self.wire_id = self.original_id
        meta = meta_of(request)
        self.has_token = meta is not None and "progressToken" in meta
        self.original_token = meta["progressToken"] if meta is not None and self.has_token else None
        self.token = id_key(self.original_token) if self.has_token else None
        """The progress token as the child sees it, as an id key (None without one)."""
        self.logs = meta is not None and LOG_LEVEL_KEY in meta
        """Whether the request asked for log messages (`io.modelcontextprotocol/logLevel`)."""
        self.events: queue.Queue[tuple[str, bytes | None]] = queue.Queue()

    def put(self, kind: str, line: bytes | None) -> None:
        self.events.put((kind, line))


class Child:
    """One stdio server process, its stdin writer, and the reader routing what it writes.

    A multiplexed child (the shared one) serves many HTTP clients: requests are sent with
    `send_request`, which gives them bridge-unique ids and progress tokens, and what it
    writes is restored to the clients' ids and tokens on the way back.
    """

    def __init__(self, command: list[str], registry: Children, multiplexed: bool = False) -> None:
        self.registry = registry
        self.multiplexed = multiplexed
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None, bufsize=0,
        )
        self.lock = threading.Lock()
        self.pending: dict[str, Exchange] = {}
        """Requests in flight by (wire) id key, in the order they were sent."""
        self.batches: collections.deque[Exchange] = collections.deque()
        """Batch requests and unparseable bodies in flight, answered in order."""
        self.standalone: queue.Queue[bytes | None] | None = None
        self.last_wire_id = 0
        """The last id `send_request` gave (multiplexed children)."""
        self.asked: set[str] = set()
        """Id keys of requests to the client this (multiplexed) child wrote, not yet answered."""
        self.closed = threading.Event()
        self.last_active = time.monotonic()
        self.reader = threading.Thread(target=self._read, daemon=True, name=f"child-{self.process.pid}")
        self.reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _write(self, line: bytes) -> None:
        """Writes one line; the lock is held."""
        if self.closed.is_set():
            raise BrokenPipeError("the stdio server has exited")
        self.last_active = time.monotonic()
        assert self.process.stdin is not None
        self.process.stdin.write(line)
        self.process.stdin.flush()

    def send(self, body: bytes, exchange: Exchange | None = None, batch: bool = False) -> None:
        """Writes one message as one line, registering the exchange its reply goes to first."""
        line = b" ".join(body.splitlines()).strip() + b"\n"
        with self.lock:
            if exchange is not None and not self.closed.is_set():
                if batch:
                    self.batches.append(exchange)
                else:
                    self.pending[id_key(exchange.request["id"])] = exchange
            try:
                self._write(line)
            except OSError:
                self._forget(exchange)
                raise

    def send_request(self, exchange: Exchange) -> None:
        """Multiplexed: writes the exchange's request under a bridge-unique id, its progress
        token (a string or an integer) replaced by that id, and registers the exchange."""
        with self.lock:
            if self.closed.is_set():
                raise BrokenPipeError("the stdio server has exited")
            self.last_wire_id += 1
            wire_id = self.last_wire_id
            message = dict(exchange.request)
            message["id"] = wire_id
            if exchange.has_token and is_plain_id(exchange.original_token):
                params = dict(message["params"])
                params["_meta"] = {**params["_meta"], "progressToken": wire_id}
                message["params"] = params
                exchange.token = id_key(wire_id)
            exchange.wire_id = wire_id
            self.pending[id_key(wire_id)] = exchange
            try:
                self._write(encode(message) + b"\n")
            except OSError:
                self._forget(exchange)
                raise

    def forget(self, exchange: Exchange) -> None:
        with self.lock:
            self._forget(exchange)

    def _forget(self, exchange: Exchange | None) -> bool:
        """Stops routing to an exchange; whether it was still in flight."""
        if exchange is None:
            return False
        found = False
        for key, value in list(self.pending.items()):
            if value is exchange:
                del self.pending[key]
                found = True
        if exchange in self.batches:
            self.batches.remove(exchange)
            found = True
        return found

    def cancel(self, exchange: Exchange, reason: str) -> None:
        """Stops routing to an exchange whose client is gone (or out of time). A multiplexed
        child is sent `notifications/cancelled` for the request, if it was still in
        flight (for a `subscriptions/listen` request, that ends the subscription)."""
        with self.lock:
            if not self._forget(exchange) or not self.multiplexed or self.closed.is_set():
                return
            cancelled = {
                "jsonrpc": "2.0", "method": "notifications/cancelled",
                "params": {"requestId": exchange.wire_id, "reason": reason},
            }
            try:
                self._write(encode(cancelled) + b"\n")
            except OSError:
                pass

    def take_asked(self, request_id: Any) -> bool:
        """Whether the child asked the client a request with this id (forgetting it)."""
        with self.lock:
            key = id_key(request_id)
            if key in self.asked:
                self.asked.discard(key)
                return True
            return False

    def idle_for(self) -> float:
        """Seconds since the last message was sent, or 0 while anything is in flight or streaming."""
        with self.lock:
            if self.pending or self.batches or self.standalone is not None:
                return 0.0
            return time.monotonic() - self.last_active

    def open_stream(self) -> queue.Queue[bytes | None] | None:
        """The session's standalone stream, or None when one is open already."""
        with self.lock:
            if self.standalone is not None:
                return None
            self.standalone = queue.Queue()
            return self.standalone

    def close_stream(self, stream: queue.Queue[bytes | None]) -> None:
        with self.lock:
            if self.standalone is stream:
                self.standalone = None

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in iter(self.process.stdout.readline, b""):
            line = raw.strip()
            if not line:
                continue
            try:
                message = json.loads(line)
            except ValueError:
                log(f"child {self.pid} wrote a line that is not JSON: {line[:200]!r}")
                continue
            self._route(message, line)
        with self.lock:
            self.closed.set()
            waiting = list(self.pending.values()) + list(self.batches)
            self.pending.clear()
            self.batches.clear()
            self.asked.clear()
            stream = self.standalone
        for exchange in waiting:
            exchange.put("closed", None)
        if stream is not None:
            stream.put(None)
        self.registry.exited(self)

    def _route(self, message: Any, line: bytes) -> None:
        with self.lock:
            target, kind, out = self._target(message, line)
            if target is not None:
                target.put(kind, out)
                return
            if kind == "message" and self.standalone is not None:
                self.standalone.put(out)
                return
        log(f"child {self.pid}: no one to deliver to, dropped {line[:200]!r}")

    def _target(self, message: Any, line: bytes) -> tuple[Exchange | None, str, bytes]:
        """Where a message goes, as what kind of event, and its bytes (ids restored); the
        lock is held. A None target with kind "message" may go to the standalone stream."""
        if isinstance(message, list):
            return (self.batches.popleft() if self.batches else None), "reply", line
        if not isinstance(message, dict):
            return None, "dropped", line
        if "method" not in message:
            target = self.pending.pop(id_key(message.get("id")), None)
            if target is None and message.get("id") is None and self.batches:
                target = self.batches.popleft()
            if target is None or not self.multiplexed:
                return target, "reply", line
            message["id"] = target.original_id
            result = message.get("result")
            meta = result.get("_meta") if isinstance(result, dict) else None
            if target.listen and isinstance(meta, dict) and meta.get(SUBSCRIPTION_ID_KEY) == target.wire_id:
                meta[SUBSCRIPTION_ID_KEY] = target.original_id
            return target, "reply", encode(message)

        method = message["method"]
        params = message.get("params")
        meta = meta_of(message)
        if meta is not None and SUBSCRIPTION_ID_KEY in meta:
            # A message of a subscriptions/listen stream: it names the listen request.
            target = self.pending.get(id_key(meta[SUBSCRIPTION_ID_KEY]))
            if target is None:
                return None, "dropped", line
            if self.multiplexed:
                meta[SUBSCRIPTION_ID_KEY] = target.original_id
                line = encode(message)
            return target, "message", line
        if method == "notifications/progress" and isinstance(params, dict):
            token = id_key(params.get("progressToken"))
            target = next((e for e in self.pending.values() if e.token == token), None)
            if target is not None:
                if self.multiplexed:
                    params["progressToken"] = target.original_token
                    line = encode(message)
                return target, "message", line
            if self.multiplexed:
                return None, "dropped", line
        if method == "notifications/cancelled" and "id" not in message and isinstance(params, dict):
            # The server ends a subscription (stdio); over HTTP it closes the stream.
            target = self.pending.get(id_key(params.get("requestId")))
            if target is not None and target.listen:
                self._forget(target)
                return target, "ended", line
        in_flight = [e for e in [*self.pending.values(), *self.batches] if not e.listen]
        if method == "notifications/message":
            in_flight = [e for e in in_flight if e.logs] or in_flight
        target = in_flight[0] if in_flight else None
        if target is None and self.multiplexed:
            return None, "dropped", line
        if target is not None and self.multiplexed and "id" in message:
            self.asked.add(id_key(message["id"]))
        return target, "message", line

    def end(self) -> None:
        """Closes stdin (the server answers what is in flight and exits), then kills."""
        with self.lock:
            try:
                if self.process.stdin is not None and not self.process.stdin.closed:
                    self.process.stdin.close()
            except OSError:
                pass
        try:
            self.process.wait(EXIT_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            log(f"child {self.pid} did not exit {EXIT_GRACE_SECONDS} s after its stdin closed: killing it")
            self.process.kill()
            self.process.wait()
        if self.reader is not threading.current_thread():
            self.reader.join(EXIT_GRACE_SECONDS)


class Children:
    """Every child alive, the sessions naming some of them, and the shared child."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.lock = threading.Lock()
        self.alive: set[Child] = set()
        self.sessions: dict[str, Child] = {}
        self.shared_child: Child | None = None
        self.spawned = 0
        self.stopping = False

    def spawn(self) -> Child:
        with self.lock:
            return self._spawn(multiplexed=False)

    def _spawn(self, multiplexed: bool) -> Child:
        """A new child; the lock is held."""
        if self.stopping:
            raise RuntimeError("the bridge is shutting down")
        child = Child(self.command, self, multiplexed=multiplexed)
        self.alive.add(child)
        self.spawned += 1
        return child

    def shared(self) -> Child:
        """The shared child of sessionless requests, started now if none is running."""
        with self.lock:
            child = self.shared_child
            if child is None or child.closed.is_set() or child.process.poll() is not None:
                child = self._spawn(multiplexed=True)
                self.shared_child = child
            return child

    def current_shared(self) -> Child | None:
        with self.lock:
            return self.shared_child

    def exited(self, child: Child) -> None:
        """Called by a child's reader when the child closed its stdout."""
        with self.lock:
            for session_id, owner in list(self.sessions.items()):
                if owner is child:
                    del self.sessions[session_id]
            if child is self.shared_child:
                self.shared_child = None
            if not child.multiplexed or self.stopping:
                return  # reaped by its handler, DELETE, expiry, or at the latest stop_all
        log(f"the shared stdio server {child.pid} has exited; the next sessionless request starts another")
        threading.Thread(target=self.reap, args=(child,), daemon=True, name=f"reap-{child.pid}").start()

    def reap(self, child: Child) -> None:
        child.end()
        with self.lock:
            self.alive.discard(child)

    def open_session(self, child: Child) -> str:
        session_id = uuid.uuid4().hex
        with self.lock:
            self.sessions[session_id] = child
        return session_id

    def session(self, session_id: str) -> Child | None:
        with self.lock:
            return self.sessions.get(session_id)

    def close_session(self, session_id: str) -> Child | None:
        with self.lock:
            return self.sessions.pop(session_id, None)

    def expire_idle(self, limit: float) -> None:
        """Ends the sessions idle for more than `limit` seconds (clients that never DELETE)."""
        with self.lock:
            idle = [(sid, child) for sid, child in self.sessions.items() if child.idle_for() > limit]
            for session_id, _ in idle:
                del self.sessions[session_id]
        for session_id, child in idle:
            log(f"session {session_id[:8]}… idle for over {limit:g} s: ending child {child.pid}")
            self.reap(child)

    def stop_all(self) -> None:
        with self.lock:
            self.stopping = True
            children = list(self.alive)
            self.sessions.clear()
        threads = [threading.Thread(target=self.reap, args=(child,)) for child in children]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


# --------------------------------------------------------------------------------------
# HTTP


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Bridge

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        if self.server.verbose:
            log(format % args)

    # -- helpers

    def accepts_sse(self) -> bool:
        accept = ",".join(self.headers.get_all("Accept") or [])
        return "text/event-stream" in accept or "*/*" in accept

    def send_body(self, status: int, body: bytes, content_type: str = "application/json",
                  headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def send_error_reply(self, status: int, code: int, message: str, headers: dict[str, str] | None = None) -> None:
        error = {"jsonrpc": "2.0", "id": None, "error": {"code": code, "message": message}}
        body = json.dumps(error, separators=(",", ":")).encode()
        self.send_body(status, body, headers=headers)

    def send_empty(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def start_sse(self, headers: dict[str, str] | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def write_event(self, line: bytes) -> None:
        self.write_chunk(b"event: message\ndata: " + line + b"\n\n")

    def end_sse(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def wrong_path(self) -> bool:
        if self.path.split("?", 1)[0] == "/mcp":
            return False
        self.send_body(404, b"not found: the MCP endpoint is /mcp\n", "text/plain")
        return True

    def session_or_refusal(self) -> tuple[str, Child] | None:
        """The session a GET or DELETE names; answers 405/404 itself when there is none."""
        session_id = self.headers.get("Mcp-Session-Id")
        if session_id is None:
            self.send_body(405, b"2026-07-28 has no GET or DELETE on the MCP endpoint; POST requests instead\n",
                           "text/plain", {"Allow": "POST"})
            return None
        child = self.server.children.session(session_id)
        if child is None:
            self.session_not_found()
            return None
        return session_id, child

    def session_not_found(self) -> None:
        self.send_error_reply(404, INVALID_REQUEST, "session not found: it ended or expired; send initialize again")

    # -- POST

    def do_POST(self) -> None:  # noqa: N802 (the base class's name)
        if self.wrong_path():
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self.send_error_reply(413, INVALID_REQUEST, "body too large")
            self.close_connection = True
            return
        body = self.rfile.read(length)
        try:
            message = json.loads(body)
        except ValueError:
            message = None
        parsed = message is not None or body.strip() == b"null"
        session_id = self.headers.get("Mcp-Session-Id")
        if session_id is not None:
            child = self.server.children.session(session_id)
            if child is None:
                self.session_not_found()
                return
            self.forward(child, body, message, parsed, stateless=False)
            return
        if is_request(message) and message["method"] == "initialize":
            if not self.is_modern(message):
                self.initialize(body, message)
            else:
                # Never on the shared child: without `_meta` it would open a legacy
                # session inside it.
                self.one_shot(body, message, parsed)
            return
        if isinstance(message, dict) and not is_request(message):
            self.sessionless_message(body, message)
            return
        if is_request(message) and is_plain_id(message["id"]):
            self.shared(body, message)
            return
        self.one_shot(body, message, parsed)

    def is_modern(self, message: dict[str, Any]) -> bool:
        header = self.headers.get("MCP-Protocol-Version") or ""
        meta = meta_of(message)
        modern_header = re.fullmatch(r"\d{4}-\d\d-\d\d", header) is not None and header >= MODERN_VERSION
        return modern_header or (meta is not None and PROTOCOL_VERSION_KEY in meta)

    def initialize(self, body: bytes, message: dict[str, Any]) -> None:
        children = self.server.children
        try:
            child = children.spawn()
        except (OSError, RuntimeError) as exc:
            self.send_error_reply(503, -32603, f"could not start the stdio server: {exc}")
            return
        minted: dict[str, str] = {}

        def opened(reply: Any) -> dict[str, str]:
            if isinstance(reply, dict) and "result" in reply:
                minted["id"] = children.open_session(child)
                return {"Mcp-Session-Id": minted["id"]}
            return {}

        try:
            self.exchange(child, body, message, stateless=False, on_reply=opened)
        finally:
            if "id" not in minted:
                children.reap(child)

    def shared(self, body: bytes, message: dict[str, Any]) -> None:
        """A sessionless request, on the shared child."""
        try:
            child = self.server.children.shared()
        except (OSError, RuntimeError) as exc:
            self.send_error_reply(503, -32603, f"could not start the stdio server: {exc}")
            return
        self.exchange(child, body, message, stateless=True)

    def sessionless_message(self, body: bytes, message: dict[str, Any]) -> None:
        """A sessionless notification or response: `202`. Only a response to a request the
        shared child wrote reaches a child (a stateless server has no one else to
        deliver it to)."""
        if "method" not in message:
            child = self.server.children.current_shared()
            if child is not None and child.take_asked(message.get("id")):
                self.send_accepted(child, body)
                return
        self.send_empty(202)

    def one_shot(self, body: bytes, message: Any, parsed: bool) -> None:
        children = self.server.children
        try:
            child = children.spawn()
        except (OSError, RuntimeError) as exc:
            self.send_error_reply(503, -32603, f"could not start the stdio server: {exc}")
            return
        try:
            self.forward(child, body, message, parsed, stateless=True)
        finally:
            children.reap(child)

    def forward(self, child: Child, body: bytes, message: Any, parsed: bool, stateless: bool) -> None:
        batch_with_requests = isinstance(message, list) and any(is_request(m) for m in message)
        if is_request(message) or batch_with_requests or not parsed or not isinstance(message, (dict, list)):
            self.exchange(child, body, message, stateless=stateless)
            return
        self.send_accepted(child, body)

    def send_accepted(self, child: Child, body: bytes) -> None:
        """Forwards a message that gets no reply (a notification or a response): `202`, or
        `503` if the child is gone."""
        try:
            child.send(body)
        except OSError:
            self.send_error_reply(503, -32603, "the stdio server has exited")
            return
        self.send_empty(202)

    def exchange(self, child: Child, body: bytes, message: Any, stateless: bool,
                 on_reply: Any = None) -> None:
        """Sends a request to the child and answers with its reply (JSON or SSE)."""
        exchange = Exchange(message)
        try:
            if child.multiplexed:
                child.send_request(exchange)
            else:
                child.send(body, exchange, batch=not is_request(message))
        except OSError:
            self.send_error_reply(503, -32603, "the stdio server has exited")
            return
        # A subscription lasts until one side ends it: no deadline.
        deadline = None if exchange.listen else time.monotonic() + self.server.reply_timeout
        sse = self.accepts_sse()
        streaming = False
        last_write = time.monotonic()
        held: list[bytes] = []
        try:
            while True:
                # Without a deadline (a listen stream) time never runs out.
                remaining = POLL_SECONDS * 2 if deadline is None else deadline - time.monotonic()
                try:
                    kind, line = exchange.events.get(timeout=min(max(remaining, 0.0), POLL_SECONDS))
                except queue.Empty:
                    if self.client_gone():
                        # Nobody reads the reply any more: the shared child is sent
                        # notifications/cancelled; a child of its own is ended by the
                        # caller (closing its stdin, the stdio form of hanging up).
                        child.cancel(exchange, "the HTTP client hung up")
                        self.close_connection = True
                        return
                    if remaining > POLL_SECONDS:
                        if streaming and time.monotonic() - last_write >= KEEP_ALIVE_SECONDS:
                            self.write_chunk(b":\n\n")
                            last_write = time.monotonic()
                        continue
                    child.cancel(exchange, f"no reply within {self.server.reply_timeout:g} s")
                    log(f"child {child.pid}: no reply within {self.server.reply_timeout} s to {body[:200]!r}")
                    if streaming:
                        self.end_sse()
                    else:
                        self.send_error_reply(504, -32603, f"the stdio server did not reply within {self.server.reply_timeout} s")
                    return
                if kind in ("closed", "ended"):
                    if streaming:
                        self.end_sse()
                    elif kind == "ended" and sse:
                        # The server ended a subscription before it sent anything.
                        self.start_sse()
                        self.end_sse()
                    else:
                        what = "exited" if kind == "closed" else "ended the request"
                        self.send_error_reply(502, -32603, f"the stdio server {what} before replying")
                    return
                assert line is not None
                if kind == "message":
                    if not sse:
                        continue
                    if on_reply is not None:
                        # The reply decides a header (the session id): hold the stream back.
                        held.append(line)
                        continue
                    if not streaming:
                        self.start_sse()
                        streaming = True
                    self.write_event(line)
                    last_write = time.monotonic()
                    continue
                reply = json.loads(line)
                headers = on_reply(reply) if on_reply is not None else {}
                if held:
                    self.start_sse(headers)
                    streaming = True
                    for earlier in held:
                        self.write_event(earlier)
                if streaming:
                    self.write_event(line)
                    self.end_sse()
                else:
                    self.send_body(http_status(reply, message, stateless), line, headers=headers)
                return
        except OSError:
            # The client went away: stop routing to this exchange (and cancel it).
            child.cancel(exchange, "the HTTP client hung up")
            self.close_connection = True

    def client_gone(self) -> bool:
        """Whether the client closed its end of the connection."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    # -- GET and DELETE

    def do_GET(self) -> None:  # noqa: N802
        if self.wrong_path():
            return
        named = self.session_or_refusal()
        if named is None:
            return
        _, child = named
        if not self.accepts_sse():
            self.send_body(406, b"the stream needs Accept: text/event-stream\n", "text/plain")
            return
        stream = child.open_stream()
        if stream is None:
            self.send_body(409, b"this session already has an open stream\n", "text/plain")
            return
        try:
            self.start_sse()
            self.close_connection = True
            while not self.server.stopping.is_set():
                try:
                    line = stream.get(timeout=KEEP_ALIVE_SECONDS)
                except queue.Empty:
                    self.write_chunk(b":\n\n")
                    continue
                if line is None:
                    break
                self.write_event(line)
            self.end_sse()
        except OSError:
            pass
        finally:
            child.close_stream(stream)

    def do_DELETE(self) -> None:  # noqa: N802
        if self.wrong_path():
            return
        named = self.session_or_refusal()
        if named is None:
            return
        session_id, _ = named
        child = self.server.children.close_session(session_id)
        if child is None:
            self.session_not_found()
            return
        self.server.children.reap(child)
        self.send_empty(200)


class Bridge(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], command: list[str], timeout: float, verbose: bool) -> None:
        super().__init__(address, Handler)
        self.children = Children(command)
        self.reply_timeout = timeout
        self.verbose = verbose
        self.stopping = threading.Event()

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            if self.verbose:
                log(f"client {client_address}: {error!r}")
            return
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/mcp"

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()


def default_command() -> list[str]:
    binary = os.environ.get("EVERYTHING_BIN") or str(REPO_ROOT / "target" / "debug" / "everything")
    return [binary, "--transport", "stdio"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: any free port)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds to wait for a reply (default 60; subscriptions/listen waits indefinitely)")
    parser.add_argument("--session-idle", type=float, default=120.0,
                        help="seconds after which an idle session's child is ended (default 120)")
    parser.add_argument("--verbose", action="store_true", help="log every HTTP request on stderr")
    parser.add_argument("command", nargs="*", help="the stdio server and its arguments (after --)")
    args = parser.parse_args(argv)
    command = args.command or default_command()

    bridge = Bridge((args.host, args.port), command, args.timeout, args.verbose)

    def on_signal(signum: int, _frame: Any) -> None:
        log(f"signal {signum}: stopping")
        threading.Thread(target=bridge.stop, daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    def expire() -> None:
        while not bridge.stopping.wait(min(args.session_idle, 5.0)):
            bridge.children.expire_idle(args.session_idle)

    threading.Thread(target=expire, daemon=True, name="session-expiry").start()
    print(f"bridging MCP at {bridge.url} to {' '.join(command)}", flush=True)
    try:
        bridge.serve_forever(poll_interval=0.2)
    finally:
        bridge.stopping.set()
        bridge.server_close()
        bridge.children.stop_all()
        log(f"stopped; {bridge.children.spawned} stdio servers were started, all have exited")
    return 0


if __name__ == "__main__":
    sys.exit(main())
