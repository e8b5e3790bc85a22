#!/usr/bin/env bash
# Starts the emulator in the background on 127.0.0.1:$1 (0 picks a free port), waits until it
# listens, and prints "<pid> <url>". Its output goes to artifacts/emulator-<port>.log.
# Usage: started=$(bash scripts/emulator.sh 0 [extra flags]); pid=${started%% *}; url=${started#* }
set -euo pipefail
cd "$(dirname "$0")/.."
port=$1
shift
mkdir -p artifacts
log=$(mktemp artifacts/emulator-starting-XXXXXX.log)
node pkg-template/emulator.mjs --port "$port" "$@" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  url=$(sed -n '1s/^Refold emulator listening on \(http:.*\)$/\1/p' "$log")
  # Our own process must be the one listening (a stale emulator on the port also answers).
  if [ -n "$url" ] && kill -0 "$pid" 2>/dev/null; then
    mv "$log" "artifacts/emulator-${url##*:}.log"
    echo "$pid $url"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill "$pid" 2>/dev/null || true
mv "$log" "artifacts/emulator-$port.log"
echo "emulator on port $port did not start (is the port taken?); its log:" >&2
cat "artifacts/emulator-$port.log" >&2
exit 1
