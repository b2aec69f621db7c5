#!/usr/bin/python3
"""The boot test's hand at the serial console.

    console.py SOCKET LOG SECONDS -- qemu-system-x86_64 ... -chardev socket,id=con,path=SOCKET ...

Listens on SOCKET, starts QEMU (which connects to it as its serial console), copies everything
the guest prints to LOG, and whenever the guest asks for the data partition's passphrase types
it: read from the file SN_PASSPHRASE_FILE names, never printed. Returns QEMU's exit status, or
124 after killing QEMU when it has not powered off within SECONDS.
"""
import os
import re
import socket
import subprocess
import sys
import time

PROMPT = re.compile(rb"[Pp]assphrase for [^\r\n]*(sn-data|sovereign-data)[^\r\n]*:")


def main() -> int:
    separator = sys.argv.index("--")
    path, log_path, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    command = sys.argv[separator + 1:]
    passphrase = b""
    if os.environ.get("SN_PASSPHRASE_FILE"):
        with open(os.environ["SN_PASSPHRASE_FILE"], "rb") as f:
            passphrase = f.read()
    deadline = time.monotonic() + seconds

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    qemu = subprocess.Popen(command)
    try:
        listener.settimeout(max(1.0, deadline - time.monotonic()))
        try:
            connection, _ = listener.accept()
        except socket.timeout:
            return 124
        seen = b""
        answered = 0
        with open(log_path, "ab", buffering=0) as log:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return 124
                connection.settimeout(left)
                try:
                    chunk = connection.recv(4096)
                except socket.timeout:
                    return 124
                if not chunk:
                    break
                log.write(chunk)
                seen = (seen + chunk)[-4096:]
                if passphrase and PROMPT.search(seen):
                    seen = b""
                    answered += 1
                    connection.sendall(passphrase + b"\n")
                    log.write(b"\r\nSN-CONSOLE typed the passphrase (%d)\r\n" % answered)
        try:
            return qemu.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return 124
    finally:
        if qemu.poll() is None:
            qemu.kill()
            qemu.wait()
        listener.close()
        os.unlink(path)


if __name__ == "__main__":
    sys.exit(main())
