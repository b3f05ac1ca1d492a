#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Overlapping address space: two consumer VPCs with identical CIDRs, IPv6
# prefixes, hosts and ENI addresses, each attached through its own VRF, use
# their own dualstack endpoints of one dualstack service at the same time -
# even with identical 5-tuples - and each reply reaches the VPC it belongs
# to.  The same checks run for each family (overlap_family): both consumers
# fetch their own file over the same 5-tuple at once, four times; conntrack
# (-f ipv4 / -f ipv6) holds the two flows in the two VPCs' zones, each
# translated to that family's target from the NLB node's address of that
# family on its own port; nft counters in each consumer count the packets of
# the other consumer's flow: none; the target sees only the NLB node.
#
#  pl-ovl-a  10.0.0.5/24 fd00:10::5/64 --- rca 10.0.0.1 fd00:10::1 [vrf-a] \
#    ENI 10.0.0.100,fd00:10::100                        pl-ovl-r --- rp0 172.16.0.1/16 ------- pl-ovl-p
#  pl-ovl-b  10.0.0.5/24 fd00:10::5/64 --- rcb 10.0.0.1 fd00:10::1 [vrf-b] /    fd00:172:16::1/48  172.16.1.10:8443
#    ENI 10.0.0.100,fd00:10::100                                                                  [fd00:172:16:1::10]:8443
#                                                          NLB node 172.16.0.10,fd00:172:16::10    (an http.server each)
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
T4=172.16.1.10 T6=fd00:172:16:1::10
# one server per target address, serving $www/ADDR/ (a, b, id), a log each
for t in $T4 $T6; do
	mkdir -p "$www/$t"
	head -c 2000000 /dev/urandom > "$www/$t/a"
	head -c 2000000 /dev/urandom > "$www/$t/b"
done
topo_http $P 8443 "$www" "$www/log-$T4" $T4 &&
	topo_http $P 8443 "$www" "$www/log-$T6" $T6 ||
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
za=$(plctl -n $RT -j vpc show cons-a | json_eval 'j[0]["zone"]')
zb=$(plctl -n $RT -j vpc show cons-b | json_eval 'j[0]["zone"]')

# Each family's flows come from its own local ports (IPv4 40000 and up, IPv6
# 50000 and up): a client socket of the IPv4 half may still be in TIME_WAIT,
# and a dual-stack IPv6 socket cannot bind the port it holds.
PORTS4=40000 PORTS6=50000
# Each consumer counts, before conntrack, every TCP packet it receives that
# carries local port +201 (a's) or +202 (b's), in either direction, per
# family (tables ip and ip6).
for ns in $A $B; do
	for fam in ip:$PORTS4 ip6:$PORTS6; do
		base=${fam#*:}
		ip netns exec $ns nft -f - <<-EOF
		table ${fam%:*} plovl {
			counter pa { }
			counter pb { }
			chain pre {
				type filter hook prerouting priority -400;
				tcp sport $((base + 201)) counter name pa
				tcp dport $((base + 201)) counter name pa
				tcp sport $((base + 202)) counter name pb
				tcp dport $((base + 202)) counter name pb
			}
		}
		EOF
	done
done

# overlap_family 4|6: the checks, for one family
overlap_family() {
	local n=$1 v=IPv$1 fam=ip url=http://10.0.0.100 src=10.0.0.5 eni=10.0.0.100
	local tgt=$T4 node=172.16.0.10 base=$PORTS4 ct i pa pb ports
	if [ "$1" = 6 ]; then
		fam=ip6 url="http://[fd00:10::100]" src=fd00:10::5 eni=fd00:10::100
		tgt=$T6 node=fd00:172:16::10 base=$PORTS6
	fi
	# fetch NS FILE PORT: GET FILE through the ENI from local PORT
	fetch() {
		ip netns exec "$1" curl -$n -s --max-time 60 --local-port "$3" "$url/$2"
	}
	# both NS fetch their own file from local PORT at once; both right?
	both() {
		fetch $A a "$1" | sha256sum > "$www/got-a" &
		pa=$!
		fetch $B b "$1" | sha256sum > "$www/got-b" &
		pb=$!
		wait $pa $pb
	}
	both $base
	check_eq "$v: VPC a gets its own file (same 5-tuple as b, concurrently)" \
		"$(sha256sum < "$www/$tgt/a")" "$(cat "$www/got-a")"
	check_eq "$v: VPC b gets its own file" "$(sha256sum < "$www/$tgt/b")" "$(cat "$www/got-b")"
	ct=$(ip netns exec $RT conntrack -L -f ipv$1 -p tcp --orig-dst $eni --sport $base 2>/dev/null)
	check_eq "$v: conntrack holds two flows with identical 5-tuples" 2 "$(grep -c . <<<"$ct")"
	# in_zone Z: one of the flows is in zone Z, translated to the target
	# from the NLB node
	in_zone() {
		grep -c "src=$src dst=$eni sport=$base dport=80 zone-orig=$1 src=$tgt dst=$node sport=8443 " <<<"$ct"
	}
	check_eq "$v: one in VPC a's zone ($za), to the target from the NLB node" 1 "$(in_zone "$za")"
	check_eq "$v: one in VPC b's zone ($zb)" 1 "$(in_zone "$zb")"
	ports=$(sed -n "s/.*dst=$node sport=8443 dport=\([0-9]*\).*/\1/p" <<<"$ct" | sort -u | wc -l)
	check_eq "$v: the NLB node gave them distinct ports" 2 "$ports"
	for i in 1 2 3; do
		both $((base + 1000 + i))
		[ "$(cat "$www/got-a")" = "$(sha256sum < "$www/$tgt/a")" ] &&
			[ "$(cat "$www/got-b")" = "$(sha256sum < "$www/$tgt/b")" ] || break
	done
	check_eq "$v: three more concurrent rounds without cross-talk" 3 "$i"

	fetch $A id $((base + 201)) > "$www/id-a" &
	pa=$!
	fetch $B id $((base + 202)) > "$www/id-b" &
	pb=$!
	wait $pa $pb
	check_eq "$v: VPC a's flow from port $((base + 201)) reaches the target" $tgt "$(cat "$www/id-a")"
	check_eq "$v: VPC b's flow from port $((base + 202)) reaches it too" $tgt "$(cat "$www/id-b")"
	# pkts NS COUNTER: packets counted
	pkts() {
		ip netns exec "$1" nft list counter $fam plovl "$2" | awk '$1 == "packets" { print $2 }'
	}
	check "$v: VPC a received its own flow's packets (port $((base + 201)))" test "$(pkts $A pa)" -gt 0
	check "$v: VPC b received its own flow's packets (port $((base + 202)))" test "$(pkts $B pb)" -gt 0
	check_eq "$v: VPC a received no packet of b's flow (port $((base + 202)))" 0 "$(pkts $A pb)"
	check_eq "$v: VPC b received no packet of a's flow (port $((base + 201)))" 0 "$(pkts $B pa)"
	check "$v: the target saw only the NLB node's address, every request (10)" sh -c "
		[ \$(grep -c '\"GET /' '$www/log-$tgt') = 10 ] &&
		! grep '\"GET /' '$www/log-$tgt' | grep -qv '^$node '"
}
overlap_family 4
overlap_family 6
done_testing
