#!/usr/bin/env bash
# The main job: install what is missing, build the package, start the emulator on
# 127.0.0.1:8787, upsert the seed page's example account twice from Node (create, then
# update), and serve the demo page on 127.0.0.1:8080 until Ctrl-C.
# MAIN_ONCE=1 stops after the upsert instead of serving (used by the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
bash scripts/build.sh

emulator_port=${EMULATOR_PORT:-8787}
demo_port=${DEMO_PORT:-8080}
emulator=$(bash scripts/emulator.sh "$emulator_port")
server=
# Ctrl-C, a kill or an error: stop both servers.
trap 'kill "$emulator" $server 2>/dev/null || true' EXIT
echo "Refold emulator: http://127.0.0.1:$emulator_port (log: artifacts/emulator-$emulator_port.log)"
echo
node scripts/demo.mjs "http://127.0.0.1:$emulator_port"
echo
[ "${MAIN_ONCE:-}" = 1 ] && exit 0
echo "Starting the demo page server (Ctrl-C stops both servers) …"
node scripts/serve.mjs "$demo_port" &
server=$!
wait "$server"
