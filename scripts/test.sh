#!/usr/bin/env bash
# Runs every test: installs what the tests need, publishes the native-AOT binaries (so the
# process tests run them too), runs the xUnit suites, then the appliance's boot test
# (image/boot-test.sh: the .deb, the USB image, two boots under QEMU). Ends with one line:
# the boot test's verdict, then N passed, N failed, N skipped.
#
#   scripts/test.sh [--no-boot-test]
set -euo pipefail
cd "$(dirname "$0")/.."

boot_test=1
case ${1:-} in
  "") ;;
  --no-boot-test) boot_test=0 ;;
  *) echo "test.sh: unknown argument '$1' (the one option is --no-boot-test)" >&2; exit 2 ;;
esac

scripts/install-deps.sh
scripts/publish-aot.sh artifacts/aot

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
SOVEREIGN_NODE_AOT_DIR="$PWD/artifacts/aot" dotnet test SovereignNode.sln -c Release -nologo 2>&1 | tee "$results/out.txt" || status=$?

# VSTest prints one "Failed: N, Passed: N, Skipped: N" line per test assembly; add them up.
read -r passed failed skipped < <(grep -oE 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$results/out.txt" |
  awk -F'[:,] +' '{f+=$2; p+=$4; s+=$6} END {print p+0, f+0, s+0}')

boot=skipped
if ((boot_test)) && [[ $(id -u) -ne 0 ]]; then
  boot="skipped (it needs root: debootstrap's chroot)"
elif ((boot_test)); then
  if image/boot-test.sh --aot artifacts/aot; then boot=passed; else boot=failed; status=1; fi
fi

echo "boot test: $boot"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if ((status == 0 && passed == 0)); then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit "$status"
