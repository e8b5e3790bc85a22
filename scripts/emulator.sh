#!/usr/bin/env bash
# Starts the emulator in the background on 127.0.0.1:$1 and waits until it answers.
# Prints its PID. Usage: pid=$(bash scripts/emulator.sh 18787 [extra flags])
set -euo pipefail
cd "$(dirname "$0")/.."
port=$1
shift
mkdir -p artifacts
node pkg-template/emulator.mjs --port "$port" "$@" >"artifacts/emulator-$port.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/__emulator/health" >/dev/null 2>&1; then
    echo "$pid"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
echo "emulator on port $port did not start; its log:" >&2
cat "artifacts/emulator-$port.log" >&2
exit 1
