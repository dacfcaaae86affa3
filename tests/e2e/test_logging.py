"""`--log-format json` and request ids: the calculator writes one JSON object per line to
stderr (nothing to stdout), every HTTP response carries `X-Request-Id` (the client's when
it sent a usable one, else a generated one), and log lines written while a request is
served carry its id."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harness import calculator_bin
from server_process import ServerProcess, start_server, stop_server

MODERN = "2026-07-28"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCP_") and k != "RUST_LOG"}
    env.update(extra)
    return env


def add_call(request_id: int) -> dict[str, Any]:
    """A stateless 2026-07-28 `tools/call` of `add`."""
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "method": "tools/call",
        "params": {
            "name": "add",
            "arguments": {"a": 2, "b": 3},
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": MODERN,
                "io.modelcontextprotocol/clientCapabilities": {},
            },
        },
    }


def post(url: str, headers: dict[str, str], body: dict[str, Any]) -> tuple[int, http.client.HTTPMessage, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("POST", parts.path, body=json.dumps(body).encode(), headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every line of `text` parsed; fails naming the first line that is not a JSON object."""
    records = []
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise AssertionError(f"not a JSON line ({error}): {line!r}") from None
        assert isinstance(record, dict), line
        records.append(record)
    return records


def test_json_logs_carry_the_request_id_that_the_response_echoes(tmp_path: Path) -> None:
    token = secrets.token_hex(16)
    stderr = tmp_path / "calculator.stderr"
    env = clean_env(MCP_AUTH_TOKEN=token, RUST_LOG="debug")
    process, url = start_server(calculator_bin(), env, stderr, args=("--log-format", "json"))
    server = ServerProcess(process=process, mcp_url=url, stderr_path=stderr)
    try:
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept": "application/json, text/event-stream",
            "MCP-Protocol-Version": MODERN,
            "Mcp-Method": "tools/call",
            "Mcp-Name": "add",
        }
        status, given, reply = post(url, {**headers, "X-Request-Id": "abc-123"}, add_call(1))
        assert status == 200, reply
        assert json.loads(reply)["result"]["content"] == [{"type": "text", "text": "5"}]
        assert given["X-Request-Id"] == "abc-123"

        status, generated, reply = post(url, headers, add_call(2))
        assert status == 200, reply
        made = generated["X-Request-Id"]
        assert made and made != "abc-123"

        # Refused before any handler runs: the id is on the 401 too; a spaced id is replaced.
        unauthenticated = {**headers, "Authorization": "Bearer wrong", "X-Request-Id": "has spaces"}
        status, refused, _ = post(url, unauthenticated, add_call(3))
        assert status == 401
        assert refused["X-Request-Id"] not in (None, "", "has spaces", made)
    finally:
        exit_status = stop_server(server)
    assert exit_status == 0, server.stderr_tail()

    records = json_lines(stderr.read_text(encoding="utf-8"))
    for record in records:
        for field in ("timestamp", "level", "target", "message"):
            assert field in record, record
    assert any(r["message"].startswith("serving MCP at http://127.0.0.1:") for r in records), records

    def served(request_id: str) -> list[dict[str, Any]]:
        return [r for r in records if r.get("span", {}).get("request_id") == request_id]

    ours = served("abc-123")
    assert ours, records
    assert all(r["span"]["method"] == "POST" and r["span"]["path"] == "/mcp" for r in ours), ours
    assert {"message": "request served", "status": 200}.items() <= ours[-1].items(), ours
    assert any(r["message"] == "tool call" for r in ours), ours
    assert served(made), records


def test_over_stdio_json_logs_stay_off_stdout() -> None:
    done = subprocess.run(
        [str(calculator_bin()), "--log-format", "json"],
        input=(json.dumps(add_call(7)) + "\n").encode(),
        capture_output=True,
        env=clean_env(RUST_LOG="debug"),
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    replies = json_lines(done.stdout.decode())
    assert [r.get("id") for r in replies] == [7], replies
    assert all(r.get("jsonrpc") == "2.0" for r in replies), replies
    logs = json_lines(done.stderr.decode())
    assert logs, "RUST_LOG=debug logs the call"
    assert all("level" in r and "timestamp" in r for r in logs), logs
    assert any(r["message"] == "tool call" for r in logs), logs
