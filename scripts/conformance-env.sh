#!/usr/bin/env bash
# Create (or reuse) the environment of the official MCP conformance suite.
#
#   scripts/conformance-env.sh    prints two lines on stdout: the node binary, then the
#                                 directory whose node_modules holds both suites
#
# Node 22 comes from scripts/node-env.sh (target/node-env). The suites are the npm
# dependencies of tests/conformance, installed with `npm ci` from the committed
# package.json and package-lock.json into <repo>/target/conformance-env:
#   node_modules/conformance-stable   @modelcontextprotocol/conformance@0.1.16
#   node_modules/conformance-2026     @modelcontextprotocol/conformance@0.2.0-alpha.12
#                                     (the pre-release with the 2026-07-28 scenarios)
# Each suite's CLI is node_modules/<alias>/dist/index.js, run with that node.
#
# A stamp file records a hash of the manifests; while it matches, nothing is installed
# again, so the script is cheap to call repeatedly. Progress goes to stderr.
#
# Needs what scripts/node-env.sh needs (npm, the npm registry, Linux x86_64). Set NPM to
# use another npm than the one on PATH.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
env_dir="$repo_root/target/conformance-env"
manifests="$repo_root/tests/conformance"
stamp="$env_dir/.setup.sha256"
npm_bin="${NPM:-npm}"

node_bin="$(bash "$repo_root/scripts/node-env.sh")"

want="$(sha256sum "$manifests/package.json" "$manifests/package-lock.json" | sha256sum | cut -d' ' -f1)"

installed() {
    [[ -f "$env_dir/node_modules/conformance-stable/dist/index.js" &&
        -f "$env_dir/node_modules/conformance-2026/dist/index.js" ]]
}

if installed && [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "$node_bin"
    echo "$env_dir"
    exit 0
fi

if ! command -v "$npm_bin" >/dev/null 2>&1; then
    echo "conformance-env.sh: '$npm_bin' not found; install npm (e.g. apt-get install npm)" >&2
    exit 1
fi

echo "conformance-env.sh: setting up $env_dir" >&2
rm -f "$stamp"
mkdir -p "$env_dir"
# npm ci installs next to the manifest, so the manifests are copied under target/ and
# the source tree stays free of node_modules.
cp "$manifests/package.json" "$manifests/package-lock.json" "$env_dir/"
(cd "$env_dir" && "$npm_bin" ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)

if ! installed; then
    echo "conformance-env.sh: npm ci finished but a suite's dist/index.js is missing under $env_dir/node_modules" >&2
    exit 1
fi
for alias in conformance-stable conformance-2026; do
    "$node_bin" "$env_dir/node_modules/$alias/dist/index.js" --version >/dev/null
done

echo "$want" >"$stamp"
echo "$node_bin"
echo "$env_dir"
