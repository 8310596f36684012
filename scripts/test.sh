#!/usr/bin/env bash
# Runs every test: the layout rules (no import cycles, no long source files),
# Rust unit and server tests (SQLite and PostgreSQL), component
# tests in headless Chromium, the bundle size budget, and end-to-end tests that
# drive the real server binary through Chromium.
#
# PostgreSQL: uses TEST_DATABASE_URL when set; otherwise installs and starts
# Debian's PostgreSQL (scripts/provision-postgres.sh, needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/setup.sh test)"
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
results=$(mktemp)
trap 'rm -f "$results"' EXIT
# Keeps every runner's summary line so the run can end with one total.
record() { "$@" 2>&1 | tee -a "$results"; }

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  TEST_DATABASE_URL=$(scripts/provision-postgres.sh)
fi
export TEST_DATABASE_URL

echo "== 1/5 layout: import cycles and file lengths"
scripts/check-layout.sh

echo "== 2/5 Rust unit and server tests (SQLite and PostgreSQL)"
record cargo test --workspace --exclude conduit-e2e

echo "== 3/5 component tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  record cargo test -p conduit-web --target wasm32-unknown-unknown --tests

echo "== 4/5 release build and size budget"
trunk build --release
scripts/size-budget.sh dist

echo "== 5/5 end-to-end tests: the real server in Chromium"
cargo build -p conduit-server
CONDUIT_SERVER_BIN="$target_dir/debug/conduit-server" CONDUIT_PORTAL_BIN="$target_dir/debug/demo-portal" CONDUIT_DIST="$PWD/dist" \
  record cargo test -p conduit-e2e --tests -- --test-threads=1

awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "all tests: %d passed, %d failed\n", p, f }' "$results"
