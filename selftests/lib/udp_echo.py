# SPDX-License-Identifier: GPL-2.0
"""The provider's UDP echo server of the selftests.

    udp_echo.py [--plain | --id TEXT] PORT [ADDR]

Answers every datagram to PORT (on ADDR; by default any IPv4 address, and
with an IPv6 ADDR, such as "::", IPv6 only) with
"echo:<the sender's address>:<the datagram>", so that the answer names the
address the provider saw (the NLB node's, after translation); with --plain,
with the datagram as it came; with --id, with TEXT and a newline (which
target answered).  One process answers them all, in turn:
unlike socat's "UDP-RECVFROM,fork EXEC:cat", which forks and execs for each
datagram (seconds under TCG, more on a debug kernel).
"""
import socket
import socketserver
import sys


args = sys.argv[1:]
mode = args.pop(0) if args[:1] in (["--plain"], ["--id"]) else None
ident = args.pop(0).encode() + b"\n" if mode == "--id" else None


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        if ident is not None:
            data = ident
        elif mode is None:
            data = b"echo:" + self.client_address[0].encode() + b":" + data
        sock.sendto(data, self.client_address)


class Server6(socketserver.UDPServer):
    address_family = socket.AF_INET6

    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        super().server_bind()


addr = args[1] if len(args) > 1 else "0.0.0.0"
server = Server6 if ":" in addr else socketserver.UDPServer
server((addr, int(args[0])), Echo).serve_forever()
