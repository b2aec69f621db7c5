#!/usr/bin/env python3
"""Live objects of a running native-AOT sovereign-node, by type: a census of its GC heap.

usage: sudo bench/tools/aot-heap-census.py PID [TOP]
       (the binary's .dbg file must sit beside it, as scripts/publish-aot.sh leaves it)

There is no gcdump for native AOT, so this walks the heap itself: it stops the process (SIGSTOP),
reads every anonymous read-write mapping of 64 KiB or more through /proc/PID/mem, and where one
holds a run of objects (each starts with the address of its MethodTable, found among the binary's
symbols: _ZTV<len><type>, g_FreeObjectEEType, __GCStaticEEType_*), walks it object by object: a
MethodTable gives the base size and, for arrays and strings, the element size, the object its
length. Types the runtime built while running (generic instantiations no code named ahead of
time) have no symbol; they are counted by address. The process continues (SIGCONT) afterwards.
Run it right after a trim (the memory report or the trimmer's Debug line says when) to see what
is live rather than garbage waiting for a collection; g_FreeObjectEEType is free space.
"""
import collections
import os
import re
import signal
import struct
import subprocess
import sys


def method_tables(dbg):
    names = {}
    for line in subprocess.run(['nm', dbg], capture_output=True, text=True, check=True).stdout.splitlines():
        parts = line.split(' ', 2)
        if len(parts) == 3 and parts[1] in 'bBdDrR' and (
                parts[2].startswith('_ZTV') or parts[2] == 'g_FreeObjectEEType' or parts[2].startswith('__GCStaticEEType')):
            names[int(parts[0], 16)] = re.sub(r'^_ZTV\d+', '', parts[2])
    return names


def walk(mem, data, start, mts):
    """Objects from offset start: (type, size) pairs, until something that is not an object."""
    pos = start
    while pos + 16 <= len(data):
        mt = struct.unpack_from('<Q', data, pos)[0]
        if mt == 0:
            return
        try:
            mem.seek(mt)
            flags, base_size = struct.unpack('<II', mem.read(8))
        except (OSError, struct.error):
            return
        if mt not in mts:
            if base_size % 8 or base_size < 24 or base_size > 1 << 20:
                return
            mts[mt] = f'(type built at run time @{mt:x})'
        component = flags & 0xFFFF if flags & 0x80000000 else 0
        length = struct.unpack_from('<I', data, pos + 8)[0] if component else 0
        size = (base_size + component * length + 7) & ~7
        if size < 16:
            return
        yield mts[mt], size
        pos += size


def main():
    pid, top = int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 40
    binary = os.readlink(f'/proc/{pid}/exe')
    maps = []
    for line in open(f'/proc/{pid}/maps'):
        m = re.match(r'([0-9a-f]+)-([0-9a-f]+) (\S+) (\S+) \S+ \S+\s*(.*)', line)
        maps.append((int(m[1], 16), int(m[2], 16), m[3], int(m[4], 16), m[5].strip()))
    base = min(s for s, e, perms, offset, name in maps if name == binary and offset == 0)
    mts = {base + address: name for address, name in method_tables(binary + '.dbg').items()}
    bytes_by_type, count_by_type = collections.Counter(), collections.Counter()
    os.kill(pid, signal.SIGSTOP)
    try:
        with open(f'/proc/{pid}/mem', 'rb') as mem:
            for s, e, perms, offset, name in maps:
                if name or perms != 'rw-p' or e - s < 64 * 1024:
                    continue
                mem.seek(s)
                data = mem.read(e - s)
                # A region's first object sits a few words in: take the start that walks furthest.
                best = max((sum(1 for _ in walk(mem, data, start, dict(mts))), start) for start in range(0, 256, 8))
                if best[0] < 10:
                    continue
                for type_name, size in walk(mem, data, best[1], mts):
                    bytes_by_type[type_name] += size
                    count_by_type[type_name] += 1
    finally:
        os.kill(pid, signal.SIGCONT)
    print(f'{sum(bytes_by_type.values()) / 1024:.0f} KiB walked')
    for type_name, size in bytes_by_type.most_common(top):
        print(f'{size / 1024:9.1f} KiB {count_by_type[type_name]:7} {type_name}')


if __name__ == '__main__':
    main()
