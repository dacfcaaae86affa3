#!/usr/bin/env bash
# Make sure nginx (the Debian package) is installed, for the deployment tests
# (tests/e2e/test_deploy_nginx.py); prints its path on stdout.
#
# Installs `nginx-light` (else `nginx`) with apt-get when there is no nginx, as root or
# through sudo. The package's own service is not used: the tests start nginx themselves
# on 127.0.0.1 with a prefix directory of their own, and a service the install started
# (on port 80) is stopped again. Progress goes to stderr.
set -euo pipefail

find_nginx() {
    command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true
}

nginx_bin="$(find_nginx)"
if [[ -z "$nginx_bin" ]]; then
    if [[ "$(id -u)" -eq 0 ]]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1; then
        as_root=(sudo -n)
    else
        echo "nginx-env.sh: nginx is missing and installing it needs root (or sudo)" >&2
        exit 1
    fi
    echo "nginx-env.sh: installing nginx with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -qq >&2
    "${as_root[@]}" apt-get install -y -qq --no-install-recommends nginx-light >&2 \
        || "${as_root[@]}" apt-get install -y -qq --no-install-recommends nginx >&2
    # Whatever the package started listens on port 80 of every interface: stop it.
    "${as_root[@]}" service nginx stop >/dev/null 2>&1 || true
    nginx_bin="$(find_nginx)"
fi
if [[ -z "$nginx_bin" ]]; then
    echo "nginx-env.sh: nginx is still not installed" >&2
    exit 1
fi
"$nginx_bin" -v >&2
echo "$nginx_bin"
