#!/usr/bin/env bash
# Create (or reuse) the Python virtual environment of the end-to-end tests.
#
#   scripts/python-env.sh    prints the venv's python path on stdout
#
# The venv lives at <repo>/target/py-venv and holds the pinned packages of
# tests/e2e/requirements.txt. A stamp file records a hash of the requirements
# file and of the interpreter version; while it matches, nothing is installed
# again, so the script is cheap to call repeatedly. Progress goes to stderr;
# stdout carries only the interpreter path.
#
# Needs python3 with pip and access to PyPI. Where python3's own `venv` module
# cannot create an environment with pip (Debian's python3 without the
# python3-venv package), virtualenv is fetched from PyPI and used instead.
# Set PYTHON to use another interpreter than python3.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo_root/target/py-venv"
requirements="$repo_root/tests/e2e/requirements.txt"
stamp="$venv/.requirements.sha256"
python_bin="${PYTHON:-python3}"
virtualenv_pin="virtualenv==21.15.7"

if ! command -v "$python_bin" >/dev/null 2>&1; then
    echo "python-env.sh: '$python_bin' not found; install python3 with pip" >&2
    exit 1
fi

want="$( { sha256sum "$requirements"; "$python_bin" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "$venv/bin/python"
    exit 0
fi

echo "python-env.sh: setting up $venv" >&2
rm -f "$stamp"
if ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    if ! "$python_bin" -m venv "$venv" >&2; then
        echo "python-env.sh: '$python_bin -m venv' failed; falling back to $virtualenv_pin" >&2
        rm -rf "$venv"
        bootstrap="$repo_root/target/py-bootstrap"
        rm -rf "$bootstrap"
        "$python_bin" -m pip install --disable-pip-version-check --quiet --target "$bootstrap" "$virtualenv_pin" >&2
        PYTHONPATH="$bootstrap" "$python_bin" -m virtualenv --quiet "$venv" >&2
    fi
fi
"$venv/bin/python" -m pip install --disable-pip-version-check --quiet -r "$requirements" >&2
"$venv/bin/python" -m pip check >&2
echo "$want" >"$stamp"
echo "$venv/bin/python"
