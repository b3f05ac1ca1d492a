# SPDX-License-Identifier: GPL-2.0
"""Count the IPv4 packets of a tcpdump capture that match a condition, and
verify every checksum of the ones that do.

    pcap_check.py [--any-checksum] FILE EXPR [MIN [MAX]]

FILE: a pcap file of an Ethernet interface (tcpdump -w, read while tcpdump
may still be writing it: a record cut short at the end is ignored).  EXPR:
a python expression over p, one packet, whose attributes are
    src dst proto tos id ihl len frags ip_ok l4_ok
    sport dport flags (TCP, e.g. "SA") opts (TCP options, hex) data (bytes)
    type code mtu (ICMP) inner (the quoted packet of an ICMP error: src dst
    tos id proto sport dport ip_ok l4_ok, or None)
any of them None where it does not apply.  Fragments are reassembled first
(frags: how many made the datagram; len is the largest fragment's); ip_ok
is the IP header checksum's verdict (of every fragment), l4_ok the
TCP/UDP/ICMP checksum's over the whole datagram (None when the capture or
the quote does not hold all of it).  Checksums are verified from the bytes
alone, as a receiver's stack would: a packet sent with CHECKSUM_PARTIAL
from a local socket of the capturing namespace would fail, so conditions
should select forwarded packets.

Exit status 0 when MIN (default 1) <= matches <= MAX (default: no bound) and
every match has all its checksums right (with --any-checksum, whatever
they are: GRO's merged packets, captured before segmentation, hold a partial
checksum); else 1, after printing the matches.
"""
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def ok16(data):
    return csum(data) == 0xffff


def addr(b):
    return ".".join(str(x) for x in b)


class Pkt:
    def __getattr__(self, name):
        return None

    def __repr__(self):
        return " ".join("%s=%r" % kv for kv in sorted(vars(self).items()))


def l4_verify(proto, src, dst, seg):
    """TCP/UDP/ICMP checksum of a complete segment"""
    if proto == 1:
        return ok16(seg)
    if proto == 17 and len(seg) >= 8 and seg[6:8] == b"\0\0":
        return True                     # UDP without a checksum
    pseudo = src + dst + struct.pack("!BBH", 0, proto, len(seg))
    return ok16(pseudo + seg)


TCP_FLAGS = "FSRPAUEC"


def l4_fields(p, proto, seg):
    if proto in (6, 17) and len(seg) >= 4:
        p.sport, p.dport = struct.unpack("!HH", seg[:4])
    if proto == 6 and len(seg) >= 14:
        p.flags = "".join(c for i, c in enumerate(TCP_FLAGS) if seg[13] >> i & 1)
        doff = (seg[12] >> 4) * 4
        p.opts = seg[20:doff].hex()
        p.data = seg[doff:]
    elif proto == 17:
        p.data = seg[8:]


def inner(quote):
    """the packet an ICMP error quotes"""
    q = Pkt()
    if len(quote) < 20:
        return q
    ihl = (quote[0] & 15) * 4
    tot = struct.unpack("!H", quote[2:4])[0]
    q.proto, q.src, q.dst = quote[9], addr(quote[12:16]), addr(quote[16:20])
    q.tos, q.id = quote[1], struct.unpack("!H", quote[4:6])[0]
    q.ip_ok = len(quote) >= ihl and ok16(quote[:ihl])
    seg = quote[ihl:tot]
    l4_fields(q, q.proto, seg)
    if len(quote) >= tot and q.proto in (6, 17):
        q.l4_ok = l4_verify(q.proto, quote[12:16], quote[16:20], seg)
    return q


def datagram(hdr, frags, seg, n, biggest):
    """one packet record from a header and its (reassembled) payload"""
    p = Pkt()
    p.data = b""
    ihl = (hdr[0] & 15) * 4
    p.tos, p.ihl, p.proto = hdr[1], ihl, hdr[9]
    p.id = struct.unpack("!H", hdr[4:6])[0]
    p.src, p.dst = addr(hdr[12:16]), addr(hdr[16:20])
    p.len, p.frags, p.ip_ok = biggest, n, frags
    p.ipopts = hdr[20:ihl].hex()
    if seg is not None:
        p.l4_ok = l4_verify(p.proto, hdr[12:16], hdr[16:20], seg)
        l4_fields(p, p.proto, seg)
        if p.proto == 1 and len(seg) >= 8:
            p.type, p.code = seg[0], seg[1]
            p.mtu = struct.unpack("!H", seg[6:8])[0]
            p.data = seg[8:]
            if p.type in (3, 4, 5, 11, 12):
                p.inner = inner(seg[8:])
    return p


def packets(path):
    raw = open(path, "rb").read()
    if len(raw) < 24:
        return
    magic = raw[:4]
    end = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    if struct.unpack(end + "I", raw[20:24])[0] != 1:
        sys.exit("%s: not an Ethernet capture" % path)
    pos, queues = 24, {}
    while pos + 16 <= len(raw):
        incl, orig = struct.unpack(end + "II", raw[pos + 8:pos + 16])
        frame = raw[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        if len(frame) < incl:
            break                       # still being written
        if len(frame) < 34 or frame[12:14] != b"\x08\x00":
            continue
        ip = frame[14:]
        ihl = (ip[0] & 15) * 4
        tot = struct.unpack("!H", ip[2:4])[0]
        hdr_ok = len(ip) >= ihl and ok16(ip[:ihl])
        whole = incl == orig and len(ip) >= tot
        # a GSO packet captured before segmentation says 0 (or less than
        # it holds): take what was captured
        payload = ip[ihl:tot] if tot >= ihl and len(ip) >= tot else ip[ihl:]
        size = orig - 14
        frag = struct.unpack("!H", ip[6:8])[0]
        off, more = (frag & 0x1fff) * 8, frag & 0x2000
        if not off and not more:
            yield datagram(ip[:ihl], hdr_ok, payload if whole else None, 1, size)
            continue
        key = (ip[12:20], ip[4:6], ip[9])
        q = queues.setdefault(key, {"parts": {}, "ok": True, "last": None,
                                    "hdr": None, "size": 0})
        q["parts"][off] = payload
        q["ok"] = q["ok"] and hdr_ok and whole
        q["size"] = max(q["size"], size)
        if not more:
            q["last"] = off + len(payload)
        if not off:
            q["hdr"] = ip[:ihl]
        if q["last"] is None or q["hdr"] is None:
            continue
        seg, at = b"", 0
        for o in sorted(q["parts"]):
            if o != at:
                break
            seg += q["parts"][o]
            at += len(q["parts"][o])
        if at != q["last"]:
            continue
        del queues[key]
        yield datagram(q["hdr"], q["ok"], seg, len(q["parts"]), q["size"])


def checksums_right(p):
    return p.ip_ok and p.l4_ok is not False and \
        (p.inner is None or (p.inner.ip_ok and p.inner.l4_ok is not False))


def main():
    args = sys.argv[1:]
    any_checksum = args[:1] == ["--any-checksum"]
    args = args[1:] if any_checksum else args
    path, expr = args[0], args[1]
    lo = int(args[2]) if len(args) > 2 else 1
    hi = int(args[3]) if len(args) > 3 else None
    code = compile("(" + expr + ")", "EXPR", "eval")
    found = [p for p in packets(path) if eval(code, {}, {"p": p})]
    bad = [] if any_checksum else [p for p in found if not checksums_right(p)]
    if lo <= len(found) and (hi is None or len(found) <= hi) and not bad:
        print("%d packets%s" % (len(found), "" if any_checksum else
                                ", checksums right"))
        return 0
    print("%d packets match (wanted %d..%s), %d with a wrong checksum:" %
          (len(found), lo, "" if hi is None else hi, len(bad)))
    for p in found[:20]:
        print("  ", p)
    return 1


if __name__ == "__main__":
    sys.exit(main())
