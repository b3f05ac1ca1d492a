# SPDX-License-Identifier: GPL-2.0
"""The provider's UDP echo server of the selftests.

    udp_echo.py PORT

Answers every datagram to PORT (on any address) with
"echo:<the sender's address>:<the datagram>", so that the answer names the
address the provider saw (the NLB node's, after translation).
"""
import socketserver
import sys


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(b"echo:" + self.client_address[0].encode() + b":" + data,
                    self.client_address)


socketserver.UDPServer(("0.0.0.0", int(sys.argv[1])), Echo).serve_forever()
