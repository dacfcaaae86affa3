"""Self-tests of the wire validator (mcp_schema.py): it must accept good messages and reject bad ones.

These need no server binary.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mcp_schema
from mcp_schema import ALL_REVISIONS, Record, schema_set, validate_server_lines, validate_server_message

EXAMPLES = mcp_schema.SPEC_DIR / "2026-07-28" / "examples"

LIST_REQUEST = {"1": {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}}
CALL_REQUEST = {"7": {"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "add"}}}

TOOL = {
    "name": "add",
    "description": "Add two numbers.",
    "inputSchema": {
        "type": "object",
        "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
        "required": ["a", "b"],
    },
}


def modern_list_result(**overrides):
    result = {"tools": [TOOL], "resultType": "complete", "ttlMs": 0, "cacheScope": "public"}
    result.update(overrides)
    return {"jsonrpc": "2.0", "id": 1, "result": result}


@pytest.mark.parametrize("revision", ALL_REVISIONS)
def test_schema_files_load_with_their_draft(revision: str) -> None:
    schemas = schema_set(revision)
    expected = "Draft202012Validator" if revision in ("2026-07-28", "2025-11-25") else "Draft7Validator"
    assert schemas.draft == expected
    for name in ("JSONRPCMessage", "ListToolsResult", "CallToolResult", "InitializeResult" if revision != "2026-07-28" else "DiscoverResult", "ProgressNotification"):
        assert schemas.has(name), f"{revision} lacks {name}"


@pytest.mark.parametrize("revision", ALL_REVISIONS)
def test_tools_list_result_without_tools_is_rejected(revision: str) -> None:
    message = modern_list_result()
    del message["result"]["tools"]
    problems = validate_server_message(message, revision, LIST_REQUEST)
    assert problems, "a tools/list result without `tools` passed"
    assert any("ListToolsResult" in p and "'tools' is a required property" in p for p in problems), problems


@pytest.mark.parametrize("revision", ALL_REVISIONS)
def test_valid_tools_list_result_passes(revision: str) -> None:
    message = modern_list_result() if revision == "2026-07-28" else {"jsonrpc": "2.0", "id": 1, "result": {"tools": [TOOL]}}
    assert validate_server_message(message, revision, LIST_REQUEST) == []


def test_modern_result_without_result_type_is_rejected() -> None:
    message = modern_list_result()
    del message["result"]["resultType"]
    problems = validate_server_message(message, "2026-07-28", LIST_REQUEST)
    assert any("resultType" in p for p in problems), problems


def test_modern_list_result_without_cache_hints_is_rejected() -> None:
    message = modern_list_result()
    del message["result"]["ttlMs"]
    problems = validate_server_message(message, "2026-07-28", LIST_REQUEST)
    assert any("ttlMs" in p for p in problems), problems


@pytest.mark.parametrize("revision", ALL_REVISIONS)
def test_call_tool_result_with_bad_content_is_rejected(revision: str) -> None:
    result = {"content": [{"type": "text"}], "isError": "yes"}
    if revision == "2026-07-28":
        result["resultType"] = "complete"
    problems = validate_server_message({"jsonrpc": "2.0", "id": 7, "result": result}, revision, CALL_REQUEST)
    assert any("CallToolResult" in p for p in problems), problems


@pytest.mark.parametrize("revision", ALL_REVISIONS)
def test_progress_notification_checked_against_its_type(revision: str) -> None:
    good = {"jsonrpc": "2.0", "method": "notifications/progress", "params": {"progressToken": 3, "progress": 1, "total": 3}}
    assert validate_server_message(good, revision, {}) == []
    bad = {"jsonrpc": "2.0", "method": "notifications/progress", "params": {"progressToken": 3, "progress": "1"}}
    problems = validate_server_message(bad, revision, {})
    assert any("ProgressNotification" in p for p in problems), problems


def test_unknown_notification_method_is_rejected() -> None:
    message = {"jsonrpc": "2.0", "method": "notifications/made_up", "params": {}}
    assert validate_server_message(message, "2026-07-28", {})


def test_modern_server_request_is_rejected() -> None:
    message = {"jsonrpc": "2.0", "id": "s1", "method": "ping"}
    problems = validate_server_message(message, "2026-07-28", {})
    assert any("MUST NOT write requests" in p for p in problems), problems


def test_result_for_unknown_id_is_rejected() -> None:
    problems = validate_server_message(modern_list_result(), "2026-07-28", {})
    assert any("no client request carried" in p for p in problems), problems


def test_result_validated_by_the_method_of_its_request() -> None:
    # A valid tools/list result sent in answer to a tools/call is not a CallToolResult.
    message = {"jsonrpc": "2.0", "id": 7, "result": modern_list_result()["result"]}
    problems = validate_server_message(message, "2026-07-28", CALL_REQUEST)
    assert any("CallToolResult" in p and "'content' is a required property" in p for p in problems), problems


@pytest.mark.parametrize("revision", ALL_REVISIONS)
def test_error_response_checked(revision: str) -> None:
    good = {"jsonrpc": "2.0", "id": 1, "error": {"code": -32601, "message": "Method not found"}}
    assert validate_server_message(good, revision, LIST_REQUEST) == []
    bad = {"jsonrpc": "2.0", "id": 1, "error": {"code": "x"}}
    assert validate_server_message(bad, revision, LIST_REQUEST)


def test_non_json_and_unterminated_lines_are_rejected() -> None:
    records = [
        Record(0, "c2s", 0.0, {"line": json.dumps(LIST_REQUEST["1"]), "eol": True}),
        Record(1, "s2c", 0.1, {"line": "listening on stdio", "eol": True}),
        Record(2, "s2c", 0.2, {"line": json.dumps(modern_list_result()), "eol": False}),
        Record(3, "s2c", 0.3, {"line_hex": "ff", "eol": True}),
    ]
    problems = validate_server_lines(records, "2026-07-28")
    assert any("#1" in p and "not a JSON value" in p for p in problems), problems
    assert any("#2" in p and "not terminated by a newline" in p for p in problems), problems
    assert any("#3" in p and "not UTF-8" in p for p in problems), problems
    assert len(problems) == 3, problems


def _examples(type_name: str) -> list[Path]:
    return sorted((EXAMPLES / type_name).glob("*.json"))


@pytest.mark.parametrize(
    "type_name", ["ListToolsResult", "CallToolResult", "DiscoverResult", "ProgressNotification", "TextContent"]
)
def test_official_examples_are_valid(type_name: str) -> None:
    examples = _examples(type_name)
    assert examples, f"no official examples for {type_name} in {EXAMPLES}"
    schemas = schema_set("2026-07-28")
    for path in examples:
        assert schemas.errors(type_name, json.loads(path.read_text())) == [], path
