"""The official MCP conformance suite against `examples/everything` over Streamable HTTP.

Two pinned releases of npm `@modelcontextprotocol/conformance` run their server scenarios
(`conformance server --url ... --suite all`) against a fresh
`everything --transport http --bind 127.0.0.1:0` each (loopback, no token: the suite sends
none; the port is read from the `serving MCP at ...` line on stderr):

  stable       0.1.16, every server scenario (32)
  2026-07-28   0.2.0-alpha.12 with `--spec-version 2026-07-28` (40 scenarios)

Each run passes `--expected-failures` with the baseline committed in tests/conformance/
(`baseline-stable.yml`, `baseline-2026-07-28.yml`): the scenarios or checks that fail
because mcp lacks the feature, one comment each. The suite exits 1 when anything outside
the baseline fails, or when something in it passes (a stale entry), so the test asserts
exit status 0, and that every scenario of the pinned release ran.

scripts/conformance-env.sh installs Node 22 (through scripts/node-env.sh) and both suites
(`npm ci` from tests/conformance/package.json and package-lock.json) under target/, once.
Set EVERYTHING_BIN to test another binary than target/debug/everything.

When a run fails, the message carries the suite's verdict, every failing check, the
server's stderr, and the path of the suite's results (one checks.json per scenario).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]
CONFORMANCE_DIR = REPO_ROOT / "tests" / "conformance"
CONFORMANCE_ENV_SCRIPT = REPO_ROOT / "scripts" / "conformance-env.sh"

SETUP_TIMEOUT = 420.0
"""Seconds for scripts/conformance-env.sh on a fresh machine (Node 22 and both suites)."""

STARTUP_TIMEOUT = 20.0
"""Seconds for the server to log the address it serves."""

SHUTDOWN_TIMEOUT = 15.0
"""Seconds the server gets to exit after SIGTERM before it is killed."""

SCENARIO_TIMEOUT_MS = 30_000
"""The pre-release suite's per-scenario timeout (its `--timeout`; 0.1.16 has none)."""

SUITE_TIMEOUT = 300.0
"""Seconds for one whole suite run (a few seconds when all is well)."""

_SERVING = re.compile(r"serving MCP at (http://127\.0\.0\.1:(\d+)/mcp)")
_RUNNING = re.compile(r"^=== Running scenario: (\S+) ===$", re.MULTILINE)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Suite:
    """One pinned release of the suite and how it is run."""

    alias: str
    """The npm alias in tests/conformance/package.json."""
    version: str
    args: tuple[str, ...]
    baseline: str
    """The expected-failures file in tests/conformance/."""
    scenarios: int
    """How many server scenarios this release runs with `args`."""


SUITES = {
    "stable": Suite(
        alias="conformance-stable",
        version="0.1.16",
        args=("--suite", "all"),
        baseline="baseline-stable.yml",
        scenarios=32,
    ),
    "2026-07-28": Suite(
        alias="conformance-2026",
        version="0.2.0-alpha.12",
        args=("--spec-version", "2026-07-28", "--suite", "all", "--timeout", str(SCENARIO_TIMEOUT_MS)),
        baseline="baseline-2026-07-28.yml",
        scenarios=40,
    ),
}


def everything_bin() -> Path:
    path = Path(os.environ.get("EVERYTHING_BIN") or REPO_ROOT / "target" / "debug" / "everything")
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(
            f"everything binary not found at {path}: build it with `cargo build -p everything` "
            "or point EVERYTHING_BIN at it",
            pytrace=False,
        )
    return path


def child_env() -> dict[str, str]:
    """The environment of the server and the suite: no MCP_* settings, no proxies (loopback only)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MCP_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    }
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


# --------------------------------------------------------------------------------------
# Fixtures


@dataclass(frozen=True)
class ConformanceEnv:
    node: Path
    root: Path

    def cli(self, suite: Suite) -> Path:
        return self.root / "node_modules" / suite.alias / "dist" / "index.js"

    def installed_version(self, suite: Suite) -> str:
        manifest = self.root / "node_modules" / suite.alias / "package.json"
        return json.loads(manifest.read_text(encoding="utf-8"))["version"]


@pytest.fixture(scope="session")
def conformance_env() -> ConformanceEnv:
    """Node 22 and both suites, installed (once, idempotently) by scripts/conformance-env.sh."""
    try:
        done = subprocess.run(
            ["bash", str(CONFORMANCE_ENV_SCRIPT)],
            capture_output=True, text=True, timeout=SETUP_TIMEOUT, cwd=REPO_ROOT,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"scripts/conformance-env.sh did not finish within {SETUP_TIMEOUT} s: {exc.stderr}", pytrace=False)
    if done.returncode != 0:
        pytest.fail(f"scripts/conformance-env.sh failed ({done.returncode}):\n{done.stderr[-3000:]}", pytrace=False)
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 2, f"scripts/conformance-env.sh printed {done.stdout!r}, expected the node path and the directory"
    env = ConformanceEnv(node=Path(lines[0]), root=Path(lines[1]))
    assert env.node.is_file() and os.access(env.node, os.X_OK), f"no node binary at {env.node}"
    return env


@dataclass
class Everything:
    """A running `everything --transport http` on 127.0.0.1."""

    process: subprocess.Popen[bytes]
    mcp_url: str
    stderr_path: Path

    def stderr_tail(self, limit: int = 3000) -> str:
        if not self.stderr_path.exists():
            return ""
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")[-limit:]


def start_everything(stderr_path: Path) -> Everything:
    process = subprocess.Popen(
        [str(everything_bin()), "--transport", "http", "--bind", "127.0.0.1:0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**child_env(), "RUST_BACKTRACE": "1"},
    )
    found: list[str] = []
    ready = threading.Event()

    def drain() -> None:
        # Copies the server's stderr to a file for the whole run; notes the address once.
        assert process.stderr is not None
        with open(stderr_path, "ab") as out:
            for raw in iter(process.stderr.readline, b""):
                out.write(raw)
                out.flush()
                if not found:
                    match = _SERVING.search(raw.decode("utf-8", errors="replace"))
                    if match:
                        found.append(match.group(1))
                        ready.set()
        ready.set()

    threading.Thread(target=drain, daemon=True, name="everything-stderr").start()
    ready.wait(STARTUP_TIMEOUT)
    if not found:
        process.kill()
        process.wait(5)
        text = stderr_path.read_text(encoding="utf-8", errors="replace") if stderr_path.exists() else ""
        pytest.fail(
            f"everything did not log 'serving MCP at http://127.0.0.1:PORT/mcp' within {STARTUP_TIMEOUT} s "
            f"(exit status {process.poll()}); stderr:\n{text[-3000:]}",
            pytrace=False,
        )
    return Everything(process=process, mcp_url=found[0], stderr_path=stderr_path)


def stop_everything(server: Everything) -> None:
    if server.process.poll() is not None:
        return
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(SHUTDOWN_TIMEOUT)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(5)


@pytest.fixture
def everything(tmp_path: Path) -> Iterator[Everything]:
    server = start_everything(tmp_path / "everything.stderr")
    try:
        yield server
    finally:
        stop_everything(server)


# --------------------------------------------------------------------------------------
# Reporting


def failing_checks(results: Path) -> list[str]:
    """`scenario: check-id STATUS message` for every check that did not pass, from the suite's checks.json files."""
    lines: list[str] = []
    for checks_file in sorted(results.glob("*/checks.json")):
        try:
            checks = json.loads(checks_file.read_text(encoding="utf-8"))
        except ValueError as exc:
            lines.append(f"{checks_file.parent.name}: unreadable checks.json ({exc})")
            continue
        scenario = re.sub(r"^server-|-\d{4}-\d\d-\d\dT.*$", "", checks_file.parent.name)
        for check in checks:
            if check.get("status") in ("FAILURE", "WARNING"):
                message = (check.get("errorMessage") or "").replace("\n", " ")[:300]
                lines.append(f"{scenario}: {check.get('id')} {check.get('status')} {message}")
    return lines


def verdict(stdout: str) -> str:
    """The suite's summary and baseline verdict (the end of its output), without colours."""
    text = _ANSI.sub("", stdout)
    start = text.rfind("=== SUMMARY ===")
    return text[start:] if start >= 0 else text[-4000:]


# --------------------------------------------------------------------------------------
# The tests


@pytest.mark.timeout(SETUP_TIMEOUT + SUITE_TIMEOUT + STARTUP_TIMEOUT + SHUTDOWN_TIMEOUT + 30)
@pytest.mark.parametrize("suite_name", list(SUITES))
def test_conformance_suite(suite_name: str, conformance_env: ConformanceEnv, everything: Everything, tmp_path: Path) -> None:
    suite = SUITES[suite_name]
    installed = conformance_env.installed_version(suite)
    assert installed == suite.version, (
        f"{suite.alias} is {installed} under {conformance_env.root}, tests/conformance pins {suite.version}"
    )
    baseline = CONFORMANCE_DIR / suite.baseline
    results = tmp_path / "results"
    command = [
        str(conformance_env.node), str(conformance_env.cli(suite)),
        "server", "--url", everything.mcp_url,
        "--expected-failures", str(baseline),
        "--output-dir", str(results),
        *suite.args,
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=SUITE_TIMEOUT, cwd=tmp_path, env=child_env(),
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode("utf-8", errors="replace") if isinstance(exc.stdout, bytes) else exc.stdout or ""
        pytest.fail(
            f"conformance {suite.version} did not finish within {SUITE_TIMEOUT} s; last output:\n{out[-3000:]}\n"
            f"server stderr (tail):\n{everything.stderr_tail()}",
            pytrace=False,
        )
    (tmp_path / "conformance.stdout").write_text(done.stdout, encoding="utf-8")
    (tmp_path / "conformance.stderr").write_text(done.stderr, encoding="utf-8")

    ran = _RUNNING.findall(_ANSI.sub("", done.stdout))
    context = (
        f"\n--- conformance {suite.version} verdict ---\n{verdict(done.stdout)}"
        f"\n--- checks that did not pass ---\n" + "\n".join(failing_checks(results) or ["(none)"]) +
        f"\n--- stderr of the suite (tail) ---\n{done.stderr[-2000:]}"
        f"\n--- stderr of everything (tail) ---\n{everything.stderr_tail()}"
        f"\nresults (one checks.json per scenario): {results}; full output: {tmp_path / 'conformance.stdout'}"
    )
    assert done.returncode == 0, (
        f"conformance {suite.version} ({' '.join(suite.args)}) exited {done.returncode}: a check outside "
        f"{baseline.relative_to(REPO_ROOT)} failed, or an entry of it passes now (remove it){context}"
    )
    assert len(ran) == suite.scenarios, (
        f"conformance {suite.version} ran {len(ran)} scenarios, expected {suite.scenarios}: {ran}{context}"
    )
    assert everything.process.poll() is None, f"everything exited during the suite ({everything.process.returncode}){context}"
