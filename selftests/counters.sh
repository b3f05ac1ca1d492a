#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-object counters: new flows, refused flows, packets and bytes of every
# endpoint, ENI and target, and the report of SNAT port exhaustion.
#
# - UDP, exact: 100 datagrams of 1000 bytes (IP length) through ENI a count
#   100 packets / 100000 bytes on ENI a, the endpoint and target TA (zonal:
#   cross-zone off), nothing on ENI b or TB.
# - TCP, against conntrack's own accounting: 1 MB fetched with curl through
#   ENI b; once the flow is in TIME_WAIT, the bytes and packets of ENI b, the
#   endpoint's growth and TB equal the flow's "packets=/bytes=" (both
#   directions) in conntrack -L with nf_conntrack_acct on.
# - A port that is no listener: refused, counted on ENI a and the endpoint.
# - Port exhaustion: SNAT keeps a source port below 512 in 1-511 (nf_nat's
#   convention), so 511 UDP flows from 10.0.0.5 ports 1-511 take every port
#   of NLB node 172.16.0.10 towards TA:9000; three more from 10.0.0.6 cannot
#   be bound: each is refused and counted (drop_nat_failed, TA's drops), the
#   kernel log names the service and target, and the provider receives
#   exactly the 511.  The sink never answers, so these flows keep UDP's
#   "unreplied" timeout, which a service's policy copies from the namespace
#   when the service is made: the router's is 600 s rather than 30, so that
#   the 511 are still in conntrack when the test lists them on a slow kernel.
#
#   pl-cnt-c (consumer VPC)      pl-cnt-r (router)                pl-cnt-p (provider VPC)
#   +-------------------+ veth   +--------------------------+ veth +----------------------+
#   | c0 10.0.0.5/24    |--------| rc0 10.0.0.1/24          |------| p0 172.16.0.2/16     |
#   |    10.0.0.6/24    |        | rp0 172.16.0.1/16        |      | TA 172.16.1.11 (az1) |
#   +-------------------+        | svc: tcp/80:8080 udp/9000|      | TB 172.16.1.12 (az2) |
#     ENI a 10.0.0.100 (az1) ->  |  nlb az1 172.16.0.10     |      | http :8080, udp :9000|
#     ENI b 10.0.0.101 (az2) ->  |  nlb az2 172.16.0.11     |      +----------------------+
#                                +--------------------------+
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
EA=10.0.0.100 EB=10.0.0.101 TA=172.16.1.11 TB=172.16.1.12
netns_new C=pl-cnt-c R=pl-cnt-r P=pl-cnt-p &&
topo_std $C $R $P 172.16.0.2 $TA $TB &&
ip -n $C addr add 10.0.0.6/24 dev c0 &&
ip netns exec $R sysctl -qw net.netfilter.nf_conntrack_acct=1 &&
ip netns exec $R sysctl -qw net.netfilter.nf_conntrack_udp_timeout=600 ||
	{ diag "cannot build the topology"; exit 1; }

tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
head -c 1000000 /dev/urandom > "$tmp/blob"
topo_http $P 8080 "$tmp/www" "" $TA $TB || exit 1
cp "$tmp/blob" "$tmp/www/$TA/blob" && cp "$tmp/blob" "$tmp/www/$TB/blob"
# a UDP sink (no ICMP errors back) and a counter of what reaches it
ip netns exec $P python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 9000))
while True:
    s.recv(4096)' &
at_exit kill $!
ip netns exec $P nft -f - <<'EOF'
table ip plcnt {
	chain in { type filter hook input priority -400; udp dport 9000 counter; }
}
EOF
wait_for 60 dp_listening $P udp 9000 || diag "the UDP sink did not start"

pl() { plctl -n $R "$@"; }
check "configure two AZs, a service with two targets, an endpoint with two ENIs" sh -c "
	set -e
	plctl -n $R az add az1
	plctl -n $R az add az2
	plctl -n $R vpc add consumer account 111 cidr 10.0.0.0/24 dev rc0
	plctl -n $R vpc add provider account 222 cidr 172.16.0.0/16 dev rp0
	plctl -n $R service add svc vpc provider listener tcp/80:8080 listener udp/9000 \
		nlb az1 172.16.0.10 nlb az2 172.16.0.11 acceptance auto principal 111
	plctl -n $R target add svc $TA az az1
	plctl -n $R target add svc $TB az az2
	plctl -n $R endpoint add vpce-1 vpc consumer service svc eni az1 $EA eni az2 $EB" || done_testing

# stat KIND NAME|ADDR KEY: one counter of an endpoint (by name), an ENI or a
# target (by address).
stat() {
	case $1 in
	endpoint) pl -s -j endpoint show "$2" | json_eval "j[0]['stats']['$3']" ;;
	eni) pl -s -j eni show | json_eval "[e['stats']['$3'] for e in j if e['addr'] == '$2'][0]" ;;
	target) pl -s -j target show | json_eval "[t['stats']['$3'] for t in j if t['addr'] == '$2'][0]" ;;
	esac
}
# equals VALUE CMD...: CMD prints VALUE (for wait_for)
equals() { [ "$("${@:2}" 2>/dev/null)" = "$1" ]; }
udp_received() {
	ip netns exec $P nft -j list chain ip plcnt in | json_eval \
		'[e["counter"]["packets"] for o in j["nftables"] if "rule" in o for e in o["rule"]["expr"] if "counter" in e][0]'
}

check_eq "an endpoint without traffic counts nothing" "0 0 0 0" \
	"$(for k in new_flows drops packets bytes; do stat endpoint vpce-1 $k; done | xargs)"
check_eq "eni show -s prints the counters" \
	"vpce-1 az az1 addr $EA vpc consumer new-flows 0 drops 0 packets 0 bytes 0" \
	"$(pl -s eni show vpce-1 | head -n1)"

# --- UDP: exact counts ------------------------------------------------------
ip netns exec $C python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(100):
    s.sendto(b"x" * 972, ("'$EA'", 9000))'
check "the provider received the 100 datagrams" wait_for 60 equals 100 udp_received
check_eq "ENI a: 1 flow, 100 packets, 100000 bytes" "1 100 100000" \
	"$(stat eni $EA new_flows) $(stat eni $EA packets) $(stat eni $EA bytes)"
check_eq "the endpoint: the same" "1 100 100000" \
	"$(stat endpoint vpce-1 new_flows) $(stat endpoint vpce-1 packets) $(stat endpoint vpce-1 bytes)"
check_eq "target TA (zonal): the same" "1 100 100000" \
	"$(stat target $TA new_flows) $(stat target $TA packets) $(stat target $TA bytes)"
check_eq "ENI b and TB: nothing" "0 0 0 0" \
	"$(stat eni $EB packets) $(stat eni $EB bytes) $(stat target $TB packets) $(stat target $TB bytes)"

# --- TCP: equal to conntrack's accounting ------------------------------------
ep_p0=$(stat endpoint vpce-1 packets) ep_b0=$(stat endpoint vpce-1 bytes)
want=$(sha256sum < "$tmp/blob")
got=$(ip netns exec $C curl -s --max-time 60 http://$EB/blob | sha256sum)
check_eq "1 MB through ENI b, sha256 equal" "$want" "$got"
check "the flow reached TIME_WAIT" wait_for 30 sh -c \
	"ip netns exec $R conntrack -L -p tcp --orig-dst $EB 2>/dev/null | grep -q TIME_WAIT"
# packets and bytes of the flow, both directions, from conntrack -L
ct_acct() {
	ip netns exec $R conntrack -L -p tcp --orig-dst $EB 2>/dev/null |
		python3 -c '
import re, sys
line = sys.stdin.read()
print(sum(map(int, re.findall(r"packets=(\d+)", line))),
      sum(map(int, re.findall(r"bytes=(\d+)", line))))'
}
acct=$(ct_acct)
diag "conntrack accounting of the flow (packets bytes): $acct"
check "the flow carried the megabyte" test "${acct#* }" -gt 1000000
check_eq "ENI b: packets and bytes equal conntrack's" "$acct" \
	"$(stat eni $EB packets) $(stat eni $EB bytes)"
check_eq "target TB: the same" "$acct" \
	"$(stat target $TB packets) $(stat target $TB bytes)"
check_eq "the endpoint grew by the same" "$acct" \
	"$(( $(stat endpoint vpce-1 packets) - ep_p0 )) $(( $(stat endpoint vpce-1 bytes) - ep_b0 ))"
check_eq "ENI b and TB: one new flow each" "1 1" \
	"$(stat eni $EB new_flows) $(stat target $TB new_flows)"
check_eq "JSON has all four counters" "bytes drops new_flows packets" \
	"$(pl -s -j endpoint show vpce-1 | json_eval '" ".join(sorted(j[0]["stats"]))')"

# --- refused flows ------------------------------------------------------------
ip netns exec $C python3 -c '
import socket
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("'$EA'", 9999))'
check "a datagram to a port that is no listener is refused (ENI a's drops)" \
	wait_for 30 equals 1 stat eni $EA drops
check_eq "counted on the endpoint; not on ENI b" "1 0" \
	"$(stat endpoint vpce-1 drops) $(stat eni $EB drops)"

# --- SNAT port exhaustion -----------------------------------------------------
nat0=$(dp_stat $R drop_nat_failed)
rx0=$(udp_received)
ip netns exec $C python3 -c '
import socket
for src, ports in (("10.0.0.5", range(1, 512)), ("10.0.0.6", range(1, 4))):
    for p in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((src, p))
        s.sendto(b"y", ("'$EA'", 9000))
        s.close()'
check "three flows could not be bound (drop_nat_failed)" \
	wait_for 60 dp_stat_ge $R drop_nat_failed $((nat0 + 3))
check_eq "exactly three" $((nat0 + 3)) "$(dp_stat $R drop_nat_failed)"
check_eq "TA counts them as its drops" 3 "$(stat target $TA drops)"
check_eq "TA took the 511 others as new flows (1 earlier)" 512 "$(stat target $TA new_flows)"
check "the provider received the 511" wait_for 30 equals $((rx0 + 511)) udp_received
# the reply tuples: TA:9000 -> 172.16.0.10:1..511, every port once
nlb_ports() {
	ip netns exec $R conntrack -L -p udp --orig-dst $EA 2>/dev/null | python3 -c '
import re, sys
ports = set()
for line in sys.stdin:
    t = re.findall(r"src=(\S+) dst=(\S+) sport=(\d+) dport=(\d+)", line)
    if len(t) == 2 and t[1][0] == "'$TA'" and t[1][1] == "172.16.0.10" and int(t[1][3]) < 512:
        ports.add(int(t[1][3]))
print(len(ports), min(ports), max(ports))'
}
check_eq "conntrack: 511 flows from NLB node 172.16.0.10, ports 1-511" "511 1 511" "$(nlb_ports)"
check "the kernel log names the service and the target" \
	sh -c "dmesg | grep -q 'privlink: svc: cannot bind a flow to $TA:9000 via NLB node 172.16.0.10 (source ports exhausted?)'"
done_testing
