#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, and only those that are missing.
# Native AOT links with clang and zlib; the API tests call the node from Debian's python3-grpcio
# (a client nobody here wrote); the multicast tests run Avahi (avahi-daemon, avahi-utils, dbus) in
# network namespaces made with iproute2, and python3-zeroconf is the second mDNS implementation they
# interoperate with; prometheus provides promtool, which checks the dashboard's /metrics text (the
# package also installs a Prometheus server unit, which the tests never start). Later suites add
# their packages to the list below.
#
#   scripts/install-deps.sh [PACKAGE...]    # the given packages instead of the list below
set -euo pipefail

packages=(clang zlib1g-dev python3-grpcio avahi-daemon avahi-utils iproute2 dbus python3-zeroconf nftables prometheus)
if (($#)); then
  packages=("$@")
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

# Debian's clang-NN (without the clang metapackage) serves native AOT just as well.
if [[ " ${missing[*]} " == *" clang "* ]] && compgen -c | grep -qE '^clang(-[0-9]+)?$'; then
  missing=("${missing[@]/clang}")
  read -r -a missing <<<"${missing[*]}"
fi

if ((${#missing[@]} == 0)); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing Debian packages: ${missing[*]}; run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
