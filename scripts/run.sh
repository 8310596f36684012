#!/usr/bin/env bash
# Builds the dashboard and the server, then runs them in demo mode on embedded
# SQLite (data in ./data). Prints the address to open and how to sign in.
#
# Beside it runs the sample partner portal (`demo-portal`) on another site,
# http://localhost:3001 (CONDUIT_PORTAL_PORT to change), which embeds two demo
# instances. Its API key is made fresh each run and reaches both programs by
# environment only; conduit's demo stores it hashed ("demo partner portal").
# Arguments go to the conduit server. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/setup.sh)"
trunk build --release >&2
cargo build --release -p conduit-server --bins >&2
bin=${CARGO_TARGET_DIR:-$PWD/target}/release

CONDUIT_DEMO_API_KEY="ck_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export CONDUIT_DEMO_API_KEY
portal_port=${CONDUIT_PORTAL_PORT:-3001}
portal_origin="http://localhost:$portal_port"

conduit_pid='' portal_pid=''
log=$(mktemp)
stop() {
  trap - EXIT INT TERM
  for pid in $portal_pid $conduit_pid; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f "$log"
}
trap stop EXIT INT TERM

CONDUIT_DEMO_PORTAL_ORIGIN=$portal_origin \
  "$bin/conduit-server" --demo --data-dir data --static-dir dist "$@" > >(tee "$log") &
conduit_pid=$!

# conduit prints where it listens once it is ready (it may be told another port).
conduit_url=''
for _ in $(seq 600); do
  conduit_url=$(sed -n 's|^conduit is listening on \(http://[^/]*\)/.*|\1|p' "$log" | head -n 1)
  [ -n "$conduit_url" ] && break
  kill -0 "$conduit_pid" 2>/dev/null || { echo "conduit stopped before listening" >&2; exit 1; }
  sleep 0.1
done
[ -n "$conduit_url" ] || { echo "conduit did not start listening" >&2; exit 1; }
# Listening on every interface: the portal reaches it on loopback.
conduit_url=${conduit_url/0.0.0.0/127.0.0.1}

"$bin/demo-portal" --conduit "$conduit_url" --port "$portal_port" --origin "$portal_origin" &
portal_pid=$!

echo
echo "dashboard:      $conduit_url/"
echo "partner portal: $portal_origin/ (another site, embedding two demo instances)"
# Until either stops (or Ctrl-C); then both stop.
wait -n "$conduit_pid" "$portal_pid"
