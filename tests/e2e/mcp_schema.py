"""Validate captured MCP traffic against the official JSON Schema of a protocol revision.

The schemas are the unchanged official files in <shared>/spec/<revision>/schema.json
(2026-07-28 and 2025-11-25: JSON Schema 2020-12 with `$defs`; 2025-06-18,
2025-03-26 and 2024-11-05: draft-07 with `definitions`). `$ref`s are resolved
inside the file.

Every line the server wrote is checked:
  1. it is one JSON value on one newline-terminated, UTF-8 line (stdio transport);
  2. it is valid against the revision's `JSONRPCMessage`;
  3. a result is valid against the result type of the method of the request it
     answers (the request is found by id among the lines the client wrote);
     an error response against the revision's JSON-RPC error type;
     a notification against the notification type whose `method` is that
     method; a server-to-client request against the request type of its method
     (and, at 2026-07-28, not at all: stdio servers MUST NOT send requests).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema.exceptions
import jsonschema.validators
from referencing import Registry, Resource
from referencing.jsonschema import specification_with

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = (REPO_ROOT / ".." / "shared" / "spec").resolve()

MODERN_REVISIONS = ("2026-07-28",)
LEGACY_REVISIONS = ("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05")
ALL_REVISIONS = MODERN_REVISIONS + LEGACY_REVISIONS

# Result type of each request method the tests send.
RESULT_TYPE_BY_METHOD: Mapping[str, str] = {
    "initialize": "InitializeResult",
    "server/discover": "DiscoverResult",
    "ping": "EmptyResult",
    "tools/list": "ListToolsResult",
    "tools/call": "CallToolResult",
    "prompts/list": "ListPromptsResult",
    "prompts/get": "GetPromptResult",
    "resources/list": "ListResourcesResult",
    "resources/templates/list": "ListResourceTemplatesResult",
    "resources/read": "ReadResourceResult",
    "completion/complete": "CompleteResult",
    "logging/setLevel": "EmptyResult",
}


class SchemaSet:
    """The official schema of one revision, with validators for its named types."""

    def __init__(self, revision: str, spec_dir: Path = SPEC_DIR) -> None:
        path = spec_dir / revision / "schema.json"
        self.revision = revision
        self.path = path
        self.root: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        self.defs_key = "$defs" if "$defs" in self.root else "definitions"
        self.defs: dict[str, Any] = self.root[self.defs_key]
        self._validator_cls = jsonschema.validators.validator_for(self.root)
        self._validator_cls.check_schema(self.root)
        self._uri = f"urn:mcp-spec:{revision}:schema.json"
        resource = Resource(
            contents=self.root, specification=specification_with(self.root["$schema"])
        )
        self._registry = Registry().with_resource(self._uri, resource)

    @property
    def draft(self) -> str:
        return self._validator_cls.__name__

    def has(self, name: str) -> bool:
        return name in self.defs

    @functools.cache
    def validator(self, name: str) -> jsonschema.protocols.Validator:
        if name not in self.defs:
            raise KeyError(f"{name} is not defined in {self.path}")
        return self._validator_cls({"$ref": f"{self._uri}#/{self.defs_key}/{name}"}, registry=self._registry)

    def errors(self, name: str, instance: Any) -> list[str]:
        """Readable descriptions of why `instance` is not a valid `name` (empty when valid)."""
        validator = self.validator(name)
        errors = list(validator.iter_errors(instance))
        if not errors:
            return []
        best = jsonschema.exceptions.best_match(errors)
        described = [_describe(best)]
        for error in sorted(errors, key=lambda e: list(e.absolute_path)):
            text = _describe(error)
            if text not in described:
                described.append(text)
        return described[:6]

    @functools.cache
    def method_type(self, method: str, suffix: str) -> str | None:
        """The definition ending in `suffix` whose `method` property is the constant `method`."""
        for name, schema in self.defs.items():
            if not name.endswith(suffix):
                continue
            const = schema.get("properties", {}).get("method", {}).get("const")
            if const == method:
                return name
        return None

    def error_response_type(self) -> str:
        return "JSONRPCErrorResponse" if self.has("JSONRPCErrorResponse") else "JSONRPCError"


@functools.cache
def schema_set(revision: str) -> SchemaSet:
    return SchemaSet(revision)


def _describe(error: jsonschema.exceptions.ValidationError) -> str:
    where = error.json_path
    schema_path = "/".join(str(p) for p in error.absolute_schema_path)
    message = error.message
    if len(message) > 400:
        message = message[:400] + "..."
    return f"at {where}: {message} (schema path: {schema_path})"


@dataclass
class Record:
    """One capture record written by stdio_tap.py."""

    index: int
    direction: str
    t: float
    raw: Mapping[str, Any]

    @property
    def line(self) -> str | None:
        return self.raw.get("line")

    def message(self) -> Any:
        return json.loads(self.raw["line"])


def load_capture(path: Path) -> list[Record]:
    records: list[Record] = []
    if not path.exists():
        return records
    for index, text in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not text.strip():
            continue
        raw = json.loads(text)
        records.append(Record(index=index, direction=raw["dir"], t=raw["t"], raw=raw))
    return records


def _short(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def client_requests(records: Iterable[Record]) -> dict[Any, dict[str, Any]]:
    """Requests the client sent, by JSON-RPC id (the id's JSON text, so 1 and "1" stay distinct)."""
    requests: dict[Any, dict[str, Any]] = {}
    for record in records:
        if record.direction != "c2s" or record.line is None:
            continue
        try:
            message = record.message()
        except ValueError:
            continue
        if isinstance(message, dict) and "method" in message and "id" in message:
            requests[json.dumps(message["id"])] = message
    return requests


def validate_server_lines(records: list[Record], revision: str) -> list[str]:
    """Check every server-written line against the revision's schema; return the problems found."""
    schemas = schema_set(revision)
    requests = client_requests(records)
    problems: list[str] = []
    server_number = 0
    for record in records:
        if record.direction != "s2c":
            continue
        server_number += 1
        label = f"server message #{server_number}"
        if record.line is None:
            problems.append(f"{label}: not UTF-8 (hex {_short(record.raw.get('line_hex', ''))})")
            continue
        line = record.line
        label = f"{label} {_short(line)}"
        if not record.raw.get("eol", True):
            problems.append(f"{label}: not terminated by a newline before the server closed stdout")
        try:
            message = json.loads(line)
        except ValueError as exc:
            problems.append(f"{label}: not a JSON value ({exc}); stdio servers MUST write only MCP messages")
            continue
        problems.extend(validate_server_message(message, revision, requests, label=label, schemas=schemas))
    return problems


def validate_server_message(
    message: Any,
    revision: str,
    requests: Mapping[Any, Mapping[str, Any]],
    *,
    label: str = "server message",
    schemas: SchemaSet | None = None,
) -> list[str]:
    """Validate one parsed server message; `requests` maps json.dumps(id) to the client's request."""
    schemas = schemas or schema_set(revision)
    problems: list[str] = []

    def check(type_name: str, instance: Any, what: str) -> None:
        for error in schemas.errors(type_name, instance):
            problems.append(f"{label}: {what} is not a valid {type_name} of {revision}: {error}")

    check("JSONRPCMessage", message, "message")
    if not isinstance(message, dict):
        return problems

    if "method" in message and "id" in message:
        method = message["method"]
        if revision in MODERN_REVISIONS:
            problems.append(
                f"{label}: server sent a JSON-RPC request ({method!r}); at {revision} a stdio server "
                "MUST NOT write requests (basic/transports/stdio.mdx, 'Receiving Messages')"
            )
        type_name = schemas.method_type(method, "Request")
        if type_name is None:
            problems.append(f"{label}: {revision} defines no request with method {method!r}")
        else:
            check(type_name, message, "request")
    elif "method" in message:
        method = message["method"]
        type_name = schemas.method_type(method, "Notification")
        if type_name is None:
            problems.append(f"{label}: {revision} defines no notification with method {method!r}")
        else:
            check(type_name, message, "notification")
    elif "result" in message:
        request = requests.get(json.dumps(message.get("id")))
        if request is None:
            problems.append(f"{label}: result for id {message.get('id')!r}, which no client request carried")
        else:
            method = request["method"]
            type_name = RESULT_TYPE_BY_METHOD.get(method)
            if type_name is None:
                problems.append(f"{label}: no result type known for method {method!r}")
            elif not schemas.has(type_name):
                problems.append(f"{label}: {revision} defines no {type_name} (result of {method!r})")
            else:
                check(type_name, message["result"], f"result of {method!r}")
    elif "error" in message:
        check(schemas.error_response_type(), message, "error response")
        if "id" in message and message["id"] is not None and json.dumps(message["id"]) not in requests:
            problems.append(f"{label}: error response for id {message['id']!r}, which no client request carried")
    return problems
