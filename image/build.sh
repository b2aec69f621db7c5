#!/usr/bin/env bash
# Builds the bootable GPT disk image of a sovereign node, for a USB stick.
#
#   image/build.sh [--deb FILE] [--out FILE] [--cache DIR] [--mirror URL]
#                  [--key-stick] [--test-overlay DIR] [--cmdline-extra ARGS]
#
#   --deb FILE           the sovereign-node .deb (default: build it: scripts/publish-aot.sh,
#                        then packaging/build-deb.sh)
#   --out FILE           the image (default artifacts/image/sovereign-node.img)
#   --cache DIR          where the Debian root filesystem is cached between builds
#                        (default artifacts/image/cache); delete it to start over
#   --mirror URL         the Debian mirror (default http://deb.debian.org/debian)
#   --key-stick          unlock the data partition with a key file on a second stick (a vfat
#                        filesystem labelled SN-KEY holding sovereign-node.key), falling back to
#                        the console passphrase when no such stick is there within 20 s
#   --test-overlay DIR   copy DIR over the root filesystem last (the boot test's probe)
#   --cmdline-extra ARGS more kernel arguments (the boot test adds its serial console)
#
# No loop devices, no device-mapper, no image mounted: the root filesystem is made with debootstrap in a
# folder, turned into an ext4 image with `mkfs.ext4 -d`, the EFI system partition with mkfs.vfat
# and mtools, and the partitions are laid out with sfdisk and copied in with dd. Needs root (for
# debootstrap's chroot) and: debootstrap e2fsprogs dosfstools mtools fdisk.
#
# Layout (docs/operator-manual.md, "The USB image"):
#   1 sn-esp   256 MiB  EFI system partition: systemd-boot, the kernel and the initramfs
#   2 sn-root           ext4: Debian 12 (minbase) with the sovereign-node .deb installed
#   3 sn-data  256 MiB  left empty: on first boot it grows to the end of the stick and becomes
#                       the LUKS2 (Argon2id) volume that holds /var/lib/sovereign-node
set -euo pipefail
cd "$(dirname "$0")/.."

deb=
out=artifacts/image/sovereign-node.img
cache=artifacts/image/cache
mirror=http://deb.debian.org/debian
key_stick=0
overlay=
cmdline_extra=
while (($#)); do
  case $1 in
    --deb) deb=${2:?--deb needs a file}; shift 2 ;;
    --out) out=${2:?--out needs a file}; shift 2 ;;
    --cache) cache=${2:?--cache needs a directory}; shift 2 ;;
    --mirror) mirror=${2:?--mirror needs a URL}; shift 2 ;;
    --key-stick) key_stick=1; shift ;;
    --test-overlay) overlay=${2:?--test-overlay needs a directory}; shift 2 ;;
    --cmdline-extra) cmdline_extra=${2?--cmdline-extra needs arguments}; shift 2 ;;
    -h | --help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "image: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf 'image: %s\n' "$*" >&2; }
fail() { printf 'image: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "run as root: debootstrap needs chroot"
for tool in debootstrap mkfs.ext4 mkfs.vfat mcopy mmd sfdisk dd; do
  command -v "$tool" >/dev/null || fail "$tool is missing; image/install-deps.sh installs what the build needs"
done
[[ -z $overlay || -d $overlay ]] || fail "--test-overlay $overlay is not a directory"

started=$SECONDS
if [[ -z $deb ]]; then
  scripts/publish-aot.sh >&2
  deb=$(packaging/build-deb.sh | tail -n1)
fi
[[ -f $deb ]] || fail "the .deb $deb does not exist"

# ---------------------------------------------------------------------------------------------
# 1. The Debian root filesystem, cached: the same package list gives the same cache entry.
# ---------------------------------------------------------------------------------------------
suite=bookworm
packages=(
  systemd systemd-sysv udev dbus kmod
  linux-image-amd64 initramfs-tools systemd-boot-efi
  cryptsetup-bin libcryptsetup12 e2fsprogs fdisk
  iproute2 procps
  # systemd-cryptenroll --tpm2-device (docs/operator-manual.md): the TPM2 libraries it loads.
  libtss2-esys-3.0.2-0 libtss2-rc0 libtss2-mu0 libtss2-tcti-device0
)
base_version=2 # bump when the base stage changes in a way the package list does not show
key=$(printf '%s\n' "$suite" "$base_version" "${packages[@]}" | sha256sum | cut -c1-16)
base=$cache/rootfs-$suite-$key.tar
mkdir -p "$cache" "$(dirname "$out")"
work=$(mktemp -d "${TMPDIR:-/tmp}/sovereign-image.XXXXXX")
cleanup() { rm -rf --one-file-system "$work"; [[ -z ${base:-} ]] || rm -f "$base.partial"; }
trap cleanup EXIT

if [[ ! -f $base ]]; then
  say "debootstrap $suite (minbase) from $mirror; cached as $base"
  rootfs=$work/debootstrap
  # A mirror that fails once (a dropped connection) gets a second try.
  for try in 1 2; do
    rm -rf --one-file-system "$rootfs"
    if debootstrap --variant=minbase --components=main --include="$(IFS=,; echo "${packages[*]}")" \
      "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
      break
    fi
    tail -n 30 "$work/debootstrap.log" >&2
    if [[ -f $rootfs/debootstrap/debootstrap.log ]]; then tail -n 30 "$rootfs/debootstrap/debootstrap.log" >&2; fi
    ((try == 2)) && fail "debootstrap failed twice (above)"
    say "debootstrap failed (above); trying once more"
  done
  # The initramfs waits for no resume device (the build host's swap must not leak into it); its
  # drivers are initramfs-tools' MODULES=most: USB, SATA, NVMe and virtio alike.
  printf 'RESUME=none\n' >"$rootfs/etc/initramfs-tools/conf.d/resume"
  chroot "$rootfs" update-initramfs -u -k all >"$work/initramfs.log" 2>&1 || { cat "$work/initramfs.log" >&2; fail "update-initramfs failed (above)"; }
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/log/*.log
  tar --numeric-owner --xattrs --acls -C "$rootfs" -cf "$base.partial" .
  mv "$base.partial" "$base"
  # Earlier package lists' caches are of no more use (each is some 650 MB).
  find "$cache" -maxdepth 1 -name "rootfs-$suite-*.tar" ! -path "$base" -delete
  rm -rf "$rootfs"
  say "root filesystem cached after $((SECONDS - started)) s"
fi

# ---------------------------------------------------------------------------------------------
# 2. This build's root: the cached base, our .deb, the appliance's configuration.
# ---------------------------------------------------------------------------------------------
root=$work/root
mkdir -p "$root"
tar --numeric-owner --xattrs --acls -C "$root" -xpf "$base"

cp "$deb" "$root/tmp/sovereign-node.deb"
if ! chroot "$root" dpkg -i /tmp/sovereign-node.deb >"$work/dpkg.log" 2>&1; then
  cat "$work/dpkg.log" >&2
  fail "installing $deb failed (above)"
fi
rm -f "$root/tmp/sovereign-node.deb"

# Copied as root's, whoever owns the checkout, without touching the modes of folders the image
# already has (/, /etc, /usr …).
copy_tree() {
  tar -C "$1" --owner=0 --group=0 --mode=go-w -cf - . | tar -C "$root" --no-overwrite-dir -xpf -
}
copy_tree image/rootfs
# The log files live with the state, on the encrypted partition (sovereign-node.service.d).
rm -rf "$root/var/log/sovereign-node"
ln -s ../lib/sovereign-node/logs "$root/var/log/sovereign-node"
chmod 0755 "$root"/usr/libexec/sovereign-node/*

# Every stick gets its own machine id at first boot (ConditionFirstBoot= units run then).
printf 'uninitialized\n' >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
printf 'sovereign\n' >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"

cat >"$root/etc/crypttab" <<'EOF'
# The node's state: LUKS2, made on first boot (sovereign-data-init.service). The key: a key
# stick's, copied to /run/cryptsetup-keys.d/sovereign-data.key (sovereign-key-stick.service),
# else the passphrase, asked at the console.
# <name>        <device>           <key>  <options>
sovereign-data  PARTLABEL=sn-data  none   luks,discard,tries=3
EOF
cat >"$root/etc/fstab" <<'EOF'
# <file system>             <mount point>             <type> <options>                          <dump> <pass>
PARTLABEL=sn-root           /                         ext4   rw,noatime,errors=remount-ro       0      1
/dev/mapper/sovereign-data  /var/lib/sovereign-node   ext4   rw,noatime,nodev,nosuid,noexec     0      2
tmpfs                       /tmp                      tmpfs  rw,nosuid,nodev,mode=1777,size=25% 0      0
EOF

# The appliance's services: networkd for the LAN, the first-boot units; no timers that go online.
systemctl --root="$root" --quiet enable systemd-networkd.service sovereign-key-stick.service sovereign-data-init.service sovereign-hostname.service sovereign-root-password.service
systemctl --root="$root" --quiet mask apt-daily.timer apt-daily-upgrade.timer systemd-networkd-wait-online.service systemd-firstboot.service
systemctl --root="$root" is-enabled sovereign-node.service >/dev/null || fail "the .deb did not enable sovereign-node.service"

if [[ -n $overlay ]]; then
  copy_tree "$overlay"
  if [[ -x $root/usr/libexec/sovereign-node-test/enable ]]; then
    chroot "$root" /usr/libexec/sovereign-node-test/enable
  fi
fi

if ((key_stick)); then
  grep -q '^KEY_STICK_LABEL=' "$root/etc/default/sovereign-data" || fail "/etc/default/sovereign-data has no KEY_STICK_LABEL= line"
  sed -i 's/^KEY_STICK_LABEL=.*/KEY_STICK_LABEL=SN-KEY/' "$root/etc/default/sovereign-data"
fi

kernel=$(find "$root/boot" -maxdepth 1 -name 'vmlinuz-*' | sort -V | tail -n1)
initrd=$(find "$root/boot" -maxdepth 1 -name 'initrd.img-*' | sort -V | tail -n1)
[[ -n $kernel && -n $initrd ]] || fail "no kernel or initramfs in the root filesystem"

# ---------------------------------------------------------------------------------------------
# 3. The partitions, each made as a file.
# ---------------------------------------------------------------------------------------------
mib=$((1024 * 1024))
esp_mib=256
data_mib=256
root_used_mib=$(du -sm --apparent-size "$root" | cut -f1)
root_mib=$((root_used_mib * 5 / 4 + 384)) # room for the journal, upgrades and /var

say "ESP: systemd-boot, $(basename "$kernel"), $(basename "$initrd")"
esp=$work/esp.img
rm -f "$esp"
mkfs.vfat -F 32 -n SN-ESP -C "$esp" $((esp_mib * 1024)) >/dev/null
cmdline="root=PARTLABEL=sn-root rw quiet loglevel=3 ${cmdline_extra}"
mkdir -p "$work/esp/loader/entries"
printf 'default sovereign.conf\ntimeout 0\neditor no\n' >"$work/esp/loader/loader.conf"
printf 'title   Sovereign Node\nlinux   /sovereign/vmlinuz\ninitrd  /sovereign/initrd.img\noptions %s\n' "$cmdline" \
  >"$work/esp/loader/entries/sovereign.conf"
export MTOOLS_SKIP_CHECK=1
mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/EFI/systemd ::/loader ::/loader/entries ::/sovereign
mcopy -i "$esp" "$root/usr/lib/systemd/boot/efi/systemd-bootx64.efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$esp" "$root/usr/lib/systemd/boot/efi/systemd-bootx64.efi" ::/EFI/systemd/systemd-bootx64.efi
mcopy -i "$esp" "$work/esp/loader/loader.conf" ::/loader/loader.conf
mcopy -i "$esp" "$work/esp/loader/entries/sovereign.conf" ::/loader/entries/sovereign.conf
mcopy -i "$esp" "$kernel" ::/sovereign/vmlinuz
mcopy -i "$esp" "$initrd" ::/sovereign/initrd.img

say "root: ext4 of ${root_mib} MiB from ${root_used_mib} MiB of files"
rootimg=$work/root.img
mkfs.ext4 -q -F -L sn-root -d "$root" "$rootimg" "${root_mib}M"

# ---------------------------------------------------------------------------------------------
# 4. The disk: a GPT with the three partitions, 1 MiB aligned, copied in with dd.
# ---------------------------------------------------------------------------------------------
esp_start=1
root_start=$((esp_start + esp_mib))
data_start=$((root_start + root_mib))
total_mib=$((data_start + data_mib + 1))
disk=$work/disk.img
truncate -s $((total_mib * mib)) "$disk"
sectors() { echo $(($1 * mib / 512)); }
sfdisk --quiet --no-reread --no-tell-kernel "$disk" <<EOF
label: gpt
start=$(sectors $esp_start), size=$(sectors $esp_mib), type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="sn-esp"
start=$(sectors $root_start), size=$(sectors $root_mib), type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name="sn-root"
start=$(sectors $data_start), size=$(sectors $data_mib), type=CA7D7CCB-63ED-4C53-861C-1742536059CC, name="sn-data"
EOF
dd if="$esp" of="$disk" bs=1M seek=$esp_start conv=notrunc,sparse status=none
dd if="$rootimg" of="$disk" bs=1M seek=$root_start conv=notrunc,sparse status=none
mv "$disk" "$out"
say "built $out ($total_mib MiB) in $((SECONDS - started)) s"
echo "$out"
