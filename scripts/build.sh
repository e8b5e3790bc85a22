#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm → wasm-bindgen glue (web + nodejs) →
# wasm-opt -Oz (npm binaryen; Debian's binaryen 108 corrupts this output) → templates.
set -euo pipefail
cd "$(dirname "$0")/.."

crate=refold_linked_accounts
out=pkg
wasm=target/wasm32-unknown-unknown/release/$crate.wasm

cargo build --release --target wasm32-unknown-unknown --lib --features wasm-panic-trap
rm -rf "$out" target/bindgen-node
mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out" --out-name "$crate" --no-typescript "$wasm"
wasm-bindgen --target nodejs --out-dir target/bindgen-node --out-name "$crate" --no-typescript "$wasm"
# The nodejs glue loads the same .wasm (the bytes are identical across targets). Its JS
# snippets (src/*.js, ES modules) are bundled in as CommonJS, so `require` needs no ESM.
# (.cjs: the repo's package.json says "type": "module".) wasm-bindgen keys one import object
# twice by the same snippet path, hence the silenced duplicate-key warning.
sed 's/require(String\.raw`\([^`]*\)`)/require("\1")/' "target/bindgen-node/$crate.js" \
  >"target/bindgen-node/$crate.cjs"
node_modules/.bin/esbuild "target/bindgen-node/$crate.cjs" --bundle --format=cjs --platform=node \
  --log-level=warning --log-override:duplicate-object-key=silent --outfile="$out/$crate.cjs"
node_modules/.bin/wasm-opt -Oz --converge --strip-producers --strip-target-features \
  "$out/${crate}_bg.wasm" -o "$out/${crate}_bg.wasm"
# Browsers download the web glue: ship it minified (export names are kept), but with its line
# breaks, so an uncaught error shows one short source line rather than the whole file. The JS
# snippets (src/*.js) are bundled in: one file, no snippets/ folder to publish.
node_modules/.bin/esbuild "$out/$crate.js" --bundle --minify-identifiers --minify-syntax --format=esm \
  --log-level=warning --log-override:duplicate-object-key=silent --outfile="$out/$crate.js" \
  --allow-overwrite
rm -rf "$out/snippets"
# Short import names in the .wasm and both glues (−1.9 KB gzipped; see the script).
node scripts/shorten-imports.mjs "$out/${crate}_bg.wasm" "$out/$crate.js" "$out/$crate.cjs"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
cp -R pkg-template/. "$out/"
# `require` consumers read the same typings under the .d.cts name.
cp pkg-template/index.d.ts "$out/index.d.cts"
cp pkg-template/emulator.d.ts "$out/emulator.d.cts"
sed -i "s/\"version\": \"0.0.0-template\"/\"version\": \"$version\"/" "$out/package.json"
chmod +x "$out/emulator.mjs" 2>/dev/null || true

size() { printf '%s raw %7d B, gzip -9 %6d B\n' "$1" "$(wc -c <"$1")" "$(gzip -9c "$1" | wc -c)"; }
size "$out/${crate}_bg.wasm"
size "$out/$crate.js"
