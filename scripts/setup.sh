#!/usr/bin/env bash
# Installs what building (and, with `test`, testing) needs, skipping whatever
# is already there. Nothing here runs at build or test time: Trunk is told to
# stay offline and use these exact tools.
#
#   scripts/setup.sh         # build tools: wasm32 target, trunk, wasm-bindgen, wasm-opt, brotli and gzip
#   scripts/setup.sh test    # plus chromium, chromedriver, openssl and python3 for the tests
#
# Prints the PATH additions to use, so callers can `eval "$(scripts/setup.sh)"`.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
TOOLS_DIR=${CONDUIT_TOOLS_DIR:-$HOME/.local/share/conduit-tools}
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

log() { echo "setup: $*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >&2
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  log "installing trunk $TRUNK_VERSION (about 10 minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked >&2
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force >&2
fi

# Debian's wasm-opt is too old for this wasm-bindgen's output; the npm package
# of binaryen ships a working one that runs under node.
BINARYEN_BIN="$TOOLS_DIR/binaryen-$BINARYEN_VERSION/node_modules/binaryen/bin"
if [ "$("$BINARYEN_BIN/wasm-opt" --version 2>/dev/null | awk '{ print $3 }')" != "$BINARYEN_VERSION" ]; then
  log "installing wasm-opt (binaryen@$BINARYEN_VERSION from npm)"
  if ! command -v npm >/dev/null; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >&2
  fi
  mkdir -p "$TOOLS_DIR/binaryen-$BINARYEN_VERSION"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/binaryen-$BINARYEN_VERSION" "binaryen@$BINARYEN_VERSION" >&2
fi

# Debian packages, installed in one go: what is missing of `command package` pairs.
apt_install_missing() {
  local missing=()
  while [ $# -gt 1 ]; do
    command -v "$1" >/dev/null || missing+=("$2")
    shift 2
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
}

# Every dashboard build compresses its files (scripts/compress-dist.sh).
apt_install_missing brotli brotli gzip gzip

if [ "${1:-}" = "test" ]; then
  # The certificate tests make their files with the real openssl command, and the
  # engine tests' OAuth 1 provider checks signatures with it; scripts/check-layout.sh
  # reads the modules' imports with a small Python script.
  apt_install_missing chromium chromium chromedriver chromium-driver openssl openssl python3 python3
fi

echo "export PATH=\"$BINARYEN_BIN:$HOME/.cargo/bin:\$PATH\""
