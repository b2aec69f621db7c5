#!/usr/bin/env bash
# Resident memory of one idle native-AOT node over time: does it stay where the first trim left it?
#
# usage: bench/tools/idle-drift.sh [BINARY] [SECONDS...]
#   BINARY   the AOT sovereign-node (default artifacts/aot/sovereign-node, from scripts/publish-aot.sh)
#   SECONDS  when to look, after READY=1 (default 10 60 300 900 1800)
# Starts the node on a fresh state directory with discovery off (peer listener on a free port, log
# at Debug so its trims are counted), prints VmRSS, its open descriptors and the trims so far at
# each time, and removes everything it made when it ends (also on Ctrl-C).
set -euo pipefail
binary=${1:-artifacts/aot/sovereign-node}
shift || true
times=("${@:-10 60 300 900 1800}")
read -r -a times <<<"${times[*]}"
dir=$(mktemp -d /tmp/sovereign-drift.XXXXXX)
pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
"$binary" --data-dir "$dir/state" --no-discovery --peer-port 0 --log-level Debug >"$dir/node.log" 2>&1 &
pid=$!
for _ in $(seq 100); do [[ -S $dir/state/api.sock ]] && break; sleep 0.1; done
[[ -S $dir/state/api.sock ]] || { echo "node did not start; its log:" >&2; cat "$dir/node.log" >&2; exit 1; }
start=$(date +%s)
echo "sovereign-node $binary, pid $pid, idle with discovery off"
for t in "${times[@]}"; do
  while (( $(date +%s) - start < t )); do sleep 1; done
  rss=$(awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status")
  fds=$(ls "/proc/$pid/fd" | wc -l)
  trims=$(grep -c "Memory trimmed" "$dir/node.log" || true)
  printf '%6d s  RSS %s MiB  %s descriptors  %s trims so far\n' "$t" "$rss" "$fds" "$trims"
done
