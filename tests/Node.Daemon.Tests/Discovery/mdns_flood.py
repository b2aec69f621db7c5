#!/usr/bin/python3
"""Drives the discovery flood test from inside a network namespace.

  mdns_flood.py flood IFACE TARGET RATE SECONDS
      Sends RATE queries a second for SECONDS to 224.0.0.251:5353 from port 5353, half of them
      QU, all asking _sovereign._tcp.local PTR; counts the responses TARGET sends, multicast and
      unicast, until 1.5 s after the flood; prints one JSON line.
  mdns_flood.py query IFACE TARGET NODEID
      Asks once (again each second, up to 10 s) for NODEID's SRV with the QU bit and prints
      "answered in N ms" when TARGET's answer carrying that SRV arrives.
"""
import json
import socket
import struct
import sys
import time

GROUP = "224.0.0.251"
PORT = 5353
IP_PKTINFO = 8


def name(text):
    out = b""
    for label in text.split("."):
        raw = label.encode()
        out += bytes([len(raw)]) + raw
    return out + b"\0"


def query(qname, qtype, unicast):
    header = struct.pack("!HHHHHH", 0, 0, 1, 0, 0, 0)
    return header + name(qname) + struct.pack("!HH", qtype, 0x8001 if unicast else 1)


def open_socket(iface):
    index = socket.if_nametoindex(iface)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(("", PORT))
    mreqn = socket.inet_aton(GROUP) + socket.inet_aton("0.0.0.0") + struct.pack("@i", index)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreqn)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, mreqn)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    s.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    s.setblocking(False)
    return s


def receive(s):
    """Yields (data, source ip, destination ip) for every datagram waiting."""
    while True:
        try:
            data, ancillary, _, source = s.recvmsg(9000, 256)
        except BlockingIOError:
            return
        destination = None
        for level, kind, value in ancillary:
            if level == socket.IPPROTO_IP and kind == IP_PKTINFO:
                destination = socket.inet_ntoa(value[8:12])
        yield data, source[0], destination


def skip_name(data, offset):
    while offset < len(data):
        length = data[offset]
        if length == 0:
            return offset + 1
        if length & 0xC0 == 0xC0:
            return offset + 2
        offset += 1 + length
    return offset


def answer_types(data):
    if len(data) < 12:
        return []
    _, flags, qd, an, _, _ = struct.unpack("!HHHHHH", data[:12])
    if not flags & 0x8000:
        return []
    offset = 12
    for _ in range(qd):
        offset = skip_name(data, offset) + 4
    types = []
    for _ in range(an):
        offset = skip_name(data, offset)
        if offset + 10 > len(data):
            break
        rtype, _, _, rdlength = struct.unpack("!HHIH", data[offset:offset + 10])
        types.append(rtype)
        offset += 10 + rdlength
    return types


def flood(iface, target, rate, seconds):
    s = open_socket(iface)
    qm = query("_sovereign._tcp.local", 12, False)
    qu = query("_sovereign._tcp.local", 12, True)
    counts = {"multicast_answers": 0, "unicast_answers": 0}

    def drain():
        for data, source, destination in receive(s):
            if source == target and answer_types(data):
                counts["multicast_answers" if destination == GROUP else "unicast_answers"] += 1

    print("flooding", flush=True)
    sent = 0
    start = time.monotonic()
    while True:
        elapsed = time.monotonic() - start
        if elapsed >= seconds:
            break
        due = int(rate * elapsed)
        while sent < due:
            s.sendto(qu if sent % 2 else qm, (GROUP, PORT))
            sent += 1
        drain()
        time.sleep(0.0005)
    spent = time.monotonic() - start
    end = time.monotonic() + 1.5
    while time.monotonic() < end:
        drain()
        time.sleep(0.01)
    print(json.dumps({"sent": sent, "seconds": spent, **counts}), flush=True)


def ask(iface, target, node_id):
    s = open_socket(iface)
    instance = node_id + "._sovereign._tcp.local"
    question = query(instance, 33, True)
    start = time.monotonic()
    next_ask = start
    while time.monotonic() - start < 10:
        if time.monotonic() >= next_ask:
            s.sendto(question, (GROUP, PORT))
            next_ask += 1
        for data, source, _ in receive(s):
            if source == target and 33 in answer_types(data) and node_id.encode() in data:
                print("answered in %d ms" % ((time.monotonic() - start) * 1000), flush=True)
                return 0
        time.sleep(0.005)
    print("no answer in 10 s", flush=True)
    return 1


if __name__ == "__main__":
    if sys.argv[1] == "flood":
        flood(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
    else:
        sys.exit(ask(sys.argv[2], sys.argv[3], sys.argv[4]))
