#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile packets through live flows: while a1 keeps a TCP connection and a
# UDP flow through its ENI, crafted packets (lib/craft.py: scapy, sent as
# Ethernet frames, so that even the IP header goes out as built) arrive at
# the ENI and the NLB node: IP options, tiny and overlapping fragments,
# ICMP errors quoting a flow as each side sees it and quoting no flow, TCP
# flag sets no TCP sends, odd and malformed TCP options, truncated and
# corrupted headers, and last a bulk upload that GRO merges into GSO-sized
# packets on the router, towards a provider link of a smaller MTU (path MTU
# discovery through the translation).  Each packet is either translated
# correctly - checked on the far side in a tcpdump capture, every checksum
# recomputed (lib/pcap_check.py) - or dropped and counted: by the kernel
# before netfilter (IpExt InTruncatedPkts, InCsumErrors, ReasmOverlaps) or
# by privlink (drop_invalid: conntrack judged it invalid, and an ENI or NLB
# node address is no host to route it to).  Nothing is routed towards the
# ENI or NLB node address (no neighbour entry appears on the router), no
# ICMP error or redirect about a crafted packet comes back, the live flows
# still carry data, and the kernel logs nothing.  (A segment outside a live
# connection's window is not sent: 6.1's conntrack passes some of them as
# the flow's, "ignored", and judges others invalid, by where the random
# sequence number falls.)
#
#   C (consumer VPC)          R (router, privlink)             P (provider VPC)
#   c0 10.0.0.5/24 --------- rc0 10.0.0.1/24 [gro on]
#   a1: live TCP to ENI:80   rp0 172.16.0.1/16 -------------- p0 172.16.1.10/16
#       live UDP :40001      ENI 10.0.0.100, NLB 172.16.0.10   echo tcp/8080 udp/5353,
#                                                              sink tcp/8081
#   listeners tcp/80:8080 udp/53:5353 tcp/81:8081
#
# Transmit checksum offload is off on c0 and p0, so that every packet on
# the wire (not only the crafted ones) carries its full checksum and the
# captures can verify all that crosses the router.
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

ENI=10.0.0.100 NLB=172.16.0.10 TGT=172.16.1.10 A1=10.0.0.5
lib=$(cd "$(dirname "$0")/lib" && pwd)
for t in tcpdump ethtool socat; do
	command -v $t >/dev/null || { diag "$t is missing (scripts/deps.sh installs it)"; exit 1; }
done
python3 -c 'import scapy' 2>/dev/null ||
	{ diag "python3-scapy is missing (scripts/deps.sh installs it)"; exit 1; }
module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
netns_new C=pl-hostile-c R=pl-hostile-r P=pl-hostile-p &&
topo_std $C $R $P &&
ip netns exec $C ethtool -K c0 tx off >/dev/null &&
ip netns exec $P ethtool -K p0 tx off >/dev/null ||
	{ diag "cannot build the topology"; exit 1; }
tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
mac() { ip -n "$1" link show dev "$2" | awk '/link\/ether/ { print $2 }'; }

# The crafter, started first: scapy imports slowly under TCG.
exec {craft_w}<>"$(mkfifo "$tmp/craft.in" && echo "$tmp/craft.in")"
exec {craft_r}<>"$(mkfifo "$tmp/craft.out" && echo "$tmp/craft.out")"
python3 "$lib/craft.py" $C c0 "$(mac $C c0)" "$(mac $R rc0)" \
	$P p0 "$(mac $P p0)" "$(mac $R rp0)" <&$craft_w >&$craft_r 2>"$tmp/craft.err" &
at_exit kill $!
# craft CMD ARGS...: sends; sets $first and $last (the IP ids used) and
# $extra (anything else the crafter said).
craft() {
	local word
	echo "$*" >&$craft_w
	read -r -t 180 -u $craft_r word n first last extra ||
		{ diag "the crafter did not answer '$*'" "$(tail -n 5 "$tmp/craft.err")"; return 1; }
	[ "$word" = sent ] || { diag "crafter: $word $n $first $last $extra"; return 1; }
}

# Captures: what reaches a1, what reaches p1, what R receives from C.
capture() {	# NS DEV NAME
	ip netns exec "$1" tcpdump -i "$2" -n -U -Z root -w "$tmp/$3.pcap" ip \
		2>"$tmp/$3.tcpdump" &
	at_exit kill $!
}
capture $C c0 c && capture $P p0 p && capture $R rc0 r
for n in c p r; do
	wait_for 60 grep -q 'listening on' "$tmp/$n.tcpdump" ||
		{ diag "tcpdump ($n) did not start" "$(cat "$tmp/$n.tcpdump")"; exit 1; }
done
# seen NAME EXPR [MIN [MAX]]: in capture NAME, MIN..MAX packets match EXPR
# (a python expression over p: lib/pcap_check.py), all checksums right.
seen() { python3 "$lib/pcap_check.py" "$tmp/$1.pcap" "${@:2}"; }
# seen_soon NAME EXPR: seen within 60 s (else what was seen instead).
seen_soon() { wait_for 60 seen "$@" || seen "$@"; }
# netstat NS FIELD: one counter of /proc/net/netstat (e.g. IpExt:ReasmOverlaps)
netstat() {
	ip netns exec "$1" awk -v want="$2" -F'[: ]+' '
		/^[A-Za-z]+: [A-Z]/ && !h[$1]++ { for (i = 2; i <= NF; i++) name[$1, i] = $i; next }
		{ for (i = 2; i <= NF; i++) if ($1 ":" name[$1, i] == want) print $i }' \
		/proc/net/netstat
}

# The provider: a UDP echo naming the peer, a TCP echo, a TCP sink.
ip netns exec $P python3 "$lib/udp_echo.py" 5353 >/dev/null 2>&1 &
at_exit kill $!
ip netns exec $P socat TCP4-LISTEN:8080,fork,reuseaddr EXEC:cat >/dev/null 2>&1 &
at_exit kill $!
ip netns exec $P socat -u TCP4-LISTEN:8081,reuseaddr OPEN:"$tmp/upload.out",creat,trunc \
	>/dev/null 2>"$tmp/sink.err" &
at_exit kill $!
for l in "udp 5353" "tcp 8080" "tcp 8081"; do
	wait_for 90 dp_listening $P $l || diag "the provider's $l server did not start"
done

check "configure a service (tcp/80:8080 udp/53:5353 tcp/81:8081) and an endpoint" sh -c '
	set -e
	pl() { plctl -n $R "$@"; }
	pl az add use1-az1
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 dev rp0
	pl service add svc vpc provider listener tcp/80:8080 udp/53:5353 tcp/81:8081 \
		nlb use1-az1 172.16.0.10 acceptance auto principal "*"
	pl target add svc 172.16.1.10 az use1-az1
	pl endpoint add ep vpc consumer service svc eni use1-az1 10.0.0.100'

# a1's live flows: TCP to ENI:80, UDP from :40001 to ENI:53 (a real socket:
# it takes the path MTU the ICMP errors teach).  Commands on stdin: "tcp W"
# and "udp W" echo W and say "ok" or "fail".
cat > "$tmp/live.py" <<'EOF'
import socket, sys
t = socket.create_connection(("10.0.0.100", 80), timeout=30)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("10.0.0.5", 40001))
u.connect(("10.0.0.100", 53))
u.settimeout(3)
print(t.getsockname()[1], flush=True)
for line in sys.stdin:
    kind, word = line.split()
    w = word.encode()
    try:
        if kind == "tcp":
            t.sendall(w + b"\n")
            buf = b""
            while not buf.endswith(w + b"\n"):
                d = t.recv(100)
                if not d:
                    raise OSError("closed")
                buf += d
        else:
            for _ in range(10):         # a datagram may be lost; the echoes
                try:                    # of crafted ones are skipped
                    u.send(w)
                    while not u.recv(2000).endswith(b":" + w):
                        pass
                    break
                except OSError:         # timeouts, ICMP errors
                    pass
            else:
                raise OSError("no echo")
        print("ok", flush=True)
    except OSError as e:
        print("fail", e, flush=True)
EOF
exec {live_w}<>"$(mkfifo "$tmp/live.in" && echo "$tmp/live.in")"
exec {live_r}<>"$(mkfifo "$tmp/live.out" && echo "$tmp/live.out")"
ip netns exec $C python3 "$tmp/live.py" <&$live_w >&$live_r 2>"$tmp/live.err" &
at_exit kill $!
# live tcp|udp WORD: a1's flow echoes WORD.
live() {
	local r
	echo "$1 $2" >&$live_w
	read -r -t 120 -u $live_r r || { diag "no answer from a1's client"; return 1; }
	[ "$r" = ok ] || { diag "a1's $1 flow: $r" "$(cat "$tmp/live.err")"; return 1; }
}
read -r -t 120 -u $live_r cport || { diag "a1 did not connect" "$(cat "$tmp/live.err")"; exit 1; }
check "a1's live TCP flow a1:$cport -> ENI:80 echoes" live tcp first
check "a1's live UDP flow a1:40001 -> ENI:53 echoes" live udp first
# The UDP flow's NLB node port, as the provider sees it.
nport=$(ip netns exec $R conntrack -L -p udp --orig-port-src 40001 2>/dev/null |
	grep -o 'dport=[0-9]*' | sed -n 2p | cut -d= -f2)
check "the UDP flow's NLB node port is known ($nport)" test -n "$nport"
read -r -t 180 -u $craft_r ready ||
	{ diag "the crafter did not start" "$(cat "$tmp/craft.err")"; exit 1; }
invalid0=$(dp_stat $R drop_invalid)
check "drop_invalid is a counter (at $invalid0)" test -n "$invalid0"

# control TOKEN: a datagram on a1's UDP flow (crafted, from :40001) reaches
# p1.  The packets sent before it have been dealt with by then.
control() {
	craft udp 40001 "$1" &&
	seen_soon p "p.dst == '$TGT' and p.dport == 5353 and b'$1' in p.data"
}

# 1. IP options: record route and timestamps, forwarded and translated.
craft ipopts 40001 ipoptions-token
check "IP options: p1 gets the datagram from the NLB node, options kept, R's address recorded" \
	seen_soon p "p.src == '$NLB' and p.dst == '$TGT' and p.dport == 5353 and
		b'ipoptions-token' in p.data and p.ihl == 48 and 'ac100001' in p.ipopts"
check "IP options: the echo reaches a1 from ENI:53, checksums right" \
	seen_soon c "p.src == '$ENI' and p.sport == 53 and p.dport == 40001 and
		p.data.endswith(b':ipoptions-token')"

# 2. Tiny fragments, last first: reassembled, translated, refragmented.
craft frag-tiny 40001 tinyfrag && nfrag=$n
check "tiny fragments ($nfrag of 8 bytes, last first): p1 reassembles the translated datagram" \
	seen_soon p "p.src == '$NLB' and p.dst == '$TGT' and p.dport == 5353 and
		b'tinyfrag' in p.data and len(p.data) == 240"
check "tiny fragments: the echo reaches a1" \
	seen_soon c "p.src == '$ENI' and p.dport == 40001 and b'tinyfrag' in p.data"

# 3. Overlapping fragments: the kernel's reassembly drops the datagram.
overlaps0=$(netstat $R IpExt:ReasmOverlaps)
craft frag-overlap 40001 overlapfrag
check "overlapping fragments: the control datagram behind them reaches p1" control control-overlap
check "overlapping fragments: nothing of them reaches p1" \
	seen p "p.dst == '$TGT' and b'overlapfrag' in (p.data or b'')" 0 0
check "overlapping fragments: counted in R's IpExt ReasmOverlaps" \
	test "$(netstat $R IpExt:ReasmOverlaps)" -gt "$overlaps0"

# 4. Fragmentation needed from the target, quoting the flow as it saw it:
# a1 gets it from the ENI about its own datagram and learns the path MTU.
craft ptb "$nport" 1300
check "fragmentation needed from p1: a1 gets it from ENI quoting a1:40001 -> ENI:53, checksums right" \
	seen_soon c "p.type == 3 and p.code == 4 and p.mtu == 1300 and p.src == '$ENI' and
		p.dst == '$A1' and p.inner.src == '$A1' and p.inner.dst == '$ENI' and
		p.inner.sport == 40001 and p.inner.dport == 53 and p.inner.l4_ok"
check "a1 learnt the path MTU to the ENI (1300)" \
	wait_for 30 sh -c "ip -n $C route get $ENI | grep -q 'mtu 1300'"

# 5. Port unreachable from a1 about a reply it got: p1 gets it from the NLB
# node, quoting target:5353 -> NLB:nport.
craft unreach 40001
check "port unreachable from a1: p1 gets it from the NLB node quoting $TGT:5353 -> $NLB:$nport" \
	seen_soon p "p.tos == 0x28 and p.type == 3 and p.code == 3 and p.src == '$NLB' and
		p.dst == '$TGT' and p.inner.src == '$TGT' and p.inner.dst == '$NLB' and
		p.inner.sport == 5353 and p.inner.dport == $nport and p.inner.l4_ok"

# 6. ICMP errors about no flow, or about a flow as the other side sees it.
invalid=$(dp_stat $R drop_invalid)
craft unknown 40001 "$nport"
check "ICMP errors about no flow: the control behind them reaches p1" control control-unknown
check "ICMP errors about no flow: none reaches p1" \
	seen p "p.tos == 0x28 and p.dst == '$TGT' and $first <= p.id <= $last" 0 0
check "ICMP errors about no flow: none reaches a1" \
	seen c "p.tos == 0x28 and p.dst == '$A1' and $first <= p.id <= $last" 0 0
check_eq "ICMP errors about no flow: drop_invalid counts the 4" \
	$((invalid + 4)) "$(dp_stat $R drop_invalid)"

# 7. TCP flag sets no TCP sends, new and on the live connection.
invalid=$(dp_stat $R drop_invalid)
craft flags "$cport"
check "odd TCP flags: the control behind them reaches p1" control control-flags
check "odd TCP flags: none reaches p1" \
	seen p "p.tos == 0x28 and p.dst == '$TGT' and $first <= p.id <= $last" 0 0
check_eq "odd TCP flags: drop_invalid counts the 6 (SF SR F none FSRPAU; SF on the live tuple)" \
	$((invalid + 6)) "$(dp_stat $R drop_invalid)"
check "odd TCP flags: the live connection still echoes" live tcp after-flags

# 8. TCP options, well-formed and malformed, kept byte for byte.
flows=$(dp_stat $R new_flows)
craft tcpopts 40030 && read -r good bad <<<"$extra"
check "TCP options: p1 gets the SYN from the NLB node with its options unchanged" \
	seen_soon p "p.src == '$NLB' and p.dport == 8080 and p.flags == 'S' and p.opts == '$good'"
check "malformed TCP options: p1 gets that SYN unchanged too" \
	seen_soon p "p.src == '$NLB' and p.dport == 8080 and p.flags == 'S' and p.opts == '$bad'"
check "TCP options: a1 gets p1's SYN-ACK from ENI:80, checksums right" \
	seen_soon c "p.src == '$ENI' and p.sport == 80 and p.dport == 40030 and p.flags == 'SA'"
check_eq "TCP options: both SYNs were new flows" $((flows + 2)) "$(dp_stat $R new_flows)"

# 9. Truncated and corrupted headers.
invalid=$(dp_stat $R drop_invalid)
trunc0=$(netstat $R IpExt:InTruncatedPkts) csum0=$(netstat $R IpExt:InCsumErrors)
craft truncated 40001
check "truncated headers: the control behind them reaches p1" control control-truncated
check "truncated and corrupted headers: none reaches p1" \
	seen p "p.tos == 0x28 and p.dst == '$TGT' and $first <= p.id <= $last" 0 0
check_eq "IP total length beyond the frame: counted in R's IpExt InTruncatedPkts" \
	$((trunc0 + 1)) "$(netstat $R IpExt:InTruncatedPkts)"
check_eq "bad IP header checksum: counted in R's IpExt InCsumErrors" \
	$((csum0 + 1)) "$(netstat $R IpExt:InCsumErrors)"
check_eq "short TCP header, bad data offset, bad UDP length, short ICMP quote, bad TCP and UDP checksums: drop_invalid counts the 6" \
	$((invalid + 6)) "$(dp_stat $R drop_invalid)"

# 10. GRO on R's consumer side merges a1's segments into GSO-sized packets;
# the provider link's MTU is 1280: R's fragmentation-needed must reach a1
# translated, or the upload stalls.
head -c 4000000 /dev/urandom > "$tmp/upload.in"
ip netns exec $R ethtool -K rc0 gro on >/dev/null &&
ip -n $R link set rp0 mtu 1280
check "GRO on R's rc0, the provider link's MTU 1280" \
	sh -c "ip netns exec $R ethtool -k rc0 | grep -q 'generic-receive-offload: on'"
check "a 4 MB upload through ENI:81 completes" \
	timeout 120 ip netns exec $C socat -u OPEN:"$tmp/upload.in" TCP4:$ENI:81
wait_for 60 sh -c "[ \$(stat -c %s '$tmp/upload.out') = 4000000 ]"
check_eq "the upload arrived intact (sha256)" \
	"$(sha256sum < "$tmp/upload.in")" "$(sha256sum < "$tmp/upload.out")"
check "R received GSO-sized packets (GRO) on the flow to ENI:81" \
	python3 "$lib/pcap_check.py" --any-checksum "$tmp/r.pcap" \
		"p.dst == '$ENI' and p.dport == 81 and p.len > 1500"
check "a1 got R's fragmentation needed (MTU 1280) from the ENI quoting its segment to ENI:81" \
	seen c "p.type == 3 and p.code == 4 and p.mtu == 1280 and p.src == '$ENI' and
		p.inner.src == '$A1' and p.inner.dst == '$ENI' and p.inner.dport == 81"
check "a1 learnt the path MTU to the ENI (1280)" sh -c "ip -n $C route get $ENI | grep -q 'mtu 1280'"

# Last: the live flows, the isolation counters, the neighbour tables, and
# every packet R sent to either side.
check "the live TCP connection still echoes" live tcp last
check "the live UDP flow still echoes" live udp last
check_eq "nothing counted in drop_wrong_vpc or drop_spoofed" "0 0" \
	"$(dp_stat $R drop_wrong_vpc) $(dp_stat $R drop_spoofed)"
check_eq "R routed nothing towards the ENI or NLB node address (no neighbour entry)" "" \
	"$(ip -n $R neigh show to $ENI; ip -n $R neigh show to $NLB)"
check "no ICMP error about a crafted packet came back to a1 (no redirect, no unreachable)" \
	seen c "p.dst == '$A1' and p.proto == 1 and p.inner is not None and p.inner.tos == 0x28" 0 0
check "every packet that reached a1 has its checksums right" seen c "p.dst == '$A1'"
check "every packet that reached p1 (but the upload's GSO) has its checksums right" \
	seen p "p.dst == '$TGT' and p.dport != 8081"
done_testing
