#!/usr/bin/env bash
# Fails when the release dashboard (wasm + js + css, brotli-compressed) is over
# the budget. Prints the figure either way.
set -euo pipefail
dist=${1:-dist}
budget=${SIZE_BUDGET_BYTES:-490000}
total=0
shopt -s nullglob
# Only the files themselves: the .br and .gz copies the build writes next to
# them (scripts/compress-dist.sh) end in .br/.gz and are not counted again.
files=("$dist"/*.wasm "$dist"/*.js "$dist"/*.css)
[ ${#files[@]} -gt 0 ] || { echo "size budget: no wasm, js or css in $dist" >&2; exit 1; }
for f in "${files[@]}"; do
  size=$(brotli -c -q 11 "$f" | wc -c)
  printf 'size budget: %8d bytes brotli  %s\n' "$size" "$(basename "$f")"
  total=$((total + size))
done
printf 'size budget: %d bytes (%d KB) brotli of %d KB allowed\n' "$total" $((total / 1000)) $((budget / 1000))
if [ "$total" -gt "$budget" ]; then
  echo "size budget: OVER by $((total - budget)) bytes" >&2
  exit 1
fi
