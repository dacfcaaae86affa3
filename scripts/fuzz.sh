#!/usr/bin/env bash
# Fuzz every target of fuzz/ for a while, one after another, starting from the committed
# seed corpus; fails on the first crash, panic, leak or hang.
#
#   scripts/fuzz.sh [SECONDS]    seconds per target (default: $FUZZ_SECONDS, else 60)
#   FUZZ_TARGETS="uri_template"  only these targets (default: every target)
#
# Installs the pinned cargo-fuzz into target/cargo-fuzz when it is missing. cargo-fuzz
# needs nightly compiler flags (`-Zsanitizer=address`, coverage instrumentation); the
# pinned stable toolchain takes them with RUSTC_BOOTSTRAP=1, set for these builds only.
# Inputs found during a run go to target/fuzz-corpus/<target> (the committed corpus in
# fuzz/corpus/<target> is only read); a crashing input is saved in fuzz/artifacts/<target>/
# and the command that replays it is printed. Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo_fuzz_version="0.13.2"
seconds="${1:-${FUZZ_SECONDS:-60}}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    echo "fuzz.sh: the duration must be a whole number of seconds, not '$seconds'" >&2
    exit 2
fi

root="target/cargo-fuzz"
cargo_fuzz="$root/bin/cargo-fuzz"
if ! "$cargo_fuzz" --version 2>/dev/null | grep -qx "cargo-fuzz $cargo_fuzz_version"; then
    echo "fuzz.sh: installing cargo-fuzz $cargo_fuzz_version into $root" >&2
    cargo install --locked --quiet --version "$cargo_fuzz_version" cargo-fuzz --root "$root"
fi

export RUSTC_BOOTSTRAP=1
# cargo-fuzz runs as a cargo subcommand: `cargo fuzz` finds it on PATH.
export PATH="$PWD/$root/bin:$PATH"

read -r -a targets <<<"${FUZZ_TARGETS:-$(cargo fuzz list --fuzz-dir fuzz | tr '\n' ' ')}"
# cargo-fuzz has no --locked: check that fuzz/Cargo.lock is up to date first.
cargo metadata --locked --format-version 1 --manifest-path fuzz/Cargo.toml >/dev/null
echo "fuzz.sh: building ${targets[*]}" >&2
# `cargo fuzz build` takes one target or none (then it builds them all).
for target in "${targets[@]}"; do
    cargo fuzz build --fuzz-dir fuzz "$target" >&2
done
for target in "${targets[@]}"; do
    scratch="target/fuzz-corpus/$target"
    mkdir -p "$scratch" "fuzz/artifacts/$target"
    echo "fuzz.sh: fuzzing $target for ${seconds}s" >&2
    # One process (no -jobs/-fork), so the targets never compete for the machine's cores;
    # an input that runs longer than 10 s is a hang, and counts as a failure.
    cargo fuzz run --fuzz-dir fuzz "$target" "$scratch" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -print_final_stats=1 >&2
done
echo "fuzz.sh: ${#targets[@]} targets fuzzed for ${seconds}s each, no crash" >&2
