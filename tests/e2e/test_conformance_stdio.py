"""The official MCP conformance suite against `examples/everything` over stdio.

The suite speaks only HTTP, so `stdio_bridge.py` stands in front of the stdio transport:
it serves Streamable HTTP on 127.0.0.1, gives each legacy session a fresh
`everything --transport stdio`, and serves every 2026-07-28 request with one shared,
long-lived `everything --transport stdio`, multiplexing the requests of all HTTP clients
over its stdin/stdout as one stdio client with many requests in flight would (ids and
progress tokens rewritten to bridge-unique ones and restored on the way back, listen
streams fed by `io.modelcontextprotocol/subscriptionId`, hang-ups sent on as
`notifications/cancelled`). It forwards messages line by line and adds framing only (see
its docstring). So a `subscriptions/listen` stream hears of the tool-list change another
request makes, as over HTTP. Both pinned releases of the suite run
every server scenario that is not HTTP-specific, one `conformance server --scenario S`
run each, against one bridge per release:

  stable       0.1.16 (32 server scenarios, 29 run here)
  2026-07-28   0.2.0-alpha.12 with `--spec-version 2026-07-28` (40 scenarios, 36 run here)

Each run passes `--expected-failures` with the stdio baseline committed in
tests/conformance/ (`baseline-stable-stdio.yml`, `baseline-2026-07-28-stdio.yml`): the
same features not built yet as over HTTP. To that baseline the test adds, at run time,
the single checks of HTTP_ONLY_CHECKS: checks of HTTP mechanics inside a scenario that
is otherwise run. The suite exits 1 on any other failure and on a baseline entry that
passes (stale), so every scenario run must exit 0. The scenarios of HTTP_ONLY_SCENARIOS
do not run at all; the test checks that each of them, and each scenario of the baseline,
still exists in the pinned release.

The bridge, and so every stdio server, runs without MCP_* variables, so without
`MCP_STATE_SECRET`: the one process answering every 2026-07-28 request opens the
`requestState`s it sealed with its own random key (a retry meeting another process would
fail, so the suite's multi round-trip scenarios also check that the bridge keeps them on
one process).

At the end the bridge is stopped with SIGTERM (it ends every child), then its whole
process group is killed, and the test checks that no process of that group is left.

Set EVERYTHING_BIN to test another binary than target/debug/everything.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from test_conformance import (  # noqa: F401  (conformance_env is a fixture)
    _ANSI,
    CONFORMANCE_DIR,
    REPO_ROOT,
    SCENARIO_TIMEOUT_MS,
    SETUP_TIMEOUT,
    SUITES,
    ConformanceEnv,
    child_env,
    conformance_env,
    everything_bin,
    failing_checks,
)

E2E_DIR = Path(__file__).resolve().parent
BRIDGE = E2E_DIR / "stdio_bridge.py"

HTTP_ONLY_SCENARIOS: dict[str, str] = {
    "dns-rebinding-protection": (
        "rejects requests whose Host/Origin headers name another host: a guard of HTTP "
        "servers on localhost; a stdio server has no Host or Origin"
    ),
    "server-sse-polling": (
        "SEP-1699: the server closes an SSE stream mid-call and the client resumes it with "
        "Last-Event-ID after the `retry` delay: resumable SSE is HTTP stream mechanics"
    ),
    "server-sse-multiple-streams": (
        "SEP-1699: several concurrent POST SSE streams on one HTTP session: HTTP stream "
        "mechanics (over stdio every message shares one pipe)"
    ),
    "http-header-validation": (
        "SEP-2243: MCP-Protocol-Version, Mcp-Method and Mcp-Name headers must be present "
        "and match the body (-32020, 400): HTTP headers, which stdio does not have"
    ),
    "http-custom-header-server-validation": (
        "SEP-2243: Mcp-Param-* headers (and their Base64 form) must match the tool "
        "arguments: HTTP headers, which stdio does not have"
    ),
}
"""Scenarios that test HTTP mechanics only: not run over stdio, with the reason."""

HTTP_ONLY_CHECKS: dict[str, dict[str, str]] = {
    "2026-07-28": {
        "server-stateless:sep-2575-http-server-header-mismatch-400": (
            "an MCP-Protocol-Version header that disagrees with `_meta` must be a -32020 "
            "HeaderMismatch: over stdio there is no header, so the server sees only the "
            "body's version and answers -32022 (unsupported version)"
        ),
    },
}
"""Checks of HTTP mechanics inside scenarios that run: expected to fail over stdio."""

STDIO_BASELINES = {
    "stable": "baseline-stable-stdio.yml",
    "2026-07-28": "baseline-2026-07-28-stdio.yml",
}

SCENARIO_ARGS: dict[str, tuple[str, ...]] = {
    "stable": (),
    "2026-07-28": ("--spec-version", "2026-07-28", "--timeout", str(SCENARIO_TIMEOUT_MS)),
}
"""Arguments of a single-scenario run (`--suite` does not apply to `--scenario`)."""

LIST_ARGS: dict[str, tuple[str, ...]] = {
    "stable": ("list", "--server"),
    "2026-07-28": ("list", "--server", "--spec-version", "2026-07-28"),
}

BRIDGE_STARTUP_TIMEOUT = 20.0
BRIDGE_SHUTDOWN_TIMEOUT = 30.0
BRIDGE_REPLY_TIMEOUT = 60.0
"""Seconds the bridge waits for a stdio server's reply before answering 504."""
SCENARIO_RUN_TIMEOUT = 120.0
"""Seconds for one `conformance server --scenario` run (about a second when all is well)."""
SUITE_TIMEOUT = 900.0
"""Seconds for every scenario of one release."""

_BRIDGING = re.compile(r"bridging MCP at (http://127\.0\.0\.1:\d+/mcp)")
_LISTED = re.compile(r"^\s+- (\S+) \[", re.MULTILINE)
_BASELINE_ENTRY = re.compile(r"^\s+- (\S+)\s*$", re.MULTILINE)


# --------------------------------------------------------------------------------------
# The bridge


@dataclass
class Bridge:
    process: subprocess.Popen[bytes]
    mcp_url: str
    stderr_path: Path

    def stderr_tail(self, limit: int = 3000) -> str:
        if not self.stderr_path.exists():
            return ""
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")[-limit:]


def process_group_members(pgid: int) -> list[int]:
    """The pids whose process group is `pgid` (from /proc; zombies count)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...: comm may hold spaces, so split after the last ')'.
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 2 and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


def start_bridge(stderr_path: Path) -> Bridge:
    command = [
        sys.executable, str(BRIDGE), "--timeout", str(BRIDGE_REPLY_TIMEOUT),
        "--", str(everything_bin()), "--transport", "stdio",
    ]
    stderr = open(stderr_path, "wb")  # noqa: SIM115 (the child keeps it)
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr,
            # No MCP_* variables (child_env), so no MCP_STATE_SECRET: every sessionless
            # request meets the same stdio server, which opens the 2026-07-28
            # `requestState`s it sealed with its own key.
            env={**child_env(), "RUST_BACKTRACE": "1"},
            start_new_session=True,  # its own process group: the stdio servers join it
        )
    finally:
        stderr.close()
    found: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for raw in iter(process.stdout.readline, b""):
            match = _BRIDGING.search(raw.decode("utf-8", errors="replace"))
            if match and not found:
                found.append(match.group(1))
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True, name="bridge-stdout").start()
    ready.wait(BRIDGE_STARTUP_TIMEOUT)
    bridge = Bridge(process=process, mcp_url=found[0] if found else "", stderr_path=stderr_path)
    if not found:
        leftovers = stop_bridge(bridge)
        pytest.fail(
            f"stdio_bridge.py did not print its URL within {BRIDGE_STARTUP_TIMEOUT} s (exit status "
            f"{process.poll()}, leftover processes {leftovers}); stderr:\n{bridge.stderr_tail()}",
            pytrace=False,
        )
    return bridge


def stop_bridge(bridge: Bridge) -> list[int]:
    """SIGTERM (the bridge ends its children), then SIGKILL to the whole group; returns the
    pids of the group that were still there before that SIGKILL."""
    pgid = bridge.process.pid
    if bridge.process.poll() is None:
        bridge.process.send_signal(signal.SIGTERM)
        try:
            bridge.process.wait(BRIDGE_SHUTDOWN_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
    leftovers = [pid for pid in process_group_members(pgid) if pid != pgid]
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    bridge.process.wait(5)
    deadline = time.monotonic() + 5
    while process_group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return leftovers


@pytest.fixture
def bridge(tmp_path: Path) -> Iterator[Bridge]:
    running = start_bridge(tmp_path / "bridge.stderr")
    leftovers: list[int] = []
    try:
        yield running
    finally:
        leftovers = stop_bridge(running)
    assert not leftovers, (
        f"processes of the bridge's group outlived its SIGTERM (killed now): {leftovers}; "
        f"bridge stderr:\n{running.stderr_tail()}"
    )
    assert not process_group_members(running.process.pid), "processes of the bridge's group survived SIGKILL"


# --------------------------------------------------------------------------------------
# Scenarios and baselines


def listed_scenarios(env: ConformanceEnv, suite_name: str) -> list[str]:
    suite = SUITES[suite_name]
    done = subprocess.run(
        [str(env.node), str(env.cli(suite)), *LIST_ARGS[suite_name]],
        capture_output=True, text=True, timeout=60, env=child_env(),
    )
    assert done.returncode == 0, f"conformance {suite.version} list failed: {done.stderr[-2000:]}"
    text = _ANSI.sub("", done.stdout)
    server_part = text.split("Client scenarios", 1)[0]
    return _LISTED.findall(server_part)


def run_baseline(suite_name: str, directory: Path) -> tuple[Path, list[str]]:
    """The committed stdio baseline plus this release's HTTP-only checks, written to
    `directory`; and the committed entries."""
    committed = (CONFORMANCE_DIR / STDIO_BASELINES[suite_name]).read_text(encoding="utf-8")
    assert re.search(r"^server:\s*(\[\])?\s*$", committed, re.MULTILINE) and not re.search(r"^client:", committed, re.MULTILINE), (
        f"{STDIO_BASELINES[suite_name]} must hold one `server:` list"
    )
    extra = HTTP_ONLY_CHECKS.get(suite_name, {})
    text = committed.rstrip("\n") + "\n"
    if extra:
        # An empty list (`server: []`) becomes a block list the added entries can join.
        text = re.sub(r"^server:\s*\[\]\s*$", "server:", text, flags=re.MULTILINE)
        text += "  # Added by tests/e2e/test_conformance_stdio.py: checks of HTTP mechanics.\n"
        text += "".join(f"  - {entry}\n" for entry in extra)
    path = directory / f"run-{STDIO_BASELINES[suite_name]}"
    path.write_text(text, encoding="utf-8")
    return path, _BASELINE_ENTRY.findall(committed)


def scenario_of(entry: str) -> str:
    return entry.split(":", 1)[0]


@dataclass
class Tally:
    scenarios_passed: list[str] = field(default_factory=list)
    checks_passed: int = 0
    checks_failed: int = 0


def tally(results: Path) -> Tally:
    """Counts from the suite's checks.json files: a scenario passes when none of its checks
    is a FAILURE or WARNING."""
    counts = Tally()
    for checks_file in sorted(results.glob("*/checks.json")):
        checks = json.loads(checks_file.read_text(encoding="utf-8"))
        bad = [c for c in checks if c.get("status") in ("FAILURE", "WARNING")]
        counts.checks_passed += sum(1 for c in checks if c.get("status") == "SUCCESS")
        counts.checks_failed += len(bad)
        if not bad:
            counts.scenarios_passed.append(checks_file.parent.name)
    return counts


# --------------------------------------------------------------------------------------
# The tests


@pytest.mark.timeout(SETUP_TIMEOUT + SUITE_TIMEOUT + BRIDGE_STARTUP_TIMEOUT + BRIDGE_SHUTDOWN_TIMEOUT + 60)
@pytest.mark.parametrize("suite_name", list(SUITES))
def test_conformance_suite_over_stdio(
    suite_name: str, conformance_env: ConformanceEnv, bridge: Bridge, tmp_path: Path,
) -> None:
    suite = SUITES[suite_name]
    installed = conformance_env.installed_version(suite)
    assert installed == suite.version, (
        f"{suite.alias} is {installed} under {conformance_env.root}, tests/conformance pins {suite.version}"
    )
    scenarios = listed_scenarios(conformance_env, suite_name)
    assert len(scenarios) == suite.scenarios, (
        f"conformance {suite.version} lists {len(scenarios)} server scenarios, expected {suite.scenarios}: "
        f"review HTTP_ONLY_SCENARIOS and the stdio baseline for the new ones: {scenarios}"
    )
    baseline, committed = run_baseline(suite_name, tmp_path)
    known = set(scenarios)
    excluded = [s for s in HTTP_ONLY_SCENARIOS if s in known]
    unknown = [
        entry for entry in [*committed, *HTTP_ONLY_CHECKS.get(suite_name, {})]
        if scenario_of(entry) not in known or scenario_of(entry) in HTTP_ONLY_SCENARIOS
    ]
    assert not unknown, f"entries naming a scenario that does not run over stdio: {unknown}"
    to_run = [s for s in scenarios if s not in HTTP_ONLY_SCENARIOS]

    results = tmp_path / "results"
    outputs = tmp_path / "output"
    outputs.mkdir()
    failed: list[str] = []
    deadline = time.monotonic() + SUITE_TIMEOUT
    for scenario in to_run:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"the scenarios of conformance {suite.version} took over {SUITE_TIMEOUT} s"
        command = [
            str(conformance_env.node), str(conformance_env.cli(suite)),
            "server", "--url", bridge.mcp_url, "--scenario", scenario,
            "--expected-failures", str(baseline), "--output-dir", str(results),
            *SCENARIO_ARGS[suite_name],
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, cwd=tmp_path, env=child_env(),
                timeout=min(SCENARIO_RUN_TIMEOUT, remaining),
            )
            output, code = done.stdout + done.stderr, done.returncode
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout.decode("utf-8", errors="replace") if isinstance(exc.stdout, bytes) else exc.stdout or ""
            output, code = out + f"\n(timed out after {SCENARIO_RUN_TIMEOUT} s)", -1
        (outputs / f"{scenario}.txt").write_text(output, encoding="utf-8")
        if code != 0:
            verdict = _ANSI.sub("", output)
            start = max(verdict.rfind("Expected failures"), verdict.rfind("Stale baseline"), verdict.rfind("Unexpected failures"))
            failed.append(f"{scenario} (exit {code}): {verdict[start:][-1500:] if start >= 0 else verdict[-1500:]}")
        assert bridge.process.poll() is None, (
            f"the bridge exited during {scenario} ({bridge.process.returncode}); stderr:\n{bridge.stderr_tail()}"
        )

    counts = tally(results)
    summary = (
        f"conformance {suite.version} over stdio: {len(counts.scenarios_passed)}/{len(to_run)} scenarios "
        f"without a failing check, {counts.checks_passed} checks passed, {counts.checks_failed} failed "
        f"(all in {baseline.name}); HTTP-only, not run: {', '.join(excluded)}"
    )
    (tmp_path / "summary.txt").write_text(summary + "\n", encoding="utf-8")
    print(summary)
    assert not failed, (
        f"conformance {suite.version} over stdio: {len(failed)} of {len(to_run)} scenarios failed outside "
        f"tests/conformance/{STDIO_BASELINES[suite_name]} (or an entry of it passes now: remove it)\n"
        + "\n".join(failed)
        + "\n--- checks that did not pass ---\n" + "\n".join(failing_checks(results) or ["(none)"])
        + f"\n--- stderr of the bridge and its stdio servers (tail) ---\n{bridge.stderr_tail()}"
        + f"\nresults: {results}; each scenario's output: {outputs}"
    )
    ran = len(list(results.glob("*/checks.json")))
    assert ran == len(to_run), f"{ran} scenarios left results in {results}, expected {len(to_run)}"
