#!/usr/bin/env bash
# Proves the npm package in every runtime: packs pkg/ once with `npm pack`, installs that
# tarball into a fresh temp project per fixture, and makes one real upsert against the emulator,
# one VALIDATION_FAILED case, then get, list, allLinkedAccounts, createSessionToken, get with
# that token and delete (check.mjs) in Node ESM, Node CJS, Deno, Bun, workerd (miniflare), Vercel
# Edge (edge-runtime, with the wasm module handed in as deployed and as `vercel dev` hands it
# in), headless Chromium (a Vite and a webpack 5 production build, a no-bundler page, a module
# service worker, a Manifest V3 extension's background worker). Also lints the tarball with
# publint and attw. Prints a matrix (runtime → PASS/FAIL with the reason) and exits non-zero
# if any row fails.
#
# Builds nothing: run `bash scripts/build.sh` first (it writes pkg/). Downloads nothing: the
# tools are the root devDependencies (`npm ci` at the repo root), the browser is Chromium at
# /usr/bin/chromium (apt package `chromium`; CHROMIUM=path to override). Fixture projects
# install the tarball with `npm install --offline`. KEEP=1 keeps the temp dir; ONLY=a,b runs
# only those fixtures (node-esm node-cjs deno bun workerd edge-light edge-light-dev vite webpack
# no-bundler service-worker extension).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f pkg/package.json ] || [ ! -f pkg/refold_linked_accounts_bg.wasm ]; then
  echo "tests/runtimes/run.sh: pkg/ is not built; run 'bash scripts/build.sh' first" >&2
  exit 2
fi
missing=()
for tool in deno bun publint attw; do
  [ -x "node_modules/.bin/$tool" ] || missing+=("$tool")
done
for mod in vite webpack esbuild miniflare edge-runtime playwright-core; do
  [ -f "node_modules/$mod/package.json" ] || missing+=("$mod")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "tests/runtimes/run.sh: missing dev tools (${missing[*]}); run 'npm ci' at the repo root" >&2
  exit 2
fi

exec node tests/runtimes/run.mjs
