#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Overlapping address space: two consumer VPCs with identical CIDRs, hosts
# and ENI addresses, each attached through its own VRF, use their own
# endpoints of one service at the same time - even with identical 5-tuples -
# and each reply reaches the VPC it belongs to.
#
#  pl-ovl-a  10.0.0.5/24 --- rca 10.0.0.1 [vrf-a] \
#    ENI 10.0.0.100                                 pl-ovl-r --- rp0 172.16.0.1/16 --- pl-ovl-p
#  pl-ovl-b  10.0.0.5/24 --- rcb 10.0.0.1 [vrf-b] /                                    172.16.1.10:8443
#    ENI 10.0.0.100                                                                    (http.server)
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
done
topo_veth $RT rp0 172.16.0.1/16 $P p0 172.16.1.10/16
ip -n $P route add default via 172.16.0.1
topo_router $RT

www=$(mktemp -d)
at_exit rm -rf "$www"
head -c 2000000 /dev/urandom > "$www/a"
head -c 2000000 /dev/urandom > "$www/b"
topo_http $P 8443 "$www"

check "configure two overlapping consumer VPCs on VRFs" sh -c '
	set -e
	pl() { plctl -n $RT "$@"; }
	pl az add use1-az1
	pl vpc add cons-a account 111111111111 cidr 10.0.0.0/24 dev vrf-a
	pl vpc add cons-b account 222222222222 cidr 10.0.0.0/24 dev vrf-b
	pl vpc add prov account 333333333333 cidr 172.16.0.0/16 dev rp0
	pl service add svc vpc prov listener tcp/80:8443 nlb use1-az1 172.16.0.10 acceptance auto principal 111111111111 principal 222222222222
	pl target add svc 172.16.1.10 az use1-az1
	pl endpoint add ep-a vpc cons-a service svc eni use1-az1 10.0.0.100
	pl endpoint add ep-b vpc cons-b service svc eni use1-az1 10.0.0.100'

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
done_testing
