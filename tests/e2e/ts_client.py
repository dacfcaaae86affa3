"""Running the TypeScript SDK clients of ts/ (http-client.mjs, everything-client.mjs).

scripts/node-env.sh installs Node 22 and the SDK under target/node-env (the `node`
fixture). The scripts resolve the SDK from the node_modules next to them, so each run
copies the script, and the module they share (ts/common.mjs), beside the dependencies
node-env.sh installed under target/, then runs it against a server's /mcp URL. The
exchanges the script recorded (MCP_E2E_CAPTURE) come back as http_harness.py's Exchange
objects.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from harness import E2E_DIR, REPO_ROOT, run_setup_script
from http_harness import Exchange

TS_DIR = E2E_DIR / "ts"
NODE_ENV_SCRIPT = REPO_ROOT / "scripts" / "node-env.sh"
NODE_DEPS_DIR = REPO_ROOT / "target" / "node-env" / "ts"
SHARED_MODULES = ("common.mjs",)
"""What the scripts import from beside them (copied along with each)."""

NODE_SETUP_TIMEOUT = 300.0
"""Seconds for scripts/node-env.sh on a fresh machine (downloads Node 22 and the SDK)."""

TS_CLIENT_TIMEOUT = 60.0
"""Seconds for one run of a script (each bounds itself at 30 s)."""


@pytest.fixture(scope="session")
def node() -> Path:
    """Node 22 and the TypeScript SDK, installed (once, idempotently) by scripts/node-env.sh."""
    lines = run_setup_script(NODE_ENV_SCRIPT, NODE_SETUP_TIMEOUT)
    path = Path(lines[-1])
    assert path.is_file() and os.access(path, os.X_OK), f"scripts/node-env.sh printed {path!r}"
    return path


def run_ts_script(node: Path, name: str, mcp_url: str, capture: Path, token: str | None) -> subprocess.CompletedProcess[str]:
    """Run ts/`name` against `mcp_url` with MCP_AUTH_TOKEN=`token` (none if None), recording into `capture`."""
    for file in (name, *SHARED_MODULES):
        shutil.copyfile(TS_DIR / file, NODE_DEPS_DIR / file)
    script = NODE_DEPS_DIR / name
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_")}
    env["MCP_E2E_CAPTURE"] = str(capture)
    if token is not None:
        env["MCP_AUTH_TOKEN"] = token
    try:
        return subprocess.run(
            [str(node), str(script), mcp_url],
            capture_output=True, text=True, timeout=TS_CLIENT_TIMEOUT, env=env, cwd=NODE_DEPS_DIR,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{name} did not finish within {TS_CLIENT_TIMEOUT} s\nstdout: {exc.stdout}\nstderr: {exc.stderr}", pytrace=False)


def ts_summary(done: subprocess.CompletedProcess[str], name: str, context: str) -> Any:
    """The JSON summary line of a successful run of ts/`name` (which must exit 0 and end with "OK")."""
    assert done.returncode == 0, f"{name} exited {done.returncode}{context}"
    assert done.stdout.strip().splitlines()[-1] == "OK", context
    return json.loads(next(line for line in done.stdout.splitlines() if line.startswith("{")))


def load_ts_capture(path: Path) -> list[Exchange]:
    """The exchanges a script recorded through its fetch wrapper, as the harness's Exchange objects."""
    exchanges = []
    for line in path.read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        exchanges.append(
            Exchange(
                index=raw["index"],
                method=raw["method"],
                url=raw["url"],
                request_headers={k.lower(): v for k, v in raw["requestHeaders"].items()},
                request_body=(raw["requestBody"] or "").encode("utf-8"),
                t_sent=raw["tSent"],
                status=raw["status"],
                response_headers={k.lower(): v for k, v in (raw["responseHeaders"] or {}).items()},
                chunks=[(t, text.encode("utf-8")) for t, text in raw["chunks"]],
                error=raw.get("error"),
            )
        )
    return exchanges
