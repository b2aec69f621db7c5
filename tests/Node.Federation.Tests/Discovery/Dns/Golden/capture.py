#!/usr/bin/env python3
"""Listens on UDP 5353 (IPv4 mDNS group on one interface address) and writes each datagram as
'<seconds since start> <source> <hex>' lines to stdout; optionally sends one PTR query first.
Usage: capture.py LOCAL_ADDR SECONDS [QUERY_NAME]"""
import socket, struct, sys, time

local, seconds = sys.argv[1], float(sys.argv[2])
query = sys.argv[3] if len(sys.argv) > 3 else None
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", 5353))
s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton("224.0.0.251") + socket.inet_aton(local))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(local))
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
start = time.monotonic()
sent = False
while True:
    left = seconds - (time.monotonic() - start)
    if left <= 0:
        break
    if query and not sent and time.monotonic() - start > seconds / 2:
        name = b"".join(bytes([len(l)]) + l for l in query.encode().split(b".")) + b"\0"
        s.sendto(struct.pack(">6H", 0, 0, 1, 0, 0, 0) + name + struct.pack(">2H", 12, 1), ("224.0.0.251", 5353))
        sent = True
    s.settimeout(min(left, 0.2))
    try:
        data, source = s.recvfrom(9000)
    except socket.timeout:
        continue
    print(f"{time.monotonic() - start:.3f} {source[0]} {data.hex()}", flush=True)
