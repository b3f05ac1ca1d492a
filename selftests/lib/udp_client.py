# SPDX-License-Identifier: GPL-2.0
"""The consumer's UDP client of the selftests.

    udp_client.py ADDR PORT DATA [TIMEOUT [TRIES]]

Sends DATA in one datagram to ADDR:PORT (IPv4, or IPv6 when ADDR has a
':') and prints the answer; "refused" when an ICMP port unreachable came
back, "timeout" when nothing did within TIMEOUT seconds (default 10) for
each of TRIES datagrams (default 1; a datagram without an answer is sent
again).
"""
import socket
import sys

addr, port, data = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 10
tries = int(sys.argv[5]) if len(sys.argv) > 5 else 1
s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET,
                  socket.SOCK_DGRAM)
s.settimeout(timeout)
s.connect((addr, port))
for _ in range(tries):
    try:
        s.send(data)
        print(s.recv(65535).decode())
        break
    except ConnectionRefusedError:
        print("refused")
        break
    except socket.timeout:
        continue
else:
    print("timeout")
