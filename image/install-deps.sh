#!/usr/bin/env bash
# Installs the Debian packages the image build (image/build.sh), the .deb build
# (packaging/build-deb.sh) and the boot test (image/boot-test.sh) need, and only those missing.
set -euo pipefail

packages=(debootstrap e2fsprogs dosfstools mtools fdisk dpkg-dev lintian qemu-system-x86 ovmf)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
((${#missing[@]} == 0)) && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "image/install-deps: missing Debian packages: ${missing[*]}; run as root, or: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "image/install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
