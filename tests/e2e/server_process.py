"""Running an example server over HTTP on 127.0.0.1: start it on an ephemeral port, read
the address from its `serving MCP at ...` line on stderr, keep that stderr in a file,
stop it with SIGTERM (SIGKILL when it does not exit in time).

Used by http_harness.py (the calculator and everything with a bearer token) and
test_conformance.py (everything without one, for the conformance suite).
"""

from __future__ import annotations

import re
import signal
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

STARTUP_TIMEOUT = 20.0
"""Seconds for the server to log the address it serves."""

SHUTDOWN_TIMEOUT = 15.0
"""Seconds the server gets to exit after SIGTERM before it is killed."""

_SERVING = re.compile(r"serving MCP at (https?://127\.0\.0\.1:(\d+)/mcp)")


@dataclass
class ServerProcess:
    """A running example server on 127.0.0.1."""

    process: subprocess.Popen[bytes]
    mcp_url: str
    stderr_path: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def stderr_tail(self, limit: int = 3000) -> str:
        if not self.stderr_path.exists():
            return ""
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")[-limit:]


def start_server(
    binary: Path, env: dict[str, str], stderr_path: Path, bind: str = "127.0.0.1:0", args: tuple[str, ...] = ()
) -> tuple[subprocess.Popen[bytes], str]:
    """`binary --transport http --bind BIND ARGS…` with `env`; the process and the URL it
    logged. Its stderr is copied to `stderr_path` for the whole run."""
    process = subprocess.Popen(
        [str(binary), "--transport", "http", "--bind", bind, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
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

    threading.Thread(target=drain, daemon=True, name=f"{binary.name}-stderr").start()
    ready.wait(STARTUP_TIMEOUT)
    if not found:
        process.kill()
        process.wait(5)
        text = stderr_path.read_text(encoding="utf-8", errors="replace") if stderr_path.exists() else ""
        pytest.fail(
            f"{binary.name} did not log 'serving MCP at http://127.0.0.1:PORT/mcp' within {STARTUP_TIMEOUT} s "
            f"(exit status {process.poll()}); stderr:\n{text[-3000:]}",
            pytrace=False,
        )
    return process, found[0]


def stop_server(server: ServerProcess) -> int | None:
    """SIGTERM, then SIGKILL after SHUTDOWN_TIMEOUT; the exit status (None if it had to be killed)."""
    if server.process.poll() is not None:
        return server.process.returncode
    server.process.send_signal(signal.SIGTERM)
    try:
        return server.process.wait(SHUTDOWN_TIMEOUT)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(5)
        return None
