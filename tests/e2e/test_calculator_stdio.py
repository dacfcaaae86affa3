"""End-to-end tests: the `calculator` example server driven by the official Python MCP SDK over stdio.

Each behavioural test runs once per connection kind (see conftest.py):
`modern` (2026-07-28 through server/discover), `legacy-2025-11-25` (the SDK's
initialize handshake) and the older handshake revisions 2025-06-18,
2025-03-26 and 2024-11-05. Every line the server writes is validated against
the official JSON Schema of the revision in use when the connection closes.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp.shared.exceptions import MCPError

from harness import LEGACY_KINDS, MAIN_KINDS, Connection, count_to_3_with_progress, text_of
from mcp_schema import LEGACY_REVISIONS, schema_set

pytestmark = pytest.mark.anyio

TEST_TIMEOUT = 30.0
"""Upper bound for one test's body (on top of the SDK's per-request timeout)."""


def number_schema_problems(schema: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    """Differences from {"type":"object","properties":{n:{"type":"number","description":...}},"required":[...]}."""
    problems = []
    if set(schema) != {"type", "properties", "required"}:
        problems.append(f"top-level keys are {sorted(schema)}, expected ['properties', 'required', 'type']")
    if schema.get("type") != "object":
        problems.append(f"type is {schema.get('type')!r}, expected 'object'")
    properties = schema.get("properties") or {}
    if set(properties) != set(names):
        problems.append(f"properties are {sorted(properties)}, expected {sorted(names)}")
    for name in names:
        prop = properties.get(name) or {}
        if set(prop) != {"type", "description"}:
            problems.append(f"property {name!r} has keys {sorted(prop)}, expected ['description', 'type']")
        if prop.get("type") != "number":
            problems.append(f"property {name!r} has type {prop.get('type')!r}, expected 'number'")
        if not (isinstance(prop.get("description"), str) and prop["description"].strip()):
            problems.append(f"property {name!r} has no description")
    if schema.get("required") != list(names):
        problems.append(f"required is {schema.get('required')!r}, expected {list(names)!r}")
    return problems


def sent_request(conn: Connection, predicate) -> tuple[dict[str, Any], float]:
    """The (single) request the client wrote that satisfies predicate, with its capture time."""
    found = [
        (r.message(), r.t)
        for r in conn.records()
        if r.direction == "c2s" and r.line is not None and predicate(json.loads(r.line))
    ]
    assert len(found) == 1, f"expected one matching client request in {conn.capture}, found {len(found)}"
    return found[0]


def server_messages(conn: Connection) -> list[tuple[dict[str, Any], float]]:
    out = []
    for r in conn.records():
        if r.direction == "s2c" and r.line is not None:
            try:
                out.append((json.loads(r.line), r.t))
            except ValueError:
                pass  # reported by the schema validation
    return out


def is_tool_call(name: str, **arguments: Any):
    def predicate(m: dict[str, Any]) -> bool:
        params = m.get("params") or {}
        return (
            m.get("method") == "tools/call"
            and "id" in m
            and params.get("name") == name
            and all((params.get("arguments") or {}).get(k) == v for k, v in arguments.items())
        )

    return predicate


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except OSError:
        return True


@pytest.mark.parametrize("kind", MAIN_KINDS)
async def test_list_tools(connect, kind: str) -> None:
    async with connect(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            result = await conn.list_tools()
        tools = {tool.name: tool for tool in result.tools}
        assert {"add", "count", "divide"} <= set(tools), f"tools listed: {sorted(tools)}"

        add = tools["add"]
        problems = number_schema_problems(add.input_schema, ("a", "b"))
        assert not problems, f"add's inputSchema {json.dumps(add.input_schema)}: {problems}"
        assert add.input_schema["required"] == ["a", "b"]
        assert add.description and "add" in add.description.lower(), f"add's description: {add.description!r}"

        divide = tools["divide"]
        problems = number_schema_problems(divide.input_schema, ("a", "b"))
        assert not problems, f"divide's inputSchema {json.dumps(divide.input_schema)}: {problems}"
        assert divide.description, "divide has no description"

        count = tools["count"]
        schema = count.input_schema
        assert schema.get("type") == "object", f"count's inputSchema: {json.dumps(schema)}"
        to = (schema.get("properties") or {}).get("to") or {}
        assert to.get("type") == "integer", f"count.to must be an integer: {json.dumps(schema)}"
        assert to.get("minimum") == 0, f"count.to must be >= 0 (minimum 0): {json.dumps(schema)}"
        assert schema.get("required") == ["to"], f"count's inputSchema: {json.dumps(schema)}"
        assert count.description, "count has no description"

        # The SDK's parsed view must be what the server wrote.
        (response, _) = next(
            (m, t) for m, t in server_messages(conn) if isinstance(m.get("result"), dict) and "tools" in m["result"]
        )
        raw_add = next(t for t in response["result"]["tools"] if t.get("name") == "add")
        assert raw_add["inputSchema"] == add.input_schema


@pytest.mark.parametrize("kind", MAIN_KINDS)
async def test_add(connect, kind: str) -> None:
    async with connect(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            cases = [((2, 0.5), "2.5"), ((1, 2), "3"), ((-0.75, -0.5), "-1.25"), ((0.1, 0.2), "0.30000000000000004")]
            for (a, b), expected in cases:
                result = await conn.call_tool("add", {"a": a, "b": b})
                assert not result.is_error, f"add({a}, {b}) returned an error result: {result!r}"
                assert text_of(result) == expected, f"add({a}, {b})"


@pytest.mark.parametrize("kind", MAIN_KINDS)
async def test_divide(connect, kind: str) -> None:
    async with connect(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            result = await conn.call_tool("divide", {"a": 6, "b": 3})
            assert not result.is_error, f"divide(6, 3) returned an error result: {result!r}"
            assert text_of(result) == "2"

            result = await conn.call_tool("divide", {"a": 1, "b": 0})
            assert result.is_error is True, f"divide(1, 0) must be a tool result with isError: true, got {result!r}"
            message = text_of(result).lower()
            assert "zero" in message or "by 0" in message, f"divide(1, 0) text does not explain: {message!r}"

            # A tool-level error is not a protocol error: the server keeps serving.
            result = await conn.call_tool("divide", {"a": 1, "b": 4})
            assert text_of(result) == "0.25"


@pytest.mark.parametrize("kind", MAIN_KINDS)
async def test_count_reports_progress(connect, kind: str) -> None:
    async with connect(kind) as conn:
        await count_to_3_with_progress(conn, TEST_TIMEOUT)

        # On the wire: three notifications for this request's token, sent while it was in flight.
        request, _ = sent_request(conn, is_tool_call("count", to=3))
        token = request["params"]["_meta"]["progressToken"]
        messages = server_messages(conn)
        response_at = next(i for i, (m, _) in enumerate(messages) if m.get("id") == request["id"] and "result" in m)
        progress = [
            (i, m["params"])
            for i, (m, _) in enumerate(messages)
            if m.get("method") == "notifications/progress" and (m.get("params") or {}).get("progressToken") == token
        ]
        assert [p["progress"] for _, p in progress] == [1, 2, 3], f"progress notifications on the wire: {progress}"
        assert all(i < response_at for i, _ in progress), "a progress notification came after the response"
        stray = [
            m for m, _ in messages
            if m.get("method") == "notifications/progress" and (m.get("params") or {}).get("progressToken") != token
        ]
        assert not stray, f"progress notifications with a token no request carried: {stray}"


@pytest.mark.parametrize("kind", MAIN_KINDS)
async def test_count_without_progress_token(connect, kind: str) -> None:
    """Without a progressToken the server must not send progress notifications (there is no token to reference)."""
    async with connect(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            result = await conn.call_tool("count", {"to": 2})
        assert text_of(result) == "2"
        progress = [m for m, _ in server_messages(conn) if m.get("method") == "notifications/progress"]
        assert not progress, f"progress notifications without a progressToken: {progress}"


@pytest.mark.parametrize("kind", MAIN_KINDS)
async def test_cancelled_count_stops_and_server_keeps_serving(connect, kind: str) -> None:
    steps, step_seconds = 40, 0.05
    async with connect(kind) as conn:
        seen: list[float] = []
        first_progress = anyio.Event()

        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            seen.append(progress)
            first_progress.set()

        finished: list[types.CallToolResult] = []
        call_scope = anyio.CancelScope()

        async def run_count() -> None:
            with call_scope:
                finished.append(await conn.call_tool("count", {"to": steps}, progress_callback=on_progress))

        with anyio.fail_after(TEST_TIMEOUT):
            started = time.monotonic()
            async with anyio.create_task_group() as tg:
                tg.start_soon(run_count)
                # Cancel ~200 ms into the call, once it is provably running. Cancelling the
                # awaiting task's scope is how the SDK cancels: it then sends notifications/cancelled.
                with anyio.fail_after(5):
                    await first_progress.wait()
                await anyio.sleep(0.15)
                call_scope.cancel()
            assert call_scope.cancelled_caught and not finished, f"count(to={steps}) was not cancelled: {finished}"

            # The server keeps serving while the cancelled call would still be running...
            result = await conn.call_tool("add", {"a": 1, "b": 2})
            assert text_of(result) == "3"
            # ...and after the moment it would have finished.
            await anyio.sleep(max(0.0, started + steps * step_seconds + 0.6 - time.monotonic()))
            result = await conn.call_tool("add", {"a": 2, "b": 0.5})
            assert text_of(result) == "2.5"

        assert seen == sorted(set(seen)), f"progress before the cancellation did not increase: {seen}"
        pid = conn.server_pid()
        assert process_alive(pid), f"the calculator (pid {pid}) died after the cancellation"
        assert not any(r.direction == "exit" for r in conn.records()), "the calculator exited"

        request, _ = sent_request(conn, is_tool_call("count", to=steps))
        request_id = request["id"]
        token = request["params"]["_meta"]["progressToken"]
        cancel, cancelled_at = sent_request(
            conn,
            lambda m: m.get("method") == "notifications/cancelled"
            and (m.get("params") or {}).get("requestId") == request_id,
        )
        messages = server_messages(conn)
        responses = [m for m, _ in messages if "method" not in m and m.get("id") == request_id]
        assert not responses, (
            f"the server answered the cancelled request {request_id!r}: {responses}; after {cancel} it must not "
            "(2026-07-28/docs/basic/transports/stdio.mdx:82: MUST NOT send any further messages for it; "
            "basic/patterns/cancellation.mdx:76 and 2025-11-25/docs/basic/utilities/cancellation.mdx:40: "
            "SHOULD not send a response)"
        )
        grace = 0.3  # a notification may already be in the pipe when the cancellation arrives
        late = [
            (round(t - cancelled_at, 3), m["params"])
            for m, t in messages
            if m.get("method") == "notifications/progress"
            and (m.get("params") or {}).get("progressToken") == token
            and t > cancelled_at + grace
        ]
        assert not late, (
            f"progress for the cancelled request kept coming (seconds after notifications/cancelled, params): {late}"
        )


@pytest.mark.parametrize("kind", ["modern", "legacy-2025-11-25"])
async def test_server_exits_when_stdin_closes(connect, kind: str) -> None:
    """The SDK closes the server's stdin and waits 2 s before SIGTERM (2026-07-28/docs/basic/transports/stdio.mdx:102:
    servers SHOULD exit promptly when their standard input is closed)."""
    async with connect(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            await conn.call_tool("add", {"a": 1, "b": 1})
    exits = [r for r in conn.records() if r.direction == "exit"]
    assert exits, "the calculator did not exit within 2 s of its stdin closing, and was killed"


async def test_modern_pinned_without_discover(connect) -> None:
    """A 2026-07-28 client need not probe: plain requests carrying the _meta envelope are served."""
    async with connect("modern-pinned") as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            tools = await conn.list_tools()
            assert {"add", "count", "divide"} <= {t.name for t in tools.tools}
            result = await conn.call_tool("add", {"a": 2, "b": 0.5})
            assert text_of(result) == "2.5"
        assert conn.session.discover_result is not None  # synthesized by the SDK, not fetched
        sent = [r.message().get("method") for r in conn.records() if r.direction == "c2s"]
        assert "server/discover" not in sent and "initialize" not in sent, sent


async def test_on_one_cpu_one_thread_serves_and_calls_still_overlap(connect) -> None:
    """Allowed one CPU, the server runs on a current-thread runtime (one thread, nothing
    to wake across threads), and a slow call still does not hold up a quick one."""
    async with connect("modern-one-cpu") as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            await conn.list_tools()
            pid = conn.server_pid()
            assert len(os.sched_getaffinity(pid)) == 1, os.sched_getaffinity(pid)
            threads = os.listdir(f"/proc/{pid}/task")
            assert len(threads) == 1, f"the server runs {len(threads)} threads on one CPU"
            finished: list[str] = []

            async def slow() -> None:
                await count_to_3_with_progress(conn, TEST_TIMEOUT)
                finished.append("count")

            async with anyio.create_task_group() as group:
                group.start_soon(slow)
                await anyio.sleep(0.05)  # count(3) takes 150 ms
                result = await conn.call_tool("add", {"a": 2, "b": 0.5})
                assert text_of(result) == "2.5"
                finished.append("add")
            assert finished == ["add", "count"], finished


async def test_unsupported_protocol_version_is_rejected(connect) -> None:
    """An unsupported requested version MUST get UnsupportedProtocolVersionError (2026-07-28/docs/basic/versioning.mdx:50)."""
    async with connect("modern") as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            conn.probe_versions.add("1900-01-01")
            with pytest.raises(MCPError) as caught:
                await conn.session.send_discover("1900-01-01")
            # The connection stays usable at the negotiated version.
            result = await conn.call_tool("add", {"a": 2, "b": 0.5})
            assert text_of(result) == "2.5"
        error = caught.value
        assert error.code == -32022, f"expected -32022 (UNSUPPORTED_PROTOCOL_VERSION), got {error.code}: {error}"
        data = error.error.data or {}
        assert data.get("requested") == "1900-01-01", data
        assert set(data.get("supported") or []) >= {"2026-07-28", *LEGACY_REVISIONS}, data

        request, _ = sent_request(
            conn,
            lambda m: m.get("method") == "server/discover"
            and m["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"] == "1900-01-01",
        )
        (response,) = [m for m, _ in server_messages(conn) if m.get("id") == request["id"]]
        problems = schema_set("2026-07-28").errors("UnsupportedProtocolVersionError", response)
        assert not problems, f"{response} is not a valid UnsupportedProtocolVersionError: {problems}"


@pytest.mark.parametrize("kind", LEGACY_KINDS)
async def test_legacy_ping(connect, kind: str) -> None:
    """Handshake-era ping gets an EmptyResult (validated on the wire against that revision's EmptyResult)."""
    async with connect(kind) as conn:
        with anyio.fail_after(TEST_TIMEOUT):
            await conn.session.send_ping()
        sent = [r.message().get("method") for r in conn.records() if r.direction == "c2s"]
        assert "ping" in sent
