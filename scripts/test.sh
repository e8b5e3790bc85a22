#!/usr/bin/env bash
# Runs every test: formatting and lints, host unit/table tests, the package build and its
# size, the wasm suite in Node and in headless Chromium against the emulator, the emulator's
# own tests, the JS tests of the built package and the TypeScript contract.
# Installs what is missing first (scripts/setup.sh). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh --browser

step() { printf '\n=== %s\n' "$*"; }
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

step "cargo fmt --check"
cargo fmt --check
step "cargo clippy (host, all targets; wasm32 lib and tests)"
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings

step "host tests (cargo test)"
cargo test

step "build the package (pkg/)"
bash scripts/build.sh
step "size check: what a browser downloads, gzip -9, at most 90 KiB"
node scripts/bench/size-check.mjs

step "runtime fixtures on the packed tarball (Node ESM/CJS, Deno, Bun, workerd, Vercel Edge, Vite, webpack, no bundler, service worker, MV3 extension; publint, attw)"
bash tests/runtimes/run.sh

# The wasm suite's emulator, on a free port; the suite reads its URL when it is compiled. In
# Chromium the suite runs on the test runner's page, at an address chosen here, which reads the
# request log: the emulator lets that one origin use its control plane.
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
runner_address="127.0.0.1:$(free_port)"
started=$(bash scripts/emulator.sh 0 --allow-origin "http://$runner_address")
pids+=("${started%% *}")
export REFOLD_EMULATOR_URL=${started#* }

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/tests/wasm/webdriver.json"
step "wasm-bindgen-test in Node"
cargo test --target wasm32-unknown-unknown --test wasm_node
step "wasm-bindgen-test in headless Chromium"
WASM_BINDGEN_TEST_ADDRESS=$runner_address cargo test --target wasm32-unknown-unknown --test wasm_browser

step "emulator and package tests (node --test)"
# A zone other than UTC, so that a date read as local time instead of GMT shows.
TZ=America/New_York node --test --test-timeout=300000 --test-reporter=spec tests/emulator/ tests/js/

step "demo page, dev server and browser workers end to end in headless Chromium (screenshots in artifacts/screenshots/)"
node --test --test-timeout=300000 --test-reporter=spec tests/e2e/

if [ -f tests/types/run.sh ]; then
  step "TypeScript contract (tsc --strict)"
  bash tests/types/run.sh
fi

step "all test stages passed"
