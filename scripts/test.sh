#!/usr/bin/env bash
# Runs every test: installs what the tests need, publishes the native-AOT binaries (so the
# process tests run them too), then the xUnit suites. Ends with one line: N passed, N failed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/publish-aot.sh artifacts/aot

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
SOVEREIGN_NODE_AOT_DIR="$PWD/artifacts/aot" dotnet test SovereignNode.sln -c Release -nologo 2>&1 | tee "$results/out.txt" || status=$?

# VSTest prints one "Failed: N, Passed: N, Skipped: N" line per test assembly; add them up.
read -r passed failed skipped < <(grep -oE 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$results/out.txt" |
  awk -F'[:,] +' '{f+=$2; p+=$4; s+=$6} END {print p+0, f+0, s+0}')
echo "tests: $passed passed, $failed failed, $skipped skipped"
if ((status == 0 && passed == 0)); then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit "$status"
