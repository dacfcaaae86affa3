# syntax=docker/dockerfile:1
#
# A container image for one example server (the calculator unless told otherwise):
#
#   docker build --build-arg EXAMPLE=calculator -t calculator .
#   docker run --rm -p 8080:8080 -e MCP_AUTH_TOKEN="$(openssl rand -hex 32)" calculator
#
# or deploy/docker/build-image.sh, which does the first line and says clearly when no
# Docker engine is running. BuildKit is needed (the cache mounts below); it is Docker's
# default builder.
#
# The image holds one statically linked binary and nothing else: no shell, no libc, no
# package manager. It serves HTTP on 0.0.0.0:8080 and refuses to start on that address
# without MCP_AUTH_TOKEN (or MCP_AUTH_TOKEN_FILE), so give it one; see deploy/README.md.

# Keep equal to `channel` in rust-toolchain.toml (tests/deploy/check_packaging.py checks).
ARG RUST_VERSION=1.95.0

# ---------------------------------------------------------------------------------------
# Build stage: the official Debian-based Rust image, compiling for musl so the result
# needs no shared library at run time.
FROM rust:${RUST_VERSION} AS build

ARG RUST_VERSION
# The example package to build; its package name is also its binary name.
ARG EXAMPLE=calculator

# musl-tools provides musl-gcc, which the C parts of the dependency tree (ring, under
# rustls) are compiled with for the musl target.
RUN apt-get update \
 && apt-get install -y --no-install-recommends musl-tools \
 && rm -rf /var/lib/apt/lists/*

# Use the image's own toolchain rather than letting rust-toolchain.toml (copied in with
# the sources) make rustup fetch rustfmt and clippy, which a release build never runs.
# The version is the same, by the ARG above.
ENV RUSTUP_TOOLCHAIN=${RUST_VERSION} \
    CC_x86_64_unknown_linux_musl=musl-gcc \
    CARGO_TERM_COLOR=never
RUN rustup target add x86_64-unknown-linux-musl

WORKDIR /src
# Every workspace member has to be present for cargo to load the workspace, so the
# whole tree goes in (less what .dockerignore leaves out: target/, bench/, fuzz/, .git).
COPY . .

# The registry and target directories are BuildKit caches: a rebuild after a source
# change recompiles only the workspace crates. A cache mount is not part of the image,
# so the binary is copied out of it before the step ends.
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    --mount=type=cache,target=/src/target,sharing=locked \
    cargo build --release --locked --target x86_64-unknown-linux-musl -p "$EXAMPLE" \
 && install -D -m 0755 "target/x86_64-unknown-linux-musl/release/$EXAMPLE" /out/server

# ---------------------------------------------------------------------------------------
# Final stage: nothing but the binary.
FROM scratch

ARG EXAMPLE=calculator
LABEL org.opencontainers.image.title="${EXAMPLE}" \
      org.opencontainers.image.description="MCP server (${EXAMPLE} example), Streamable HTTP on port 8080"

# A fixed path, because ENTRYPOINT does not expand build arguments; the server's name
# (in --help and serverInfo) comes from #[mcp::main], not from the file name.
COPY --from=build /out/server /server

# The HTTP transport on every interface of the container: the network namespace is the
# boundary, and the port is published or fronted by a Service. The server refuses this
# non-loopback address unless a token is set (MCP_AUTH_TOKEN or MCP_AUTH_TOKEN_FILE).
ENV MCP_TRANSPORT=http \
    MCP_BIND=0.0.0.0:8080
EXPOSE 8080

# No /etc/passwd in a scratch image, so a numeric user (65532, the usual "nonroot").
USER 65532:65532

# SIGTERM starts the drain: /health turns 503, new requests get 503, calls in flight get
# up to MCP_DRAIN_TIMEOUT (30 s) and the process exits 0. `docker stop` sends SIGKILL
# after 10 s unless told otherwise: use `docker stop -t 40` or `docker run --stop-timeout 40`.
STOPSIGNAL SIGTERM

# No HEALTHCHECK: there is no shell or curl in here to run one. Orchestrators probe
# GET /health themselves (200 while serving, 503 while draining, no token needed); see
# deploy/kubernetes/calculator.yaml.
ENTRYPOINT ["/server"]
