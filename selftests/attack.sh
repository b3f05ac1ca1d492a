#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The attack matrix: the isolation rules of include/uapi/linux/privlink.h
# ("Isolation") cell by cell, for IPv4 and for IPv6 alike.  Four sources
# send crafted packets (scapy) of eleven kinds at four kinds of targets, in
# each family, while a1 keeps a live TCP flow and a live UDP flow of each
# family through its ENI (idle while the packets fly); nft counters in the
# victims' namespaces count every attack packet that arrives.  One KTAP line
# per cell: "0 packets reach a1" (or "a1 or p1"), or, for the cells that are
# open by design, "reaches ..." as the positive control of its row.
#
#  VPC A 10.0.0.0/24 (bridge br0 in sw)       r (router, privlink)
#  a1 10.0.0.5 [nft] --+                       +-------------------------+
#  gw 10.0.0.2 --------+-------- br0 --------- | ra0 10.0.0.1/24     A   |
#   +- h1 192.168.50.5 (behind gw)             | rb0 10.1.0.1/24     B   |--- b1 10.1.0.5
#                                              | rp0 172.16.0.1/16   P   |--- p1 172.16.1.10 [nft]
#  (r routes 192.168.50.0/24 via gw)           | rn0 192.0.2.1/24 no VPC |--- n1 192.0.2.5
#                                              +-------------------------+
#  (namespaces pl-atk-r, -sw, -a1, -g, -h1, -b1, -p1, -n1)
#
#  IPv6: 2001:db8:a::/64 (A), 2001:db8:b::/64 (B), 2001:db8:16::/64 (P),
#  2001:db8:2::/64 (n1's link), 2001:db8:50::/64 (h1's) on every host and
#  router interface: R is ::1, gw ::2, p1 2001:db8:16::10, every other host
#  ::5 of its link's prefix; R forwards IPv6 and routes 2001:db8:50::/64 via
#  gw.  VPCs A, B and P have the first three as their IPv6 prefixes (B's
#  given by "vpc set" after B was added IPv4 only).
#
#  service svc of P, dualstack: tcp/80:8443 udp/53:5353, NLB node
#  172.16.0.10,2001:db8:16::100, targets p1 172.16.1.10 and 2001:db8:16::10
#  (TCP and UDP echo servers of each family); dualstack endpoints ep-a in A
#  (ENI 10.0.0.100,2001:db8:a::100), ep-b in B (ENI 10.1.0.100,
#  2001:db8:b::100).  rp_filter is off in R and gw: spoofed sources reach
#  privlink, which must not rely on the operator's reverse-path filter (IPv6
#  has no reverse-path filter of its own).
#
# h1 is "a host routed through the consumer VPC": its packets reach R on A's
# interface from outside A's CIDR and prefix, as a Direct Connect site's do.
#
# Sinks: R holds permanent neighbour entries (ARP and NDP) that send
# whatever it forwards to the ENI's addresses to a1's MAC, and to the NLB
# node's addresses to p1's MAC, so that a packet R lets through towards
# those addresses is counted in A or P instead of dying in address
# resolution.  (Nothing legitimate is ever sent to them by R: translated
# flows leave for the target, replies for the host.)
#
# Counting: each attack packet carries IPv4 DSCP AF11 and an IP id
# 0xa701..0xa7ff of its own cell (IPv6: DSCP AF11 and the flow label).
# Forwarding, defragmentation and NAT keep both.  nft in pl-atk-a1 ("A") and
# pl-atk-p1 ("P"), inet prerouting at priority -500 (before any defrag, so
# fragments count one by one, and before anything could drop them), adds the
# packets of each mark to a dynamic set with per-element counters.  Neighbour
# discovery, the live flows and the ICMP the router generates (tos 0xc8) carry
# no mark.  Every source row is one scapy process (started early: scapy
# imports slowly under TCG) that sends its cells, a packet or three each;
# then n1 sends an unmarked control datagram to a1:7777 and to p1:7777, along
# routed paths, and once both are counted the sets are read: that bounds the
# wait without sleeping.  Positive controls are polled.
#
# Targets: "a1" is a1's own address (TCP/UDP to its live flows' client
# ports); "A's ENI" is 10.0.0.100 on its listener ports; "NLB node" is
# 172.16.0.10 on the live flows' SNAT ports from the source's own address;
# "reply tuple" is the live flow's reply tuple, spoofed: source target
# 172.16.1.10:8443 (:5353), destination 172.16.0.10:SNAT port, read from
# "plctl flow show" (ICMP echo/echo-reply: the same two addresses).  Their
# IPv6 counterparts: a1 2001:db8:a::5 (its IPv6 flows' client ports), the
# ENI 2001:db8:a::100, the NLB node 2001:db8:16::100 (the IPv6 flows' SNAT
# ports), the IPv6 flows' reply tuples [2001:db8:16::10]:8443 (:5353) ->
# [2001:db8:16::100]:SNAT port, read from "plctl flow show"'s IPv6 lines.
# Kinds: TCP SYN, SYN-ACK, RST, mid-stream ACK (blind: random sequence
# numbers), UDP, ICMP echo, echo-reply, port unreachable quoting a1's UDP flow
# (as a1 sent it for a1; as the ENI sent it for the ENI; as the provider sees
# it for the NLB node and the reply tuple, which conntrack relates to the
# flow), a first fragment alone, a complete fragmented UDP datagram (three
# fragments), IPv6 UDP.  IPv6 kinds: the same TCP and UDP, ICMPv6 echo
# request, echo reply, port unreachable quoting a1's IPv6 UDP flow (quoted
# as for IPv4, with the IPv6 addresses), a first fragment alone and a
# complete UDP datagram in three fragments (fragment headers).
#
#             a1             A's ENI            NLB node               reply tuples
#   p1 (P)    isolated [W]   isolated [W]       none reach A (1) [I]   open (2): control
#   b1 (B)    isolated [W]   isolated [W]       isolated [W], (6) [S]  isolated [S], (7) [W]
#   h1 (A)    n/a (3)        open (4): control  isolated [W], (6) [S]  isolated [S], (7) [W]
#   n1 (none) open (5):      open (5):          open (5): control,     isolated [S],
#             controls       control            (6) isolated [S]       (7) open (5)
#   Every cell twice: with the IPv4 targets and kinds, and with the IPv6
#   ones (each row from the source's IPv6 address, the controls too).
#   IPv6 UDP to p1 (2001:db8:16::10): b1, h1 isolated [W]; n1 open (5): control.
#
#   "isolated": 0 packets reach a1 or p1.  [W]: each of its packets (but a
#   lone first fragment) counts in drop_wrong_vpc, [S]: in drop_spoofed, [I]:
#   in drop_invalid, as the uapi defines them; each row asserts that the
#   counters grew at least that much.  N/A, not run: p1's IPv6 to p1 (its own
#   address).
#   (1) p1 to its own NLB node's address, not as a live flow's reply: no
#       host has that address, so R drops it (the uapi's "Stray packets")
#       instead of sending it back into P; none of it may reach A.  p1's
#       port unreachable quoting its own flow, to the NLB node, is an error
#       about its flow (RELATED, e.g. PMTU): legitimate, not run.
#   (2) the provider's packets matching a live flow's reply tuple are its
#       replies.  Control: p1's UDP on the UDP flow's reply tuple reaches a1
#       (IPv6: on the IPv6 UDP flow's).
#   (3) h1 and a1 are in the same VPC: the gateway delivers h1's packets to
#       a1 on A's segment; they never reach the router.
#   (4) h1 sending to its own VPC's ENI is the service.  Control: its UDP to
#       10.0.0.100:53 ([2001:db8:a::100]:53) reaches p1 (as b1's to B's ENI
#       10.1.0.100 and 2001:db8:b::100 does: b1's row's control).
#   (5) interfaces of no VPC are routed as before: the operator's business.
#       n1's packets to the ENI address are never translated (n1 is in no
#       VPC) and those to the NLB node's address that are no live flow's
#       reply are no privlink flow's: both are routed, into the sinks.
#       Controls: n1's UDP to the ENI and to the NLB node (the sinks work;
#       in each family), its UDP and IPv6 to a1 and its IPv6 to p1; the rest
#       is not run.
#   (6) the port unreachable quoting a1's UDP flow, sent to the NLB node:
#       conntrack relates it to the flow (a reply-direction packet of a
#       privlink flow), so it must come from P.
#   (7) ICMP echo and echo-reply (ICMPv6 too) have no ports: they match no
#       flow's reply tuple and are no privlink flow's packets.  Between two
#       VPCs they are dropped [W]; from n1 they are routed (5), not run.
# Last, a1's live flows of both families are still in R's conntrack table,
# TCP established, and still carry data both ways.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

python3 -c 'import scapy' 2>/dev/null ||
	{ diag "python3-scapy is missing (scripts/deps.sh installs it)"; exit 1; }
module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
netns_new R=pl-atk-r SW=pl-atk-sw A1=pl-atk-a1 G=pl-atk-g H1=pl-atk-h1 B1=pl-atk-b1 \
	P1=pl-atk-p1 N1=pl-atk-n1 || { diag "cannot create the namespaces"; exit 1; }
tmp=$(mktemp -d)
at_exit rm -rf "$tmp"

# v6 NS DEV ADDR/LEN: an IPv6 address, usable at once (no DAD).
v6() { ip -n "$1" addr add "$3" dev "$2" nodad; }
# routes NS GW4 GW6: default routes.
routes() { ip -n "$1" route add default via "$2" && ip -n "$1" -6 route add default via "$3"; }
# forwarder NS: forwards IPv4 and IPv6, no reverse-path filter, no redirects.
forwarder() {
	ip netns exec "$1" sh -c 'sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
		net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0'
}
mac() { ip -n "$1" link show dev "$2" | awk '/link\/ether/ { print $2 }'; }

topology() {
	ip netns exec $SW sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
	ip -n $SW link add br0 type bridge mcast_snooping 0 && ip -n $SW link set br0 up &&
	topo_veth $R ra0 10.0.0.1/24 $SW sr "" &&
	topo_veth $A1 a0 10.0.0.5/24 $SW sa "" &&
	topo_veth $G g0 10.0.0.2/24 $SW sg "" &&
	for p in sr sa sg; do ip -n $SW link set $p master br0 || return 1; done &&
	topo_veth $G gh0 192.168.50.1/24 $H1 h0 192.168.50.5/24 &&
	topo_veth $R rb0 10.1.0.1/24 $B1 b0 10.1.0.5/24 &&
	topo_veth $R rp0 172.16.0.1/16 $P1 p0 172.16.1.10/16 &&
	topo_veth $R rn0 192.0.2.1/24 $N1 n0 192.0.2.5/24 &&
	v6 $R ra0 2001:db8:a::1/64 && v6 $A1 a0 2001:db8:a::5/64 && v6 $G g0 2001:db8:a::2/64 &&
	v6 $G gh0 2001:db8:50::1/64 && v6 $H1 h0 2001:db8:50::5/64 &&
	v6 $R rb0 2001:db8:b::1/64 && v6 $B1 b0 2001:db8:b::5/64 &&
	v6 $R rp0 2001:db8:16::1/64 && v6 $P1 p0 2001:db8:16::10/64 &&
	v6 $R rn0 2001:db8:2::1/64 && v6 $N1 n0 2001:db8:2::5/64 &&
	routes $A1 10.0.0.1 2001:db8:a::1 && routes $G 10.0.0.1 2001:db8:a::1 &&
	routes $H1 192.168.50.1 2001:db8:50::1 && routes $B1 10.1.0.1 2001:db8:b::1 &&
	routes $P1 172.16.0.1 2001:db8:16::1 && routes $N1 192.0.2.1 2001:db8:2::1 &&
	ip -n $R route add 192.168.50.0/24 via 10.0.0.2 &&
	ip -n $R -6 route add 2001:db8:50::/64 via 2001:db8:a::2 &&
	forwarder $R && forwarder $G &&
	ip -n $R neigh replace 10.0.0.100 lladdr "$(mac $A1 a0)" dev ra0 nud permanent &&
	ip -n $R neigh replace 172.16.0.10 lladdr "$(mac $P1 p0)" dev rp0 nud permanent &&
	ip -n $R -6 neigh replace 2001:db8:a::100 lladdr "$(mac $A1 a0)" dev ra0 nud permanent &&
	ip -n $R -6 neigh replace 2001:db8:16::100 lladdr "$(mac $P1 p0)" dev rp0 nud permanent
}

# The victims' counters: a dynamic set of marks (IPv4 id, IPv6 flow label)
# with a counter per mark, and the bounding control from n1.
counters() {
	ip netns exec "$1" nft -f - <<-'EOF'
	table inet platk {
		set v4 { typeof ip id; flags dynamic; counter; }
		set v6 { typeof ip6 flowlabel; flags dynamic; counter; }
		counter control { }
		chain pre {
			type filter hook prerouting priority -500; policy accept;
			ip dscp af11 ip id 0xa700-0xa7ff add @v4 { ip id }
			ip6 dscp af11 ip6 flowlabel 0xa700-0xa7ff add @v6 { ip6 flowlabel }
			ip saddr 192.0.2.5 udp dport 7777 counter name control
		}
	}
	EOF
}
check "topology: VPC A (a1, gw, h1 behind it), B (b1), P (p1), n1 in no VPC, IPv4 and IPv6" topology
both_counters() { counters $A1 && counters $P1; }
check "nft counters of attack packets in a1 and p1" both_counters
# R pings every host over IPv4 and IPv6: the topology works, and the
# neighbour caches are warm before the attackers' first packets.
check "R reaches a1, gw, h1, b1, p1 and n1 over IPv4 and IPv6" ip netns exec $R sh -c '
	for a in 10.0.0.5 2001:db8:a::5 10.0.0.2 2001:db8:a::2 192.168.50.5 2001:db8:50::5 \
		10.1.0.5 2001:db8:b::5 172.16.1.10 2001:db8:16::10 192.0.2.5 2001:db8:2::5; do
		ping -c1 -W10 $a >/dev/null || { echo "no answer from $a"; exit 1; }
	done'

# The attackers: one scapy process per source row, started now (scapy takes
# long to import under TCG).  Each reads one line, SRC4 SRC6 OWN_ENI
# OWN_ENI6 CTCP,CUDP,NTCP,NUDP CTCP6,CUDP6,NTCP6,NUDP6 MARK:KIND:TARGET...,
# sends its cells' packets, says how many and exits.  A TARGET ending in
# ".6" is the IPv6 counterpart of TARGET: the cell's packets are IPv6.
cat > "$tmp/attack.py" <<'EOF'
import logging, random, socket, sys
logging.getLogger("scapy").setLevel(logging.ERROR)
from scapy.layers.inet import IP, TCP, UDP, ICMP, fragment
from scapy.layers.inet6 import (IPv6, IPv6ExtHdrFragment, ICMPv6EchoRequest,
                                ICMPv6EchoReply, ICMPv6DestUnreach, fragment6)
from scapy.packet import Raw

A1, A1_6, ENI, NLB, TGT, P1_6 = ("10.0.0.5", "2001:db8:a::5", "10.0.0.100",
                                 "172.16.0.10", "172.16.1.10", "2001:db8:16::10")
ENI6, NLB6 = "2001:db8:a::100", "2001:db8:16::100"
TOS, DATA = 0x28, b"privlink-attack"
src4, src6, own_eni, own_eni6, flows, flows6, *cells = sys.stdin.readline().split()
ctcp, cudp, ntcp, nudp = map(int, flows.split(","))
ctcp6, cudp6, ntcp6, nudp6 = map(int, flows6.split(","))

def ends(target, n, tcp):
    """(src, dst, sport, dport) of a packet aimed at target"""
    sport = 40000 + n
    if target == "a1":
        return src4, A1, sport, ctcp if tcp else cudp
    if target == "eni":
        return src4, ENI, sport, 80 if tcp else 53
    if target == "own-eni":
        return src4, own_eni, sport, 80 if tcp else 53
    if target == "nlb":
        return src4, NLB, sport, ntcp if tcp else nudp
    if target == "reply":
        return TGT, NLB, 8443 if tcp else 5353, ntcp if tcp else nudp
    raise ValueError(target)

def quote(target):
    """the first 28 bytes of a packet of a1's UDP flow, as target sent it"""
    if target == "a1":
        q = IP(src=A1, dst=ENI) / UDP(sport=cudp, dport=53)
    elif target == "eni":
        q = IP(src=ENI, dst=A1) / UDP(sport=53, dport=cudp)
    else:
        q = IP(src=NLB, dst=TGT) / UDP(sport=nudp, dport=5353)
    return bytes(q / DATA)[:28]

def ends6(target, n, tcp):
    """ends() of the IPv6 counterpart of target"""
    sport = 40000 + n
    if target == "a1":
        return src6, A1_6, sport, ctcp6 if tcp else cudp6
    if target == "eni":
        return src6, ENI6, sport, 80 if tcp else 53
    if target == "own-eni":
        return src6, own_eni6, sport, 80 if tcp else 53
    if target == "nlb":
        return src6, NLB6, sport, ntcp6 if tcp else nudp6
    if target == "reply":
        return P1_6, NLB6, 8443 if tcp else 5353, ntcp6 if tcp else nudp6
    raise ValueError(target)

def quote6(target):
    """the first 48 bytes of a packet of a1's IPv6 UDP flow, as target sent it"""
    if target == "a1":
        q = IPv6(src=A1_6, dst=ENI6) / UDP(sport=cudp6, dport=53)
    elif target == "eni":
        q = IPv6(src=ENI6, dst=A1_6) / UDP(sport=53, dport=cudp6)
    else:
        q = IPv6(src=NLB6, dst=P1_6) / UDP(sport=nudp6, dport=5353)
    return bytes(q / DATA)[:48]

def packets6(mark, n, kind, target):
    tcp = kind in ("syn", "synack", "rst", "ack")
    s, d, sp, dp = ends6(target, n, tcp)
    ip = IPv6(src=s, dst=d, tc=TOS, fl=mark)
    seq, ack = random.getrandbits(32), random.getrandbits(32)
    if kind == "syn":
        return [ip / TCP(sport=sp, dport=dp, flags="S", seq=seq)]
    if kind == "synack":
        return [ip / TCP(sport=sp, dport=dp, flags="SA", seq=seq, ack=ack)]
    if kind == "rst":
        return [ip / TCP(sport=sp, dport=dp, flags="R", seq=seq)]
    if kind == "ack":
        return [ip / TCP(sport=sp, dport=dp, flags="PA", seq=seq, ack=ack) / DATA]
    if kind == "udp":
        return [ip / UDP(sport=sp, dport=dp) / DATA]
    if kind == "echo":
        return [ip / ICMPv6EchoRequest(id=0x5000 + n, seq=1, data=DATA)]
    if kind == "echoreply":
        return [ip / ICMPv6EchoReply(id=0x5000 + n, seq=1, data=DATA)]
    if kind == "icmperr":
        return [ip / ICMPv6DestUnreach(code=4) / Raw(quote6(target))]
    frags = fragment6(ip / IPv6ExtHdrFragment(id=mark) /
                      UDP(sport=sp, dport=dp) / (DATA * 80), 560)
    if kind == "frag1":
        return frags[:1]
    if kind == "frags":
        return frags
    raise ValueError(kind)

def packets(mark, n, kind, target):
    if target.endswith(".6"):
        return packets6(mark, n, kind, target[:-2])
    if kind == "ipv6":
        dst = {"a1": A1_6, "p1": P1_6}[target]
        return [IPv6(src=src6, dst=dst, tc=TOS, fl=mark) /
                UDP(sport=40000 + n, dport=7) / DATA]
    tcp = kind in ("syn", "synack", "rst", "ack")
    s, d, sp, dp = ends(target, n, tcp)
    ip = IP(src=s, dst=d, id=mark, tos=TOS)
    seq, ack = random.getrandbits(32), random.getrandbits(32)
    if kind == "syn":
        return [ip / TCP(sport=sp, dport=dp, flags="S", seq=seq)]
    if kind == "synack":
        return [ip / TCP(sport=sp, dport=dp, flags="SA", seq=seq, ack=ack)]
    if kind == "rst":
        return [ip / TCP(sport=sp, dport=dp, flags="R", seq=seq)]
    if kind == "ack":
        return [ip / TCP(sport=sp, dport=dp, flags="PA", seq=seq, ack=ack) / DATA]
    if kind == "udp":
        return [ip / UDP(sport=sp, dport=dp) / DATA]
    if kind == "echo":
        return [ip / ICMP(type=8, id=0x5000 + n, seq=1) / DATA]
    if kind == "echoreply":
        return [ip / ICMP(type=0, id=0x5000 + n, seq=1) / DATA]
    if kind == "icmperr":
        return [ip / ICMP(type=3, code=3) / quote(target)]
    frags = fragment(ip / UDP(sport=sp, dport=dp) / (DATA * 80), 512)
    if kind == "frag1":
        return frags[:1]
    if kind == "frags":
        return frags
    raise ValueError(kind)

s4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
s6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
sent = 0
for cell in cells:
    mark, kind, target = cell.split(":")
    mark = int(mark)
    for p in packets(mark, mark & 0xff, kind, target):
        if p.haslayer(IPv6):
            s6.sendto(bytes(p), (p[IPv6].dst, 0))
        else:
            s4.sendto(bytes(p), (p[IP].dst, 0))
        sent += 1
print("sent", sent, "packets")
EOF
declare -A atk_pid atk_fd
# attacker NAME NS: NAME's process in NS, reading its line from a FIFO.
attacker() {
	local fd
	mkfifo "$tmp/$1.in" || return 1
	ip netns exec "$2" python3 "$tmp/attack.py" <"$tmp/$1.in" >"$tmp/$1.out" 2>&1 &
	atk_pid[$1]=$!
	at_exit kill $!
	exec {fd}>"$tmp/$1.in"
	atk_fd[$1]=$fd
}
attacker p1 $P1 && attacker b1 $B1 && attacker h1 $H1 && attacker n1 $N1 ||
	{ diag "cannot start the attackers"; exit 1; }

check "configure AZ, VPCs A, B, P, the dualstack service, its targets, dualstack endpoints in A and B" sh -c "
	set -e
	pl() { plctl -n $R \"\$@\"; }
	pl az add use1-az1
	pl vpc add vpc-a account 111111111111 cidr 10.0.0.0/24 ipv6-cidr 2001:db8:a::/64 dev ra0
	# B becomes dual stack as an IPv4 VPC does in AWS: its IPv6 prefix
	# given afterwards (vpc set), so that the IPv6 cells of B hold for it too
	pl vpc add vpc-b account 333333333333 cidr 10.1.0.0/24 dev rb0
	pl vpc set vpc-b ipv6-cidr 2001:db8:b::/64
	pl vpc add vpc-p account 222222222222 cidr 172.16.0.0/16 ipv6-cidr 2001:db8:16::/64 dev rp0
	pl service add svc vpc vpc-p listener tcp/80:8443 udp/53:5353 \
		nlb use1-az1 172.16.0.10,2001:db8:16::100 ip-types dualstack \
		acceptance auto principal '*' idle-timeout 3600
	pl target add svc 172.16.1.10 az use1-az1
	pl target add svc 2001:db8:16::10 az use1-az1
	pl endpoint add ep-a vpc vpc-a service svc ip-type dualstack \
		eni use1-az1 10.0.0.100,2001:db8:a::100
	pl endpoint add ep-b vpc vpc-b service svc ip-type dualstack \
		eni use1-az1 10.1.0.100,2001:db8:b::100"

ip netns exec $P1 socat TCP4-LISTEN:8443,fork,reuseaddr EXEC:cat >/dev/null 2>&1 &
at_exit kill $!
# The UDP echo servers are one process each (lib/udp_echo.py; socat forks
# a child and a cat per datagram: seconds each under TCG, and more than the
# live flow's client waits on a debug kernel); the IPv6 one is bound to the
# target's address so that its answers come from it.
ip netns exec $P1 python3 "$TOP/selftests/lib/udp_echo.py" --plain 5353 >/dev/null 2>&1 &
at_exit kill $!
ip netns exec $P1 socat TCP6-LISTEN:8443,fork,reuseaddr,ipv6only=1 EXEC:cat >/dev/null 2>&1 &
at_exit kill $!
ip netns exec $P1 python3 "$TOP/selftests/lib/udp_echo.py" --plain 5353 2001:db8:16::10 >/dev/null 2>&1 &
at_exit kill $!
wait_for 90 dp_listening $P1 tcp 8443 || diag "the TCP echo server did not start"
wait_for 90 dp_listening $P1 udp 5353 || diag "the UDP echo server did not start"
wait_for 90 dp_listening $P1 tcp 8443 :: || diag "the IPv6 TCP echo server did not start"
wait_for 90 dp_listening $P1 udp 5353 2001:db8:16::10 || diag "the IPv6 UDP echo server did not start"

# a1's live flows: one TCP connection and one UDP "connection" through the
# ENI, each echoed once, then idle but for what stdin asks: "six" sets up
# the same two through the ENI's IPv6 address (once the IPv4 UDP flow is
# assured: until then its conntrack entry lives 30 s), "keep" ("keep6")
# echoes a datagram of the IPv4 (IPv6) UDP flow, "ping" ("ping6") a line on
# the IPv4 (IPv6) TCP flow and a datagram.
cat > "$tmp/live.py" <<'EOF'
import socket, sys

def echo_tcp(t, word):
    t.sendall(word + b"\n")
    buf = b""
    while not buf.endswith(word + b"\n"):
        d = t.recv(100)
        if not d:
            sys.exit("tcp: closed")
        buf += d

def echo_udp(u, word):
    for _ in range(12):                 # a datagram may be lost: resend
        try:
            u.send(word)
            while u.recv(2000) != word: # leaked attack datagrams are skipped
                pass
            return
        except ConnectionRefusedError:  # so are leaked ICMP errors (at
            pass                        # send or recv)
        except socket.timeout:
            pass
    sys.exit("udp: no echo")

t = socket.create_connection(("10.0.0.100", 80), timeout=60)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(5)
u.connect(("10.0.0.100", 53))
echo_tcp(t, b"hello")
echo_udp(u, b"hello")
print("ready", t.getsockname()[1], u.getsockname()[1], flush=True)
while True:
    line = sys.stdin.readline()
    if not line:
        break
    if line.strip() == "six":
        try:
            t6 = socket.create_connection(("2001:db8:a::100", 80), timeout=60)
            u6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            u6.settimeout(5)
            u6.connect(("2001:db8:a::100", 53))
            echo_tcp(t6, b"hello")
            echo_udp(u6, b"hello")
            print("ipv6-ready", t6.getsockname()[1], u6.getsockname()[1], flush=True)
        except (OSError, SystemExit) as e:     # the IPv4 flows live on
            print("ipv6-failed", e, flush=True)
    elif line.strip() == "keep":
        echo_udp(u, b"keep")
        print("kept", flush=True)
    elif line.strip() == "ping":
        echo_tcp(t, b"ping")
        print("tcp ok", flush=True)
        echo_udp(u, b"ping")
        print("udp ok", flush=True)
    elif line.strip() == "keep6":
        echo_udp(u6, b"keep")
        print("ipv6-kept", flush=True)
    elif line.strip() == "ping6":
        echo_tcp(t6, b"ping")
        print("tcp6 ok", flush=True)
        echo_udp(u6, b"ping")
        print("udp6 ok", flush=True)
EOF
mkfifo "$tmp/live.in"
ip netns exec $A1 python3 "$tmp/live.py" <"$tmp/live.in" >"$tmp/live.out" 2>&1 &
at_exit kill $!
exec {live}>"$tmp/live.in"
# live_tell WORD: a line to the live client.  If the client has died, the
# write fails (EPIPE, in a subshell that ignores SIGPIPE) and the checks
# waiting for its answer fail, instead of SIGPIPE ending the script.
live_tell() { (trap '' PIPE; echo "$1" >&"$live") 2>/dev/null; }
live_ready() { wait_for 120 grep -q '^ready' "$tmp/live.out" || { cat "$tmp/live.out"; false; }; }
check "a1's live TCP and UDP flows through its ENI are up" live_ready
read -r _ ctcp cudp < <(grep '^ready' "$tmp/live.out")

# conntrack gives a UDP flow its idle timeout (and ASSURED) only for a packet
# 2 s after its first one: echo datagrams until it has it, or the flow would
# end after nf_conntrack_udp_timeout (30 s) in the middle of the attacks.
udp_assured() {
	local n
	n=$(grep -c '^kept' "$tmp/live.out")
	live_tell keep
	wait_for 30 kept_more "$n" &&
	a1_flows | grep -F "10.0.0.5:$cudp " | grep -q ASSURED
}
kept_more() { [ "$(grep -c '^kept' "$tmp/live.out")" -gt "$1" ]; }
a1_flows() { plctl -n $R flow show endpoint ep-a | grep -F '10.0.0.5:'; }
check "a1's live UDP flow is assured (the service's idle timeout)" wait_for 60 udp_assured

# The same for the IPv6 flows: "six" sets them up ("ipv6-ready" or
# "ipv6-failed").
live_tell six
live_ready6() {
	wait_for 120 grep -q '^ipv6-' "$tmp/live.out" && grep -q '^ipv6-ready' "$tmp/live.out" ||
		{ cat "$tmp/live.out"; false; }
}
check "a1's live IPv6 TCP and UDP flows through its ENI's IPv6 address are up" live_ready6
read -r _ ctcp6 cudp6 < <(grep '^ipv6-ready' "$tmp/live.out")
a1_flows6() { plctl -n $R flow show endpoint ep-a | grep -F '[2001:db8:a::5]:'; }
udp_assured6() {
	local n
	n=$(grep -c '^ipv6-kept' "$tmp/live.out")
	live_tell keep6
	wait_for 30 kept6_more "$n" &&
	a1_flows6 | grep -F "[2001:db8:a::5]:$cudp6 " | grep -q ASSURED
}
kept6_more() { [ "$(grep -c '^ipv6-kept' "$tmp/live.out")" -gt "$1" ]; }
check "a1's live IPv6 UDP flow is assured (the service's idle timeout)" wait_for 60 udp_assured6

# flow_port PROTO CPORT: the NLB node (SNAT) port of a1's flow.
flow_port() {
	plctl -n $R -j flow show endpoint ep-a | json_eval "[f['nlb']['port'] for f in j
		if f['proto'] == '$1' and f['consumer']['addr'] == '10.0.0.5'
		and f['consumer']['port'] == ${2:-0} and f['target']['addr'] == '172.16.1.10'][0]"
}
ntcp=$(flow_port tcp "$ctcp") && nudp=$(flow_port udp "$cudp")
check "plctl flow show: a1's TCP flow 10.0.0.5:$ctcp via 172.16.0.10:$ntcp, UDP 10.0.0.5:$cudp via 172.16.0.10:$nudp" \
	test -n "$ntcp" -a -n "$nudp"
[ -n "$ntcp" ] && [ -n "$nudp" ] || { diag "no live flows: nothing to attack"; done_testing; }
flows="$ctcp,$cudp,$ntcp,$nudp"
flows0=$(a1_flows)

# flow_ports6: "NTCP6 NUDP6", the NLB node's IPv6 (SNAT) ports of a1's IPv6
# flows (one python: TCG makes every fork count).
flow_ports6() {
	plctl -n $R -j flow show endpoint ep-a | json_eval "' '.join(str([f['nlb']['port']
		for f in j if f['proto'] == p and f['consumer']['addr'] == '2001:db8:a::5'
		and f['consumer']['port'] == c and f['target']['addr'] == '2001:db8:16::10'][0])
		for p, c in (('tcp', ${ctcp6:-0}), ('udp', ${cudp6:-0})))"
}
read -r ntcp6 nudp6 < <(flow_ports6)
# flow_lines6: plctl flow show's IPv6 lines are a1's IPv6 flows, as read.
flow_lines6() {
	local f
	f=$(a1_flows6)
	grep -F "[2001:db8:a::5]:$ctcp6 -> [2001:db8:a::100]:80 via [2001:db8:16::100]:$ntcp6 -> [2001:db8:16::10]:8443 tcp " <<<"$f" &&
	grep -F "[2001:db8:a::5]:$cudp6 -> [2001:db8:a::100]:53 via [2001:db8:16::100]:$nudp6 -> [2001:db8:16::10]:5353 udp " <<<"$f" ||
		{ echo "$f"; false; }
}
check "plctl flow show: a1's IPv6 TCP flow [2001:db8:a::5]:$ctcp6 via [2001:db8:16::100]:$ntcp6, UDP [2001:db8:a::5]:$cudp6 via [2001:db8:16::100]:$nudp6" \
	flow_lines6
have6=1 flows6="$ctcp6,$cudp6,$ntcp6,$nudp6"
[ -n "$ctcp6" ] && [ -n "$cudp6" ] && [ -n "$ntcp6" ] && [ -n "$nudp6" ] ||
	{ diag "no live IPv6 flows: the IPv6 cells are not run"; have6=0 flows6=0,0,0,0; }
flows60=$(a1_flows6)

# atk_hits NS: "MARK PACKETS" for every attack mark NS has counted.
atk_hits() {
	ip netns exec "$1" nft list table inet platk |
		grep -oE '[0-9]+ counter packets [0-9]+' | awk '{ print $1, $4 }'
}
# hits_of HITS MARK: the packets counted for MARK in HITS (atk_hits output).
hits_of() { awk -v m="$2" '$1 == m { n = $2 } END { print n + 0 }' <<<"$1"; }
# hits_table ARRAY NS: ARRAY[MARK] = packets, for every mark NS counted.
hits_table() {
	local -n t=$1
	local m n
	t=()
	while read -r m n; do
		[ -n "$m" ] && t[$m]=$n
	done < <(atk_hits "$2")
}
atk_ctl() { ip netns exec "$1" nft list counter inet platk control | awk '$1 == "packets" { print $2 }'; }
atk_ctl_gt() { [ "$(atk_ctl "$1")" -gt "$2" ]; }
# atk_bound: n1's control datagrams to a1 and p1 (routed: n1 is in no VPC)
# are counted, so whatever was sent before them has been through R.
atk_bound() {
	local a p
	a=$(atk_ctl $A1) && p=$(atk_ctl $P1) || return 1
	ip netns exec $N1 bash -c 'echo bound >/dev/udp/10.0.0.5/7777 &&
		echo bound >/dev/udp/172.16.1.10/7777' &&
	wait_for 30 atk_ctl_gt $A1 "$a" && wait_for 30 atk_ctl_gt $P1 "$p"
}
# atk_reached VICTIMS MARK: a victim (a, p or ap) counted MARK.
atk_reached() {
	local n=0
	[[ $1 == *a* ]] && n=$((n + $(hits_of "$(atk_hits $A1)" "$2")))
	[[ $1 == *p* ]] && n=$((n + $(hits_of "$(atk_hits $P1)" "$2")))
	[ $n -gt 0 ]
}
# row_sent STATUS OUT: the attacker exited 0 and said what it sent.
row_sent() { cat "$2"; [ "$1" = 0 ] && grep -q '^sent' "$2"; }
# router_stats: wv, sp = R's drop_wrong_vpc, drop_spoofed ("none" if absent).
router_stats() {
	local j re_wv='"drop_wrong_vpc": ?([0-9]+)' re_sp='"drop_spoofed": ?([0-9]+)'
	local re_iv='"drop_invalid": ?([0-9]+)'
	j=$(plctl -n $R -j version)
	wv=none sp=none iv=none
	[[ $j =~ $re_wv ]] && wv=${BASH_REMATCH[1]}
	[[ $j =~ $re_sp ]] && sp=${BASH_REMATCH[1]}
	[[ $j =~ $re_iv ]] && iv=${BASH_REMATCH[1]}
}
# grew KEY BEFORE NOW N: the router's counter KEY grew by at least N.
grew() {
	[ "$3" != none ] || { echo "plctl -j version has no $1"; return 1; }
	[ "$2" != none ] && [ "$3" -ge $(($2 + $4)) ] ||
		{ echo "$1: $2 -> $3, wanted at least +$4"; return 1; }
}

# describe NAME KIND TARGET OWN_ENI VICTIMS: sets desc and victims (no fork:
# TCG makes every fork count).  OWN_ENI: of TARGET's family.
describe() {
	local k t six=
	case $3 in *.6) six=6 ;; esac
	case $2 in
	syn) k="TCP SYN" ;; synack) k="TCP SYN-ACK" ;; rst) k="TCP RST" ;;
	ack) k="TCP mid-stream ACK" ;; udp) k="UDP" ;; echo) k="ICMP${six:+v6} echo" ;;
	echoreply) k="ICMP${six:+v6} echo-reply" ;;
	icmperr) k="ICMP${six:+v6} port unreachable quoting a1's ${six:+IPv6 }UDP flow" ;;
	frag1) k="${six:+IPv6 }first fragment only" ;;
	frags) k="fragmented ${six:+IPv6 }UDP datagram" ;;
	ipv6) k="IPv6 UDP" ;;
	esac
	case $3 in
	a1) t="a1" ;; p1) t="p1" ;; eni) t="A's ENI 10.0.0.100" ;;
	nlb) t="NLB node 172.16.0.10" ;; own-eni) t="its own VPC's ENI $4" ;;
	reply)
		case $2 in
		syn | synack | rst | ack) t="reply tuple of a1's TCP flow" ;;
		echo | echoreply) t="reply tuple addresses 172.16.1.10 -> 172.16.0.10" ;;
		*) t="reply tuple of a1's UDP flow" ;;
		esac ;;
	a1.6) t="a1 2001:db8:a::5" ;; eni.6) t="A's ENI 2001:db8:a::100" ;;
	nlb.6) t="NLB node 2001:db8:16::100" ;; own-eni.6) t="its own VPC's ENI $4" ;;
	reply.6)
		case $2 in
		syn | synack | rst | ack) t="reply tuple of a1's IPv6 TCP flow" ;;
		echo | echoreply) t="reply tuple addresses 2001:db8:16::10 -> 2001:db8:16::100" ;;
		*) t="reply tuple of a1's IPv6 UDP flow" ;;
		esac ;;
	esac
	desc="$1 -> $t, $k"
	case $5 in a) victims=a1 ;; p) victims=p1 ;; ap) victims="a1 or p1" ;; esac
}

KINDS="syn synack rst ack udp echo echoreply icmperr frag1 frags"
mark=0xa700
cells=()
# cell KIND TARGET EXPECT VICTIMS COUNTER: EXPECT none (isolated) or some
# (positive control); VICTIMS a, p or ap; COUNTER the router counter that
# must count it (wrong, spoofed, invalid or -).  TARGET.6: its IPv6
# counterpart (not run without live IPv6 flows: their checks failed).
cell() {
	local ctr=$5
	[[ $2 == *.6 && $have6 = 0 ]] && return
	[ "$1" = frag1 ] && ctr=-	# held by defrag: never forwarded, maybe never seen
	cells+=("$1 $2 $3 $4 $ctr")
}

# run_row NAME SRC4 SRC6 OWN_ENI OWN_ENI6: send the cells of $cells (NAME's
# attacker), check each.
run_row() {
	local name=$1 src4=$2 src6=$3 own=$4 own6=$5
	local c kind target expect vict ctr args=() marks=() i=0 na np fd
	local wrong=0 spoofed=0 invalid=0 wv0 sp0 iv0 wv sp iv desc victims
	local -A hits_a hits_p
	for c in "${cells[@]}"; do
		read -r kind target expect vict ctr <<<"$c"
		mark=$((mark + 1))
		marks+=("$mark")
		args+=("$mark:$kind:$target")
		case $ctr in
		wrong) wrong=$((wrong + 1)) ;;
		spoofed) spoofed=$((spoofed + 1)) ;;
		invalid) invalid=$((invalid + 1)) ;;
		esac
	done
	router_stats
	wv0=$wv sp0=$sp iv0=$iv
	fd=${atk_fd[$name]}
	echo "$src4 $src6 $own $own6 $flows $flows6 ${args[*]}" >&$fd
	exec {fd}>&-
	wait "${atk_pid[$name]}"
	check "$name: its ${#args[@]} cells' packets are sent" row_sent $? "$tmp/$name.out"
	check "$name: n1's control datagrams sent after them reached a1 and p1" atk_bound
	hits_table hits_a $A1 && hits_table hits_p $P1
	for c in "${cells[@]}"; do
		read -r kind target expect vict ctr <<<"$c"
		if [[ $target == *.6 ]]; then
			describe "$name" "$kind" "$target" "$own6" "$vict"
		else
			describe "$name" "$kind" "$target" "$own" "$vict"
		fi
		if [ "$expect" = some ]; then
			check "$desc: reaches $victims (positive control)" \
				wait_for 30 atk_reached "$vict" "${marks[i]}"
		else
			na=0 np=0
			[[ $vict == *a* ]] && na=${hits_a[${marks[i]}]:-0}
			[[ $vict == *p* ]] && np=${hits_p[${marks[i]}]:-0}
			[ $((na + np)) = 0 ] || diag "a1 counted $na, p1 $np (mark ${marks[i]})"
			check_eq "$desc: 0 packets reach $victims" 0 $((na + np))
		fi
		i=$((i + 1))
	done
	router_stats
	[ $wrong -gt 0 ] &&
		check "$name: drop_wrong_vpc counted at least $wrong packets" \
			grew drop_wrong_vpc "$wv0" "$wv" $wrong
	[ $spoofed -gt 0 ] &&
		check "$name: drop_spoofed counted at least $spoofed packets" \
			grew drop_spoofed "$sp0" "$sp" $spoofed
	[ $invalid -gt 0 ] &&
		check "$name: drop_invalid counted at least $invalid packets" \
			grew drop_invalid "$iv0" "$iv" $invalid
	cells=()
}

# p1, the provider's target.
for k in $KINDS ipv6; do cell $k a1 none a wrong; done
for k in $KINDS; do cell $k eni none a wrong; done
for k in $KINDS; do [ $k = icmperr ] || cell $k nlb none a invalid; done
cell udp reply some a -
for k in $KINDS; do cell $k a1.6 none a wrong; done
for k in $KINDS; do cell $k eni.6 none a wrong; done
for k in $KINDS; do [ $k = icmperr ] || cell $k nlb.6 none a invalid; done
cell udp reply.6 some a -
run_row p1 172.16.1.10 2001:db8:16::10 - -

# nlb_cells, reply_cells VICTIMS [.6]: the NLB node and reply tuple columns
# of a source in another VPC than P (.6: in IPv6).  Which counter: notes (6)
# and (7) above.
nlb_cells() {
	local k
	for k in $KINDS; do
		case $k in
		icmperr) cell $k nlb${2:-} none "$1" spoofed ;;
		*) cell $k nlb${2:-} none "$1" wrong ;;
		esac
	done
}
reply_cells() {
	local k
	for k in $KINDS; do
		case $k in
		echo | echoreply) cell $k reply${2:-} none "$1" wrong ;;
		*) cell $k reply${2:-} none "$1" spoofed ;;
		esac
	done
}

# b1, another consumer VPC (with its own endpoint to the same service).
for k in $KINDS ipv6; do cell $k a1 none ap wrong; done
for k in $KINDS; do cell $k eni none ap wrong; done
nlb_cells ap
reply_cells ap
cell ipv6 p1 none ap wrong
cell udp own-eni some p -
for k in $KINDS; do cell $k a1.6 none ap wrong; done
for k in $KINDS; do cell $k eni.6 none ap wrong; done
nlb_cells ap .6
reply_cells ap .6
cell udp own-eni.6 some p -
run_row b1 10.1.0.5 2001:db8:b::5 10.1.0.100 2001:db8:b::100

# h1, routed through the consumer VPC A.
nlb_cells ap
reply_cells ap
cell ipv6 p1 none ap wrong
cell udp own-eni some p -
nlb_cells ap .6
reply_cells ap .6
cell udp own-eni.6 some p -
run_row h1 192.168.50.5 2001:db8:50::5 10.0.0.100 2001:db8:a::100

# n1, an interface of no VPC.
cell icmperr nlb none ap spoofed
for k in $KINDS; do
	case $k in
	echo | echoreply) ;;
	*) cell $k reply none ap spoofed ;;
	esac
done
cell udp eni some a -
cell udp nlb some p -
cell udp a1 some a -
cell ipv6 a1 some a -
cell ipv6 p1 some p -
cell icmperr nlb.6 none ap spoofed
for k in $KINDS; do
	case $k in
	echo | echoreply) ;;
	*) cell $k reply.6 none ap spoofed ;;
	esac
done
cell udp eni.6 some a -
cell udp nlb.6 some p -
run_row n1 192.0.2.5 2001:db8:2::5 - -

# a1's live flows (both families) went through it all.
check_eq "a1's live flows are in R's conntrack table as before the attacks" \
	"$flows0" "$(a1_flows)"
check "a1's live TCP flow is still established" sh -c \
	"plctl -n $R flow show endpoint ep-a | grep -F '10.0.0.5:$ctcp ' | grep -q ESTABLISHED"
# live_said LINE: the live client printed LINE (else show what it printed).
live_said() { wait_for 70 grep -qx "$1" "$tmp/live.out" || { cat "$tmp/live.out"; false; }; }
live_tell ping
check "a1's live TCP flow still carries data both ways" live_said 'tcp ok'
check "a1's live UDP flow still carries data both ways" live_said 'udp ok'
check_eq "a1's live IPv6 flows are in R's conntrack table as before the attacks" \
	"$flows60" "$(a1_flows6)"
check "a1's live IPv6 TCP flow is still established" sh -c \
	"plctl -n $R flow show endpoint ep-a | grep -F '[2001:db8:a::5]:$ctcp6 ' | grep -q ESTABLISHED"
live_tell ping6
check "a1's live IPv6 TCP flow still carries data both ways" live_said 'tcp6 ok'
check "a1's live IPv6 UDP flow still carries data both ways" live_said 'udp6 ok'
exec {live}>&-
done_testing
