"""Production deployment: three calculator replicas behind nginx, configured with
deploy/nginx/mcp.conf (only its port numbers changed).

- The Python SDK works through nginx in every HTTP kind: 2026-07-28 requests
  round-robin over the replicas; legacy sessions (Streamable HTTP and HTTP+SSE) are sent
  back to the replica that opened them, by the `--replica-id` prefix of their ids.
- A rolling restart under load: while workers drive 2026-07-28 `tools/call`s through
  nginx, each replica in turn gets SIGTERM, drains, exits 0 and is started again. No call
  may fail: nginx moves a request a draining replica refused (`503`) or a stopped one
  could not take (connection refused) to another replica.

nginx is the Debian package, installed by scripts/nginx-env.sh (NGINX_BIN names it);
everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import httpx2
import pytest

from harness import calculator_bin, checked_connection, text_of
from http_harness import (
    HTTP_KINDS,
    LEGACY_STREAMABLE_KINDS,
    SSE_KINDS,
    HttpCapture,
    HttpServer,
    connection_problems,
    open_http,
    report,
)
from server_process import start_server, stop_server

pytestmark = pytest.mark.anyio

REPO = Path(__file__).resolve().parents[2]
SHIPPED_CONFIG = REPO / "deploy" / "nginx" / "mcp.conf"
REPLICAS = ("r1", "r2", "r3")
SHIPPED_PORTS = {"r1": 8101, "r2": 8102, "r3": 8103}
SHIPPED_LISTEN = 8080
STARTUP_TIMEOUT = 20.0
WORKERS = 8
"""Concurrent load-generating clients during the rolling restart."""
ROLLING_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_bin() -> str:
    found = os.environ.get("NGINX_BIN") or shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).exists():
        pytest.fail("nginx is not installed: run scripts/nginx-env.sh (scripts/test does)", pytrace=False)
    return found


def wait_healthy(url: str, timeout: float = STARTUP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            response = httpx2.get(url, timeout=2.0)
            if response.status_code == 200:
                return
            last = f"status {response.status_code}"
        except httpx2.HTTPError as error:
            last = repr(error)
        time.sleep(0.05)
    pytest.fail(f"{url} not healthy within {timeout} s: {last}", pytrace=False)


@dataclass
class Replica:
    name: str
    port: int
    env: dict[str, str]
    stderr_path: Path
    server: HttpServer | None = None

    def start(self) -> None:
        process, url = start_server(
            calculator_bin(),
            self.env,
            self.stderr_path,
            bind=f"127.0.0.1:{self.port}",
            args=("--replica-id", self.name, "--drain-timeout", "10"),
        )
        self.server = HttpServer(process=process, mcp_url=url, token=self.env["MCP_AUTH_TOKEN"], stderr_path=self.stderr_path)
        wait_healthy(f"http://127.0.0.1:{self.port}/health")

    def stop(self) -> int | None:
        assert self.server is not None
        status = stop_server(self.server)
        self.server = None
        return status


@dataclass
class Deployment:
    """nginx on 127.0.0.1 in front of three replicas."""

    replicas: list[Replica]
    proxy: HttpServer
    access_log: Path
    restarts: list[str] = field(default_factory=list)

    def upstreams(self) -> Counter[str]:
        """How many requests each replica address answered, from nginx's access log."""
        counts: Counter[str] = Counter()
        for line in self.access_log.read_text().splitlines():
            for address in re.findall(r"127\.0\.0\.1:\d+", line.split(" ", 1)[1] if " " in line else ""):
                counts[address] += 1
        return counts

    def retried_after_503(self) -> int:
        """Requests nginx moved to another replica after one answered 503."""
        retried = 0
        for line in self.access_log.read_text().splitlines():
            fields = line.split(" ")
            if fields[0] == "200" and len(fields) > 3 and "503," in line.split(" ", 1)[1]:
                retried += 1
        return retried


def config_for(ports: dict[str, int], listen: int) -> str:
    """deploy/nginx/mcp.conf with its ports replaced; each replaced address must be there."""
    text = SHIPPED_CONFIG.read_text()
    for name, shipped in SHIPPED_PORTS.items():
        address = f"127.0.0.1:{shipped}"
        directives = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        named = sum(line.count(address) for line in directives)
        assert named == 3, f"{SHIPPED_CONFIG} should name {address} in the upstream and both maps"
        text = text.replace(address, f"127.0.0.1:{ports[name]}")
    listen_line = f"listen 127.0.0.1:{SHIPPED_LISTEN};"
    assert listen_line in text, f"{SHIPPED_CONFIG} should have `{listen_line}`"
    return text.replace(listen_line, f"listen 127.0.0.1:{listen};")


def main_config(prefix: Path, include: Path) -> str:
    """The nginx.conf around the shipped file: a prefix of our own, logs with upstreams."""
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}daemon off;
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} notice;
events {{ worker_connections 1024; }}
http {{
    log_format upstreams '$status $upstream_addr $upstream_status $request_method $uri $request_time $request_id';
    access_log {prefix / "access.log"} upstreams;
{temp}
    include {include};
}}
"""


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    token = secrets.token_hex(24)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_")}
    env.update(MCP_AUTH_TOKEN=token, MCP_STATE_SECRET=secrets.token_hex(32), RUST_BACKTRACE="1")
    ports = {name: free_port() for name in REPLICAS}
    listen = free_port()
    replicas = [Replica(name, ports[name], env, tmp_path / f"{name}.stderr") for name in REPLICAS]
    nginx_dir = tmp_path / "nginx"
    nginx_dir.mkdir()
    include = nginx_dir / "mcp.conf"
    include.write_text(config_for(ports, listen))
    conf = nginx_dir / "nginx.conf"
    conf.write_text(main_config(nginx_dir, include))
    nginx = nginx_bin()
    check = subprocess.run([nginx, "-t", "-p", str(nginx_dir), "-c", str(conf)], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, f"nginx -t refused the configuration:\n{check.stderr}"
    process = None
    try:
        for replica in replicas:
            replica.start()
        process = subprocess.Popen(
            [nginx, "-p", str(nginx_dir), "-c", str(conf)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_healthy(f"http://127.0.0.1:{listen}/health")
        proxy = HttpServer(process=process, mcp_url=f"http://127.0.0.1:{listen}/mcp", token=token, stderr_path=nginx_dir / "error.log")
        yield Deployment(replicas, proxy, nginx_dir / "access.log")
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        for replica in replicas:
            if replica.server is not None:
                replica.stop()


def connect(deployment: Deployment, kind: str, path: Path):
    capture = HttpCapture(path)
    return checked_connection(open_http(deployment.proxy, kind, capture), connection_problems, report)


def test_replicas_answer_with_the_request_id_nginx_logs(deployment: Deployment) -> None:
    """The shipped configuration passes nginx's `$request_id` on; the replica echoes it in
    `X-Request-Id`, so the id a client sees is the one in nginx's access log."""
    ids = []
    for _ in range(3):
        response = httpx2.get(f"{deployment.proxy.base_url}/health", timeout=5.0)
        assert response.status_code == 200, response.text
        ids.append(response.headers.get("x-request-id", ""))
    assert all(re.fullmatch(r"[0-9a-f]{32}", id_) for id_ in ids), ids
    assert len(set(ids)) == 3, ids
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        logged = {line.rsplit(" ", 1)[-1] for line in deployment.access_log.read_text().splitlines()}
        if set(ids) <= logged:
            break
        time.sleep(0.05)
    assert set(ids) <= logged, (ids, deployment.access_log.read_text()[-2000:])


async def test_every_kind_of_client_through_nginx(deployment: Deployment, tmp_path: Path) -> None:
    """Each HTTP kind of the Python SDK, twice over (so legacy sessions open on more than
    one replica): tools listed and called through nginx, the traffic checked as for a
    server reached directly."""
    session_ids: list[str] = []
    for round_ in range(2):
        for kind in HTTP_KINDS:
            async with connect(deployment, kind, tmp_path / f"{kind}-{round_}.jsonl") as conn:
                with anyio.fail_after(30):
                    tools = await conn.list_tools()
                    assert "add" in {tool.name for tool in tools.tools}
                    for a in range(3):
                        result = await conn.call_tool("add", {"a": a, "b": 0.5})
                        assert not result.is_error and text_of(result) == f"{a + 0.5}", result
                if kind in LEGACY_STREAMABLE_KINDS:
                    sent = {ex.request_headers.get("mcp-session-id") for ex in conn.capture.exchanges} - {None}
                    assert len(sent) == 1, f"{kind}: one session, got {sent}"
                    session_ids.extend(sent)
                if kind in SSE_KINDS:
                    posts = {ex.path for ex in conn.capture.exchanges if ex.method == "POST"}
                    ids = {m.group(1) for p in posts if (m := re.search(r"sessionId=([^&]+)", p))}
                    assert len(ids) == 1, f"{kind}: one session, got {posts}"
                    session_ids.extend(ids)
    prefixes = Counter(session_id.split(".", 1)[0] for session_id in session_ids)
    assert set(prefixes) <= set(REPLICAS), f"session ids without a replica prefix: {session_ids}"
    assert len(prefixes) >= 2, f"legacy sessions all opened on one replica: {prefixes}"
    served = deployment.upstreams()
    assert len(served) == 3, f"every replica served requests: {served}"


def modern_call(call: int, tool: str, arguments: dict[str, int]) -> tuple[dict[str, str], bytes]:
    """A 2026-07-28 `tools/call` of `tool`: its headers and body."""
    body = {
        "jsonrpc": "2.0",
        "id": call,
        "method": "tools/call",
        "params": {
            "name": tool,
            "arguments": arguments,
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {},
                "io.modelcontextprotocol/clientInfo": {"name": "rolling-load", "version": "1"},
            },
        },
    }
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": "2026-07-28",
        "Mcp-Method": "tools/call",
        "Mcp-Name": tool,
    }
    return headers, json.dumps(body).encode()


async def test_rolling_restart_under_load_fails_no_call(deployment: Deployment) -> None:
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    done = anyio.Event()
    auth = deployment.proxy.auth_headers()

    async def worker(index: int) -> None:
        # Half the workers add (quick), half count to 4 (200 ms): a replica told to stop
        # has calls to finish, and refuses new ones (503) while it does.
        call = index * 1_000_000
        async with httpx2.AsyncClient(base_url=deployment.proxy.base_url, headers=auth, timeout=20.0) as client:
            while not done.is_set():
                call += 1
                if index % 2:
                    headers, body = modern_call(call, "count", {"to": 4})
                    expected = "4"
                else:
                    headers, body = modern_call(call, "add", {"a": call, "b": 1})
                    expected = str(call + 1)
                try:
                    response = await client.post("/mcp", headers=headers, content=body)
                except httpx2.HTTPError as error:
                    outcomes["error"] += 1
                    failures.append(f"call {call}: {error!r}")
                    continue
                text = None
                if response.status_code == 200:
                    try:
                        reply = response.json()
                        if reply.get("id") == call:
                            text = reply["result"]["content"][0]["text"]
                    except (ValueError, KeyError, IndexError, TypeError):
                        text = None
                if text == expected:
                    outcomes["ok"] += 1
                else:
                    outcomes["failed"] += 1
                    failures.append(f"call {call}: {response.status_code} {response.text[:300]}")

    async def restart_each_replica() -> None:
        await anyio.sleep(1.0)
        for replica in deployment.replicas:
            before = outcomes["ok"]
            # A one-second call straight to the replica: its drain certainly lasts that
            # long, refusing (503) what nginx sends it meanwhile; the call must finish.
            long_call: dict[str, httpx2.Response] = {}

            async def count_on_replica(port: int = replica.port) -> None:
                headers, body = modern_call(0, "count", {"to": 20})
                async with httpx2.AsyncClient(headers=auth, timeout=20.0) as direct:
                    long_call["reply"] = await direct.post(f"http://127.0.0.1:{port}/mcp", headers=headers, content=body)

            async with anyio.create_task_group() as calls:
                calls.start_soon(count_on_replica)
                await anyio.sleep(0.3)
                status = await anyio.to_thread.run_sync(replica.stop)
            reply = long_call["reply"]
            assert reply.status_code == 200 and '"text":"20"' in reply.text, f"{replica.name} dropped its call: {reply.text[:300]}"
            assert status == 0, f"{replica.name} exited with {status} after SIGTERM:\n{replica.stderr_path.read_text()[-2000:]}"
            # Down for a moment: nginx must route around it.
            await anyio.sleep(0.5)
            await anyio.to_thread.run_sync(replica.start)
            deployment.restarts.append(replica.name)
            await anyio.sleep(2.5)  # past nginx's fail_timeout: the replica takes traffic again
            assert outcomes["ok"] > before, f"no call was served while {replica.name} restarted"
        done.set()

    with anyio.fail_after(ROLLING_TIMEOUT):
        async with anyio.create_task_group() as group:
            for index in range(WORKERS):
                group.start_soon(worker, index)
            await restart_each_replica()

    assert deployment.restarts == list(REPLICAS)
    assert not failures, f"{len(failures)} failed calls of {sum(outcomes.values())}:\n" + "\n".join(failures[:20])
    assert outcomes["ok"] >= 500, f"too little load to prove anything: {outcomes}"
    # The drains were real: a replica refused requests while finishing its calls, and
    # nginx sent them on (an access-log line with two upstreams, the first answering 503).
    retried = deployment.retried_after_503()
    assert retried > 0, "no request met a draining replica: the restart proved nothing"
    served = deployment.upstreams()
    assert len(served) == 3, f"every replica served calls: {served}"
