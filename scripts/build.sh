#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm (cargo) → wasm-bindgen glue and TypeScript
# (web + nodejs targets) → wasm-opt -Oz (npm binaryen; Debian's binaryen 108 corrupts this
# output) → each glue bundled with its JS snippets by esbuild → templates.
set -euo pipefail
cd "$(dirname "$0")/.."

crate=refold_linked_accounts
out=pkg
wasm=target/wasm32-unknown-unknown/release/$crate.wasm

cargo build --release --target wasm32-unknown-unknown --lib
web=target/bindgen-web
node=target/bindgen-node
rm -rf "$out" "$web" "$node"
mkdir -p "$out"
# The web target also writes the TypeScript of the exports and of the tsify types.
wasm-bindgen --target web --out-dir "$web" --out-name "$crate" "$wasm"
wasm-bindgen --target nodejs --out-dir "$node" --out-name "$crate" --no-typescript "$wasm"
# Both glues load the same .wasm (the bytes are identical across targets). Re-looping the
# flattened control flow between two -Oz rounds saves about 0.4 KB gzipped.
node_modules/.bin/wasm-opt -Oz --flatten --rereloop -Oz --converge --strip-producers \
  --strip-target-features \
  "$web/${crate}_bg.wasm" -o "$out/${crate}_bg.wasm"
# The nodejs glue is CommonJS (.cjs: the repo's package.json says "type": "module") and
# `require`s its snippets by String.raw paths, which esbuild does not follow.
sed 's/require(String\.raw`\([^`]*\)`)/require("\1")/' "$node/$crate.js" >"$node/$crate.cjs"
if grep -q 'String\.raw' "$node/$crate.cjs"; then
  echo "build: the nodejs glue still requires a String.raw path; update the sed above" >&2
  exit 1
fi
# Each glue is bundled with its JS snippets (src/*.js) into one file, which also exports the
# LinkedAccountError class of src/error.js: the very class the glue's errors are made with.
# Browsers download the web glue: it ships minified (export names kept), with a source map.
bundle() {
  local glue=$1 format=$2 dir snippet
  shift 2
  dir=$(dirname "$glue")
  snippet=$(cd "$dir" && find snippets -path '*/src/error.js')
  {
    printf 'export * from "./%s";\n' "$(basename "$glue")"
    # The web glue's default export (its async init) is not part of `export *`.
    [ "$format" = esm ] && printf 'export { default } from "./%s";\n' "$(basename "$glue")"
    printf 'export { LinkedAccountError } from "./%s";\n' "$snippet"
  } >"$dir/bundle-$format.js"
  node_modules/.bin/esbuild "$dir/bundle-$format.js" --bundle --log-level=warning \
    --log-override:duplicate-object-key=silent --format="$format" "$@"
}
bundle "$node/$crate.cjs" cjs --platform=node --outfile="$out/$crate.cjs"
bundle "$web/$crate.js" esm --minify --sourcemap --outfile="$out/$crate.js"
# Node, Deno and Bun load the same ESM glue unminified: an uncaught error there prints its
# source line, which in the minified file is the whole file.
bundle "$web/$crate.js" esm --outfile="$out/$crate.node.js"
# The map's sources read src/fetch.js … and wasm-bindgen/<crate>.js instead of paths into
# target/.
node -e '
  const fs = require("fs"), path = process.argv[1], map = JSON.parse(fs.readFileSync(path, "utf8"));
  map.sources = map.sources.map((s) => s.replace(/^.*\/snippets\/[^/]+\//, "").replace(/^.*\/target\/bindgen-web\//, "wasm-bindgen/"));
  fs.writeFileSync(path, JSON.stringify(map));
' "$out/$crate.js.map"
# The package's typings are the TypeScript wasm-bindgen wrote: the exports, the types tsify
# generated from the Rust types, and the hand-written parts in src/ts/. The glue's own init
# functions are not part of the API.
sed -e '/^export type InitInput/,$d' "$web/$crate.d.ts" >"$out/index.d.ts"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
cp -R pkg-template/. "$out/"
# `require` consumers read the same typings under the .d.cts name.
cp "$out/index.d.ts" "$out/index.d.cts"
cp pkg-template/emulator.d.ts "$out/emulator.d.cts"
# The worker entry (index.worker.mjs) imports the same .wasm as a JS module holding base64.
printf 'export default "%s";\n' "$(base64 -w 0 "$out/${crate}_bg.wasm")" >"$out/${crate}_bg.wasm.js"
sed -i "s/\"version\": \"0.0.0-template\"/\"version\": \"$version\"/" "$out/package.json"
chmod +x "$out/emulator.mjs" 2>/dev/null || true

size() { printf '%s raw %7d B, gzip -9 %6d B\n' "$1" "$(wc -c <"$1")" "$(gzip -9c "$1" | wc -c)"; }
size "$out/${crate}_bg.wasm"
size "$out/$crate.js"
