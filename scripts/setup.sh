#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is already there, so reruns are
# fast: the wasm32 target, wasm-bindgen-cli pinned to Cargo.toml's exact wasm-bindgen
# version, npm packages from the lockfile, and (for browser tests) Debian's Chromium.
# Usage: bash scripts/setup.sh [--browser]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '[setup] %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

want=$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ] || ! command -v wasm-bindgen-test-runner >/dev/null; then
  log "installing wasm-bindgen-cli $want (about 2 minutes)"
  # No --locked: the CLI's lockfile pins a webpki-roots release the registry here lacks.
  cargo install wasm-bindgen-cli --version "$want"
fi

stamp=node_modules/.lockfile-sha256
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  log "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
  echo "$lock_sum" >"$stamp"
fi

if [ "${1:-}" = "--browser" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing Debian's chromium and chromium-driver"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi
log "ready"
