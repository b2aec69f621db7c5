#!/usr/bin/env bash
# Builds the sovereign-node .deb from the native-AOT binaries with dpkg-deb, then checks it with
# lintian (every error and warning fails the build; overrides are in debian/lintian-overrides,
# each with its reason).
#
#   packaging/build-deb.sh [--aot DIR] [--out DIR] [--no-lintian]
#
# DIR defaults: --aot artifacts/aot (scripts/publish-aot.sh makes it), --out artifacts/deb.
# Prints the path of the .deb on its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

aot=artifacts/aot
out=artifacts/deb
lintian=1
while (($#)); do
  case $1 in
    --aot) aot=${2:?--aot needs a directory}; shift 2 ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --no-lintian) lintian=0; shift ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-deb: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

for file in sovereign-node nodectl libe_sqlite3.so libsodium.so; do
  if [[ ! -f $aot/$file ]]; then
    echo "build-deb: $aot/$file is missing; run scripts/publish-aot.sh first" >&2
    exit 1
  fi
done

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n1)
[[ -n $version ]] || { echo "build-deb: no <Version> in Directory.Build.props" >&2; exit 1; }
# Reproducible: every timestamp is the last commit's (or 0 outside git).
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
pkg=packaging

install -d -m 0755 "$root"/DEBIAN "$root"/usr/lib/sovereign-node "$root"/usr/bin "$root"/usr/sbin \
  "$root"/lib/systemd/system "$root"/usr/lib/sysusers.d "$root"/usr/lib/tmpfiles.d \
  "$root"/etc/sovereign-node "$root"/usr/share/doc/sovereign-node "$root"/usr/share/lintian/overrides
install -m 0755 "$aot"/sovereign-node "$aot"/nodectl "$root"/usr/lib/sovereign-node/
install -m 0644 "$aot"/libe_sqlite3.so "$aot"/libsodium.so "$root"/usr/lib/sovereign-node/
# The NuGet packages ship these two with symbols; Debian ships libraries stripped.
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root"/usr/lib/sovereign-node/*.so
ln -s ../lib/sovereign-node/nodectl "$root"/usr/bin/nodectl
ln -s ../lib/sovereign-node/sovereign-node "$root"/usr/sbin/sovereign-node
install -m 0644 $pkg/sovereign-node.service "$root"/lib/systemd/system/
install -m 0644 $pkg/sovereign-node.sysusers "$root"/usr/lib/sysusers.d/sovereign-node.conf
install -m 0644 $pkg/sovereign-node.tmpfiles "$root"/usr/lib/tmpfiles.d/sovereign-node.conf
install -m 0644 $pkg/node.json "$root"/etc/sovereign-node/node.json
install -m 0644 $pkg/debian/copyright "$root"/usr/share/doc/sovereign-node/copyright
install -m 0644 docs/operator-manual.md "$root"/usr/share/doc/sovereign-node/operator-manual.md
install -m 0644 $pkg/debian/lintian-overrides "$root"/usr/share/lintian/overrides/sovereign-node
date=$(date -u -d "@$SOURCE_DATE_EPOCH" -R)
printf 'sovereign-node (%s) unstable; urgency=medium\n\n  * Built from the Sovereign Node repository.\n\n -- Sovereign Node team <maintainers@sovereign-node.invalid>  %s\n' \
  "$version" "$date" | gzip -9n >"$root"/usr/share/doc/sovereign-node/changelog.gz
# The operator manual is large: Debian compresses documentation over 4 KiB.
gzip -9n "$root"/usr/share/doc/sovereign-node/operator-manual.md
for script in postinst prerm postrm; do
  install -m 0755 $pkg/debian/$script "$root"/DEBIAN/$script
done
echo /etc/sovereign-node/node.json >"$root"/DEBIAN/conffiles
(cd "$root" && find . \( -path ./DEBIAN -o -path ./etc \) -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) >"$root"/DEBIAN/md5sums
chmod 0644 "$root"/DEBIAN/conffiles "$root"/DEBIAN/md5sums

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root"/DEBIAN/control <<CONTROL
Package: sovereign-node
Version: $version
Architecture: amd64
Maintainer: Sovereign Node team <maintainers@sovereign-node.invalid>
Installed-Size: $size
Depends: libc6 (>= 2.34), libssl3 | libssl3t64, systemd (>= 252), init-system-helpers (>= 1.54~), procps
Section: net
Priority: optional
Homepage: https://sovereign-node.invalid/
Description: self-contained knowledge node for the local network
 A sovereign node keeps its own knowledge in SQLite, reasons over what it
 observes, and shares signed, content-addressed knowledge packets with the
 peers it trusts on the local network, found over mDNS. No cloud, no central
 server, no internet.
 .
 This package holds the native daemon (sovereign-node.service), nodectl to
 control it over its local socket, and the unit's system user and group:
 members of the group sovereign-node may use nodectl.
CONTROL

find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$out"
deb=$out/sovereign-node_${version}_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null

if ((lintian)); then
  # Run as root, lintian refuses unless told: it only reads the package here.
  if ! lintian --allow-root --fail-on error,warning "$deb" >&2; then
    echo "build-deb: lintian found problems in $deb (above)" >&2
    exit 1
  fi
fi
echo "$deb"
