# SPDX-License-Identifier: GPL-2.0
"""Hostile packets for hostile.sh, crafted with scapy and sent as Ethernet
frames from inside the consumer's and the provider's namespaces (packet
sockets: the IP header goes out exactly as built, bad lengths and
checksums included; an IP raw socket would fix them).

    craft.py C_NS C_DEV C_MAC RC_MAC P_NS P_DEV P_MAC RP_MAC

C_DEV (MAC C_MAC) in namespace C_NS faces the router's RC_MAC, P_DEV in
P_NS its RP_MAC.  Commands come on stdin, one a line (scapy imports slowly
under TCG: one process serves the whole test); each is answered with
"sent N FIRST LAST [...]" (N frames, the first and last IP ids used, and
what else the command says) or "error ...".  Every packet carries DSCP AF11 (tos
0x28) and an IP id of 0xb1NN, NN counting up from 01, so that a capture
can tell it from the rest.  The addresses are the standard topology's
(lib/topology.sh, topo_std): a1 10.0.0.5, ENI 10.0.0.100, NLB node
172.16.0.10, target 172.16.1.10; listeners tcp/80:8080, udp/53:5353,
tcp/81:8081.

  udp SPORT TOKEN          a datagram to ENI:53 from a1:SPORT
  ipopts SPORT TOKEN       the same with IP options: record route (3
                           slots), timestamps (2 slots), NOP
  frag-tiny SPORT TOKEN    a 240-byte datagram to ENI:53 in 8-byte fragments,
                           last first
  frag-overlap SPORT TOKEN a datagram to ENI:53 in two fragments whose data
                           overlap (bytes 16-23 of both)
  ptb NPORT MTU            from the target to the NLB node: fragmentation
                           needed (MTU) quoting a datagram of the UDP flow
                           NLB:NPORT -> target:5353 (the target received it)
  unreach SPORT            from a1 to the ENI: port unreachable quoting the
                           whole datagram ENI:53 -> a1:SPORT (a1 received it)
  unknown SPORT NPORT      four ICMP errors about no flow: a1 to the ENI
                           quoting ENI:53 -> a1:49999 and target:5353 ->
                           NLB:NPORT (the flow as the provider sees it); the
                           target to the NLB node quoting a1:SPORT -> ENI:53
                           (the flow as the consumer sees it) and NLB:1 ->
                           target:5353
  flags SPORT              to ENI:80, new flows from a1:40020-40024 with the
                           flag sets SF, SR, F, none, FSRPAU; SF on a1:SPORT
                           (a live connection)
  tcpopts SPORT            SYN to ENI:80 from a1:SPORT with MSS, NOP, window
                           scale, SACK permitted, timestamps and an
                           experimental option (kind 253); from a1:SPORT+1
                           with a malformed timestamp option (length 2) and
                           one (kind 99) whose length runs past the header
  truncated SPORT          to the ENI: IP total length above the frame's;
                           a bad IP header checksum; a 10-byte TCP header; a
                           TCP data offset of 60 in a 20-byte header; a UDP
                           length above the datagram's; an ICMP error
                           quoting 12 bytes; a SYN with a bad checksum; a
                           datagram of a1:SPORT's flow with a bad UDP
                           checksum
"""
import ctypes
import logging
import os
import random
import socket
import sys

logging.getLogger("scapy").setLevel(logging.ERROR)
from scapy.layers.inet import IP, TCP, UDP, ICMP, fragment, in4_chksum  # noqa: E402
from scapy.layers.l2 import Ether  # noqa: E402

A1, ENI, NLB, TGT = "10.0.0.5", "10.0.0.100", "172.16.0.10", "172.16.1.10"
TOS = 0x28
CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def packet_socket(ns, dev):
    """a packet socket on dev in netns ns (this process stays where it is)"""
    home = os.open("/proc/self/ns/net", os.O_RDONLY)
    there = os.open("/run/netns/" + ns, os.O_RDONLY)
    try:
        if libc.setns(there, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns " + ns)
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind((dev, 0))
    finally:
        libc.setns(home, CLONE_NEWNET)
        os.close(there)
        os.close(home)
    return s


c_ns, c_dev, c_mac, rc_mac, p_ns, p_dev, p_mac, rp_mac = sys.argv[1:9]
csock, psock = packet_socket(c_ns, c_dev), packet_socket(p_ns, p_dev)
mark = 0xb100


def ident():
    global mark
    mark += 1
    return mark


def consumer(pkt):
    """IP header fields left unset get ours; bytes go out as they are"""
    if isinstance(pkt, IP):
        if pkt.id == 1:
            pkt.id = ident()
        pkt.tos = TOS
        pkt = bytes(pkt)
    csock.send(bytes(Ether(src=c_mac, dst=rc_mac, type=0x0800)) + pkt)


def provider(pkt):
    pkt.id, pkt.tos = ident(), TOS
    psock.send(bytes(Ether(src=p_mac, dst=rp_mac) / pkt))


def to_eni():
    return IP(src=A1, dst=ENI, id=ident(), tos=TOS)


def cmd_udp(sport, token):
    consumer(to_eni() / UDP(sport=int(sport), dport=53) / token.encode())
    return 1


def cmd_ipopts(sport, token):
    rr = b"\x07\x0f\x04" + b"\0" * 12          # record route, 3 slots
    ts = b"\x44\x0c\x05\x00" + b"\0" * 8        # timestamps only, 2 slots
    ip = IP(src=A1, dst=ENI, id=ident(), tos=TOS, options=rr + ts + b"\x01")
    consumer(ip / UDP(sport=int(sport), dport=53) / token.encode())
    return 1


def cmd_frag_tiny(sport, token):
    data = (token.encode() * (240 // len(token) + 1))[:240]
    frags = fragment(to_eni() / UDP(sport=int(sport), dport=53) / data, 8)
    for f in reversed(frags):
        consumer(f)
    return len(frags)


def cmd_frag_overlap(sport, token):
    data = (token.encode() * 8)[:40]
    whole = bytes(to_eni() / UDP(sport=int(sport), dport=53) / data)
    hdr, body = IP(whole[:20]), whole[20:]     # 48 bytes of UDP
    first = hdr.copy()
    first.flags, first.frag = "MF", 0
    del first.len, first.chksum
    last = hdr.copy()
    last.flags, last.frag = 0, 2                # from byte 16: overlaps 16-23
    del last.len, last.chksum
    consumer(first / body[:24])
    consumer(last / body[16:])
    return 2


def cmd_ptb(nport, mtu):
    quoted = IP(src=NLB, dst=TGT, flags="DF") / \
        UDP(sport=int(nport), dport=5353) / (b"q" * 32)
    provider(IP(src=TGT, dst=NLB) /
             ICMP(type=3, code=4, nexthopmtu=int(mtu)) / bytes(quoted))
    return 1


def cmd_unreach(sport):
    quoted = IP(src=ENI, dst=A1) / UDP(sport=53, dport=int(sport)) / (b"r" * 16)
    consumer(to_eni() / ICMP(type=3, code=3) / bytes(quoted))
    return 1


def cmd_unknown(sport, nport):
    for q in (IP(src=ENI, dst=A1) / UDP(sport=53, dport=49999),
              IP(src=TGT, dst=NLB) / UDP(sport=5353, dport=int(nport))):
        consumer(to_eni() / ICMP(type=3, code=3) / bytes(q / (b"u" * 16)))
    for q in (IP(src=A1, dst=ENI) / UDP(sport=int(sport), dport=53),
              IP(src=NLB, dst=TGT) / UDP(sport=1, dport=5353)):
        provider(IP(src=TGT, dst=NLB) / ICMP(type=3, code=3) /
                 bytes(q / (b"u" * 16)))
    return 4


def cmd_flags(sport):
    for n, f in enumerate(("SF", "SR", "F", "", "FSRPAU")):
        consumer(to_eni() / TCP(sport=40020 + n, dport=80, flags=f,
                                seq=random.getrandbits(32)))
    consumer(to_eni() / TCP(sport=int(sport), dport=80, flags="SF",
                            seq=random.getrandbits(32)))
    return 6


def tcp_to_eni(sport, flags, seq=0, ack=0, opts=b"", data=b""):
    """a TCP segment to ENI:80 built byte by byte (options as given, however
    malformed), its checksum right"""
    seg = bytearray(bytes(TCP(sport=sport, dport=80, flags=flags, seq=seq,
                              ack=ack, chksum=0))[:20])
    seg[12] = (5 + len(opts) // 4) << 4
    seg += opts + data
    ck = in4_chksum(6, IP(src=A1, dst=ENI), bytes(seg))
    seg[16:18] = ck.to_bytes(2, "big")
    return IP(src=A1, dst=ENI, id=ident(), tos=TOS, proto=6) / bytes(seg)


def cmd_tcpopts(sport):
    sport = int(sport)
    good = bytes.fromhex("020403e8" "01" "03030e" "0402"      # MSS NOP WS SACK
                         "080a0001e24000000000"                # timestamps
                         "fd041234")                           # experimental
    consumer(tcp_to_eni(sport, "S", seq=1000, opts=good))
    # timestamps of length 2; kind 99 claiming 40 bytes of the 4 left
    bad = bytes.fromhex("08020101" "020405b4" "63280000")
    consumer(tcp_to_eni(sport + 1, "S", seq=2000, opts=bad))
    return "2 %s %s" % (good.hex(), bad.hex())     # + the options sent


def cmd_truncated(sport):
    n = 0
    # IP total length 200 in a 40-byte packet
    consumer(IP(src=A1, dst=ENI, id=ident(), tos=TOS, len=200) /
             TCP(sport=40040, dport=80, flags="S"))
    n += 1
    # a bad IP header checksum
    b = bytearray(bytes(to_eni() / UDP(sport=40041, dport=53) / b"badiphdr"))
    b[10] ^= 0xff
    consumer(bytes(b))
    n += 1
    # a 10-byte TCP header
    consumer(IP(src=A1, dst=ENI, id=ident(), tos=TOS, proto=6) /
             bytes(TCP(sport=40042, dport=80, flags="S"))[:10])
    n += 1
    # data offset 15 (60 bytes) in a 20-byte header
    consumer(to_eni() / TCP(sport=40043, dport=80, flags="S", dataofs=15))
    n += 1
    # UDP length 200 in a 30-byte datagram
    consumer(to_eni() / UDP(sport=40044, dport=53, len=200) / (b"t" * 22))
    n += 1
    # an ICMP error quoting 12 bytes of an IP header
    q = bytes(IP(src=ENI, dst=A1) / UDP(sport=53, dport=int(sport)))[:12]
    consumer(to_eni() / ICMP(type=3, code=3) / q)
    n += 1
    # a SYN with a bad TCP checksum
    consumer(to_eni() / TCP(sport=40045, dport=80, flags="S", chksum=0x1234))
    n += 1
    # a datagram of a live flow with a bad UDP checksum
    consumer(to_eni() / UDP(sport=int(sport), dport=53, chksum=0x1234) /
             b"bad udp checksum")
    n += 1
    return n


COMMANDS = {name[4:].replace("_", "-"): f for name, f in globals().items()
            if name.startswith("cmd_")}

print("ready", flush=True)
for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    try:
        first = mark + 1
        n, *extra = str(COMMANDS[words[0]](*words[1:])).split()
        print("sent", n, first, mark, *extra, flush=True)
    except Exception as e:                      # noqa: BLE001
        print("error", words[0], repr(e), flush=True)
