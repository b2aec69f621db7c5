#!/usr/bin/env bash
# Writes the sovereign-node image to a USB stick, destroying what the stick held.
#
#   image/write-stick.sh IMAGE DEVICE [--confirm NAME] [--fixed-disk]
#
#   IMAGE            the image (image/build.sh makes artifacts/image/sovereign-node.img)
#   DEVICE           the whole stick, e.g. /dev/sdb (not a partition such as /dev/sdb1);
#                    /dev/disk/by-id/usb-... names are the safest: they name the model
#   --confirm NAME   answer the question ahead of time: NAME is the device's kernel name (sdb)
#   --fixed-disk     allow a disk that is neither removable nor on USB (a SATA or NVMe disk)
#
# Refuses: a device that is not a whole disk; a disk that is mounted, used as swap or held by
# device-mapper/RAID, in whole or in part; the disk of the running system (/, /boot, /usr, /var,
# /boot/efi); a fixed disk unless --fixed-disk; a disk smaller than the image. The target is
# checked twice: before asking, and again just before writing (the same disk, still unused).
# After writing it reads the image back and compares.
set -euo pipefail

fixed_ok=0
confirm=
args=()
while (($#)); do
  case $1 in
    --confirm) confirm=${2:?--confirm needs the device name}; shift 2 ;;
    --fixed-disk) fixed_ok=1; shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "write-stick: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
((${#args[@]} == 2)) || { echo "write-stick: usage: write-stick.sh IMAGE DEVICE [--confirm NAME] [--fixed-disk]" >&2; exit 2; }
image=${args[0]}
given=${args[1]}

refuse() { echo "write-stick: refused: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || refuse "run as root (writing a disk needs it)"
[[ -f $image ]] || refuse "$image is not a file"
[[ -e $given ]] || refuse "$given does not exist"
device=$(readlink -f "$given")
[[ -b $device ]] || refuse "$given is not a block device"
name=$(basename "$device")

# What the disk is: one line of lsblk, read twice (now, and just before writing).
describe() {
  lsblk --nodeps --noheadings --bytes --output MAJ:MIN,TYPE,SIZE,RM,TRAN,MODEL,SERIAL "$device" | tr -s ' '
}

# Every check that the disk may be written. Prints nothing when it may; exits when not.
check_target() {
  local type size rm tran used source parent
  type=$(lsblk --nodeps --noheadings --output TYPE "$device")
  [[ $type == disk ]] || refuse "$given is a $type, not a whole disk (give the disk, e.g. /dev/sdb, not /dev/sdb1)"

  # Mounted, swap, or held (LUKS, LVM, RAID) — the disk or any partition on it.
  used=$(lsblk --noheadings --pairs --output NAME,MOUNTPOINT,FSTYPE "$device" | grep -E 'MOUNTPOINT="[^"]|FSTYPE="swap"' || true)
  [[ -z $used ]] || refuse "$given is in use: $(tr '\n' ';' <<<"$used") (unmount it first)"
  if [[ $(lsblk --noheadings --list --output TYPE "$device" | grep -cvE '^(disk|part)$') -gt 0 ]]; then
    refuse "$given holds device-mapper or RAID devices: $(lsblk --noheadings --list --output NAME,TYPE "$device" | grep -vE ' (disk|part)$' | tr '\n' ';')"
  fi
  for holder in /sys/class/block/"$name"/holders/* /sys/class/block/"$name"/*/holders/*; do
    [[ -e $holder ]] && refuse "$given is held by $(basename "$holder") (device-mapper or RAID)"
  done

  # The running system's disk.
  for mountpoint in / /boot /boot/efi /usr /var; do
    source=$(findmnt --noheadings --nofsroot --output SOURCE --mountpoint "$mountpoint" 2>/dev/null || true)
    [[ $source == /dev/* ]] || continue
    for parent in $(lsblk --noheadings --list --inverse --output NAME "$source" 2>/dev/null); do
      [[ $parent == "$name" ]] && refuse "$given holds the running system ($mountpoint is on $source)"
    done
  done

  rm=$(lsblk --nodeps --noheadings --output RM "$device" | tr -d ' ')
  tran=$(lsblk --nodeps --noheadings --output TRAN "$device" | tr -d ' ')
  if [[ $rm != 1 && $tran != usb ]] && ((!fixed_ok)); then
    refuse "$given is a fixed ${tran:-internal} disk, not a removable or USB one (--fixed-disk if you mean it)"
  fi

  size=$(lsblk --nodeps --noheadings --bytes --output SIZE "$device" | tr -d ' ')
  ((size >= $(stat -c %s "$image"))) || refuse "$given ($size bytes) is smaller than $image ($(stat -c %s "$image") bytes)"
}

# Check one: before asking.
check_target
seen=$(describe)
echo "write-stick: $given is $device: $(lsblk --nodeps --noheadings --output SIZE,TRAN,MODEL,SERIAL "$device" | tr -s ' ')"
echo "write-stick: everything on it will be destroyed and replaced by $image."
if [[ -z $confirm ]]; then
  [[ -t 0 ]] || refuse "not asked: no terminal; give --confirm $name to answer ahead of time"
  read -r -p "write-stick: type the device's name ($name) to go on: " confirm
fi
[[ $confirm == "$name" ]] || refuse "the answer '$confirm' is not '$name'"

# Check two: just before writing — the same disk (not replugged as another), still unused.
check_target
[[ $(describe) == "$seen" ]] || refuse "$given changed since it was checked (was: $seen; now: $(describe))"

echo "write-stick: writing $(stat -c %s "$image") bytes to $device"
dd if="$image" of="$device" bs=4M oflag=direct conv=fsync status=none
sync
echo "write-stick: reading it back"
cmp --bytes="$(stat -c %s "$image")" "$image" "$device" >/dev/null || refuse "the read-back of $device differs from $image: the stick may be failing"
echo "write-stick: done; $device holds $image. Boot a PC from it (docs/operator-manual.md, \"The USB image\")."
