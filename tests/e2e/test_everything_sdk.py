"""End-to-end tests: the `everything` example driven by the official Python and TypeScript MCP SDKs.

Resources, prompts and asking the user for input (issue 6), through each SDK's own API:

  - `read_resource` of a fixed resource (`test://static-text`, `test://static-binary`)
    and of a template resource (`test://template/{id}/data`);
  - `get_prompt` with arguments (`test_prompt_with_arguments`);
  - tools (and a prompt) that need an elicitation, answered by the SDK's elicitation
    callback: at 2026-07-28 the server answers `input_required` with `inputRequests`
    and a sealed `requestState`, and the SDK's multi round-trip driver retries
    (basic/patterns/mrtr.mdx); a legacy (2025-11-25) client is sent an
    `elicitation/create` request on its connection instead (client/elicitation.mdx).

The Python SDK (mcp 2.3.0) connects to `everything --transport stdio` (behind
stdio_tap.py, which records every line) and to `everything --transport http --bind
127.0.0.1:0` with a bearer token (http_harness.py's recording httpx2 client), each in
three modes (`KINDS`): `Client(mode="auto")` (probes server/discover and must adopt
2026-07-28), `Client(mode="2026-07-28")` (pinned, no probe) and `Client(mode="legacy")`
(the initialize handshake at 2025-11-25). When a connection closes, every message the
server sent is validated against the official schema of the revision in use (an
`input_required` result against `InputRequiredResult`), with the era checks of
harness.py and, over HTTP, the transport checks of http_harness.py.

The TypeScript SDK (npm @modelcontextprotocol/sdk 1.32.2, pinned in ts/package.json)
runs ts/everything-client.mjs over Streamable HTTP. That SDK speaks up to 2025-11-25 and
has no multi round-trip support (its only `input_required` is a task status), so it is
tested in a legacy session: the elicitation reaches it as an `elicitation/create`
request, answered by its `ElicitRequestSchema` handler.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp.client import Client, ClientSession
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

import mcp_schema
from harness import (
    CLIENT_INFO,
    REPO_ROOT,
    REQUEST_TIMEOUT,
    TAP,
    check_era,
    check_modern_results,
    checked_connection,
    everything_bin,
)
from harness import text_of as only_text_of
from http_harness import (
    Exchange,
    HttpCapture,
    HttpServer,
    WireMessage,
    http_problems,
    routing_problems,
    schema_problems,
    start_http_server,
    stop_http_server,
    wire_messages,
)
from ts_client import NODE_SETUP_TIMEOUT, TS_CLIENT_TIMEOUT, load_ts_capture, node, run_ts_script, ts_summary  # noqa: F401  (node is a fixture)

pytestmark = pytest.mark.anyio

TEST_TIMEOUT = 30.0
"""Upper bound for one test's body (on top of the SDK's per-request timeout)."""

# transport-mode: (transport, Client mode, revision, the harness's era kind for check_era)
KINDS: dict[str, tuple[str, str, str, str]] = {
    "stdio-auto": ("stdio", "auto", "2026-07-28", "modern"),
    "stdio-2026-07-28": ("stdio", "2026-07-28", "2026-07-28", "modern-pinned"),
    "stdio-legacy": ("stdio", "legacy", "2025-11-25", "legacy-2025-11-25"),
    "http-auto": ("http", "auto", "2026-07-28", "modern"),
    "http-2026-07-28": ("http", "2026-07-28", "2026-07-28", "modern-pinned"),
    "http-legacy": ("http", "legacy", "2025-11-25", "legacy-2025-11-25"),
}
# The transport kinds of http_harness.py's checks.
_HTTP_KIND = {"http-auto": "streamable-auto", "http-2026-07-28": "streamable-2026-07-28", "http-legacy": "streamable-legacy"}

# Methods that may be answered `input_required` (mrtr.mdx: "MUST NOT send InputRequiredResult
# responses on any other client requests").
MRTR_METHODS = ("tools/call", "prompts/get", "resources/read")

NAME_FORM = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
"""The requestedSchema of `What is your name?` (examples/everything/src/input.rs, struct Name)."""


def is_modern(kind: str) -> bool:
    return KINDS[kind][2] in mcp_schema.MODERN_REVISIONS


# --------------------------------------------------------------------------------------
# Connections


ElicitAnswer = Callable[[types.ElicitRequestParams], types.ElicitResult]


def accept(**content: Any) -> ElicitAnswer:
    return lambda params: types.ElicitResult(action="accept", content=content)


@dataclass
class Msg:
    """One JSON-RPC message on the wire, from either capture."""

    direction: str  # "c2s" or "s2c"
    message: Any
    where: str
    exchange: Exchange | None = None


@dataclass
class Conn:
    kind: str
    transport: str
    revision: str
    era_kind: str
    client: Client
    session: ClientSession
    elicitations: list[types.ElicitRequestParams]
    notifications: list[Any]
    stdio_capture: Path | None = None
    http_capture: HttpCapture | None = None
    server: HttpServer | None = None

    def records(self) -> list[mcp_schema.Record]:
        if self.stdio_capture is not None:
            return mcp_schema.load_capture(self.stdio_capture)
        return [
            mcp_schema.Record(index=i, direction=m.direction, t=m.t, raw={"line": m.text, "eol": True})
            for i, m in enumerate(self.wire_messages())
        ]

    def wire_messages(self) -> list[WireMessage]:
        assert self.http_capture is not None
        return wire_messages(self.http_capture.exchanges)[0]

    def messages(self) -> list[Msg]:
        out: list[Msg] = []
        if self.stdio_capture is not None:
            for r in self.records():
                if r.direction in ("c2s", "s2c") and r.line is not None:
                    try:
                        out.append(Msg(r.direction, r.message(), f"line {r.index} of {self.stdio_capture}"))
                    except ValueError:
                        pass  # reported by the schema check
        else:
            for m in self.wire_messages():
                try:
                    out.append(Msg(m.direction, m.message(), m.where, m.exchange))
                except ValueError:
                    pass
        return out

    def capture_path(self) -> Path:
        return self.stdio_capture if self.stdio_capture is not None else self.http_capture.path  # type: ignore[union-attr]

    def stderr_tail(self, limit: int = 3000) -> str:
        path = Path(str(self.stdio_capture) + ".stderr") if self.stdio_capture is not None else self.server.stderr_path  # type: ignore[union-attr]
        return path.read_text(encoding="utf-8", errors="replace")[-limit:] if path.exists() else ""


def _is_input_required(message: Any) -> bool:
    return isinstance(message, dict) and isinstance(message.get("result"), dict) and message["result"].get("resultType") == "input_required"


def mrtr_problems(conn: Conn) -> list[str]:
    """Each `input_required` result against mrtr.mdx: only at 2026-07-28, only for the three
    methods, a valid InputRequiredResult, only input requests the client declared."""
    problems: list[str] = []
    schemas = mcp_schema.schema_set(conn.revision)
    requests: dict[str, dict[str, Any]] = {}
    for m in conn.messages():
        if m.direction == "c2s" and isinstance(m.message, dict) and "method" in m.message and "id" in m.message:
            requests[json.dumps(m.message["id"])] = m.message
    for m in conn.messages():
        if m.direction != "s2c" or not _is_input_required(m.message):
            continue
        message, result = m.message, m.message["result"]
        request = requests.get(json.dumps(message.get("id")))
        label = f"{m.where}: input_required result for id {message.get('id')!r}"
        if conn.revision not in mcp_schema.MODERN_REVISIONS:
            problems.append(f"{label} on a {conn.revision} connection; InputRequiredResult exists only at 2026-07-28")
            continue
        if request is None:
            problems.append(f"{label}, which no client request carried")
            continue
        if request["method"] not in MRTR_METHODS:
            problems.append(f"{label} answers {request['method']!r}; mrtr.mdx: servers MUST NOT send it on other requests")
        for error in schemas.errors("InputRequiredResult", result):
            problems.append(f"{label} is not a valid InputRequiredResult: {error}")
        if not result.get("inputRequests") and "requestState" not in result:
            problems.append(f"{label} has neither inputRequests nor requestState (MUST include one)")
        declared = ((request.get("params") or {}).get("_meta") or {}).get("io.modelcontextprotocol/clientCapabilities") or {}
        needs = {"elicitation/create": "elicitation", "sampling/createMessage": "sampling", "roots/list": "roots"}
        for key, input_request in (result.get("inputRequests") or {}).items():
            for error in schemas.errors("InputRequest", input_request):
                problems.append(f"{label}: inputRequests[{key!r}] is not a valid InputRequest: {error}")
            capability = needs.get(input_request.get("method")) if isinstance(input_request, dict) else None
            if capability and capability not in declared:
                problems.append(
                    f"{label}: inputRequests[{key!r}] is {input_request['method']} but the request declared "
                    f"capabilities {sorted(declared)} (mrtr.mdx: MUST NOT send undeclared input requests)"
                )
        info = (result.get("_meta") or {}).get("io.modelcontextprotocol/serverInfo")
        if not (isinstance(info, dict) and isinstance(info.get("name"), str)):
            problems.append(f"{label} lacks _meta['io.modelcontextprotocol/serverInfo'] (servers SHOULD stamp every response)")
    return problems


def connection_problems(conn: Conn) -> list[str]:
    """harness.py's and http_harness.py's checks, with `input_required` results checked by mrtr_problems."""
    records = conn.records()
    kept = [r for r in records if not (r.direction == "s2c" and r.line is not None and _is_input_required(_loads(r.line)))]
    shim = SimpleNamespace(
        kind=conn.era_kind, revision=conn.revision, session=conn.session, probe_versions=set(), records=lambda: records
    )
    problems = check_era(shim)  # type: ignore[arg-type]
    if conn.revision in mcp_schema.MODERN_REVISIONS:
        problems += check_modern_results(SimpleNamespace(records=lambda: kept))  # type: ignore[arg-type]
    problems += mrtr_problems(conn)
    if conn.transport == "stdio":
        problems += mcp_schema.validate_server_lines(kept, conn.revision)
    else:
        assert conn.http_capture is not None and conn.server is not None
        messages, framing = wire_messages(conn.http_capture.exchanges)
        problems += framing
        problems += schema_problems([m for m in messages if not (m.direction == "s2c" and _is_input_required(_loads(m.text)))], conn.revision)
        problems += routing_problems(messages, _HTTP_KIND[conn.kind])
        problems += http_problems(conn.http_capture.exchanges, _HTTP_KIND[conn.kind], conn.revision)
        if not conn.server.alive():
            problems.append(f"everything exited (status {conn.server.process.returncode})")
    return problems


def _loads(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def report(conn: Conn, problems: list[str]) -> str:
    lines = [f"{len(problems)} problem(s) with the {conn.kind} connection (revision {conn.revision}):"]
    lines += [f"  - {p}" for p in problems]
    lines.append(f"capture: {conn.capture_path()}")
    tail = conn.stderr_tail()
    if tail:
        lines.append("server stderr (tail):\n" + tail)
    return "\n".join(lines)


@pytest.fixture
def everything_http(tmp_path: Path) -> Iterator[HttpServer]:
    """`everything --transport http --bind 127.0.0.1:0` with a random bearer token."""
    server = start_http_server(tmp_path / "everything.stderr", binary=everything_bin())
    try:
        yield server
    finally:
        stop_http_server(server)


@pytest.fixture
def server_for(request: pytest.FixtureRequest) -> Callable[[str], HttpServer | None]:
    """The HTTP server for an http-* kind (started on first use), None for stdio."""

    def _get(kind: str) -> HttpServer | None:
        return request.getfixturevalue("everything_http") if KINDS[kind][0] == "http" else None

    return _get


@pytest.fixture
def connect(tmp_path: Path, server_for: Callable[[str], HttpServer | None]):
    """`async with connect(kind, elicit=...) as conn:`; on a clean exit the whole traffic is checked."""
    counter = 0

    @asynccontextmanager
    async def _open(kind: str, elicit: ElicitAnswer | None, number: int) -> AsyncIterator[Conn]:
        transport_name, mode, revision, era_kind = KINDS[kind]
        elicitations: list[types.ElicitRequestParams] = []
        notifications: list[Any] = []

        async def on_message(message: Any) -> None:
            if not isinstance(message, Exception):
                notifications.append(message)

        async def on_elicit(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult | types.ErrorData:
            elicitations.append(params)
            if elicit is None:
                return types.ErrorData(code=-32601, message="this test expected no elicitation")
            return elicit(params)

        server = server_for(kind)
        stdio_capture: Path | None = None
        http_capture: HttpCapture | None = None
        http_client = None
        if server is None:
            stdio_capture = tmp_path / f"traffic-{number}-{kind}.jsonl"
            target: Any = StdioServerParameters(
                command=sys.executable,
                args=[str(TAP), str(stdio_capture), str(everything_bin()), "--transport", "stdio"],
                env={"RUST_BACKTRACE": "1"},
                cwd=str(REPO_ROOT),
            )
        else:
            http_capture = HttpCapture(tmp_path / f"http-{number}-{kind}.jsonl")
            http_client = http_capture.client(headers=server.auth_headers())
            target = streamable_http_client(server.mcp_url, http_client=http_client)
        try:
            # As in harness.py: no cancel scope around entering the Client (its task groups
            # outlive __aenter__); the SDK bounds the handshake, pytest-timeout the test.
            async with Client(
                target,
                mode=mode,
                read_timeout_seconds=REQUEST_TIMEOUT,
                client_info=CLIENT_INFO,
                elicitation_callback=on_elicit,
                message_handler=on_message,
            ) as client:
                yield Conn(
                    kind, transport_name, revision, era_kind, client, client.session, elicitations, notifications, stdio_capture, http_capture, server
                )
        finally:
            if http_client is not None:
                await http_client.aclose()
            if http_capture is not None:
                http_capture.save()

    def _connect(kind: str, elicit: ElicitAnswer | None = None) -> AbstractAsyncContextManager[Conn]:
        nonlocal counter
        counter += 1
        return checked_connection(_open(kind, elicit, counter), connection_problems, report)

    return _connect


# --------------------------------------------------------------------------------------
# Helpers on results and traffic


def only_text(contents: list[Any], what: str) -> types.TextResourceContents:
    assert len(contents) == 1, f"{what}: expected one content item, got {contents!r}"
    item = contents[0]
    assert isinstance(item, types.TextResourceContents), f"{what}: expected text contents, got {item!r}"
    return item


def text_of(result: types.CallToolResult) -> str:
    assert not result.is_error, f"the tool returned an error result: {result!r}"
    return only_text_of(result)


def _requests(conn: Conn, direction: str, method: str) -> list[Msg]:
    return [
        m for m in conn.messages()
        if m.direction == direction and isinstance(m.message, dict) and m.message.get("method") == method and "id" in m.message
    ]


def _only_response(conn: Conn, direction: str, request: Msg, what: str) -> Msg:
    found = [
        m for m in conn.messages()
        if m.direction == direction and isinstance(m.message, dict) and "method" not in m.message
        and m.message.get("id") == request.message["id"]
    ]
    assert len(found) == 1, f"expected one {what} {request.message['id']!r}, got {[f.message for f in found]}"
    return found[0]


def sent(conn: Conn, method: str) -> list[Msg]:
    return _requests(conn, "c2s", method)


def response_to(conn: Conn, request: Msg) -> Msg:
    return _only_response(conn, "s2c", request, "response to id")


def server_requests(conn: Conn, method: str) -> list[Msg]:
    return _requests(conn, "s2c", method)


def client_response_to(conn: Conn, request: Msg) -> Msg:
    return _only_response(conn, "c2s", request, "client response to the server's id")


def assert_name_form(params: types.ElicitRequestParams, message: str = "What is your name?") -> None:
    assert isinstance(params, types.ElicitRequestFormParams), f"expected a form elicitation, got {params!r}"
    assert params.message == message, params
    assert params.requested_schema == NAME_FORM, params.requested_schema


def check_mrtr_rounds(conn: Conn, method: str, name: str, rounds: list[tuple[str, dict[str, Any]]]) -> None:
    """At 2026-07-28: `method` (name `name`) was sent len(rounds)+1 times; attempt i was answered
    input_required asking `rounds[i][0]`, and the next attempt carried the answer `rounds[i][1]`
    under that key with the exact requestState, on a fresh id; the last attempt completed.
    In legacy mode: sent once, each question came as an elicitation/create request on the
    connection before the response, and nothing was input_required."""
    attempts = [m for m in sent(conn, method) if (m.message.get("params") or {}).get("name") == name]
    if not is_modern(conn.kind):
        assert len(attempts) == 1, f"{method} {name} was sent {len(attempts)} times on a legacy connection"
        response = response_to(conn, attempts[0])
        assert "resultType" not in response.message.get("result", {}) or response.message["result"]["resultType"] == "complete", response.message
        asked = server_requests(conn, "elicitation/create")
        assert len(asked) == len(rounds), f"expected {len(rounds)} elicitation/create request(s), got {[a.message for a in asked]}"
        for (key, answer), request in zip(rounds, asked):
            reply = client_response_to(conn, request)
            assert reply.message.get("result") == answer, f"the SDK answered {reply.message}, expected {answer}"
            if conn.transport == "http":
                # 2025-11-25 transports: requests on a POST's stream SHOULD relate to it; the GET
                # stream's messages SHOULD be unrelated to running requests.
                assert request.exchange is attempts[0].exchange, (
                    f"the elicitation/create for {name} came on {request.where}, not on the stream of the "
                    f"{method} POST it belongs to ({attempts[0].exchange.label})"  # type: ignore[union-attr]
                )
        return
    assert not server_requests(conn, "elicitation/create"), "a 2026-07-28 server sent elicitation/create as a request"
    assert len(attempts) == len(rounds) + 1, (
        f"{method} {name} was sent {len(attempts)} times, expected {len(rounds) + 1} (one retry per input_required round)"
    )
    ids = [a.message["id"] for a in attempts]
    assert len(set(map(json.dumps, ids))) == len(ids), f"the retries reused a JSON-RPC id: {ids}"
    for i, (key, answer) in enumerate(rounds):
        result = response_to(conn, attempts[i]).message["result"]
        assert result.get("resultType") == "input_required", f"attempt {i + 1} got {result}"
        requests = result.get("inputRequests") or {}
        assert list(requests) == [key], f"attempt {i + 1} asked {list(requests)}, expected [{key!r}]"
        assert requests[key]["method"] == "elicitation/create", requests[key]
        assert isinstance(result.get("requestState"), str) and result["requestState"], result
        retry = attempts[i + 1].message["params"]
        assert retry.get("inputResponses") == {key: answer}, f"retry {i + 1} carried {retry.get('inputResponses')}"
        assert retry.get("requestState") == result["requestState"], "the retry did not echo the requestState"
    final = response_to(conn, attempts[-1]).message["result"]
    assert final.get("resultType") == "complete", final
    assert "requestState" not in final and "inputRequests" not in final, final


# --------------------------------------------------------------------------------------
# The Python SDK


@pytest.mark.parametrize("kind", KINDS)
async def test_read_fixed_resources(connect, kind: str) -> None:
    async with connect(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            text = await conn.client.read_resource("test://static-text")
            binary = await conn.client.read_resource("test://static-binary")
    item = only_text(text.contents, "test://static-text")
    assert str(item.uri) == "test://static-text", item
    assert item.mime_type == "text/plain", item
    assert item.text == "This is the content of the static text resource.", item
    assert len(binary.contents) == 1, binary
    blob = binary.contents[0]
    assert isinstance(blob, types.BlobResourceContents), f"expected blob contents, got {blob!r}"
    assert str(blob.uri) == "test://static-binary" and blob.mime_type == "image/png", blob
    assert base64.b64decode(blob.blob).startswith(b"\x89PNG\r\n\x1a\n"), blob.blob
    assert not conn.elicitations


@pytest.mark.parametrize("kind", KINDS)
async def test_read_template_resource(connect, kind: str) -> None:
    async with connect(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            templates = await conn.client.list_resource_templates()
            first = await conn.client.read_resource("test://template/42/data")
            second = await conn.client.read_resource("test://template/abc-7/data")
    listed = {t.uri_template: t for t in templates.resource_templates}
    assert "test://template/{id}/data" in listed, f"templates listed: {sorted(listed)}"
    assert listed["test://template/{id}/data"].mime_type == "application/json", listed["test://template/{id}/data"]
    for uri, result, id_ in (("test://template/42/data", first, "42"), ("test://template/abc-7/data", second, "abc-7")):
        item = only_text(result.contents, uri)
        assert str(item.uri) == uri, item
        assert item.mime_type == "application/json", item
        assert json.loads(item.text) == {"id": id_, "templateTest": True, "data": f"Data for ID: {id_}"}, item.text


@pytest.mark.parametrize("kind", KINDS)
async def test_get_prompt_with_arguments(connect, kind: str) -> None:
    async with connect(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            listed = await conn.client.list_prompts()
            result = await conn.client.get_prompt("test_prompt_with_arguments", {"arg1": "first", "arg2": "second"})
            simple = await conn.client.get_prompt("test_simple_prompt")
    prompts = {p.name: p for p in listed.prompts}
    assert "test_prompt_with_arguments" in prompts, sorted(prompts)
    arguments = {a.name: a for a in prompts["test_prompt_with_arguments"].arguments or []}
    assert set(arguments) == {"arg1", "arg2"} and all(a.required for a in arguments.values()), arguments
    assert len(result.messages) == 1, result
    message = result.messages[0]
    assert message.role == "user" and isinstance(message.content, types.TextContent), message
    assert message.content.text == "Prompt with arguments: arg1='first', arg2='second'", message.content
    assert [m.content.text for m in simple.messages] == ["This is a simple prompt for testing."], simple  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", KINDS)
async def test_tool_elicitation_accepted(connect, kind: str) -> None:
    async with connect(kind, elicit=accept(name="Alice")) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            result = await conn.client.call_tool("test_input_required_result_elicitation", {})
        assert text_of(result) == "Hello, Alice!"
        assert len(conn.elicitations) == 1, conn.elicitations
        assert_name_form(conn.elicitations[0])
        check_mrtr_rounds(
            conn, "tools/call", "test_input_required_result_elicitation",
            [("user_name", {"action": "accept", "content": {"name": "Alice"}})],
        )


@pytest.mark.parametrize("kind", KINDS)
async def test_tool_elicitation_declined(connect, kind: str) -> None:
    async with connect(kind, elicit=lambda params: types.ElicitResult(action="decline")) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            result = await conn.client.call_tool("test_input_required_result_elicitation", {})
        assert text_of(result) == "Hello, stranger!"
        assert len(conn.elicitations) == 1, conn.elicitations
        check_mrtr_rounds(conn, "tools/call", "test_input_required_result_elicitation", [("user_name", {"action": "decline"})])


@pytest.mark.parametrize("kind", KINDS)
async def test_tool_elicitation_in_two_rounds(connect, kind: str) -> None:
    def answer(params: types.ElicitRequestParams) -> types.ElicitResult:
        if "name" in params.requested_schema["properties"]:  # type: ignore[union-attr]
            return types.ElicitResult(action="accept", content={"name": "Alice"})
        return types.ElicitResult(action="accept", content={"color": "blue"})

    async with connect(kind, elicit=answer) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            result = await conn.client.call_tool("test_input_required_result_multi_round", {})
        assert text_of(result) == "Alice likes blue"
        assert [p.message for p in conn.elicitations] == ["Step 1: What is your name?", "Step 2: What is your favorite color?"]
        check_mrtr_rounds(
            conn, "tools/call", "test_input_required_result_multi_round",
            [
                ("step1", {"action": "accept", "content": {"name": "Alice"}}),
                ("step2", {"action": "accept", "content": {"color": "blue"}}),
            ],
        )


@pytest.mark.parametrize("kind", KINDS)
async def test_prompt_elicitation(connect, kind: str) -> None:
    async with connect(kind, elicit=accept(context="unit tests")) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            result = await conn.client.get_prompt("test_input_required_result_prompt")
        assert [m.content.text for m in result.messages] == ["Answer with this context in mind: unit tests"], result  # type: ignore[union-attr]
        assert len(conn.elicitations) == 1 and conn.elicitations[0].message == "What context should the prompt use?", conn.elicitations
        check_mrtr_rounds(
            conn, "prompts/get", "test_input_required_result_prompt",
            [("user_context", {"action": "accept", "content": {"context": "unit tests"}})],
        )


# --------------------------------------------------------------------------------------
# The TypeScript SDK


@pytest.mark.parametrize("kind", KINDS)
async def test_tool_list_change_is_announced(connect, kind: str) -> None:
    """Switching a tool off announces notifications/tools/list_changed: on the connection (legacy
    stdio), on the session's GET stream (legacy Streamable HTTP), on a subscriptions/listen
    stream (2026-07-28); and the next tools/list no longer has the tool."""
    async with connect(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            before = {tool.name for tool in (await conn.client.list_tools()).tools}
            assert "test_dynamic_tool" in before, before
            if is_modern(kind):
                async with conn.client.listen(tools_list_changed=True) as subscription:
                    result = await conn.client.call_tool("test_trigger_tool_change", {})
                    event = await anext(aiter(subscription))
                assert "tools" in repr(event).lower(), f"expected a tool-list event, got {event!r}"
            else:
                result = await conn.client.call_tool("test_trigger_tool_change", {})
                while not any(isinstance(n, types.ToolListChangedNotification) for n in conn.notifications):
                    await anyio.sleep(0.02)
            assert text_of(result) == "test_dynamic_tool is now off", text_of(result)
            after = {tool.name for tool in (await conn.client.list_tools()).tools}
    assert after == before - {"test_dynamic_tool"}, after


def run_everything_client(node_bin: Path, server: HttpServer, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    capture = tmp_path / "ts-everything.jsonl"
    return run_ts_script(node_bin, "everything-client.mjs", server.mcp_url, capture, server.token), capture


@pytest.mark.timeout(NODE_SETUP_TIMEOUT + 2 * TS_CLIENT_TIMEOUT)
async def test_typescript_sdk_resources_prompts_elicitation(node: Path, everything_http: HttpServer, tmp_path: Path) -> None:
    done, capture = run_everything_client(node, everything_http, tmp_path)
    context = f"\nstdout:\n{done.stdout}\nstderr:\n{done.stderr[-3000:]}\nserver stderr:\n{everything_http.stderr_tail()}"
    summary = ts_summary(done, "everything-client.mjs", context)

    assert summary["protocolVersion"] == "2025-11-25", summary
    assert summary["sessionId"], summary
    assert summary["staticText"] == {
        "uri": "test://static-text", "mimeType": "text/plain", "text": "This is the content of the static text resource."
    }, summary
    assert summary["template"]["uri"] == "test://template/42/data", summary
    assert summary["template"]["mimeType"] == "application/json", summary
    assert json.loads(summary["template"]["text"]) == {"id": "42", "templateTest": True, "data": "Data for ID: 42"}, summary
    assert "test://template/{id}/data" in summary["templates"], summary
    assert summary["prompt"] == [{"role": "user", "text": "Prompt with arguments: arg1='first', arg2='second'"}], summary
    assert summary["elicitation"]["text"] == "Hello, Alice!", summary
    (asked,) = summary["elicitation"]["asked"]
    assert asked["message"] == "What is your name?" and asked["requestedSchema"] == NAME_FORM, asked
    assert asked.get("mode", "form") == "form", asked
    assert summary["multiRound"]["text"] == "Alice likes blue", summary
    assert summary["declined"] == "Hello, stranger!", summary

    # The wire, as the SDK's fetch saw it: every server message valid at 2025-11-25, each
    # response on its POST's stream, each elicitation/create on the stream of the tools/call
    # it belongs to, the SDK's answers accepted with 202.
    exchanges = load_ts_capture(capture)
    messages, problems = wire_messages(exchanges)
    problems += schema_problems(messages, "2025-11-25")
    problems += routing_problems(messages, "streamable-legacy")
    problems += http_problems(exchanges, "streamable-legacy", "2025-11-25")
    calls = {}
    for m in messages:
        message = _loads(m.text)
        if m.direction == "c2s" and isinstance(message, dict) and message.get("method") == "tools/call":
            calls[m.exchange.index] = message["params"]["name"]
    asked_on = [
        m for m in messages if m.direction == "s2c" and (_loads(m.text) or {}).get("method") == "elicitation/create"
    ]
    if len(asked_on) != 4:
        problems.append(f"expected 4 elicitation/create requests (1 + 2 rounds + 1 declined), saw {len(asked_on)}")
    for m in asked_on:
        if m.exchange.index not in calls:
            problems.append(f"{m.where}: elicitation/create outside the stream of a tools/call POST")
    assert not problems, f"{len(problems)} problem(s) on the TS SDK's connection:\n" + "\n".join(
        f"  - {p}" for p in problems
    ) + f"\ncapture: {capture}{context}"
