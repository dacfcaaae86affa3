"""Harness for driving the `calculator` example over HTTP with the official Python MCP SDK.

The server runs as `calculator --transport http --bind 127.0.0.1:0` with a random
bearer token in MCP_AUTH_TOKEN (the `http_server` fixture). The SDK's httpx2 client
is given a recording transport (`HttpCapture`): every HTTP exchange is kept with
its request headers and body and the response status, headers and body chunks, so
that when the connection closes every JSON-RPC message the server sent (JSON
bodies, and the `data` of each SSE event) is validated against the official JSON
Schema of the revision in use (mcp_schema.py), and the transport rules of that
revision are checked (`wire_problems`).

Connection kinds (`connect_http(kind)`):

  streamable-auto       Client(mode="auto") on POST /mcp: the SDK probes
                        `server/discover` at 2026-07-28 and must adopt it.
  streamable-2026-07-28 Client(mode="2026-07-28"): stateless requests carrying the
                        2026-07-28 `_meta` envelope and headers, no probe.
  streamable-legacy     Client(mode="legacy"): the SDK's `initialize` handshake
                        (it offers 2025-11-25), a session named by Mcp-Session-Id.
  streamable-legacy-2025-06-18, streamable-legacy-2025-03-26:
                        the SDK's ClientSession over its streamable_http_client,
                        with an `initialize` offering that older revision.
  sse                   Client(mode="legacy") over the SDK's sse_client (the
                        deprecated HTTP+SSE transport: GET /sse + POST /messages).
  sse-2024-11-05        ClientSession over sse_client, `initialize` at 2024-11-05,
                        the revision that defined the HTTP+SSE transport.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urljoin, urlsplit

import anyio
import httpx2
import pytest
from mcp.client import Client, ClientSession
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

import mcp_schema
from harness import (
    CLIENT_INFO,
    CONNECT_TIMEOUT,
    REQUEST_TIMEOUT,
    ToolCalls,
    _legacy_handshake,
    calculator_bin,
    check_era,
    check_modern_results,
    checked_connection,
    unwrap,  # noqa: F401  (for the tests)
)
from server_process import ServerProcess, start_server, stop_server

HTTP_TIMEOUT = httpx2.Timeout(10.0, read=60.0)
"""httpx2 timeouts of the SDK's HTTP client (read: the longest silence on a stream)."""

MODERN_HTTP_KINDS = ("streamable-auto", "streamable-2026-07-28")
LEGACY_STREAMABLE_KINDS = ("streamable-legacy", "streamable-legacy-2025-06-18", "streamable-legacy-2025-03-26")
SSE_KINDS = ("sse", "sse-2024-11-05")
HTTP_KINDS = MODERN_HTTP_KINDS + LEGACY_STREAMABLE_KINDS + SSE_KINDS

_REVISION = {
    "streamable-auto": "2026-07-28",
    "streamable-2026-07-28": "2026-07-28",
    "streamable-legacy": "2025-11-25",
    "streamable-legacy-2025-06-18": "2025-06-18",
    "streamable-legacy-2025-03-26": "2025-03-26",
    "sse": "2025-11-25",
    "sse-2024-11-05": "2024-11-05",
}

# The stdio harness's kind with the same era rules (check_era, check_modern_results).
_ERA_KIND = {
    "streamable-auto": "modern",
    "streamable-2026-07-28": "modern-pinned",
}


def revision_of(kind: str) -> str:
    return _REVISION[kind]


# --------------------------------------------------------------------------------------
# The server


@dataclass
class HttpServer(ServerProcess):
    """A running `calculator --transport http` (or everything) on 127.0.0.1, with its bearer token."""

    token: str

    @property
    def base_url(self) -> str:
        return self.mcp_url.removesuffix("/mcp")

    @property
    def sse_url(self) -> str:
        return self.base_url + "/sse"

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def start_http_server(stderr_path: Path, binary: Path | None = None) -> HttpServer:
    """Start the calculator (or `binary`, which takes the same options) on an ephemeral
    loopback port with a fresh token; wait for its address."""
    token = secrets.token_hex(24)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_")}
    env.update(MCP_AUTH_TOKEN=token, RUST_BACKTRACE="1")
    process, mcp_url = start_server(binary or calculator_bin(), env, stderr_path)
    return HttpServer(process=process, mcp_url=mcp_url, token=token, stderr_path=stderr_path)


stop_http_server = stop_server


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[HttpServer]:
    server = start_http_server(tmp_path / "calculator.stderr")
    try:
        yield server
    finally:
        stop_http_server(server)


# --------------------------------------------------------------------------------------
# Capturing HTTP traffic


@dataclass
class SseEvent:
    type: str
    data: str
    id: str | None
    t: float
    index: int


@dataclass
class Exchange:
    """One HTTP request and its response, as the client saw them."""

    index: int
    method: str
    url: str
    request_headers: dict[str, str]
    request_body: bytes
    t_sent: float
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    chunks: list[tuple[float, bytes]] = field(default_factory=list)
    error: str | None = None

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def route(self) -> str:
        return urlsplit(self.url).path

    @property
    def body(self) -> bytes:
        return b"".join(chunk for _, chunk in self.chunks)

    @property
    def content_type(self) -> str:
        return self.response_headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def label(self) -> str:
        return f"HTTP exchange #{self.index} ({self.method} {self.path} -> {self.status})"

    def request_message(self) -> Any:
        return json.loads(self.request_body) if self.request_body else None

    def sse(self) -> tuple[list[SseEvent], str | None]:
        """The events of an SSE body, and a description of a truncated last event (if any)."""
        return parse_sse(self.chunks)

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "method": self.method,
            "url": self.url,
            "request_headers": self.request_headers,
            "request_body": self.request_body.decode("utf-8", errors="replace"),
            "t_sent": self.t_sent,
            "status": self.status,
            "response_headers": self.response_headers,
            "chunks": [[t, chunk.decode("utf-8", errors="replace")] for t, chunk in self.chunks],
            "error": self.error,
        }


def _headers(headers: httpx2.Headers) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in headers.multi_items():
        key = name.lower()
        if key == "authorization":
            # Keep the scheme and whether a credential was there, never the token itself.
            scheme, _, credential = value.partition(" ")
            value = f"{scheme} <{len(credential)} chars>" if credential else scheme
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def parse_sse(chunks: list[tuple[float, bytes]]) -> tuple[list[SseEvent], str | None]:
    """Parse an event stream (WHATWG HTML, "Parsing an event stream"); each event is timed by the chunk that completed it."""
    body = b"".join(chunk for _, chunk in chunks)
    ends: list[tuple[int, float]] = []
    offset = 0
    for t, chunk in chunks:
        offset += len(chunk)
        ends.append((offset, t))

    def time_at(position: int) -> float:
        for end, t in ends:
            if position <= end:
                return t
        return ends[-1][1] if ends else 0.0

    text = body.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    events: list[SseEvent] = []
    data: list[str] = []
    event_type = ""
    last_id: str | None = None
    consumed = 0
    for match in re.finditer(r"([^\r\n]*)(\r\n|\r|\n)", text):
        line = match.group(1)
        consumed = match.end()
        if line == "":
            if data:
                position = len(text[: match.end()].encode("utf-8"))
                events.append(
                    SseEvent(
                        type=event_type or "message",
                        data="\n".join(data),
                        id=last_id,
                        t=time_at(position),
                        index=len(events),
                    )
                )
            data, event_type = [], ""
            continue
        if line.startswith(":"):
            continue
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            data.append(value)
        elif name == "event":
            event_type = value
        elif name == "id" and "\0" not in value:
            last_id = value
    rest = text[consumed:]
    truncated = None
    if data or rest.strip():
        truncated = f"the stream ended inside an event (undispatched data {data!r}, unterminated line {rest[:200]!r})"
    return events, truncated


class _TeeStream(httpx2.AsyncByteStream):
    def __init__(self, inner: httpx2.AsyncByteStream, exchange: Exchange) -> None:
        self._inner = inner
        self._exchange = exchange

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                self._exchange.chunks.append((time.monotonic(), bytes(chunk)))
                yield chunk
        except BaseException as exc:
            self._exchange.error = f"{type(exc).__name__}: {exc}"
            raise

    async def aclose(self) -> None:
        await self._inner.aclose()


class _RecordingTransport(httpx2.AsyncBaseTransport):
    def __init__(self, capture: HttpCapture) -> None:
        self._inner = httpx2.AsyncHTTPTransport()
        self._capture = capture

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = await request.aread()
        exchange = Exchange(
            index=len(self._capture.exchanges) + 1,
            method=request.method,
            url=str(request.url),
            request_headers=_headers(request.headers),
            request_body=bytes(body),
            t_sent=time.monotonic(),
        )
        self._capture.exchanges.append(exchange)
        try:
            response = await self._inner.handle_async_request(request)
        except BaseException as exc:
            exchange.error = f"{type(exc).__name__}: {exc}"
            raise
        exchange.status = response.status_code
        exchange.response_headers = _headers(response.headers)
        assert isinstance(response.stream, httpx2.AsyncByteStream)
        return httpx2.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_TeeStream(response.stream, exchange),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass
class HttpCapture:
    """Every HTTP exchange of the httpx2 clients made by `client()` / `client_factory`."""

    path: Path
    exchanges: list[Exchange] = field(default_factory=list)

    def client(self, headers: dict[str, str] | None = None, timeout: httpx2.Timeout | None = None, auth: Any = None) -> httpx2.AsyncClient:
        """An httpx2.AsyncClient like the SDK's create_mcp_http_client, recording its traffic."""
        kwargs: dict[str, Any] = {"timeout": timeout or HTTP_TIMEOUT, "transport": _RecordingTransport(self)}
        if headers is not None:
            kwargs["headers"] = headers
        if auth is not None:
            kwargs["auth"] = auth
        return httpx2.AsyncClient(**kwargs)

    def client_factory(self, headers: dict[str, str] | None = None, timeout: httpx2.Timeout | None = None, auth: Any = None) -> httpx2.AsyncClient:
        """For sse_client(httpx_client_factory=...): the SDK passes the headers and timeouts it was given."""
        return self.client(headers=headers, timeout=timeout, auth=auth)

    def save(self) -> None:
        with open(self.path, "w", encoding="utf-8") as out:
            for exchange in self.exchanges:
                out.write(json.dumps(exchange.to_json()) + "\n")


# --------------------------------------------------------------------------------------
# JSON-RPC messages on the wire


@dataclass
class WireMessage:
    direction: str  # "c2s" or "s2c"
    exchange: Exchange
    text: str
    t: float
    where: str
    event: SseEvent | None = None

    def message(self) -> Any:
        return json.loads(self.text)


def wire_messages(exchanges: list[Exchange]) -> tuple[list[WireMessage], list[str]]:
    """Every JSON-RPC message in both directions, in the order seen, and problems with the framing."""
    out: list[WireMessage] = []
    problems: list[str] = []
    for ex in exchanges:
        if ex.method == "POST" and ex.request_body:
            out.append(WireMessage("c2s", ex, ex.request_body.decode("utf-8", errors="replace"), ex.t_sent, f"{ex.label} request body"))
    for ex in exchanges:
        if ex.status is None:
            continue
        encoding = ex.response_headers.get("content-encoding", "identity").lower()
        if encoding != "identity" and ex.chunks:
            problems.append(f"{ex.label}: body has Content-Encoding {encoding!r}; the capture cannot decode it")
            continue
        if ex.content_type == "application/json" and ex.chunks and ex.route != "/health":
            body = ex.body.decode("utf-8", errors="replace")
            out.append(WireMessage("s2c", ex, body, ex.chunks[-1][0], f"{ex.label} JSON body"))
        elif ex.content_type == "text/event-stream":
            events, truncated = ex.sse()
            if truncated and ex.error is None:
                problems.append(f"{ex.label}: {truncated}")
            for event in events:
                if event.type == "endpoint" and ex.route == "/sse":
                    continue  # checked by the HTTP+SSE rules
                if event.type != "message":
                    problems.append(f"{ex.label}: SSE event #{event.index} has type {event.type!r}, expected 'message'")
                    continue
                out.append(WireMessage("s2c", ex, event.data, event.t, f"{ex.label} SSE event #{event.index}", event))
    out.sort(key=lambda m: m.t)
    return out, problems


def _records(messages: list[WireMessage]) -> list[mcp_schema.Record]:
    """The messages as stdio-capture records, for the era checks of harness.py."""
    return [
        mcp_schema.Record(index=i, direction=m.direction, t=m.t, raw={"line": m.text, "eol": True})
        for i, m in enumerate(messages)
    ]


# --------------------------------------------------------------------------------------
# Checks


def _parsed(messages: list[WireMessage], direction: str) -> list[tuple[WireMessage, Any]]:
    out = []
    for m in messages:
        if m.direction != direction:
            continue
        try:
            out.append((m, m.message()))
        except ValueError:
            pass  # reported by the schema check
    return out


def schema_problems(messages: list[WireMessage], revision: str) -> list[str]:
    problems: list[str] = []
    requests: dict[str, Any] = {}
    for m, message in _parsed(messages, "c2s"):
        if isinstance(message, dict) and "method" in message and "id" in message:
            requests[json.dumps(message["id"])] = message
    schemas = mcp_schema.schema_set(revision)
    for m in messages:
        if m.direction != "s2c":
            continue
        label = f"{m.where}: {m.text[:300]}"
        try:
            message = m.message()
        except ValueError as exc:
            problems.append(f"{label}: not a JSON value ({exc})")
            continue
        found = mcp_schema.validate_server_message(message, revision, requests, label=label, schemas=schemas)
        if revision in mcp_schema.MODERN_REVISIONS:
            # validate_server_message words the 2026-07-28 ban on server requests for stdio; say it for HTTP.
            found = [
                p.replace(
                    "a stdio server MUST NOT write requests (basic/transports/stdio.mdx, 'Receiving Messages')",
                    "the server MUST NOT send independent JSON-RPC requests (basic/transports/streamable-http.mdx, "
                    "'Receiving Messages')",
                )
                for p in found
            ]
        problems += found
    return problems


def routing_problems(messages: list[WireMessage], kind: str) -> list[str]:
    """Each response on the stream it belongs to, exactly once; progress for a request on that request's stream, before its response."""
    problems: list[str] = []
    requests = {}
    for m, message in _parsed(messages, "c2s"):
        if isinstance(message, dict) and "method" in message and "id" in message:
            requests[json.dumps(message["id"])] = (m, message)
    responses: dict[str, list[WireMessage]] = {}
    for m, message in _parsed(messages, "s2c"):
        if isinstance(message, dict) and "method" not in message and "id" in message:
            responses.setdefault(json.dumps(message.get("id")), []).append(m)
    for key, (request_m, request) in requests.items():
        got = responses.get(key, [])
        if not got and request.get("method") == "subscriptions/listen":
            # A client ends a subscription by closing its SSE stream; no response follows
            # (2026-07-28 basic/patterns/subscriptions.mdx, "Cancellation").
            continue
        if len(got) != 1:
            problems.append(f"request {request.get('method')} id {key} got {len(got)} responses (expected exactly one)")
            continue
        response_m = got[0]
        if kind.startswith("streamable") and response_m.exchange is not request_m.exchange:
            problems.append(
                f"the response to {request.get('method')} id {key} came on {response_m.where}, not on the POST that "
                f"carried the request ({request_m.exchange.label})"
            )
        if kind.startswith("sse") and response_m.exchange.route != "/sse":
            problems.append(f"the response to {request.get('method')} id {key} came on {response_m.where}, not on the /sse stream")
    tokens = {}
    for key, (request_m, request) in requests.items():
        token = ((request.get("params") or {}).get("_meta") or {}).get("progressToken")
        if token is not None:
            tokens[json.dumps(token)] = (key, request_m, request)
    for m, message in _parsed(messages, "s2c"):
        if not (isinstance(message, dict) and message.get("method") == "notifications/progress"):
            continue
        token = json.dumps((message.get("params") or {}).get("progressToken"))
        if token not in tokens:
            problems.append(f"{m.where}: progress for token {token}, which no request carried")
            continue
        key, request_m, request = tokens[token]
        if kind.startswith("streamable") and m.exchange is not request_m.exchange:
            problems.append(
                f"{m.where}: progress for request id {key} ({request.get('method')}) arrived outside that request's "
                f"response stream ({request_m.exchange.label}); it MUST relate to the originating request "
                "(2026-07-28/docs/basic/transports/streamable-http.mdx 'Receiving Messages'; "
                "2025-11-25/docs/basic/transports.mdx: GET-stream messages SHOULD be unrelated to running requests)"
            )
        response = responses.get(key, [])
        if response and m.t > response[0].t:
            problems.append(f"{m.where}: progress for request id {key} arrived after its response")
        if response and m.exchange is response[0].exchange and m.event and response[0].event and m.event.index > response[0].event.index:
            problems.append(f"{m.where}: progress for request id {key} follows its response in the same stream")
    return problems


def _is_request(message: Any) -> bool:
    return isinstance(message, dict) and "method" in message and "id" in message


def http_problems(exchanges: list[Exchange], kind: str, revision: str) -> list[str]:
    """The transport rules of the revision, exchange by exchange."""
    problems: list[str] = []
    for ex in exchanges:
        if ex.request_headers.get("authorization", "").split(" ")[0] != "Bearer":
            problems.append(f"{ex.label}: the SDK sent no bearer token (test setup)")
        if ex.status == 401:
            problems.append(f"{ex.label}: 401 although the request carried the token")
    if kind.startswith("streamable"):
        posts = [ex for ex in exchanges if ex.method == "POST" and ex.route == "/mcp"]
        for ex in posts:
            try:
                message = ex.request_message()
            except ValueError:
                continue
            if _is_request(message):
                if ex.status != 200:
                    problems.append(f"{ex.label}: a request ({message['method']}) was answered with status {ex.status}")
                elif ex.content_type not in ("application/json", "text/event-stream"):
                    problems.append(
                        f"{ex.label}: a request was answered with Content-Type {ex.content_type!r}; the server MUST use "
                        "application/json or text/event-stream ('Sending Messages' 6)"
                    )
            elif isinstance(message, dict):
                if ex.status != 202 or ex.chunks and ex.body.strip():
                    problems.append(
                        f"{ex.label}: an accepted notification/response ({message.get('method')}) MUST get 202 Accepted "
                        f"with no body, got {ex.status} {ex.body[:200]!r} (2025-11-25/docs/basic/transports.mdx "
                        "'Sending Messages' 4)"
                    )
    if kind in MODERN_HTTP_KINDS:
        for ex in exchanges:
            if "mcp-session-id" in ex.request_headers:
                problems.append(f"{ex.label}: the client sent Mcp-Session-Id on a 2026-07-28 connection")
            if "mcp-session-id" in ex.response_headers:
                problems.append(
                    f"{ex.label}: the server sent Mcp-Session-Id {ex.response_headers['mcp-session-id']!r} on a "
                    "2026-07-28 request; 2026-07-28 has no sessions ('do not mint or echo session IDs', "
                    "2026-07-28/docs/basic/transports/streamable-http.mdx 'Earlier Streamable HTTP Revisions')"
                )
            if ex.route == "/mcp" and ex.method in ("GET", "DELETE") and ex.status != 405:
                problems.append(f"{ex.label}: {ex.method} without a session SHOULD get 405 at 2026-07-28")
            if ex.method == "POST" and ex.request_headers.get("mcp-protocol-version") != "2026-07-28":
                problems.append(f"{ex.label}: POST without MCP-Protocol-Version: 2026-07-28 (SDK; era check)")
    elif kind in LEGACY_STREAMABLE_KINDS:
        init = [ex for ex in exchanges if ex.method == "POST" and (_safe_request(ex) or {}).get("method") == "initialize"]
        if len(init) != 1:
            problems.append(f"expected one initialize POST, saw {len(init)}")
        else:
            session_id = init[0].response_headers.get("mcp-session-id")
            if not session_id:
                problems.append(f"{init[0].label}: no Mcp-Session-Id on the InitializeResult's response (README: an initialize opens a session)")
            elif not re.fullmatch(r"[\x21-\x7e]+", session_id):
                problems.append(f"{init[0].label}: Mcp-Session-Id {session_id!r} has characters outside 0x21-0x7E (MUST)")
            else:
                for ex in exchanges:
                    if ex is init[0] or ex.route != "/mcp":
                        continue
                    if ex.request_headers.get("mcp-session-id") != session_id:
                        problems.append(f"{ex.label}: the SDK did not send the session id (test setup)")
                    if ex.status == 404:
                        problems.append(f"{ex.label}: 404 for the live session {session_id!r}")
        for ex in exchanges:
            if ex.route == "/mcp" and ex.method == "GET":
                if ex.status == 200 and ex.content_type != "text/event-stream":
                    problems.append(f"{ex.label}: GET answered 200 with Content-Type {ex.content_type!r}; MUST be text/event-stream or 405")
                elif ex.status not in (200, 405):
                    problems.append(f"{ex.label}: GET MUST get text/event-stream or 405, got {ex.status}")
            if ex.route == "/mcp" and ex.method == "DELETE" and ex.status not in (200, 202, 204, 405):
                problems.append(f"{ex.label}: DELETE of the session got {ex.status}")
    elif kind in SSE_KINDS:
        streams = [ex for ex in exchanges if ex.method == "GET" and ex.route == "/sse"]
        if len(streams) != 1:
            problems.append(f"expected one GET /sse, saw {len(streams)}")
        else:
            stream = streams[0]
            if stream.status != 200 or stream.content_type != "text/event-stream":
                problems.append(f"{stream.label}: GET /sse MUST open an event stream, got {stream.status} {stream.content_type!r}")
            events, _ = stream.sse()
            if not events or events[0].type != "endpoint":
                problems.append(
                    f"{stream.label}: the first event MUST be 'endpoint' (2024-11-05/docs/transports.mdx 'HTTP with SSE'), "
                    f"got {[(e.type, e.data[:100]) for e in events[:2]]}"
                )
            else:
                endpoint = urljoin(stream.url, events[0].data)
                if urlsplit(endpoint)[:2] != urlsplit(stream.url)[:2]:
                    problems.append(f"{stream.label}: endpoint {endpoint!r} is on another origin")
                posts = [ex for ex in exchanges if ex.method == "POST"]
                for ex in posts:
                    if ex.url != endpoint:
                        problems.append(f"{ex.label}: posted to {ex.url!r}, not to the endpoint {endpoint!r} (SDK)")
                    if ex.status is None or not 200 <= ex.status < 300:
                        problems.append(f"{ex.label}: a message POST to the endpoint was answered {ex.status}")
                    elif ex.chunks and ex.content_type == "application/json":
                        problems.append(f"{ex.label}: answered with a JSON body; over HTTP+SSE server messages go on the stream")
                if not posts:
                    problems.append("no message was posted to the endpoint")
    return problems


def _safe_request(ex: Exchange) -> Any:
    try:
        return ex.request_message()
    except ValueError:
        return None


# --------------------------------------------------------------------------------------
# Connections


@dataclass
class HttpConnection(ToolCalls):
    """A live connection to the calculator over HTTP, through the SDK."""

    kind: str
    revision: str
    server: HttpServer
    capture: HttpCapture
    session: ClientSession
    client: Client | None = None

    def messages(self) -> list[WireMessage]:
        return wire_messages(self.capture.exchanges)[0]


@asynccontextmanager
async def open_http(
    server: HttpServer, kind: str, capture: HttpCapture, headers: dict[str, str] | None = None
) -> AsyncIterator[HttpConnection]:
    """Connect through the SDK in `kind`'s way, with `headers` (default: the bearer token) on every HTTP request."""
    revision = revision_of(kind)
    headers = server.auth_headers() if headers is None else headers
    http_client: httpx2.AsyncClient | None = None
    transport: Any
    if kind.startswith("streamable"):
        # A client passed in is not closed by the SDK: closed below.
        http_client = capture.client(headers=headers)
        transport = streamable_http_client(server.mcp_url, http_client=http_client)
    else:
        transport = sse_client(
            server.sse_url,
            headers=headers,
            timeout=HTTP_TIMEOUT.connect,
            sse_read_timeout=HTTP_TIMEOUT.read,
            httpx_client_factory=capture.client_factory,
        )
    try:
        if kind in ("streamable-auto", "streamable-2026-07-28", "streamable-legacy", "sse"):
            mode = {"streamable-auto": "auto", "streamable-2026-07-28": "2026-07-28"}.get(kind, "legacy")
            # As in harness.py: no cancel scope around entering the Client (its task groups outlive
            # __aenter__); the SDK bounds the handshake, pytest-timeout the whole test.
            async with Client(
                transport, mode=mode, read_timeout_seconds=REQUEST_TIMEOUT, client_info=CLIENT_INFO
            ) as client:
                yield HttpConnection(kind, revision, server, capture, client.session, client)
        else:
            async with transport as (read_stream, write_stream):
                async with ClientSession(
                    read_stream, write_stream, read_timeout_seconds=REQUEST_TIMEOUT, client_info=CLIENT_INFO
                ) as session:
                    with anyio.fail_after(CONNECT_TIMEOUT):
                        await _legacy_handshake(session, revision)
                    yield HttpConnection(kind, revision, server, capture, session)
    finally:
        if http_client is not None:
            await http_client.aclose()
        capture.save()


def connection_problems(conn: HttpConnection) -> list[str]:
    messages, problems = wire_messages(conn.capture.exchanges)
    records = _records(messages)
    era_kind = _ERA_KIND.get(conn.kind, f"legacy-{conn.revision}")
    shim = SimpleNamespace(
        kind=era_kind, revision=conn.revision, session=conn.session, probe_versions=set(), records=lambda: records
    )
    problems += check_era(shim)  # type: ignore[arg-type]
    problems += schema_problems(messages, conn.revision)
    if conn.revision in mcp_schema.MODERN_REVISIONS:
        problems += check_modern_results(shim)  # type: ignore[arg-type]
    problems += routing_problems(messages, conn.kind)
    problems += http_problems(conn.capture.exchanges, conn.kind, conn.revision)
    if not conn.server.alive():
        problems.append(f"the calculator exited (status {conn.server.process.returncode})")
    return problems


def report(conn: HttpConnection, problems: list[str]) -> str:
    lines = [f"{len(problems)} problem(s) with the {conn.kind} connection (revision {conn.revision}):"]
    lines += [f"  - {p}" for p in problems]
    lines.append(f"HTTP capture (one exchange per line): {conn.capture.path}")
    tail = conn.server.stderr_tail()
    if tail:
        lines.append("server stderr (tail):\n" + tail)
    return "\n".join(lines)


@pytest.fixture
def connect_http(http_server: HttpServer, tmp_path: Path):
    """`async with connect_http(kind) as conn:`; on a clean exit the whole HTTP traffic is checked."""
    counter = 0

    def _connect(kind: str) -> AbstractAsyncContextManager[HttpConnection]:
        nonlocal counter
        counter += 1
        capture = HttpCapture(tmp_path / f"http-{counter}-{kind}.jsonl")
        return checked_connection(open_http(http_server, kind, capture), connection_problems, report)

    return _connect
