#!/usr/bin/env bash
# Load test of `brandscan serve` on loopback with wrk (Debian: apt-get install wrk).
# Usage: benches/serve/load.sh [listing|batch] [seconds] [connections]
# Builds nothing: run `cargo build --release` first.
set -euo pipefail
cd "$(dirname "$0")/../.."
script=${1:-listing}
secs=${2:-10}
conns=${3:-8}
bin=target/release/brandscan
log=$(mktemp)
"$bin" serve --listen 127.0.0.1:0 2>"$log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 50); do
  grep -q 'listening on' "$log" && break
  sleep 0.1
done
addr=$(grep -o 'http://[0-9.:]*' "$log")
echo "# $(head -1 "$log")"
echo "# wrk -t1 -c$conns -d${secs}s --latency -s benches/serve/$script.lua $addr"
wrk -t1 -c"$conns" -d"${secs}s" --latency -s "benches/serve/$script.lua" "$addr"
