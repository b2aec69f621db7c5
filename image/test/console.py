#!/usr/bin/python3
"""The boot test's hand at the serial console.

    console.py SOCKET LOG SECONDS -- qemu-system-x86_64 ... -chardev socket,id=con,path=SOCKET ...

Listens on SOCKET, starts QEMU (which connects to it as its serial console), copies everything
the guest prints to LOG, and answers the guest's questions at the console:
  - the data partition's passphrase (a new one on first boot, twice; the one to unlock with
    later): the content of the file SN_PASSPHRASE_FILE names;
  - root's new password (twice): the content of the file SN_ROOT_PASSWORD_FILE names.
A question whose answer file is not given is left unanswered. Answers are never printed; the log
gets a line "SN-CONSOLE answered <question>". Returns QEMU's exit status, or 124 after killing
QEMU when it has not powered off within SECONDS.
"""
import os
import re
import signal
import socket
import subprocess
import sys
import time

# (question name, the prompt, the environment variable naming the answer's file)
QUESTIONS = [
    ("new-passphrase", re.compile(rb"New passphrase for this node's encrypted data[^\r\n]*:"), "SN_PASSPHRASE_FILE"),
    ("repeat-passphrase", re.compile(rb"Repeat the passphrase:"), "SN_PASSPHRASE_FILE"),
    ("unlock-passphrase", re.compile(rb"[Pp]assphrase for disk [^\r\n]*sn-data[^\r\n]*:"), "SN_PASSPHRASE_FILE"),
    ("root-password", re.compile(rb"New password for root[^\r\n]*:"), "SN_ROOT_PASSWORD_FILE"),
    ("repeat-root-password", re.compile(rb"Repeat the password:"), "SN_ROOT_PASSWORD_FILE"),
]

# systemd's agent prints this hint after the prompt, then turns the terminal's echo off; on the
# first key it reads it erases the hint ("\b \b" per character). Typed before echo is off, a
# secret would be echoed into the log, so we press TAB first (the agent's "no echo" key, harmless
# if echoed) and type the secret only once the agent has read it: the erasure says so.
HINT = re.compile(rb"press TAB for no echo")
ERASED = re.compile(rb"\x08 \x08")


def main() -> int:
    separator = sys.argv.index("--")
    path, log_path, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    command = sys.argv[separator + 1:]
    answers = {}
    for name, prompt, variable in QUESTIONS:
        if os.environ.get(variable):
            with open(os.environ[variable], "rb") as f:
                answers[name] = (prompt, f.read())
    deadline = time.monotonic() + seconds

    # Stopped (by timeout or Ctrl+C), still kill QEMU and remove the socket: the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)
    qemu = subprocess.Popen(command)
    try:
        # QEMU connects at once; should it exit first (a bad option), say so rather than wait.
        listener.settimeout(1.0)
        while True:
            try:
                connection, _ = listener.accept()
                break
            except socket.timeout:
                if qemu.poll() is not None:
                    return qemu.returncode or 1
                if time.monotonic() > deadline:
                    return 124
        seen = b""
        waiting = None  # (question, answer) once TAB is pressed, until the agent has read it
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
                if waiting is not None:
                    name, answer = waiting
                    if ERASED.search(seen):
                        seen = b""
                        waiting = None
                        connection.sendall(answer + b"\n")
                        log.write(b"\r\nSN-CONSOLE answered %s\r\n" % name.encode())
                    continue
                for name, (prompt, answer) in answers.items():
                    asked = prompt.search(seen)
                    if asked and HINT.search(seen, asked.end()):
                        seen = b""
                        waiting = (name, answer)
                        connection.sendall(b"\t")
                        break
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
