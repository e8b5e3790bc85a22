#!/usr/bin/env bash
# The main job: install what is missing, build the package, start the emulator on
# 127.0.0.1:$EMULATOR_PORT (8787), upsert an example account twice from Node (create, then
# update), and serve the demo page on 127.0.0.1:$DEMO_PORT (8080), set to that emulator, until
# Ctrl-C. MAIN_ONCE=1 stops after the upserts instead of serving. If either server stops, the
# other is stopped too and the command says which and fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
bash scripts/build.sh

emulator_port=${EMULATOR_PORT:-8787}
demo_port=${DEMO_PORT:-8080}
started=$(bash scripts/emulator.sh "$emulator_port")
emulator=${started%% *}
emulator_url=${started#* }
server=
# Ctrl-C, a kill or an error: stop both servers.
trap 'kill "$emulator" $server 2>/dev/null || true' EXIT
echo "Refold emulator: $emulator_url (log: artifacts/emulator-$emulator_port.log)"
echo
node scripts/demo.mjs "$emulator_url"
echo
[ "${MAIN_ONCE:-}" = 1 ] && exit 0
echo "Starting the demo page server (Ctrl-C stops both servers) …"
node scripts/serve.mjs "$demo_port" "$emulator_url" &
server=$!
while kill -0 "$server" 2>/dev/null && kill -0 "$emulator" 2>/dev/null; do sleep 1; done
if kill -0 "$emulator" 2>/dev/null; then
  echo "main: the demo page server stopped, so the emulator was stopped too" >&2
else
  echo "main: the emulator stopped (its log: artifacts/emulator-$emulator_port.log), so the demo page server was stopped too" >&2
fi
exit 1
