#!/usr/bin/env bash
# Builds the container image of one example server from the Dockerfile at the repository
# root.
#
#   deploy/docker/build-image.sh [EXAMPLE] [TAG] [-- DOCKER_BUILD_ARGS...]
#
#   EXAMPLE  an example package under examples/ (default: calculator)
#   TAG      the image tag (default: EXAMPLE:dev)
#   after --, arguments passed to `docker build` as they are (--platform, --push, ...)
#
# Exit codes, so that a test can tell "cannot test here" from "broken":
#   0  the image was built
#   1  docker build failed
#   2  bad arguments (an unknown example, ...)
#   3  no Docker engine answers (no docker client, or `docker info` fails)
set -euo pipefail

usage() {
    sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//' >&2
}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

example=calculator
tag=
if [[ $# -gt 0 && $1 != -- ]]; then
    example=$1
    shift
fi
if [[ $# -gt 0 && $1 != -- ]]; then
    tag=$1
    shift
fi
if [[ $# -gt 0 ]]; then
    if [[ $1 != -- ]]; then
        echo "build-image.sh: unexpected argument '$1'" >&2
        usage
        exit 2
    fi
    shift
fi
case $example in
    -h | --help)
        usage
        exit 0
        ;;
esac
tag=${tag:-$example:dev}

# The example must be a package of examples/: its name is what `cargo build -p` and the
# Dockerfile's EXAMPLE argument expect.
examples=()
for manifest in "$root"/examples/*/Cargo.toml; do
    name=$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$manifest" | head -n 1)
    [[ -n $name ]] && examples+=("$name")
done
found=no
for name in "${examples[@]}"; do
    [[ $name == "$example" ]] && found=yes
done
if [[ $found != yes ]]; then
    echo "build-image.sh: '$example' is not an example package; choose one of: ${examples[*]}" >&2
    exit 2
fi

# Ask the engine before building: without one, `docker build` fails in a way that looks
# like any other failure.
if ! command -v docker >/dev/null 2>&1; then
    echo "build-image.sh: no docker command on PATH; cannot build the image here" >&2
    exit 3
fi
if ! docker info >/dev/null 2>&1; then
    echo "build-image.sh: no Docker engine answers ('docker info' failed); cannot build the image here" >&2
    exit 3
fi

echo "build-image.sh: building $tag from examples/$example" >&2
if ! docker build \
    --file "$root/Dockerfile" \
    --build-arg "EXAMPLE=$example" \
    --tag "$tag" \
    "$@" \
    "$root"; then
    echo "build-image.sh: docker build failed for $example" >&2
    exit 1
fi
echo "build-image.sh: built $tag" >&2
echo "  run it: docker run --rm -p 8080:8080 --stop-timeout 40 -e MCP_AUTH_TOKEN=\"\$(openssl rand -hex 32)\" $tag" >&2
