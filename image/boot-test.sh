#!/usr/bin/env bash
# The boot test: builds a test image of the USB stick, boots it three times in QEMU with OVMF
# (UEFI) under software emulation (TCG, never /dev/kvm), answers the guest's questions at the
# serial console (image/test/console.py) and reads the probe's markers from it. The probe
# (image/test/overlay) runs inside the guest:
#   boot 1, no key stick: the new passphrase and root's password typed at the console; the data
#     partition grown, made LUKS2 and mounted; the service active through READY=1; the journal's
#     priorities; nodectl for a group member and refused for others; the host name;
#     systemd-analyze verify and security; the stick writer; a restart after SIGKILL, a watchdog
#     restart after SIGSTOP; reload; a clean stop.
#   boot 2, the key stick in: crypttab unlocks with its key, nothing is asked; the same node.
#   boot 3, no key stick: crypttab asks, the passphrase is typed; the same node; the package
#     removed (state kept), reinstalled (started) and purged (state gone).
#
#   image/boot-test.sh [--aot DIR] [--keep]
#
#   --aot DIR  the native-AOT binaries (default: publish them with scripts/publish-aot.sh)
#   --keep     keep the work folder (image, serial logs) and say where it is
#
# The test image is the production image built with --key-stick, plus the probe and a cheaper
# Argon2id. Fails, with the serial logs' tails, when a marker is missing or says FAIL, or a
# question was answered a different number of times than expected. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."

aot=
keep=0
while (($#)); do
  case $1 in
    --aot) aot=${2:?--aot needs a directory}; shift 2 ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "boot-test: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf 'boot-test: %s\n' "$*" >&2; }
[[ $(id -u) -eq 0 ]] || { say "run as root (debootstrap's chroot)"; exit 1; }
image/install-deps.sh

started=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/sovereign-boot-test.XXXXXX")
cleanup() {
  if ((keep)); then say "kept $work"; else rm -rf --one-file-system "$work"; fi
}
trap cleanup EXIT

if [[ -z $aot ]]; then
  scripts/publish-aot.sh >&2
  aot=artifacts/aot
fi
deb=$(packaging/build-deb.sh --aot "$aot" --out "$work/deb" | tail -n1)
say ".deb built and lintian-clean: $(basename "$deb")"

# The probe, and what it needs: the stick writer and a small image for it to write, the .deb.
cp -a image/test/overlay "$work/overlay"
install -m 0755 image/write-stick.sh "$work/overlay/usr/libexec/sovereign-node-test/write-stick"
install -m 0644 "$deb" "$work/overlay/usr/libexec/sovereign-node-test/sovereign-node.deb"
head -c $((2 * 1024 * 1024)) /dev/urandom >"$work/overlay/usr/libexec/sovereign-node-test/tiny.img"
# The writer's target: a used stick, with a FAT filesystem on it (not mounted: it may be written).
mkfs.vfat -n OLDSTICK -C "$work/target.img" $((64 * 1024)) >/dev/null

image/build.sh --deb "$deb" --out "$work/stick.img" --key-stick --test-overlay "$work/overlay" \
  --cmdline-extra "console=ttyS0,115200 systemd.firstboot=off systemd.show_status=error" >/dev/null
built=$SECONDS
# The stick is larger than the image, as a real one is: first boot grows the data partition.
truncate -s +512M "$work/stick.img"

# The key: a random passphrase of printable characters, typed at the console on boots 1 and 3,
# and the key file on the key stick for boot 2.
(umask 077 && printf '%s' "$(head -c 24 /dev/urandom | base64 | tr -d '+/=')" >"$work/passphrase")
# The key stick: a vfat filesystem labelled SN-KEY holding it as the key file.
mkfs.vfat -n SN-KEY -C "$work/key.img" 8192 >/dev/null
MTOOLS_SKIP_CHECK=1 mcopy -i "$work/key.img" "$work/passphrase" ::/sovereign-node.key
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"

# Boots the stick once: boot NAME SECONDS [QEMU ARGS...]; the serial console goes to
# $work/serial-NAME.log through image/test/console.py. Sets boot_status.
boot() {
  local name=$1 seconds=$2
  shift 2
  : >"$work/serial-$name.log"
  say "boot $name under QEMU (TCG); serial console in $work/serial-$name.log"
  boot_status=0
  # The stick on a USB 3 controller, as on a PC; no network card: the test is offline.
  /usr/bin/python3 image/test/console.py "$work/console.sock" "$work/serial-$name.log" "$seconds" -- \
    qemu-system-x86_64 \
    -machine q35 -accel tcg,thread=multi -cpu max -smp 2 -m 2048 \
    -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
    -drive if=pflash,format=raw,file="$work/vars.fd" \
    -device qemu-xhci,id=xhci \
    -drive if=none,id=stick,format=raw,file="$work/stick.img" \
    -device usb-storage,bus=xhci.0,drive=stick,removable=on,bootindex=1 \
    "$@" \
    -chardev socket,id=console,path="$work/console.sock" -serial chardev:console \
    -nic none -display none -monitor none -no-reboot || boot_status=$?
}

# Checks that every marker of a boot says ok; prints the probe's lines. Adds to failed.
failed=()
check() {
  local name=$1 serial=$work/serial-$1.log marker
  shift
  grep -ao 'SN-PROBE .*\|SN-CONSOLE .*' "$serial" | tr -d '\r' | sed "s/^/  [$name] /" >&2 || true
  for marker in "$@"; do
    if ! grep -aq "SN-PROBE $marker ok" "$serial" || grep -aq "SN-PROBE $marker FAIL" "$serial"; then
      failed+=("$name:$marker")
    fi
  done
  grep -aq "SN-PROBE done 0" "$serial" || failed+=("$name:done")
  if ((boot_status != 0)); then
    failed+=("$name:qemu-exit-$boot_status")
    if ((boot_status == 124)); then say "boot $name: QEMU did not power off in time"; fi
  fi
}

# Answers at the console are typed only when asked: passphrase prompts and root's password.
answered() { grep -ac "SN-CONSOLE answered $2\b" "$work/serial-$1.log" || true; }
expect_answered() {
  local boot=$1 question=$2 times=$3 got
  got=$(answered "$boot" "$question")
  ((got == times)) || failed+=("$boot:$question-typed-$got-times-not-$times")
}
(umask 077 && printf '%s' "$(head -c 12 /dev/urandom | base64 | tr -d '+/=')" >"$work/root-password")
export SN_PASSPHRASE_FILE=$work/passphrase SN_ROOT_PASSWORD_FILE=$work/root-password

# Boot 1, as a buyer's first: no key stick. data-init asks for a new passphrase (twice) and
# makes the LUKS2 volume, root's password is asked (twice); every check. A third, blank USB disk
# is the target of the stick writer.
boot first 600 \
  -drive if=none,id=target,format=raw,file="$work/target.img" -device usb-storage,bus=xhci.0,drive=target,removable=on,serial=SNTARGET
check first start unlocked key-forgotten identity root-password grown ready journal-priority api-member api-other hostname \
  verify exposure write-stick sigkill-restart watchdog-restart reload clean-stop
expect_answered first new-passphrase 1
expect_answered first repeat-passphrase 1
expect_answered first root-password 1
expect_answered first repeat-root-password 1
tiny=$work/overlay/usr/libexec/sovereign-node-test/tiny.img
cmp --quiet --bytes="$(stat -c %s "$tiny")" "$tiny" "$work/target.img" || failed+=("first:write-stick-content")
first_done=$SECONDS

# Boot 2, with the key stick: its key unlocks the volume; nobody is asked anything.
if ((${#failed[@]} == 0)); then
  boot second 400 \
    -drive if=none,id=key,format=raw,file="$work/key.img" -device usb-storage,bus=xhci.0,drive=key,removable=on
  check second start unlocked key-forgotten identity unlocked-by-crypttab same-node key-stick
  expect_answered second unlock-passphrase 0
fi
second_done=$SECONDS

# Boot 3, no key stick: it is waited for, then the passphrase is asked at the console and typed;
# the package is removed, reinstalled and purged.
if ((${#failed[@]} == 0)); then
  boot third 400
  check third start unlocked key-forgotten identity unlocked-by-crypttab same-node deb-remove deb-reinstall deb-purge
  expect_answered third unlock-passphrase 1
fi

# No secret typed at the console may show up in what the guest printed.
for log in "$work"/serial-*.log; do
  for secret in passphrase root-password; do
    if grep -aqF -- "$(cat "$work/$secret")" "$log"; then
      failed+=("$(basename "$log" .log):$secret-echoed")
      sed -i "s/$(cat "$work/$secret")/<$secret>/g" "$log"
    fi
  done
done

if ((${#failed[@]} > 0)); then
  say "FAILED: ${failed[*]}"
  for log in "$work"/serial-*.log; do
    say "the tail of $(basename "$log"):"
    tail -n 60 "$log" | tr -d '\r' >&2
  done
  keep=1
  exit 1
fi
say "passed: build $((built - started)) s, boots $((first_done - built)) s, $((second_done - first_done)) s and $((SECONDS - second_done)) s, all $((SECONDS - started)) s"
