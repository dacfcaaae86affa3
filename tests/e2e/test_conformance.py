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
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness import everything_bin, run_setup_script
from server_process import SHUTDOWN_TIMEOUT, STARTUP_TIMEOUT, ServerProcess, start_server, stop_server

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]
CONFORMANCE_DIR = REPO_ROOT / "tests" / "conformance"
CONFORMANCE_ENV_SCRIPT = REPO_ROOT / "scripts" / "conformance-env.sh"

SETUP_TIMEOUT = 420.0
"""Seconds for scripts/conformance-env.sh on a fresh machine (Node 22 and both suites)."""

SCENARIO_TIMEOUT_MS = 30_000
"""The pre-release suite's per-scenario timeout (its `--timeout`; 0.1.16 has none)."""

SUITE_TIMEOUT = 300.0
"""Seconds for one whole suite run (a few seconds when all is well)."""

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
    lines = run_setup_script(CONFORMANCE_ENV_SCRIPT, SETUP_TIMEOUT)
    assert len(lines) == 2, f"scripts/conformance-env.sh printed {lines!r}, expected the node path and the directory"
    env = ConformanceEnv(node=Path(lines[0]), root=Path(lines[1]))
    assert env.node.is_file() and os.access(env.node, os.X_OK), f"no node binary at {env.node}"
    return env


Everything = ServerProcess
"""A running `everything --transport http` on 127.0.0.1."""


def start_everything(stderr_path: Path) -> Everything:
    process, mcp_url = start_server(everything_bin(), {**child_env(), "RUST_BACKTRACE": "1"}, stderr_path)
    return Everything(process=process, mcp_url=mcp_url, stderr_path=stderr_path)


@pytest.fixture
def everything(tmp_path: Path) -> Iterator[Everything]:
    server = start_everything(tmp_path / "everything.stderr")
    try:
        yield server
    finally:
        stop_server(server)


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
