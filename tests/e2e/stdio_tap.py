"""Pass-through stdio wrapper that records an MCP server's traffic.

Usage: python stdio_tap.py CAPTURE_FILE SERVER_COMMAND [ARGS...]

Starts SERVER_COMMAND as a child process, forwards this process's stdin to
the child's stdin and the child's stdout to this process's stdout, byte for
byte and line by line, and appends one JSON record per event to CAPTURE_FILE:

    {"dir": "start", "t": ..., "pid": <child pid>, "argv": [...]}
    {"dir": "c2s",   "t": ..., "line": "<client -> server line>"}
    {"dir": "s2c",   "t": ..., "line": "<server -> client line>"}
    {"dir": "exit",  "t": ..., "code": <child exit status>}

"line" is the line without its trailing "\\n"; "eol" says whether the newline
was there (false only for a last line cut short by EOF). A line that is not
UTF-8 is recorded as "line_hex" instead. "t" is time.monotonic(), one clock for
both directions. The child's stderr goes to CAPTURE_FILE + ".stderr".

When stdin reaches EOF the child's stdin is closed; the wrapper exits with the
child's exit status once the child has exited and its stdout is drained.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from typing import Any, BinaryIO


class Recorder:
    def __init__(self, path: str) -> None:
        self._file = open(path, "a", encoding="utf-8")
        self._lock = threading.Lock()

    def record(self, direction: str, **fields: Any) -> None:
        entry = {"dir": direction, "t": time.monotonic(), **fields}
        with self._lock:
            self._file.write(json.dumps(entry) + "\n")
            self._file.flush()

    def record_line(self, direction: str, raw: bytes) -> None:
        eol = raw.endswith(b"\n")
        body = raw[:-1] if eol else raw
        try:
            self.record(direction, line=body.decode("utf-8"), eol=eol)
        except UnicodeDecodeError:
            self.record(direction, line_hex=body.hex(), eol=eol)


def pump(source: BinaryIO, sink: BinaryIO, recorder: Recorder, direction: str) -> None:
    """Copy lines from source to sink, recording each; close sink at EOF."""
    try:
        for raw in iter(source.readline, b""):
            recorder.record_line(direction, raw)
            try:
                sink.write(raw)
                sink.flush()
            except (BrokenPipeError, ValueError, OSError):
                break
    finally:
        try:
            sink.close()
        except OSError:
            pass


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    capture, command = sys.argv[1], sys.argv[2:]
    recorder = Recorder(capture)
    with open(capture + ".stderr", "ab") as errlog:
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errlog, bufsize=0)
    recorder.record("start", pid=child.pid, argv=command)
    assert child.stdin is not None and child.stdout is not None

    to_child = threading.Thread(
        target=pump, args=(sys.stdin.buffer, child.stdin, recorder, "c2s"), daemon=True, name="c2s"
    )
    from_child = threading.Thread(
        target=pump, args=(child.stdout, sys.stdout.buffer, recorder, "s2c"), daemon=True, name="s2c"
    )
    to_child.start()
    from_child.start()

    code = child.wait()
    # The child is gone; its stdout reaches EOF unless a grandchild still holds it.
    from_child.join(timeout=5)
    recorder.record("exit", code=code)
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
