#!/usr/bin/env bash
# Writes a brotli (.br) and a gzip (.gz) copy next to each compressible file of
# the built dashboard, for the server to send to browsers that accept them.
# Trunk runs this after every build (a post_build hook in Trunk.toml, on its
# staging directory); it can also be run on a directory: scripts/compress-dist.sh dist
#
# Release builds get the strongest settings (brotli -q 11, gzip -9); debug
# builds a quick brotli so `trunk serve` stays fast. A copy that would not be
# smaller is not kept, and the server then sends the file as it is.
set -euo pipefail
dir=${1:-${TRUNK_STAGING_DIR:-dist}}
quality=11
[ "${TRUNK_PROFILE:-release}" = release ] || quality=5
for tool in brotli gzip; do
  command -v "$tool" >/dev/null || { echo "compress-dist: $tool is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
done
find "$dir" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \
  -o -name '*.svg' -o -name '*.json' -o -name '*.txt' -o -name '*.map' \) -print0 |
while IFS= read -r -d '' file; do
  size=$(wc -c <"$file")
  brotli -q "$quality" -f -o "$file.br" -- "$file"
  gzip -9 -n -c -- "$file" >"$file.gz"
  for copy in "$file.br" "$file.gz"; do
    [ "$(wc -c <"$copy")" -lt "$size" ] || rm -f -- "$copy"
  done
done
