#!/usr/bin/env python3
"""Checks the deployment files against each other and against what the server does.

    python3 tests/deploy/check_packaging.py

Needs Python 3.11 (tomllib) and PyYAML; no Docker engine, cluster or systemd. It reads
Dockerfile, .dockerignore, deploy/kubernetes/calculator.yaml and
deploy/systemd/calculator.service, and runs deploy/docker/build-image.sh against a fake
`docker` placed first on PATH. Every check is printed; the exit code is 1 if any failed.

The server's own defaults it relies on (see README.md, "The command line"):
--drain-timeout / MCP_DRAIN_TIMEOUT is 30 s, and /health answers 503 while draining.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

try:
    import yaml
except ImportError:
    sys.exit(
        "check_packaging.py needs PyYAML to read the Kubernetes manifest: "
        "pip install pyyaml (in a virtual environment)"
    )

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
MANIFEST = ROOT / "deploy/kubernetes/calculator.yaml"
UNIT = ROOT / "deploy/systemd/calculator.service"
BUILD_SCRIPT = ROOT / "deploy/docker/build-image.sh"

# The server's defaults (README.md, "The command line").
DEFAULT_DRAIN_TIMEOUT = 30
MUSL_TARGET = "x86_64-unknown-linux-musl"


class Report:
    """Collects and prints the outcome of each check."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.passed = 0

    def section(self, title: str) -> None:
        print(f"\n{title}")

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        line = what if not detail else f"{what} ({detail})"
        if ok:
            self.passed += 1
            print(f"  ok    {line}")
        else:
            self.failures.append(line)
            print(f"  FAIL  {line}")
        return ok

    def skip(self, what: str, why: str) -> None:
        print(f"  skip  {what} ({why})")


class Abort(Exception):
    """A file is missing or unreadable: the checks that depend on it cannot run."""


def read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise Abort(f"cannot read {path.relative_to(ROOT)}: {error}") from error


# --------------------------------------------------------------------------------------
# What the repository says


def toolchain_version() -> str:
    return tomllib.loads(read(ROOT / "rust-toolchain.toml"))["toolchain"]["channel"]


def example_packages() -> list[str]:
    names = []
    for manifest in sorted((ROOT / "examples").glob("*/Cargo.toml")):
        names.append(tomllib.loads(read(manifest))["package"]["name"])
    return names


def workspace_members() -> list[str]:
    workspace = tomllib.loads(read(ROOT / "Cargo.toml"))["workspace"]
    return list(workspace.get("members", []))


def port_of(address: str) -> int:
    """The port of a socket address such as 0.0.0.0:8080 or [::]:8080."""
    match = re.fullmatch(r"(?:\[[^\]]*\]|[^:\[\]]*):(\d+)", address.strip())
    if not match:
        raise ValueError(f"not a socket address: {address!r}")
    return int(match.group(1))


def host_of(address: str) -> str:
    return address.rsplit(":", 1)[0].strip("[]")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --------------------------------------------------------------------------------------
# Dockerfile


class Stage:
    def __init__(self, base: str, name: str | None) -> None:
        self.base = base
        self.name = name
        self.instructions: list[tuple[str, str]] = []

    def all(self, keyword: str) -> list[str]:
        return [args for key, args in self.instructions if key == keyword]

    def args(self) -> dict[str, str | None]:
        declared: dict[str, str | None] = {}
        for text in self.all("ARG"):
            name, _, default = text.partition("=")
            declared[name.strip()] = default.strip().strip('"') if default else None
        return declared

    def env(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for text in self.all("ENV"):
            words = shlex.split(text)
            if words and "=" not in words[0]:
                # Legacy form: ENV NAME value with spaces
                values[words[0]] = " ".join(words[1:])
                continue
            for word in words:
                name, _, value = word.partition("=")
                values[name] = value
        return values


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) pairs, with comments dropped and continuations joined."""
    instructions = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if current and line.startswith("#"):
            continue  # a comment inside a continued instruction
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        keyword, _, arguments = current.strip().partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        current = ""
    if current.strip():
        keyword, _, arguments = current.strip().partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def substitute(text: str, values: dict[str, str | None]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return values.get(name) or ""

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", replace, text)


def dockerfile_stages(text: str) -> tuple[dict[str, str | None], list[Stage]]:
    global_args: dict[str, str | None] = {}
    stages: list[Stage] = []
    for keyword, arguments in dockerfile_instructions(text):
        if keyword == "FROM":
            words = [w for w in arguments.split() if not w.startswith("--platform")]
            base = substitute(words[0], global_args)
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base, name))
        elif not stages:
            if keyword == "ARG":
                name, _, default = arguments.partition("=")
                global_args[name.strip()] = default.strip().strip('"') if default else None
        else:
            stages[-1].instructions.append((keyword, arguments))
    return global_args, stages


def check_dockerfile(report: Report) -> dict[str, object]:
    """Returns what the other checks compare with: the final stage's user, port, env."""
    report.section("Dockerfile")
    _, stages = dockerfile_stages(read(DOCKERFILE))
    facts: dict[str, object] = {}
    if not report.check(len(stages) >= 2, "multi-stage build", f"{len(stages)} stages"):
        return facts
    build, final = stages[0], stages[-1]

    # Build stage: the pinned toolchain, musl, the chosen example.
    pinned = toolchain_version()
    image, _, tag = build.base.partition(":")
    report.check(
        image in ("rust", "docker.io/library/rust") and tag.split("-")[0] == pinned,
        "build stage uses the official rust image at the version of rust-toolchain.toml",
        f"FROM {build.base}, rust-toolchain.toml says {pinned}",
    )
    runs = " ".join(build.all("RUN"))
    report.check("musl-tools" in runs, "build stage installs musl-tools")
    report.check(
        re.search(rf"rustup\s+target\s+add\s+{MUSL_TARGET}", runs) is not None,
        f"build stage adds the {MUSL_TARGET} target",
    )
    cargo = re.search(r"cargo\s+build\s+([^&;|]*)", runs)
    cargo_args = shlex.split(cargo.group(1)) if cargo else []
    missing = [
        flag for flag in ["--release", "--locked", "--target", MUSL_TARGET, "-p"]
        if flag not in cargo_args
    ]
    selects = not missing and cargo_args[cargo_args.index("-p") + 1] in ("$EXAMPLE", "${EXAMPLE}")
    if cargo is None:
        detail = "no cargo build"
    elif missing:
        detail = "missing " + " ".join(missing)
    else:
        detail = cargo.group(0).strip()
    report.check(
        cargo is not None and not missing and selects,
        f"cargo build --release --locked --target {MUSL_TARGET} -p $EXAMPLE",
        detail,
    )
    examples = example_packages()
    default_example = build.args().get("EXAMPLE")
    report.check(
        default_example in examples,
        "ARG EXAMPLE defaults to an example package",
        f"EXAMPLE={default_example}, packages: {', '.join(examples)}",
    )

    # Final stage: nothing but the binary, not root.
    minimal = final.base == "scratch" or final.base.startswith(
        ("gcr.io/distroless/static", "gcr.io/distroless/cc")
    )
    report.check(minimal, "final stage is FROM scratch or distroless", f"FROM {final.base}")
    users = final.all("USER")
    user = users[-1] if users else ""
    uid, _, gid = user.partition(":")
    numeric = uid.isdigit() and (not gid or gid.isdigit())
    report.check(
        numeric and int(uid) != 0 and (not gid or int(gid) != 0),
        "final stage runs as a numeric non-root user",
        f"USER {user or '(none: root)'}",
    )
    facts["uid"] = int(uid) if uid.isdigit() else None
    facts["minimal"] = minimal

    env = final.env()
    report.check(
        env.get("MCP_TRANSPORT") == "http", "final stage sets MCP_TRANSPORT=http",
        f"MCP_TRANSPORT={env.get('MCP_TRANSPORT')}",
    )
    exposed = {int(p.split("/")[0]) for text in final.all("EXPOSE") for p in text.split()}
    bind = env.get("MCP_BIND", "")
    try:
        bind_port = port_of(bind)
    except ValueError:
        bind_port = None
    report.check(
        bind_port is not None and exposed == {bind_port},
        "EXPOSE matches the port of MCP_BIND",
        f"MCP_BIND={bind or '(unset)'}, EXPOSE {' '.join(map(str, sorted(exposed))) or '(none)'}",
    )
    report.check(
        bind_port is not None and not is_loopback(host_of(bind)),
        "MCP_BIND listens beyond the container's loopback",
        f"MCP_BIND={bind}",
    )
    facts["port"] = bind_port
    facts["env"] = env

    entrypoints = final.all("ENTRYPOINT")
    entrypoint: list[str] = []
    if entrypoints:
        try:
            entrypoint = json.loads(entrypoints[-1])
        except json.JSONDecodeError:
            entrypoint = []
    report.check(
        bool(entrypoint), "ENTRYPOINT is in exec form (no shell to run a string)",
        entrypoints[-1] if entrypoints else "no ENTRYPOINT",
    )
    copied = {}
    for text in final.all("COPY"):
        words = shlex.split(text)
        source = [w for w in words if w.startswith("--from=")]
        paths = [w for w in words if not w.startswith("--")]
        if source and len(paths) >= 2:
            copied[paths[-1]] = (source[0].split("=", 1)[1], paths[0])
    if entrypoint:
        origin = copied.get(entrypoint[0])
        report.check(
            origin is not None and origin[0] in (build.name, "0") and origin[1] in runs,
            "the ENTRYPOINT binary is the one the build stage produced",
            f"{entrypoint[0]} from {origin[0]}:{origin[1]}" if origin else f"{entrypoint[0]} is not copied from the build stage",
        )
    healthchecks = [h for h in final.all("HEALTHCHECK") if h.upper() != "NONE"]
    report.check(
        not (minimal and healthchecks),
        "no HEALTHCHECK command in an image without a shell",
        healthchecks[0] if healthchecks else "orchestrators probe /health",
    )
    stop = final.all("STOPSIGNAL")
    report.check(
        not stop or stop[-1].upper() in ("SIGTERM", "TERM", "15"),
        "stop signal is SIGTERM (starts the drain)",
        stop[-1] if stop else "default",
    )
    facts["drain"] = int(env.get("MCP_DRAIN_TIMEOUT", DEFAULT_DRAIN_TIMEOUT))
    return facts


def check_dockerignore(report: Report) -> None:
    report.section(".dockerignore")
    patterns = []
    for line in read(DOCKERIGNORE).splitlines():
        line = line.strip()
        if line and not line.startswith("#") and not line.startswith("!"):
            patterns.append(line.rstrip("/").removeprefix("/"))

    def ignored(path: str) -> str | None:
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        for pattern in patterns:
            for prefix in prefixes:
                if pattern.startswith("**/"):
                    # At any depth: match the pattern against the end of the path.
                    hit = Path(prefix).match(pattern.removeprefix("**/"))
                else:
                    hit = _glob(prefix, pattern)
                if hit:
                    return pattern
        return None

    for needed in ["target", ".git"]:
        report.check(ignored(needed) is not None, f"leaves out {needed}/")
    keep = workspace_members() + ["Cargo.toml", "Cargo.lock", "rust-toolchain.toml"]
    dropped = {path: ignored(path) for path in keep if ignored(path)}
    report.check(
        not dropped,
        "keeps every workspace member, Cargo.toml, Cargo.lock and rust-toolchain.toml",
        ", ".join(f"{p} (by {pat})" for p, pat in dropped.items()) or f"{len(keep)} paths",
    )


def _glob(path: str, pattern: str) -> bool:
    """Docker's pattern matching for a path relative to the context: shell-style per segment."""
    import fnmatch

    path_parts, pattern_parts = path.split("/"), pattern.split("/")
    return len(path_parts) == len(pattern_parts) and all(
        fnmatch.fnmatchcase(p, q) for p, q in zip(path_parts, pattern_parts)
    )


# --------------------------------------------------------------------------------------
# Kubernetes


def cpu_millis(value: object) -> float:
    text = str(value)
    return float(text[:-1]) if text.endswith("m") else float(text) * 1000


MEMORY_UNITS = {
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40,
    "k": 10**3, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12,
}


def memory_bytes(value: object) -> float:
    text = str(value)
    for unit in sorted(MEMORY_UNITS, key=len, reverse=True):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * MEMORY_UNITS[unit]
    return float(text)


def check_kubernetes(report: Report, image: dict[str, object]) -> None:
    report.section("deploy/kubernetes/calculator.yaml")
    try:
        documents = [d for d in yaml.safe_load_all(read(MANIFEST)) if d is not None]
    except yaml.YAMLError as error:
        report.check(False, "every document parses", str(error).replace("\n", " "))
        return
    kinds = [d.get("kind") for d in documents]
    report.check(
        all(isinstance(d, dict) and d.get("apiVersion") and d.get("kind") for d in documents),
        "every document parses and has apiVersion and kind",
        ", ".join(map(str, kinds)),
    )
    secrets = [d for d in documents if d.get("kind") == "Secret"]
    report.check(not secrets, "no Secret object (no token committed)", f"{len(secrets)} found")

    deployments = [d for d in documents if d.get("kind") == "Deployment"]
    if not report.check(len(deployments) == 1, "one Deployment"):
        return
    deployment = deployments[0]
    spec = deployment.get("spec", {})
    pod = spec.get("template", {}).get("spec", {})
    pod_labels = spec.get("template", {}).get("metadata", {}).get("labels", {})
    containers = pod.get("containers", [])
    if not report.check(len(containers) >= 1, "the Deployment has a container"):
        return
    container = containers[0]

    replicas = spec.get("replicas", 1)
    report.check(replicas >= 2, "more than one replica", f"replicas: {replicas}")
    selector = spec.get("selector", {}).get("matchLabels", {})
    report.check(
        bool(selector) and selector.items() <= pod_labels.items(),
        "the Deployment's selector matches its pod labels",
    )
    strategy = spec.get("strategy", {})
    rolling = strategy.get("rollingUpdate", {})
    report.check(
        strategy.get("type", "RollingUpdate") == "RollingUpdate"
        and str(rolling.get("maxUnavailable")) in ("0", "0%")
        and str(rolling.get("maxSurge", "25%")) not in ("0", "0%"),
        "rolling update with maxUnavailable 0 and some surge",
        f"maxUnavailable {rolling.get('maxUnavailable')}, maxSurge {rolling.get('maxSurge')}",
    )

    # The environment the server sees: the image's, overridden by the container's.
    env: dict[str, str] = dict(image.get("env", {}))  # type: ignore[arg-type]
    from_secret: set[str] = set()
    literal_secrets = []
    for item in container.get("env", []):
        name = item.get("name")
        if "value" in item:
            env[name] = str(item["value"])
            if re.search(r"TOKEN|SECRET|PASSWORD", name) and item["value"]:
                literal_secrets.append(name)
        elif item.get("valueFrom", {}).get("secretKeyRef"):
            from_secret.add(name)
            env.pop(name, None)
    report.check(
        "MCP_AUTH_TOKEN" in from_secret or "MCP_AUTH_TOKEN_FILE" in env,
        "the bearer token comes from a Secret",
        "MCP_AUTH_TOKEN from secretKeyRef" if "MCP_AUTH_TOKEN" in from_secret else "not from a Secret",
    )
    report.check(not literal_secrets, "no token or secret written in the manifest", ", ".join(literal_secrets))
    if replicas > 1:
        report.check(
            "MCP_STATE_SECRET" in from_secret,
            "replicas share MCP_STATE_SECRET from a Secret (request states open anywhere)",
        )
    report.check(env.get("MCP_TRANSPORT") == "http", "the container serves HTTP", f"MCP_TRANSPORT={env.get('MCP_TRANSPORT')}")

    # Ports: MCP_BIND, containerPort, probes and Service all name the same one.
    named = {p.get("name"): p.get("containerPort") for p in container.get("ports", [])}
    container_ports = {p.get("containerPort") for p in container.get("ports", [])}
    try:
        bind_port = port_of(env.get("MCP_BIND", ""))
    except ValueError:
        bind_port = None
    report.check(
        bind_port is not None and container_ports == {bind_port},
        "containerPort is the port of MCP_BIND",
        f"MCP_BIND={env.get('MCP_BIND')}, containerPort {sorted(map(str, container_ports))}",
    )
    report.check(
        bind_port == image.get("port"),
        "the container port is the image's EXPOSEd port",
        f"{bind_port} and {image.get('port')}",
    )

    def resolve(port: object) -> object:
        return named.get(port, port) if isinstance(port, str) else port

    probes = {}
    for kind in ("readinessProbe", "livenessProbe"):
        probe = container.get(kind)
        probes[kind] = probe or {}
        get = (probe or {}).get("httpGet", {})
        report.check(
            bool(probe) and get.get("path") == "/health" and resolve(get.get("port")) == bind_port,
            f"{kind} is GET /health on the container port",
            f"path {get.get('path')}, port {get.get('port')} -> {resolve(get.get('port'))}" if probe else "missing",
        )

    drain_text = env.get("MCP_DRAIN_TIMEOUT")
    args = container.get("args", []) + container.get("command", [])
    for i, arg in enumerate(args):
        if arg == "--drain-timeout" and i + 1 < len(args):
            drain_text = args[i + 1]
        elif arg.startswith("--drain-timeout="):
            drain_text = arg.split("=", 1)[1]
    report.check(drain_text is not None, "MCP_DRAIN_TIMEOUT is set explicitly", f"{drain_text}")
    drain = int(drain_text) if drain_text is not None else DEFAULT_DRAIN_TIMEOUT

    readiness = probes["readinessProbe"]
    ready_window = readiness.get("periodSeconds", 10) * readiness.get("failureThreshold", 3)
    report.check(
        readiness.get("failureThreshold", 3) == 1 and ready_window <= 5,
        "readiness drops a draining pod within 5 s",
        f"period {readiness.get('periodSeconds', 10)} s x failureThreshold {readiness.get('failureThreshold', 3)}",
    )
    liveness = probes["livenessProbe"]
    live_window = liveness.get("periodSeconds", 10) * liveness.get("failureThreshold", 3)
    report.check(
        live_window > drain and live_window > ready_window,
        "liveness is more lenient than readiness and outlasts a drain (no restart mid-drain)",
        f"{live_window} s of failures tolerated, drain {drain} s, readiness {ready_window} s",
    )

    pre_stop = container.get("lifecycle", {}).get("preStop", {})
    report.check(
        "exec" not in pre_stop or image.get("minimal") is False,
        "preStop does not exec a command (the image has no shell or sleep)",
        ", ".join(pre_stop) or "no preStop",
    )
    sleep = int(pre_stop.get("sleep", {}).get("seconds", 0))
    report.check(sleep > 0, "preStop sleeps while endpoints drop the pod", f"{sleep} s")
    grace = pod.get("terminationGracePeriodSeconds", 30)
    report.check(
        grace >= sleep + drain,
        "terminationGracePeriodSeconds >= preStop sleep + drain timeout",
        f"{grace} >= {sleep} + {drain}",
    )

    pod_security = pod.get("securityContext", {})
    security = container.get("securityContext", {})

    def setting(name: str) -> object:
        return security.get(name, pod_security.get(name))

    report.check(setting("runAsNonRoot") is True, "runAsNonRoot")
    run_as = setting("runAsUser")
    report.check(
        run_as is None or (run_as != 0 and run_as == image.get("uid")),
        "runAsUser, if set, is the image's non-root user",
        f"runAsUser {run_as}, image USER {image.get('uid')}",
    )
    report.check(security.get("readOnlyRootFilesystem") is True, "readOnlyRootFilesystem")
    report.check(security.get("allowPrivilegeEscalation") is False, "allowPrivilegeEscalation: false")
    dropped = security.get("capabilities", {}).get("drop", [])
    added = security.get("capabilities", {}).get("add", [])
    report.check("ALL" in dropped and not added, "drops ALL capabilities and adds none")
    report.check(security.get("privileged") is not True, "not privileged")

    resources = container.get("resources", {})
    requests, limits = resources.get("requests", {}), resources.get("limits", {})
    try:
        sane = (
            {"cpu", "memory"} <= requests.keys()
            and "memory" in limits
            and memory_bytes(requests["memory"]) <= memory_bytes(limits["memory"])
            and ("cpu" not in limits or cpu_millis(requests["cpu"]) <= cpu_millis(limits["cpu"]))
        )
    except ValueError:
        sane = False
    report.check(
        sane,
        "cpu and memory requests, a memory limit, requests within limits",
        f"requests {requests}, limits {limits}",
    )

    services = [d for d in documents if d.get("kind") == "Service"]
    if report.check(len(services) >= 1, "a Service"):
        service = services[0].get("spec", {})
        chosen = service.get("selector", {})
        report.check(
            bool(chosen) and chosen.items() <= pod_labels.items(),
            "the Service selects the Deployment's pods",
        )
        targets = [resolve(p.get("targetPort", p.get("port"))) for p in service.get("ports", [])]
        report.check(
            bool(targets) and all(t == bind_port for t in targets),
            "the Service's targetPort is the container port",
            f"{targets}",
        )
    for budget in (d for d in documents if d.get("kind") == "PodDisruptionBudget"):
        chosen = budget.get("spec", {}).get("selector", {}).get("matchLabels", {})
        report.check(
            bool(chosen) and chosen.items() <= pod_labels.items(),
            "the PodDisruptionBudget selects the Deployment's pods",
        )


# --------------------------------------------------------------------------------------
# systemd


def unit_entries(text: str) -> dict[str, list[tuple[str, str]]]:
    """Section -> (key, value) pairs, in order; keys may repeat, as in systemd."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line[0] in "#;"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, [])
        elif current is not None and "=" in line:
            key, _, value = line.partition("=")
            sections[current].append((key.strip(), value.strip()))
    return sections


def timespan_seconds(text: str) -> float:
    """systemd time spans: 40, 40s, 1min 30s, 2m, 500ms, infinity."""
    text = text.strip()
    if text == "infinity":
        return float("inf")
    units = {
        "us": 1e-6, "usec": 1e-6, "ms": 1e-3, "msec": 1e-3,
        "": 1, "s": 1, "sec": 1, "second": 1, "seconds": 1,
        "m": 60, "min": 60, "minute": 60, "minutes": 60,
        "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600,
        "d": 86400, "day": 86400, "days": 86400,
    }
    total = 0.0
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]*)", text)
    if not parts or re.sub(r"[\d.\sa-z]", "", text):
        raise ValueError(f"not a time span: {text!r}")
    for number, unit in parts:
        if unit not in units:
            raise ValueError(f"unknown unit {unit!r} in {text!r}")
        total += float(number) * units[unit]
    return total


def check_systemd(report: Report) -> None:
    report.section("deploy/systemd/calculator.service")
    sections = unit_entries(read(UNIT))
    service = sections.get("Service", [])
    values: dict[str, str] = {}
    for key, value in service:
        values[key] = value  # the last assignment wins, as in systemd

    exec_start = shlex.split(values.get("ExecStart", "").lstrip("-@:+!"))
    environment: dict[str, str] = {}
    for key, value in service:
        if key == "Environment":
            for word in shlex.split(value):
                name, _, setting = word.partition("=")
                environment[name] = setting

    def flag(name: str) -> str | None:
        found = None
        for i, arg in enumerate(exec_start):
            if arg == name and i + 1 < len(exec_start):
                found = exec_start[i + 1]
            elif arg.startswith(name + "="):
                found = arg.split("=", 1)[1]
        return found

    report.check(bool(exec_start), "ExecStart is set", " ".join(exec_start))
    transport = flag("--transport") or environment.get("MCP_TRANSPORT")
    report.check(transport == "http", "serves HTTP", f"transport {transport}")
    bind = flag("--bind") or environment.get("MCP_BIND") or "127.0.0.1:8080"
    has_token = bool(
        values.get("EnvironmentFile") or flag("--auth-token-file")
        or "MCP_AUTH_TOKEN_FILE" in environment
    )
    report.check(
        is_loopback(host_of(bind)) or has_token,
        "a non-loopback address has a token source",
        f"bind {bind}, token source {'yes' if has_token else 'none'}",
    )
    report.check(
        values.get("EnvironmentFile", "").lstrip("-") == "/etc/calculator/env",
        "EnvironmentFile=/etc/calculator/env holds MCP_AUTH_TOKEN",
        values.get("EnvironmentFile", "unset"),
    )

    drain_text = flag("--drain-timeout") or environment.get("MCP_DRAIN_TIMEOUT")
    drain = int(drain_text) if drain_text else DEFAULT_DRAIN_TIMEOUT
    timeout_text = values.get("TimeoutStopSec") or values.get("TimeoutSec") or "90"
    try:
        timeout = timespan_seconds(timeout_text)
    except ValueError as error:
        report.check(False, "TimeoutStopSec parses", str(error))
        timeout = 0
    report.check(
        timeout >= drain,
        "TimeoutStopSec >= the drain timeout",
        f"{timeout_text} >= {drain} s ({'--drain-timeout/MCP_DRAIN_TIMEOUT' if drain_text else 'default'})",
    )
    signal = values.get("KillSignal", "SIGTERM")
    report.check(signal in ("SIGTERM", "TERM", "15"), "KillSignal is SIGTERM", signal)
    report.check(values.get("Restart") == "on-failure", "Restart=on-failure", values.get("Restart", "unset"))

    user = values.get("User", "")
    report.check(
        values.get("DynamicUser") in ("yes", "true", "1") or user not in ("", "root", "0"),
        "does not run as root",
        f"DynamicUser={values.get('DynamicUser')}, User={user or 'unset'}",
    )
    for key, wanted in [
        ("NoNewPrivileges", "yes"),
        ("ProtectSystem", "strict"),
        ("PrivateTmp", "yes"),
        ("ProtectHome", "yes"),
    ]:
        report.check(values.get(key) == wanted, f"{key}={wanted}", f"{key}={values.get(key, 'unset')}")
    capabilities = [v for k, v in service if k == "CapabilityBoundingSet"]
    report.check(
        capabilities == [""] or capabilities == ["~"],
        "no capabilities (empty CapabilityBoundingSet)",
        f"{capabilities}",
    )

    analyze = shutil.which("systemd-analyze")
    if not analyze:
        report.skip("systemd-analyze verify", "systemd-analyze not installed")
        return
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / UNIT.name
        shutil.copyfile(UNIT, copy)
        result = subprocess.run(
            [analyze, "verify", "--man=no", str(copy)],
            capture_output=True, text=True, timeout=60,
        )
    binary = exec_start[0] if exec_start else ""
    complaints = [
        line for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and not (binary and binary in line and "executable" in line)
    ]
    report.check(
        not complaints,
        "systemd-analyze verify has nothing to say (but that the binary is not installed here)",
        "; ".join(complaints),
    )


# --------------------------------------------------------------------------------------
# build-image.sh


FAKE_DOCKER = """#!/bin/sh
# A stand-in for the docker client: logs its arguments, answers as FAKE_DOCKER_MODE says.
printf '%s\\n' "$*" >> "$FAKE_DOCKER_LOG"
case "$FAKE_DOCKER_MODE:$1" in
    no-engine:info) echo "Cannot connect to the Docker daemon" >&2; exit 1 ;;
    build-fails:build) echo "build failed" >&2; exit 3 ;;
esac
exit 0
"""


def run_build_script(mode: str, *args: str) -> tuple[int, str, list[str]]:
    with tempfile.TemporaryDirectory() as scratch:
        fake = Path(scratch) / "docker"
        fake.write_text(FAKE_DOCKER, encoding="utf-8")
        fake.chmod(0o755)
        log = Path(scratch) / "calls"
        log.touch()
        environment = dict(os.environ)
        # First on PATH, so the fake answers instead of any real client.
        environment["PATH"] = f"{scratch}{os.pathsep}{environment.get('PATH', '')}"
        environment["FAKE_DOCKER_LOG"] = str(log)
        environment["FAKE_DOCKER_MODE"] = mode
        result = subprocess.run(
            [str(BUILD_SCRIPT), *args],
            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
        )
        calls = log.read_text(encoding="utf-8").splitlines()
    return result.returncode, result.stderr, calls


def check_build_script(report: Report) -> None:
    report.section("deploy/docker/build-image.sh")
    mode = BUILD_SCRIPT.stat().st_mode
    report.check(bool(mode & stat.S_IXUSR), "is executable")
    text = read(BUILD_SCRIPT)
    report.check(text.startswith("#!") and "bash" in text.splitlines()[0], "has a bash shebang")
    report.check(re.search(r"^set -euo pipefail", text, re.M) is not None, "set -euo pipefail")

    code, stderr, calls = run_build_script("no-engine")
    report.check(
        code == 3 and "engine" in stderr.lower() and not any(c.startswith("build") for c in calls),
        "without an engine (docker info fails): exit 3, says so on stderr, builds nothing",
        f"exit {code}, stderr: {stderr.strip()!r}",
    )

    code, stderr, calls = run_build_script("ok")
    builds = [shlex.split(c) for c in calls if c.startswith("build")]
    build = builds[0] if builds else []
    report.check(
        code == 0
        and "EXAMPLE=calculator" in build
        and build[build.index("EXAMPLE=calculator") - 1] == "--build-arg"
        and build[-1] == str(ROOT)
        and str(DOCKERFILE) in build,
        "with an engine: docker build --build-arg EXAMPLE=calculator of the repository root",
        f"exit {code}, docker {' '.join(build)}",
    )

    code, stderr, calls = run_build_script("ok", "everything", "registry.example/everything:1")
    builds = [shlex.split(c) for c in calls if c.startswith("build")]
    build = builds[0] if builds else []
    report.check(
        code == 0 and "EXAMPLE=everything" in build and "registry.example/everything:1" in build,
        "EXAMPLE and TAG arguments reach docker build",
        f"exit {code}, docker {' '.join(build)}",
    )

    code, stderr, calls = run_build_script("ok", "no-such-example")
    report.check(
        code == 2 and not any(c.startswith("build") for c in calls),
        "an unknown example: exit 2 (usage), builds nothing",
        f"exit {code}, stderr: {stderr.strip()!r}",
    )

    code, stderr, calls = run_build_script("build-fails")
    report.check(
        code not in (0, 3),
        "a failing docker build is a failure, never exit 3",
        f"docker build exits 3, the script {code}",
    )


# --------------------------------------------------------------------------------------


def main() -> int:
    report = Report()
    print(f"checking the packaging files in {ROOT}")
    image: dict[str, object] = {}
    steps = [
        ("Dockerfile", lambda: image.update(check_dockerfile(report))),
        (".dockerignore", lambda: check_dockerignore(report)),
        ("Kubernetes manifest", lambda: check_kubernetes(report, image)),
        ("systemd unit", lambda: check_systemd(report)),
        ("build-image.sh", lambda: check_build_script(report)),
    ]
    for name, step in steps:
        try:
            step()
        except Abort as error:
            report.check(False, f"{name}: {error}")
        except Exception as error:  # a malformed file should fail a check, not crash
            report.check(False, f"{name}: unexpected {type(error).__name__}: {error}")
    print()
    if report.failures:
        print(f"{len(report.failures)} check(s) failed, {report.passed} passed:")
        for failure in report.failures:
            print(f"  - {failure}")
        return 1
    print(f"all {report.passed} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
