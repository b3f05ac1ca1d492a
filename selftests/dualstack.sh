#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Dual stack: one dualstack interface endpoint, reached with curl -4 and
# curl -6.  Each family keeps its own: an IPv4 flow to the ENI's IPv4
# address goes to the IPv4 target from the NLB node's IPv4 address, an IPv6
# flow to its IPv6 address to the IPv6 target from the node's IPv6 address.
# The router answers neighbour solicitations for the ENI (and, on the
# provider's side, the NLB node) with no address or proxy-NDP
# configuration, but not from another VPC and not a duplicate address
# detection probe.  Non-listeners get a TCP RST or an ICMPv6 port
# unreachable; removing the IPv6 target ends its flows only; a family
# without a target drops its new flows; removing the ENI ends both
# families' flows.  Refusals of endpoints, ENIs and targets that do not fit
# the service's or the VPC's families carry exact messages.  An IPv4 VPC
# given an IPv6 prefix by "vpc set" (while an IPv4 transfer runs through it,
# which ends well) takes an IPv6 endpoint; a prefix it has cannot change,
# and a new one is checked as at "vpc add" (host bits, overlap).
#
#   pl-ds-c (consumer VPC)        pl-ds-r (router)               pl-ds-p (provider VPC)
#   c0 10.0.0.5/24       ------ rc0 10.0.0.1/24
#      fd00:10::5/64                fd00:10::1/64
#                               rp0 172.16.0.1/16     -------- p0 172.16.1.10/16
#                                   fd00:172:16::1/48             fd00:172:16:1::10/48
#   pl-ds-c2 (VPC "other",                                        fd00:172:16:1::11/48
#   IPv6 only)                                                    HTTP :8080 on each,
#   c2 fd00:20::5/64     ------ rc2 fd00:20::1/64                 UDP echo :5353 (v4, v6)
#
#   service svc (dualstack): tcp/80:8080 udp/53:5353,
#     NLB node use1-az1 172.16.0.10,fd00:172:16::10
#   endpoint vpce-ds (dualstack), ENI use1-az1 10.0.0.100,fd00:10::100
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
netns_new C=pl-ds-c R=pl-ds-r P=pl-ds-p C2=pl-ds-c2 &&
topo_std $C $R $P 172.16.1.10 &&
topo_std6 $C $R $P fd00:172:16:1::10 fd00:172:16:1::11 &&
topo_veth $R rc2 "" $C2 c2 "" &&
ip -n $R addr add fd00:20::1/64 dev rc2 nodad &&
ip -n $C2 addr add fd00:20::5/64 dev c2 nodad &&
ip -n $C2 -6 route add default via fd00:20::1 ||
	{ diag "cannot build the topology"; exit 1; }

tmp=$(mktemp -d)
at_exit rm -rf "$tmp"
for a in 172.16.1.10 fd00:172:16:1::10 fd00:172:16:1::11; do
	mkdir -p "$tmp/www/$a" &&
	head -c 4194304 /dev/urandom > "$tmp/www/$a/blob"
done
topo_http $P 8080 "$tmp/www" "$tmp/http.log" \
	172.16.1.10 fd00:172:16:1::10 fd00:172:16:1::11 ||
	{ diag "cannot start the HTTP servers"; exit 1; }
ip netns exec $P python3 "$TOP/selftests/lib/udp_echo.py" 5353 >/dev/null 2>&1 &
at_exit kill $!
# bound to the target's address: a wildcard socket would answer from the
# address source selection picks (the provider has two), no reply of the flow
ip netns exec $P python3 "$TOP/selftests/lib/udp_echo.py" 5353 fd00:172:16:1::10 >/dev/null 2>&1 &
at_exit kill $!
wait_for 90 dp_listening $P udp 5353 0.0.0.0 || diag "the IPv4 echo server did not start"
wait_for 90 dp_listening $P udp 5353 fd00:172:16:1::10 || diag "the IPv6 echo server did not start"

# The consumer's UDP client (lib/udp_client.py): the answer, "refused" (ICMP
# port unreachable) or "timeout".
client="$TOP/selftests/lib/udp_client.py"
# big.py ADDR PORT N: sends N bytes in one UDP datagram, prints the length
# of the answer ("timeout" if none)
cat > "$tmp/big.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.settimeout(10)
s.connect((sys.argv[1], int(sys.argv[2])))
s.send(b"x" * int(sys.argv[3]))
try:
    print(len(s.recv(65535)))
except socket.timeout:
    print("timeout")
EOF

pl() { plctl -n $R "$@"; }
export -f pl

check "configure a dualstack service, IPv4 and IPv6 targets, a dualstack endpoint" bash -c '
	set -e
	pl az add use1-az1
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 ipv6-cidr fd00:10::/64 dev rc0
	pl vpc add other account 333333333333 ipv6-cidr fd00:20::/64 dev rc2
	pl vpc add provider account 222222222222 cidr 172.16.0.0/16 ipv6-cidr fd00:172:16::/48 dev rp0
	pl service add svc vpc provider listener tcp/80:8080 udp/53:5353 \
		nlb use1-az1 172.16.0.10,fd00:172:16::10 acceptance auto principal "*"
	pl target add svc 172.16.1.10 az use1-az1
	pl target add svc fd00:172:16:1::10 az use1-az1
	pl endpoint add vpce-ds vpc consumer service svc ip-type dualstack \
		eni use1-az1 10.0.0.100,fd00:10::100'
check_eq "the service supports both families" dualstack \
	"$(pl -j service show svc | json_eval 'j[0]["ip_types"]')"
check_eq "the ENI has an address of each family" "10.0.0.100 fd00:10::100" \
	"$(pl -j eni show vpce-ds | json_eval 'j[0]["addr"] + " " + j[0]["addr6"]')"

# --- translation, each family to its own ---------------------------------
check_eq "curl -4: the ENI's IPv4 address reaches the IPv4 target" 172.16.1.10 \
	"$(ip netns exec $C curl -4 -s --max-time 30 http://10.0.0.100/id)"
check_eq "curl -6: the ENI's IPv6 address reaches the IPv6 target" fd00:172:16:1::10 \
	"$(ip netns exec $C curl -6 -s --max-time 30 'http://[fd00:10::100]/id')"
check "the IPv6 target saw the NLB node's IPv6 address, not the consumer" \
	bash -c "grep -q '^fd00:172:16::10 .*GET /id' '$tmp/http.log' &&
		! grep -q '^fd00:10::5 ' '$tmp/http.log'"
rc0mac=$(ip -n $R -j link show rc0 | json_eval 'j[0]["address"]')
check_eq "the consumer resolved the ENI's IPv6 address to the router's rc0" "$rc0mac" \
	"$(ip -n $C -j -6 neigh show fd00:10::100 dev c0 | json_eval 'j[0]["lladdr"]')"
rp0mac=$(ip -n $R -j link show rp0 | json_eval 'j[0]["address"]')
check_eq "the provider resolved the NLB node's IPv6 address to the router's rp0" "$rp0mac" \
	"$(ip -n $P -j -6 neigh show fd00:172:16::10 dev p0 | json_eval 'j[0]["lladdr"]')"
nd0=$(dp_stat $R nd_replies)
check "nd_replies counted the router's answers" test "$nd0" -ge 2
check_eq "no IPv6 address of privlink's is configured on the router" "" \
	"$(ip -n $R -6 addr show | grep -E 'fd00:10::100|fd00:172:16::10/')"

want=$(sha256sum < "$tmp/www/fd00:172:16:1::10/blob")
got=$(ip netns exec $C curl -6 -s --max-time 180 'http://[fd00:10::100]/blob' | sha256sum)
check_eq "4 MB over IPv6 through the ENI, sha256 equal" "$want" "$got"
check "conntrack -f ipv6 lists the flow in the consumer's zone, DNAT to the target, SNAT to the node" \
	bash -c "ip netns exec $R conntrack -L -f ipv6 -p tcp --orig-dst fd00:10::100 2>/dev/null |
		grep 'zone-orig=1' | grep 'src=fd00:172:16:1::10 dst=fd00:172:16::10' | grep -q 'sport=8080'"
check "plctl flow show lists the IPv6 flow with its endpoint" \
	bash -c "pl flow show | grep -F '[fd00:10::5]:' | grep -F -- '-> [fd00:10::100]:80 via' |
		grep -q 'endpoint vpce-ds'"
check "the ENI counted the flows of both families" \
	test "$(pl -j eni show vpce-ds -s | json_eval 'j[0]["stats"]["new_flows"]')" -ge 3

got=$(ip netns exec $C python3 "$client" fd00:10::100 53 hello6)
check_eq "udp/53 over IPv6 reaches the IPv6 echo server from the NLB node" \
	"echo:fd00:172:16::10:hello6" "$got"
got=$(ip netns exec $C python3 "$client" 10.0.0.100 53 hello4)
check_eq "udp/53 over IPv4 still reaches the IPv4 echo server" "echo:172.16.0.10:hello4" "$got"

# --- fragments and path MTU, through the translation ----------------------
check_eq "a 4000-byte IPv6 datagram (fragments) arrives whole and its echo comes back whole" \
	$((21 + 4000)) "$(ip netns exec $C python3 "$tmp/big.py" fd00:10::100 53 4000)"
check "MTU 1280 on the consumer link, advmss 1440 on the consumer's route" bash -c "
	set -e
	ip -n $R link set dev rc0 mtu 1280
	ip -n $C link set dev c0 mtu 1280
	ip -n $C -6 route replace fd00:10::/64 dev c0 proto kernel metric 256 advmss 1440"
check "the provider has no path MTU for the NLB node's IPv6 address yet" \
	bash -c "! ip -n $P -6 route get fd00:172:16::10 | grep -q 'mtu 1280'"
want=$(sha256sum < "$tmp/www/fd00:172:16:1::10/blob")
got=$(ip netns exec $C curl -6 -s --max-time 180 'http://[fd00:10::100]/blob' | sha256sum)
check_eq "4 MB over IPv6 across the 1280-byte hop, sha256 equal" "$want" "$got"
check "the target learned the path MTU towards the NLB node (Packet Too Big translated)" \
	bash -c "ip -n $P -6 route get fd00:172:16::10 | grep -q 'mtu 1280'"
check_eq "a 4000-byte IPv6 datagram arrives whole across the 1280-byte hop" \
	$((21 + 4000)) "$(ip netns exec $C python3 "$tmp/big.py" fd00:10::100 53 4000)"

# --- non-listeners: answered as a host would ------------------------------
nol0=$(dp_stat $R drop_no_listener)
ip netns exec $C curl -6 -s --max-time 20 'http://[fd00:10::100]:81/' >/dev/null
check_eq "tcp/81 over IPv6 is no listener: refused at once (TCP RST, curl exit 7)" 7 $?
got=$(ip netns exec $C python3 "$client" fd00:10::100 54 x)
check_eq "udp/54 over IPv6 is no listener: ICMPv6 port unreachable" refused "$got"
check "drop_no_listener counted both" dp_stat_ge $R drop_no_listener $((nol0 + 2))

# --- neighbour discovery: the right VPC only, no DAD answers ---------------
nd1=$(dp_stat $R nd_replies)
neigh_failed() {
	ip -n "$1" -6 neigh show "$2" dev "$3" | grep -q FAILED
}
ip -n $C2 -6 route add fd00:10::100/128 dev c2
ip -n $C2 -6 route add fd00:172:16::10/128 dev c2
ip netns exec $C2 ping -6 -c 1 -W 1 fd00:10::100 >/dev/null 2>&1
ip netns exec $C2 ping -6 -c 1 -W 1 fd00:172:16::10 >/dev/null 2>&1
check "another VPC soliciting the ENI's address gets no answer (FAILED)" \
	wait_for 30 neigh_failed $C2 fd00:10::100 c2
check "another VPC soliciting the NLB node's address gets no answer (FAILED)" \
	wait_for 30 neigh_failed $C2 fd00:172:16::10 c2
# A host of the consumer VPC that takes the ENI's address runs duplicate
# address detection first: privlink does not answer the probe.
ip -n $C addr add fd00:10::100/64 dev c0
dad_done() {
	ip -n $C -6 addr show dev c0 | grep 'fd00:10::100/64' | grep -qv tentative
}
check "a DAD probe for the ENI's address from its own VPC gets no answer" \
	wait_for 30 dad_done
check_eq "(the address did not fail DAD)" "" \
	"$(ip -n $C -6 addr show dev c0 | grep dadfailed)"
ip -n $C addr del fd00:10::100/64 dev c0
check_eq "nd_replies counted none of these" "$nd1" "$(dp_stat $R nd_replies)"

# --- families apart: removing the IPv6 target ------------------------------
ip netns exec $C curl -4 -s --max-time 30 http://10.0.0.100/id >/dev/null
check "before: conntrack holds flows of both targets" bash -c "
	[ \$(ip netns exec $R conntrack -L -f ipv6 --reply-src fd00:172:16:1::10 2>/dev/null | grep -c .) -gt 0 ] &&
	[ \$(ip netns exec $R conntrack -L -f ipv4 --reply-src 172.16.1.10 2>/dev/null | grep -c .) -gt 0 ]"
pl target del svc fd00:172:16:1::10
check "removing the IPv6 target ended its flows" \
	wait_for 30 dp_ct_none $R -f ipv6 --reply-src fd00:172:16:1::10
check "and left the IPv4 target's" test \
	"$(dp_ct_count $R -f ipv4 --reply-src 172.16.1.10)" -gt 0
not0=$(dp_stat $R drop_no_target)
ip netns exec $C curl -6 -s --max-time 5 'http://[fd00:10::100]/id' >/dev/null
check_eq "IPv6 without an IPv6 target: no new flow (no 6-to-4), curl times out" 28 $?
check "drop_no_target counted it" dp_stat_ge $R drop_no_target $((not0 + 1))
check_eq "IPv4 still goes to the IPv4 target" 172.16.1.10 \
	"$(ip netns exec $C curl -4 -s --max-time 30 http://10.0.0.100/id)"
pl target add svc fd00:172:16:1::11 az use1-az1
check_eq "a new IPv6 target takes the IPv6 flows" fd00:172:16:1::11 \
	"$(ip netns exec $C curl -6 -s --max-time 30 'http://[fd00:10::100]/id')"

# --- removing the ENI ends both families' flows ---------------------------
pl eni del vpce-ds az use1-az1
check "removing the ENI ended its IPv6 flows" \
	wait_for 30 dp_ct_none $R -f ipv6 --orig-dst fd00:10::100
check "and its IPv4 flows" wait_for 30 dp_ct_none $R -f ipv4 --orig-dst 10.0.0.100

# --- what does not fit is refused, with a message --------------------------
pl service add svc4 vpc provider listener tcp/80 nlb use1-az1 172.16.0.11 \
	acceptance auto principal "*" >/dev/null
check_fail "an ENI of a dualstack endpoint needs both addresses" 1 \
	"Error: the endpoint is dualstack: its ENIs need an IPv4 and an IPv6 address" \
	pl eni add vpce-ds az use1-az1 addr 10.0.0.100
check_fail "a dualstack endpoint to an IPv4 service" 1 \
	"Error: the service supports IPv4 only" \
	pl endpoint add e1 vpc consumer service svc4 ip-type dualstack
check_fail "an IPv6-only VPC's endpoint to an IPv4 service" 1 \
	"Error: the VPC and the service have no IP address family in common" \
	pl endpoint add e2 vpc other service svc4
check_fail "an IPv4 endpoint in an IPv6-only VPC" 1 \
	"Error: the VPC has no IPv4 CIDR" \
	pl endpoint add e3 vpc other service svc ip-type ipv4
check_fail "an IPv6 target of an IPv4 service" 1 \
	"Error: the service does not support IPv6 (its IP address types are ipv4)" \
	pl target add svc4 fd00:172:16:1::10 az use1-az1
check_fail "an IPv6 target outside the provider's prefix" 1 \
	"Error: the target's IPv6 address is outside the provider VPC's IPv6 prefix" \
	pl target add svc fd00:99::1 az use1-az1
check_fail "an NLB node without the IPv6 address its service's types need" 1 \
	"Error: a dualstack service's NLB node needs an IPv4 and an IPv6 address" \
	pl service add svc5 vpc provider listener tcp/80 ip-types dualstack nlb use1-az1 172.16.0.12
pl vpc add v4only account 444444444444 cidr 10.9.0.0/16 >/dev/null
check_fail "an IPv6 service of an IPv4-only VPC" 1 \
	"Error: the provider VPC has no IPv6 prefix" \
	pl service add svc6 vpc v4only listener tcp/80 ip-types ipv6 nlb use1-az1 fd00:172:16::13
check_fail "an IPv6 prefix with host bits" 1 \
	"Error: the IPv6 prefix has host bits set (give the network address)" \
	pl vpc add v6bad account 1 ipv6-cidr fd00:30::1/64
check "the default type of an IPv6-only VPC's endpoint is ipv6" bash -c '
	pl endpoint add e4 vpc other service svc >/dev/null &&
	[ "$(pl -j endpoint show e4 | python3 -c "import json,sys; print(json.load(sys.stdin)[0][\"ip_type\"])")" = ipv6 ]'

# --- an IPv4 VPC given an IPv6 prefix (vpc set ipv6-cidr) -------------------
# The consumer VPC again, IPv4 only, with an IPv4 endpoint carrying a
# transfer; the prefix is added while the transfer runs, then an IPv6
# endpoint of the same VPC is used.  (The consumer's receive buffer is kept
# to 128 kB, so that the transfer's data crosses the router while curl
# reads slowly, not ahead of it.)
check "the consumer VPC again, IPv4 only, with an IPv4 endpoint" bash -c '
	set -e
	pl endpoint del vpce-ds
	pl vpc del consumer
	pl vpc add consumer account 111111111111 cidr 10.0.0.0/24 dev rc0
	pl endpoint add vpce-4 vpc consumer service svc ip-type ipv4 eni use1-az1 10.0.0.100'
check_fail "vpc set refuses a prefix that overlaps another VPC of the same table" 1 \
	"Error: the new prefix overlaps another VPC's routed by the same table (the main one or one VRF's): attach each of them through a VRF of its own" \
	pl vpc set consumer ipv6-cidr fd00:20::/64
check_fail "vpc set refuses a prefix with host bits" 1 \
	"Error: the IPv6 prefix has host bits set (give the network address)" \
	pl vpc set consumer ipv6-cidr fd00:10::1/64
check_fail "vpc set cannot change the IPv4 CIDR the VPC has" 1 \
	"Error: the VPC has an IPv4 CIDR already, and a VPC's prefixes cannot change (delete and re-add it)" \
	pl vpc set consumer cidr 10.0.0.0/16
check_eq "the refused requests changed nothing" \
	"consumer account 111111111111 cidr 10.0.0.0/24 dev rc0 zone 1" "$(pl vpc show consumer)"
check_fail "an IPv6 endpoint is refused before the VPC has a prefix" 1 \
	"Error: the VPC has no IPv6 prefix" \
	pl endpoint add vpce-6 vpc consumer service svc ip-type ipv6
# the download starts after the refusals, so that it is still running at the
# set on a slow (debug) kernel too: 4 MB at 256 KB/s is 16 s
ip netns exec $C sysctl -qw net.ipv4.tcp_rmem="4096 65536 131072"
ip netns exec $C curl -4 -s --max-time 300 --limit-rate 256K -o "$tmp/slow" \
	http://10.0.0.100/blob &
slow=$!
check "the IPv4 transfer runs through the endpoint" \
	wait_for 30 test -s "$tmp/slow"
check "vpc set consumer ipv6-cidr fd00:10::/64" pl vpc set consumer ipv6-cidr fd00:10::/64
got=$(stat -c %s "$tmp/slow")
check "the IPv4 download was under way then ($got of 4194304 bytes)" test "$got" -lt 4194304
check_eq "the VPC has both families, its interfaces and zone unchanged" \
	"consumer account 111111111111 cidr 10.0.0.0/24 ipv6-cidr fd00:10::/64 dev rc0 zone 1" \
	"$(pl vpc show consumer)"
check_fail "and its IPv6 prefix cannot change now" 1 \
	"Error: the VPC has an IPv6 prefix already, and a VPC's prefixes cannot change (delete and re-add it)" \
	pl vpc set consumer ipv6-cidr fd00:11::/64
check "an IPv6 endpoint of the VPC" \
	pl endpoint add vpce-6 vpc consumer service svc ip-type ipv6 eni use1-az1 fd00:10::101
check_eq "curl -6 through it reaches the IPv6 target (::11 since ::10 went)" fd00:172:16:1::11 \
	"$(ip netns exec $C curl -6 -s --max-time 30 'http://[fd00:10::101]/id')"
wait $slow
check_eq "the IPv4 download ended well: curl exit 0" 0 $?
check_eq "sha256 of the 4 MB equal to the IPv4 target's" \
	"$(sha256sum < "$tmp/www/172.16.1.10/blob")" "$(sha256sum < "$tmp/slow")"
check "plctl save carries the prefix" \
	bash -c "pl save | grep -qx 'vpc add consumer account 111111111111 cidr 10.0.0.0/24 ipv6-cidr fd00:10::/64 dev rc0 zone 1'"

done_testing
