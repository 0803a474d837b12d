#!/usr/bin/python3
"""A discarding aiosmtpd server for the benchmark, plain or with STARTTLS.

Binds the given address (port 0 picks a free port) and prints
`listening aiosmtpd <addr>:<port> tls=<none|starttls>` once ready, like exosim does.
Accepts every message and throws it away.

    aiosmtpd_sink.py --listen 127.0.0.1:0 [--cert C --key K --tls-min 1.2 --tls-max 1.3]
"""
import argparse
import asyncio
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP

TLS_VERSIONS = {
    "1.0": ssl.TLSVersion.TLSv1, "1.1": ssl.TLSVersion.TLSv1_1,
    "1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3,
}


class Discard:
    async def handle_DATA(self, server, session, envelope):
        return "250 2.0.0 OK discarded"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--listen", default="127.0.0.1:0", help="ADDR:PORT on 127.0.0.0/8")
    p.add_argument("--cert", help="PEM certificate; enables STARTTLS")
    p.add_argument("--key", help="PEM private key")
    p.add_argument("--tls-min", default="1.2", choices=TLS_VERSIONS)
    p.add_argument("--tls-max", default="1.3", choices=TLS_VERSIONS)
    return p.parse_args()


async def main():
    args = parse_args()
    host, _, port = args.listen.rpartition(":")
    if not host.startswith("127."):
        sys.exit("aiosmtpd_sink: loopback (127.0.0.0/8) only")
    tls = None
    if args.cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args.cert, args.key)
        tls.minimum_version = TLS_VERSIONS[args.tls_min]
        tls.maximum_version = TLS_VERSIONS[args.tls_max]
    handler = Discard()
    loop = asyncio.get_running_loop()
    # hostname is given so aiosmtpd does not call getfqdn() per connection.
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="aiosmtpd.bench", tls_context=tls, require_starttls=False),
        host=host, port=int(port), backlog=4096)
    addr, bound = server.sockets[0].getsockname()[:2]
    print(f"listening aiosmtpd {addr}:{bound} tls={'starttls' if tls else 'none'}", flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
