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
