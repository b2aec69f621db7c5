#!/usr/bin/env bash
# Publishes sovereign-node and nodectl as native-AOT binaries for linux-x64 into OUT
# (default artifacts/aot). Fails on any build, trim or AOT warning: the AOT build is the AOT test.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/aot}
mkdir -p "$out"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for project in src/Node.Daemon src/Node.Cli; do
  if ! dotnet publish "$project" -c Release -r linux-x64 -o "$out" -nologo -clp:NoSummary >"$log" 2>&1; then
    cat "$log" >&2
    echo "publish-aot: $project failed to publish" >&2
    exit 1
  fi
  if grep -E 'warning [A-Z]+[0-9]+' "$log" >&2; then
    echo "publish-aot: $project published with warnings (above); native AOT must be warning-free" >&2
    exit 1
  fi
done

rm -f "$out"/*.pdb "$out"/*.xml
echo "publish-aot: $(ls -1 "$out" | grep -vE '\.dbg$' | tr '\n' ' ')in $out"
