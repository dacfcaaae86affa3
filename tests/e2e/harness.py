"""Harness for driving the `calculator` example server with the official Python MCP SDK.

Every connection runs the server behind stdio_tap.py, which records each line
in both directions; when the connection closes, every line the server wrote is
validated against the official JSON Schema of the protocol revision in use
(see mcp_schema.py), and the era actually negotiated is checked against the
one the test asked for.

Connection kinds (the `kind` fixture / `connect(kind)`):

  modern            Client(mode="auto"): the SDK probes `server/discover` at
                    2026-07-28 and adopts it; falling back to `initialize` is
                    a failure.
  modern-pinned     Client(mode="2026-07-28"): no probe, every request carries
                    the 2026-07-28 `_meta` envelope.
  legacy-2025-11-25 Client(mode="legacy"): the SDK's `initialize` handshake,
                    which always offers the newest handshake revision.
  legacy-2025-06-18, legacy-2025-03-26, legacy-2024-11-05:
                    the SDK's ClientSession over its stdio transport, with an
                    `initialize` offering that older revision (SDK 2.3.0's
                    ClientSession.initialize() cannot offer anything but
                    2025-11-25), then `adopt()` and `notifications/initialized`
                    exactly as ClientSession.initialize() does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
from mcp.client import Client, ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

import mcp_schema

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]
TAP = E2E_DIR / "stdio_tap.py"

REQUEST_TIMEOUT = 10.0
"""Seconds the SDK waits for any single response."""

CONNECT_TIMEOUT = 20.0
"""Seconds for spawning the server and finishing the handshake or probe."""

CLIENT_INFO = types.Implementation(name="mcp-e2e-tests", version="0.1.0")

MODERN_KINDS = ("modern", "modern-pinned", "modern-one-cpu")
LEGACY_KINDS = tuple(f"legacy-{v}" for v in mcp_schema.LEGACY_REVISIONS)
MAIN_KINDS = ("modern",) + LEGACY_KINDS
"""The kinds every behavioural test runs in."""


def revision_of(kind: str) -> str:
    return "2026-07-28" if kind in MODERN_KINDS else kind.removeprefix("legacy-")


def example_bin(name: str) -> Path:
    """The binary of the example `name`: $<NAME>_BIN, else target/debug/<name>."""
    variable = f"{name.upper()}_BIN"
    path = Path(os.environ.get(variable) or REPO_ROOT / "target" / "debug" / name)
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(
            f"{name} binary not found at {path}: build it with `cargo build -p {name}` "
            f"or point {variable} at it",
            pytrace=False,
        )
    return path


def calculator_bin() -> Path:
    return example_bin("calculator")


def everything_bin() -> Path:
    return example_bin("everything")


def run_setup_script(script: Path, timeout: float) -> list[str]:
    """Run one of scripts/*-env.sh (it installs once, idempotently); the lines it printed on stdout."""
    name = script.relative_to(REPO_ROOT)
    try:
        done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{name} did not finish within {timeout} s: {exc.stderr}", pytrace=False)
    if done.returncode != 0:
        pytest.fail(f"{name} failed ({done.returncode}):\n{done.stderr[-3000:]}", pytrace=False)
    return done.stdout.strip().splitlines()


def text_of(result: types.CallToolResult) -> str:
    """The single text content of a tool result."""
    assert len(result.content) == 1, f"expected exactly one content block, got {result.content!r}"
    block = result.content[0]
    assert isinstance(block, types.TextContent), f"expected text content, got {block!r}"
    return block.text


async def count_to_3_with_progress(conn: Any, timeout: float) -> None:
    """count(3) with a progress callback (on a Connection or an HttpConnection): the result
    is "3", and the callback saw progress 1, 2, 3 of total 3."""
    seen: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total, message))

    with anyio.fail_after(timeout):
        result = await conn.call_tool("count", {"to": 3}, progress_callback=on_progress)
        assert not result.is_error, f"count(3) returned an error result: {result!r}"
        assert text_of(result) == "3"
        # The SDK runs progress callbacks as tasks: give the last ones a moment.
        with anyio.move_on_after(2):
            while len(seen) < 3:
                await anyio.sleep(0.01)
        await anyio.sleep(0.1)
    assert [p for p, _, _ in seen] == [1, 2, 3], f"progress callbacks: {seen}"
    assert [t for _, t, _ in seen] == [3, 3, 3], f"progress totals: {seen}"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class ToolCalls:
    """list_tools and call_tool on a connection with `client` (a Client or None) and `session`."""

    client: Client | None
    session: ClientSession

    @property
    def api(self) -> Any:
        """The object tests call: the high-level Client where the kind uses one, else the ClientSession."""
        return self.client if self.client is not None else self.session

    async def list_tools(self) -> types.ListToolsResult:
        return await self.api.list_tools()

    async def call_tool(self, name: str, arguments: dict[str, Any], progress_callback: Any = None) -> types.CallToolResult:
        return await self.api.call_tool(
            name, arguments, read_timeout_seconds=REQUEST_TIMEOUT, progress_callback=progress_callback
        )


@dataclass
class Connection(ToolCalls):
    """A live connection to the calculator, through the SDK."""

    kind: str
    revision: str
    capture: Path
    session: ClientSession
    client: Client | None = None
    probe_versions: set[str] = field(default_factory=set)
    """Versions a test deliberately sends in a request's _meta (exempt from the era check)."""

    def records(self) -> list[mcp_schema.Record]:
        return mcp_schema.load_capture(self.capture)

    def server_pid(self) -> int:
        for record in self.records():
            if record.direction == "start":
                return int(record.raw["pid"])
        raise AssertionError(f"no start record in {self.capture}")

    def stderr_tail(self, limit: int = 3000) -> str:
        path = Path(str(self.capture) + ".stderr")
        if not path.exists():
            return ""
        text = path.read_text(encoding="utf-8", errors="replace")
        return text[-limit:]


PIN_TO_ONE_CPU = "import os, sys; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); os.execv(sys.argv[1], sys.argv[1:])"
"""Runs argv[1:] allowed on one CPU only (the lowest this process may use); children inherit it."""


def server_parameters(capture: Path, one_cpu: bool = False) -> StdioServerParameters:
    tap = [str(TAP), str(capture), str(calculator_bin())]
    return StdioServerParameters(
        command=sys.executable,
        args=["-c", PIN_TO_ONE_CPU, sys.executable, *tap] if one_cpu else tap,
        env={"RUST_BACKTRACE": "1"},
        cwd=str(REPO_ROOT),
    )


async def _legacy_handshake(session: ClientSession, version: str) -> types.InitializeResult:
    """What ClientSession.initialize() does, offering `version` instead of the SDK's newest one."""
    result = await session.send_request(
        types.InitializeRequest(
            params=types.InitializeRequestParams(
                protocol_version=version,
                capabilities=types.ClientCapabilities(),
                client_info=CLIENT_INFO,
            )
        ),
        types.InitializeResult,
    )
    session.adopt(result)
    await session.send_notification(types.InitializedNotification())
    return result


@asynccontextmanager
async def _open(kind: str, capture: Path) -> AsyncIterator[Connection]:
    revision = revision_of(kind)
    params = server_parameters(capture, one_cpu=kind == "modern-one-cpu")
    if kind in ("modern", "modern-pinned", "modern-one-cpu", "legacy-2025-11-25"):
        modes = {"modern": "auto", "modern-pinned": "2026-07-28", "modern-one-cpu": "2026-07-28"}
        mode = modes.get(kind, "legacy")
        # No cancel scope around entering the Client: it opens task groups that outlive
        # __aenter__. Its handshake/probe is bounded by the SDK (read_timeout_seconds, and
        # 10 s for the discover probe), and pytest-timeout bounds the whole test.
        async with Client(params, mode=mode, read_timeout_seconds=REQUEST_TIMEOUT, client_info=CLIENT_INFO) as client:
            yield Connection(kind=kind, revision=revision, capture=capture, session=client.session, client=client)
    else:
        async with stdio_client(params) as (read_stream, write_stream):
            async with ClientSession(
                read_stream, write_stream, read_timeout_seconds=REQUEST_TIMEOUT, client_info=CLIENT_INFO
            ) as session:
                with anyio.fail_after(CONNECT_TIMEOUT):
                    await _legacy_handshake(session, revision)
                yield Connection(kind=kind, revision=revision, capture=capture, session=session)


def check_era(conn: Connection) -> list[str]:
    """Problems with the era the connection actually used, from the SDK's state and the wire."""
    problems: list[str] = []
    session = conn.session
    records = conn.records()
    sent = [r.message() for r in records if r.direction == "c2s" and r.line is not None]
    sent_methods = [m.get("method") for m in sent if isinstance(m, dict)]
    if session.protocol_version != conn.revision:
        problems.append(f"negotiated protocol version is {session.protocol_version!r}, expected {conn.revision!r}")
    if conn.kind == "modern":
        if session.discover_result is None or session.initialize_result is not None:
            problems.append(
                "the SDK did not end up in the modern era through server/discover "
                f"(discover_result={session.discover_result!r}, initialize_result={session.initialize_result!r}); "
                "mode='auto' falls back to initialize when the probe fails"
            )
        if not sent_methods or sent_methods[0] != "server/discover":
            problems.append(f"first client message was {sent_methods[:1]}, expected server/discover")
    if conn.kind in MODERN_KINDS:
        if "initialize" in sent_methods:
            problems.append("an initialize request was sent on a modern connection")
        # Every request must have carried the 2026-07-28 envelope (the SDK's job, checked so the era is certain).
        for m in sent:
            if isinstance(m, dict) and "id" in m and "method" in m:
                meta = (m.get("params") or {}).get("_meta") or {}
                version = meta.get("io.modelcontextprotocol/protocolVersion")
                if version != "2026-07-28" and version not in conn.probe_versions:
                    problems.append(f"request {m.get('method')} did not carry protocolVersion 2026-07-28 in _meta")
    else:
        if session.initialize_result is None or session.discover_result is not None:
            problems.append("the SDK did not complete an initialize handshake")
        elif session.initialize_result.protocol_version != conn.revision:
            problems.append(
                f"server answered initialize(protocolVersion={conn.revision!r}) with "
                f"protocolVersion {session.initialize_result.protocol_version!r}; it claims to support "
                f"{conn.revision}, so it MUST answer with the same version (2025-11-25/docs/basic/lifecycle.mdx:170)"
            )
        if sent_methods[:2] != ["initialize", "notifications/initialized"]:
            problems.append(f"client opened with {sent_methods[:2]}, expected initialize + notifications/initialized")
        if "server/discover" in sent_methods:
            problems.append("server/discover was sent on a legacy connection")
    return problems


def check_modern_results(conn: Connection) -> list[str]:
    """2026-07-28 result envelope: resultType "complete" and the serverInfo stamp on every result."""
    problems: list[str] = []
    for record in conn.records():
        if record.direction != "s2c" or record.line is None:
            continue
        try:
            message = record.message()
        except ValueError:
            continue  # reported by the schema check
        if not isinstance(message, dict) or "result" not in message or not isinstance(message["result"], dict):
            continue
        result = message["result"]
        if result.get("resultType") != "complete":
            problems.append(f"result for id {message.get('id')!r} has resultType {result.get('resultType')!r}, expected 'complete'")
        info = (result.get("_meta") or {}).get("io.modelcontextprotocol/serverInfo")
        if not (isinstance(info, dict) and isinstance(info.get("name"), str) and isinstance(info.get("version"), str)):
            problems.append(
                f"result for id {message.get('id')!r} lacks _meta['io.modelcontextprotocol/serverInfo'] "
                "with name and version (calculator contract; spec: servers SHOULD include it on every response)"
            )
    return problems


def wire_report(conn: Connection, problems: list[str]) -> str:
    lines = [f"{len(problems)} problem(s) with the {conn.kind} connection (revision {conn.revision}):"]
    lines += [f"  - {p}" for p in problems]
    lines.append(f"traffic capture: {conn.capture}")
    tail = conn.stderr_tail()
    if tail:
        lines.append("server stderr (tail):\n" + tail)
    return "\n".join(lines)


def _wire_problems(conn: Connection) -> list[str]:
    problems = check_era(conn)
    problems += mcp_schema.validate_server_lines(conn.records(), conn.revision)
    if conn.kind in MODERN_KINDS:
        problems += check_modern_results(conn)
    return problems


def _leaves(group: BaseExceptionGroup) -> list[BaseException]:
    out: list[BaseException] = []
    for exc in group.exceptions:
        out.extend(_leaves(exc) if isinstance(exc, BaseExceptionGroup) else [exc])
    return out


def unwrap(exc: BaseException) -> BaseException:
    """The single exception inside (nested) exception groups, else exc itself."""
    if isinstance(exc, BaseExceptionGroup):
        leaves = _leaves(exc)
        if len(leaves) == 1:
            return leaves[0]
    return exc


@asynccontextmanager
async def checked_connection(
    opening: AbstractAsyncContextManager[Any],
    problems_of: Callable[[Any], list[str]],
    report: Callable[[Any, list[str]], str],
) -> AsyncIterator[Any]:
    """The connection `opening` yields; once it is closed, `problems_of(conn)` must be empty,
    else the test fails with `report(conn, problems)`. When the test body (or the SDK) fails,
    the failure is shown plainly (the SDK's task groups wrap it) with the report as a note,
    which often says why the SDK or the test tripped."""
    opened: list[Any] = []
    try:
        async with opening as conn:
            opened.append(conn)
            yield conn
    except BaseException as exc:
        failure = unwrap(exc)
        if opened and isinstance(failure, Exception):
            problems = problems_of(opened[0])
            if problems:
                failure.add_note(report(opened[0], problems))
        if failure is exc:
            raise
        raise failure from None
    problems = problems_of(opened[0])
    if problems:
        pytest.fail(report(opened[0], problems), pytrace=False)


@pytest.fixture
def connect(tmp_path: Path):
    """`async with connect(kind) as conn:` opens a connection; on a clean exit the wire is checked."""
    counter = 0

    def _connect(kind: str) -> AbstractAsyncContextManager[Connection]:
        nonlocal counter
        counter += 1
        capture = tmp_path / f"traffic-{counter}.jsonl"
        return checked_connection(_open(kind, capture), _wire_problems, wire_report)

    return _connect
