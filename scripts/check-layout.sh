#!/usr/bin/env bash
# Checks the code's layout rules, which hold for every change:
#   - no module imports another that imports it back (scripts/import-cycles.py);
#   - no source file outside the tests is longer than 500 lines.
# Test files are the ones under a crate's tests/ folder and the `tests.rs`
# files that hold a module's unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
LIMIT=500
status=0

# The checker must see a cycle where there is one, or its silence means nothing.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
mkdir -p "$probe/engine"
printf 'mod engine;\nmod store;\n' >"$probe/lib.rs"
printf 'mod oauth;\npub struct Engine;\nfn g() { oauth::f() }\n' >"$probe/engine/mod.rs"
printf 'use crate::store::Row;\npub fn f() {}\n' >"$probe/engine/oauth.rs"
printf 'pub struct Row;\nfn f(_: crate::engine::Engine) {}\n' >"$probe/store.rs"
if scripts/import-cycles.py "$probe" >/dev/null; then
  echo "scripts/import-cycles.py missed the cycle store -> engine -> engine::oauth -> store"
  exit 1
fi

scripts/import-cycles.py || status=1

while IFS= read -r file; do
  lines=$(wc -l <"$file")
  if [ "$lines" -gt "$LIMIT" ]; then
    echo "too long: $file has $lines lines (at most $LIMIT outside the tests)"
    status=1
  fi
done < <(find src types/src server/src e2e/src -name '*.rs' ! -name tests.rs ! -path '*/tests/*' 2>/dev/null | sort)

[ "$status" -eq 0 ] && echo "layout: no import cycles, no source file over $LIMIT lines"
exit "$status"
