#!/usr/bin/env bash
# Type-checks tests/types/consumer.ts against the built typings (pkg/index.d.ts) with tsc --strict
# (build first). Installs nothing: run `npm ci` at the repo root first (devDependency
# typescript). Checks twice: the tsconfig as is, and with the stricter optional flags many
# consumers turn on. Then type-checks the code examples of the two READMEs (examples.mjs).
# Exits non-zero on any type error, including an unused @ts-expect-error.
set -euo pipefail
cd "$(dirname "$0")/../.."

tsc=node_modules/.bin/tsc
if [ ! -x "$tsc" ]; then
  echo "tests/types/run.sh: $tsc not found; run 'npm ci' at the repo root" >&2
  exit 2
fi

"$tsc" --version
echo "tsc -p tests/types/tsconfig.json"
"$tsc" -p tests/types/tsconfig.json
echo "tsc -p tests/types/tsconfig.json --exactOptionalPropertyTypes --noUncheckedIndexedAccess"
"$tsc" -p tests/types/tsconfig.json --exactOptionalPropertyTypes --noUncheckedIndexedAccess
node tests/types/examples.mjs
echo "types OK"
