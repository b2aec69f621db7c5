#!/usr/bin/env bash
# Captures mDNS datagrams from python-zeroconf: zeroconf_peer.py in one network namespace publishes a
# service with an IPv4 address only, capture.py in another records what crosses the veth between them
# and asks for _sovereign._tcp.local PTR half way through (zeroconf's answer carries an NSEC saying the
# host has no AAAA). Needs root, python3-zeroconf and iproute2. Removes everything it made, even on failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-capture-zeroconf.txt}"
work="$(mktemp -d)"
ns_a=sn-golden-zc ns_b=sn-golden-zccap
pids=()

cleanup() {
  exec 3>&- 2>/dev/null || true
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
for ns in "$ns_a" "$ns_b"; do ip -n "$ns" link set lo up; done
ip -n "$ns_a" link set sng-a up
ip -n "$ns_b" link set sng-b up
ip -n "$ns_a" route add 224.0.0.0/4 dev sng-a

ip netns exec "$ns_b" /usr/bin/python3 "$here/capture.py" 10.53.0.2 8 _sovereign._tcp.local >"$out" &
cap=$!
pids+=($cap)
sleep 0.5

# zeroconf_peer.py stays published while its stdin (a FIFO this shell holds open as fd 3) is open.
mkfifo "$work/stdin"
ip netns exec "$ns_a" /usr/bin/python3 "$here/../../zeroconf_peer.py" publish 10.53.0.1 golden-zc "golden zc" 8102 id=ABC proto=1 <"$work/stdin" >&2 &
pids+=($!)
exec 3>"$work/stdin"
wait "$cap" || true
/usr/bin/python3 -c 'import zeroconf; print("python-zeroconf", zeroconf.__version__)' >&2 || true
echo "captured $(wc -l <"$out") datagrams into $out" >&2
