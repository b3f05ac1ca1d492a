#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Overlapping address space: two consumer VPCs with identical CIDRs, IPv6
# prefixes, hosts and ENI addresses, each attached through its own VRF, use
# their own dualstack endpoints of one dualstack service at the same time -
# even with identical 5-tuples, in either family - and each reply reaches
# the VPC it belongs to.  IPv6: both consumers fetch their own file over the
# same 5-tuple at once, conntrack -f ipv6 holds the two flows in the two
# VPCs' zones, and nft counters in each consumer count the packets of the
# other consumer's flow: none.
#
#  pl-ovl-a  10.0.0.5/24 fd00:10::5/64 --- rca 10.0.0.1 fd00:10::1 [vrf-a] \
#    ENI 10.0.0.100,fd00:10::100                        pl-ovl-r --- rp0 172.16.0.1/16 ------- pl-ovl-p
#  pl-ovl-b  10.0.0.5/24 fd00:10::5/64 --- rcb 10.0.0.1 fd00:10::1 [vrf-b] /    fd00:172:16::1/48  172.16.1.10:8443
#    ENI 10.0.0.100,fd00:10::100                                                                  [fd00:172:16:1::10]:8443
#                                                          NLB node 172.16.0.10,fd00:172:16::10    (http.server)
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
netns_new A=pl-ovl-a B=pl-ovl-b RT=pl-ovl-r P=pl-ovl-p ||
	{ diag "cannot create the namespaces"; exit 1; }
R="ip -n $RT"
$R link add vrf-a type vrf table 10
$R link add vrf-b type vrf table 20
for x in a b; do
	ns=${x^^} && ns=${!ns}
	topo_veth $RT rc$x "" $ns c0 10.0.0.5/24
	$R link set dev rc$x master vrf-$x
	$R addr add 10.0.0.1/24 dev rc$x
	$R link set dev vrf-$x up
	ip -n $ns route add default via 10.0.0.1
	# after the enslaving, which takes the port down (and its IPv6 addresses)
	$R addr add fd00:10::1/64 dev rc$x nodad
	ip -n $ns addr add fd00:10::5/64 dev c0 nodad
	ip -n $ns -6 route add default via fd00:10::1
done
topo_veth $RT rp0 172.16.0.1/16 $P p0 172.16.1.10/16
ip -n $P route add default via 172.16.0.1
$R addr add fd00:172:16::1/48 dev rp0 nodad
ip -n $P addr add fd00:172:16:1::10/48 dev p0 nodad
ip -n $P -6 route add default via fd00:172:16::1
topo_router $RT
ip netns exec $RT sysctl -qw net.ipv6.conf.all.forwarding=1

www=$(mktemp -d)
at_exit rm -rf "$www"
head -c 2000000 /dev/urandom > "$www/a"
head -c 2000000 /dev/urandom > "$www/b"
topo_http $P 8443 "$www"
# the IPv6 target's server: its own, serving $www/v6/fd00:172:16:1::10/
mkdir -p "$www/v6/fd00:172:16:1::10"
head -c 1000000 /dev/urandom > "$www/v6/fd00:172:16:1::10/a6"
head -c 1000000 /dev/urandom > "$www/v6/fd00:172:16:1::10/b6"
topo_http $P 8443 "$www/v6" "$www/log6" fd00:172:16:1::10 ||
	{ diag "cannot start the HTTP servers"; exit 1; }

check "configure two overlapping dualstack consumer VPCs on VRFs" sh -c '
	set -e
	pl() { plctl -n $RT "$@"; }
	pl az add use1-az1
	pl vpc add cons-a account 111111111111 cidr 10.0.0.0/24 ipv6-cidr fd00:10::/64 dev vrf-a
	pl vpc add cons-b account 222222222222 cidr 10.0.0.0/24 ipv6-cidr fd00:10::/64 dev vrf-b
	pl vpc add prov account 333333333333 cidr 172.16.0.0/16 ipv6-cidr fd00:172:16::/48 dev rp0
	pl service add svc vpc prov listener tcp/80:8443 nlb use1-az1 172.16.0.10,fd00:172:16::10 acceptance auto principal 111111111111 principal 222222222222
	pl target add svc 172.16.1.10 az use1-az1
	pl target add svc fd00:172:16:1::10 az use1-az1
	pl endpoint add ep-a vpc cons-a service svc ip-type dualstack eni use1-az1 10.0.0.100,fd00:10::100
	pl endpoint add ep-b vpc cons-b service svc ip-type dualstack eni use1-az1 10.0.0.100,fd00:10::100'

fetch() {	# ns file port
	ip netns exec "$1" curl -s --max-time 60 --local-port "$3" \
		"http://10.0.0.100/$2" | sha256sum
}
fetch $A a 40000 > "$www/got-a" &
pa=$!
fetch $B b 40000 > "$www/got-b" &
pb=$!
wait $pa $pb
check_eq "VPC a gets its own file (same 5-tuple as b, concurrently)" \
	"$(sha256sum < "$www/a")" "$(cat "$www/got-a")"
check_eq "VPC b gets its own file" "$(sha256sum < "$www/b")" "$(cat "$www/got-b")"
n=$(ip netns exec $RT conntrack -L -p tcp --orig-dst 10.0.0.100 --sport 40000 2>/dev/null | wc -l)
check_eq "two flows with identical 5-tuples, one per zone" 2 "$n"
ports=$(ip netns exec $RT conntrack -L -p tcp --orig-dst 10.0.0.100 --sport 40000 2>/dev/null |
	sed -n 's/.*dst=172\.16\.0\.10 sport=8443 dport=\([0-9]*\).*/\1/p' | sort -u | wc -l)
check_eq "the NLB node gave them distinct ports" 2 "$ports"
for i in 1 2 3; do
	fetch $A a $((41000 + i)) > "$www/got-a" &
	pa=$!
	fetch $B b $((41000 + i)) > "$www/got-b" &
	pb=$!
	wait $pa $pb
	[ "$(cat "$www/got-a")" = "$(sha256sum < "$www/a")" ] &&
		[ "$(cat "$www/got-b")" = "$(sha256sum < "$www/b")" ] || break
done
check_eq "three more concurrent rounds without cross-talk" 3 "$i"

# --- IPv6: the same prefix, host and ENI address in both VPCs --------------
# Each consumer counts, before conntrack, every IPv6 TCP packet it receives
# that carries local port 40201 (a's) or 40202 (b's), in either direction.
for ns in $A $B; do
	ip netns exec $ns nft -f - <<-'EOF'
	table ip6 plovl {
		counter pa { }
		counter pb { }
		chain pre {
			type filter hook prerouting priority -400;
			tcp sport 40201 counter name pa
			tcp dport 40201 counter name pa
			tcp sport 40202 counter name pb
			tcp dport 40202 counter name pb
		}
	}
	EOF
done
# pkts NS COUNTER: packets counted
pkts() {
	ip netns exec "$1" nft list counter ip6 plovl "$2" | awk '$1 == "packets" { print $2 }'
}
# fetch6 NS FILE PORT: GET FILE over IPv6 through the ENI from local PORT
fetch6() {
	ip netns exec "$1" curl -6 -s --max-time 60 --local-port "$3" \
		"http://[fd00:10::100]/$2"
}
fetch6 $A a6 40100 | sha256sum > "$www/got-a" &
pa=$!
fetch6 $B b6 40100 | sha256sum > "$www/got-b" &
pb=$!
wait $pa $pb
v6=$www/v6/fd00:172:16:1::10
check_eq "IPv6: VPC a gets its own file (same 5-tuple as b, concurrently)" \
	"$(sha256sum < "$v6/a6")" "$(cat "$www/got-a")"
check_eq "IPv6: VPC b gets its own file" "$(sha256sum < "$v6/b6")" "$(cat "$www/got-b")"
za=$(plctl -n $RT -j vpc show cons-a | json_eval 'j[0]["zone"]')
zb=$(plctl -n $RT -j vpc show cons-b | json_eval 'j[0]["zone"]')
ct6=$(ip netns exec $RT conntrack -L -f ipv6 -p tcp --orig-dst fd00:10::100 --sport 40100 2>/dev/null)
check_eq "conntrack -f ipv6: two flows with identical 5-tuples" 2 "$(grep -c . <<<"$ct6")"
# in_zone Z: one of the flows is in zone Z, translated to the IPv6 target
# from the NLB node's IPv6 address
in_zone() {
	grep -c "src=fd00:10::5 dst=fd00:10::100 sport=40100 dport=80 zone-orig=$1 src=fd00:172:16:1::10 dst=fd00:172:16::10 sport=8443 " <<<"$ct6"
}
check_eq "one in VPC a's zone ($za), to the IPv6 target from the NLB node" 1 "$(in_zone "$za")"
check_eq "one in VPC b's zone ($zb)" 1 "$(in_zone "$zb")"
ports=$(sed -n 's/.*dst=fd00:172:16::10 sport=8443 dport=\([0-9]*\).*/\1/p' <<<"$ct6" | sort -u | wc -l)
check_eq "the NLB node's IPv6 address gave them distinct ports" 2 "$ports"

fetch6 $A id 40201 > "$www/id-a" &
pa=$!
fetch6 $B id 40202 > "$www/id-b" &
pb=$!
wait $pa $pb
check_eq "IPv6: VPC a's flow from port 40201 reaches the IPv6 target" \
	fd00:172:16:1::10 "$(cat "$www/id-a")"
check_eq "IPv6: VPC b's flow from port 40202 reaches it too" \
	fd00:172:16:1::10 "$(cat "$www/id-b")"
check "VPC a received its own flow's packets (port 40201)" test "$(pkts $A pa)" -gt 0
check "VPC b received its own flow's packets (port 40202)" test "$(pkts $B pb)" -gt 0
check_eq "VPC a received no packet of b's flow (port 40202)" 0 "$(pkts $A pb)"
check_eq "VPC b received no packet of a's flow (port 40201)" 0 "$(pkts $B pa)"
check "the IPv6 target saw only the NLB node's IPv6 address, every request" sh -c "
	[ \$(grep -c '\"GET /' '$www/log6') = 4 ] &&
	! grep '\"GET /' '$www/log6' | grep -qv '^fd00:172:16::10 '"
done_testing
