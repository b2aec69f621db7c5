#!/usr/bin/python3
"""python-zeroconf (Debian's python3-zeroconf) as a second mDNS implementation for the namespace tests.

  zeroconf_peer.py publish ADDRESS HOST INSTANCE PORT [KEY=VALUE ...]
      Registers INSTANCE._sovereign._tcp.local. on HOST.local. (A record ADDRESS only, so zeroconf adds
      an NSEC saying there is no AAAA to its answers), prints "registered" once probing is done and
      "announced" once its announcements have gone, then waits. When stdin closes it unregisters (goodbye
      packets), prints "unregistered" and exits 0.
  zeroconf_peer.py browse ADDRESS
      Browses _sovereign._tcp.local. and prints one JSON line per service resolved (instance, server,
      port, IPv4 addresses, TXT), until killed.

Multicast only on the interface that holds ADDRESS, IPv4 only. Run with /usr/bin/python3: the python3 on
PATH may be another build without Debian's packages.
"""
import asyncio
import json
import socket
import sys

from zeroconf import IPVersion, ServiceStateChange
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

SERVICE_TYPE = "_sovereign._tcp.local."


def say(line):
    print(line, flush=True)


async def publish(address, host, instance, port, pairs):
    properties = dict(pair.split("=", 1) for pair in pairs)
    info = AsyncServiceInfo(
        SERVICE_TYPE,
        f"{instance}.{SERVICE_TYPE}",
        addresses=[socket.inet_aton(address)],
        port=port,
        properties=properties,
        server=f"{host}.local.",
    )
    zc = AsyncZeroconf(interfaces=[address], ip_version=IPVersion.V4Only)
    try:
        announcing = await zc.async_register_service(info)
        say("registered")
        await announcing
        say("announced")
        # Until the test closes our stdin (or kills us).
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        await (await zc.async_unregister_service(info))
        say("unregistered")
    finally:
        await zc.async_close()


async def browse(address):
    zc = AsyncZeroconf(interfaces=[address], ip_version=IPVersion.V4Only)
    resolving = set()

    async def resolve(name):
        info = AsyncServiceInfo(SERVICE_TYPE, name)
        if await info.async_request(zc.zeroconf, 3000):
            say(json.dumps({
                "instance": name,
                "server": info.server,
                "port": info.port,
                "addresses": info.parsed_addresses(IPVersion.V4Only),
                "txt": {k.decode(): (v.decode() if v is not None else None) for k, v in info.properties.items()},
            }))
        else:
            say(json.dumps({"instance": name, "unresolved": True}))

    def changed(zeroconf, service_type, name, state_change):
        if state_change in (ServiceStateChange.Added, ServiceStateChange.Updated):
            task = asyncio.ensure_future(resolve(name))
            resolving.add(task)
            task.add_done_callback(resolving.discard)

    browser = AsyncServiceBrowser(zc.zeroconf, [SERVICE_TYPE], handlers=[changed])
    say("browsing")
    try:
        await asyncio.Event().wait()
    finally:
        await browser.async_cancel()
        await zc.async_close()


def main(argv):
    if len(argv) >= 5 and argv[0] == "publish":
        asyncio.run(publish(argv[1], argv[2], argv[3], int(argv[4]), argv[5:]))
    elif len(argv) == 2 and argv[0] == "browse":
        asyncio.run(browse(argv[1]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
