#!/usr/bin/python3
"""python-zeroconf (Debian's python3-zeroconf) as a second mDNS implementation for the namespace tests.

  zeroconf_peer.py publish ADDRESS HOST INSTANCE PORT [KEY=VALUE ...]
      Registers INSTANCE._sovereign._tcp.local. on HOST.local. (A record ADDRESS only, so zeroconf adds
      an NSEC saying there is no AAAA to its answers), prints "registered" once probing is done and
      "announced" once its announcements have gone, then waits. When stdin closes it unregisters (goodbye
      packets), prints "unregistered" and exits 0.
  zeroconf_peer.py publish-many ADDRESS HOST INSTANCE COUNT PORT
      The same for COUNT services at once, "INSTANCE 1" to "INSTANCE COUNT", each with TXT proto=1.
  While publishing, each query for _sovereign._tcp.local. that zeroconf answers (after putting together
  the packets of one with TC, RFC 6762 §7.2) is printed as one JSON line: {"assembled": {"packets": N,
  "truncated": [TC of each], "known": known answers in all, "pointers": [instances it answers with]}}.
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
from zeroconf.const import _TYPE_PTR
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

SERVICE_TYPE = "_sovereign._tcp.local."


def say(line):
    print(line, flush=True)


def service(address, host, instance, port, properties):
    return AsyncServiceInfo(
        SERVICE_TYPE,
        f"{instance}.{SERVICE_TYPE}",
        addresses=[socket.inet_aton(address)],
        port=port,
        properties=properties,
        server=f"{host}.local.",
    )


def trace_queries(zeroconf):
    """Prints what zeroconf's query handler makes of each (re)assembled query for our service type."""
    handler = zeroconf.query_handler
    respond = handler.async_response

    def traced(msgs, ucast_source):
        answers = respond(msgs, ucast_source)
        if any(q.name.lower() == SERVICE_TYPE.lower() for m in msgs for q in m.questions):
            pointers = sorted({r.alias for group in answers for r in group if r.type == _TYPE_PTR})
            say(json.dumps({"assembled": {
                "packets": len(msgs),
                "truncated": [m.truncated for m in msgs],
                "known": sum(len(m.answers) for m in msgs),
                "pointers": pointers,
            }}))
        return answers

    handler.async_response = traced


async def publish(address, infos):
    zc = AsyncZeroconf(interfaces=[address], ip_version=IPVersion.V4Only)
    trace_queries(zc.zeroconf)
    try:
        announcing = await asyncio.gather(*(zc.async_register_service(info) for info in infos))
        say("registered")
        await asyncio.gather(*announcing)
        say("announced")
        # Until the test closes our stdin (or kills us).
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        await asyncio.gather(*await asyncio.gather(*(zc.async_unregister_service(info) for info in infos)))
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
        properties = dict(pair.split("=", 1) for pair in argv[5:])
        asyncio.run(publish(argv[1], [service(argv[1], argv[2], argv[3], int(argv[4]), properties)]))
    elif len(argv) == 6 and argv[0] == "publish-many":
        infos = [service(argv[1], argv[2], f"{argv[3]} {i}", int(argv[5]), {"proto": "1"}) for i in range(1, int(argv[4]) + 1)]
        asyncio.run(publish(argv[1], infos))
    elif len(argv) == 2 and argv[0] == "browse":
        asyncio.run(browse(argv[1]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
