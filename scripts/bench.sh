#!/usr/bin/env bash
# The `manage connectors` benchmark (not part of scripts/test.sh): builds the
# dashboard and the server for release, starts one server seeded with 10,000
# more demo instances (`--demo-instances 10000`, a temporary SQLite file) and
# one with the demo's dozen, drives headless Chromium against both in turn
# and prints a markdown table of medians (e2e/tests/bench.rs says what each
# number is).
#
#   scripts/bench.sh              # 5 runs each
#   CONDUIT_BENCH_RUNS=9 scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."

eval "$(scripts/setup.sh test)"
target_dir=${CARGO_TARGET_DIR:-$PWD/target}

trunk build --release >&2
cargo build --release -p conduit-server --bin conduit-server >&2

CONDUIT_SERVER_BIN="$target_dir/release/conduit-server" CONDUIT_DIST="$PWD/dist" \
  CONDUIT_BENCH_RUNS=${CONDUIT_BENCH_RUNS:-5} \
  cargo test -p conduit-e2e --test bench -- --ignored --nocapture --test-threads=1
