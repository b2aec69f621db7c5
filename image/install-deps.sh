#!/usr/bin/env bash
# Installs the Debian packages the image build (image/build.sh), the .deb build
# (packaging/build-deb.sh) and the boot test (image/boot-test.sh) need, and only those missing.
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/install-deps.sh debootstrap e2fsprogs dosfstools mtools fdisk dpkg-dev lintian qemu-system-x86 ovmf
