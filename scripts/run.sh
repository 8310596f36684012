#!/usr/bin/env bash
# Builds the dashboard and the server, then runs them in demo mode on embedded
# SQLite (data in ./data). Prints the address to open and how to sign in.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/setup.sh)"
trunk build --release >&2
exec cargo run --release -p conduit-server -- --demo --data-dir data --static-dir dist "$@"
