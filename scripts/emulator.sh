#!/usr/bin/env bash
# Starts the emulator in the background on 127.0.0.1:$1 and waits until it says it listens.
# Prints its PID. Usage: pid=$(bash scripts/emulator.sh 18787 [extra flags])
set -euo pipefail
cd "$(dirname "$0")/.."
port=$1
shift
mkdir -p artifacts
log="artifacts/emulator-$port.log"
node pkg-template/emulator.mjs --port "$port" "$@" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  # Our own process must be the one listening (a stale emulator on the port also answers).
  if grep -q "listening on http://127.0.0.1:$port" "$log" && kill -0 "$pid" 2>/dev/null; then
    echo "$pid"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
echo "emulator on port $port did not start (is the port taken?); its log:" >&2
cat "$log" >&2
exit 1
