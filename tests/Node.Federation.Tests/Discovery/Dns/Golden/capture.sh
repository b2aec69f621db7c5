#!/usr/bin/env bash
# Captures the golden mDNS datagrams: avahi-daemon in one network namespace publishes a service,
# capture.py in another records what crosses the veth between them. Needs root, avahi-daemon,
# avahi-utils, dbus-daemon, iproute2 and python3. Removes everything it made, even on failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
out="${1:-capture.txt}"
ns_a=sn-golden-avahi ns_b=sn-golden-cap
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  ip netns del "$ns_a" 2>/dev/null || true
  ip netns del "$ns_b" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$ns_a"
ip netns add "$ns_b"
ip link add sng-a netns "$ns_a" type veth peer name sng-b netns "$ns_b"
ip -n "$ns_a" addr add 10.53.0.1/24 dev sng-a
ip -n "$ns_b" addr add 10.53.0.2/24 dev sng-b
ip -n "$ns_a" addr add fd53::1/64 dev sng-a nodad
ip -n "$ns_b" addr add fd53::2/64 dev sng-b nodad
for ns in "$ns_a" "$ns_b"; do ip -n "$ns" link set lo up; done
ip -n "$ns_a" link set sng-a up
ip -n "$ns_b" link set sng-b up

cat >"$work/bus.conf" <<CONF
<busconfig>
  <type>system</type>
  <listen>unix:path=$work/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
CONF
cat >"$work/avahi.conf" <<CONF
[server]
host-name=golden-host
domain-name=local
use-ipv4=yes
use-ipv6=yes
allow-interfaces=sng-a
enable-dbus=yes
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
CONF

dbus-daemon --config-file="$work/bus.conf" --nofork --nopidfile &
pids+=($!)
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/bus"
for _ in $(seq 50); do [[ -S "$work/bus" ]] && break; sleep 0.1; done

ip netns exec "$ns_b" /usr/bin/python3 "$here/capture.py" 10.53.0.2 14 _sovereign._tcp.local >"$out" &
cap=$!
pids+=($cap)
sleep 0.5

ip netns exec "$ns_a" unshare -m sh -c \
  'mount -t tmpfs tmpfs /run && mkdir /run/avahi-daemon && exec avahi-daemon --no-drop-root --no-chroot --no-rlimits -f "$1"' \
  sh "$work/avahi.conf" 2>"$work/avahi.log" &
pids+=($!)
sleep 3
ip netns exec "$ns_a" avahi-publish -s "golden test" _sovereign._tcp 8102 "id=ABC" "proto=1" 2>"$work/publish.log" &
pids+=($!)
sleep 6
# A browse for another type makes Avahi send a plain query.
ip netns exec "$ns_a" timeout 3 avahi-browse -t -p _other._tcp >/dev/null 2>&1 || true
wait "$cap" || true
cat "$work/avahi.log" "$work/publish.log" >&2
echo "captured $(wc -l <"$out") datagrams into $out" >&2
