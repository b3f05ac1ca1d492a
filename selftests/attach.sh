#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Attaching a VPC (plctl(8), ROUTING): a consumer VPC may be given as its VRF
# or as a port enslaved to it, and a port enslaved after "vpc add" keeps
# working; replies reach the VPC they belong to.  Two VPCs whose CIDRs
# overlap cannot share one routing table (the main table, or one VRF's):
# privlink refuses the second with an error that says what to do.
#
#  pl-at-a 10.0.0.5 --- ra 10.0.0.1 [vrf-a, VPC given as "dev ra"]  \
#  pl-at-b 10.0.0.5 --- rb 10.0.0.1 [enslaved to vrf-b after add]   pl-at-r --- rp0 --- pl-at-p 172.16.1.10:8443
#  pl-at-c 10.0.0.5 --- rc 10.0.0.1 [vrf-c, VPC given as "dev vrf-c"] /
#  pl-at-x 10.9.0.5 --- rx 10.9.0.1 [vrf-a, in no VPC]
. "$(dirname "$0")/lib/common.sh"
. "$(dirname "$0")/lib/topology.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload
netns_new A=pl-at-a B=pl-at-b C=pl-at-c X=pl-at-x RT=pl-at-r P=pl-at-p ||
	{ diag "cannot create the namespaces"; exit 1; }
R="ip -n $RT"
pl() { plctl -n $RT "$@"; }
for x in a b c; do
	$R link add vrf-$x type vrf table $((100 + $(printf '%d' "'$x")))
	$R link set dev vrf-$x up
	ns=${x^^} && ns=${!ns}
	topo_veth $RT r$x 10.0.0.1/24 $ns c0 10.0.0.5/24
	ip -n $ns route add default via 10.0.0.1
done
$R link set dev ra master vrf-a
$R link set dev rc master vrf-c
# x: a host on another port of vrf-a, in no VPC
topo_veth $RT rx 10.9.0.1/24 $X c0 10.9.0.5/24
ip -n $X route add default via 10.9.0.1
$R link set dev rx master vrf-a
topo_veth $RT rp0 172.16.0.1/16 $P p0 172.16.1.10/16
ip -n $P route add default via 172.16.0.1
topo_router $RT

www=$(mktemp -d)
at_exit rm -rf "$www"
head -c 1000000 /dev/urandom > "$www/f"
topo_http $P 8443 "$www"
want=$(sha256sum < "$www/f")

check "configure: VPC a by its VRF's port, b on a plain port, c by its VRF" sh -c '
	set -e
	pl() { plctl -n $RT "$@"; }
	pl az add use1-az1
	pl vpc add prov account 333333333333 cidr 172.16.0.0/16 dev rp0
	pl vpc add cons-a account 111111111111 cidr 10.0.0.0/24 dev ra
	pl vpc add cons-b account 111111111111 cidr 10.0.0.0/24 dev rb
	pl vpc add cons-c account 111111111111 cidr 10.0.0.0/24 dev vrf-c
	pl service add svc vpc prov listener tcp/80:8443 nlb use1-az1 172.16.0.10 acceptance auto principal 111111111111
	pl target add svc 172.16.1.10 az use1-az1
	for x in a b c; do pl endpoint add ep-$x vpc cons-$x service svc eni use1-az1 10.0.0.100; done'

fetch() {	# NS: sha256 of the file fetched through the VPC's endpoint
	ip netns exec "$1" curl -s --max-time 30 http://10.0.0.100/f | sha256sum
}
check_eq "a VPC given as a VRF's port: the file arrives intact" "$want" "$(fetch $A)"
check_eq "a VPC given as its VRF: the file arrives intact" "$want" "$(fetch $C)"

# b's port moves into vrf-b (its connected route moves with it): privlink
# follows; the overlap with a and c is fine, each is in its own table.
$R link set dev rb master vrf-b
check_eq "a VPC's port enslaved after vpc add: the file arrives intact" \
	"$want" "$(fetch $B)"
check_eq "and VPC a still gets its own" "$want" "$(fetch $A)"
# The VPC is the port, not the VRF: x, on vrf-a's other port, is no VPC's
# and gets no translation to the ENI (attack matrix row of architecture.md).
n0=$(dp_stat $RT new_flows)
ip netns exec $X curl -s --connect-timeout 3 -o /dev/null http://10.0.0.100/f
check "a host on another port of VPC a's VRF gets nothing from a's ENI (curl $?)" \
	test "$(dp_ct_count $RT -s 10.9.0.5 --dst-nat)" = 0 -a "$(dp_stat $RT new_flows)" = "$n0"
wrong=$(dp_stat $RT drop_wrong_vpc)
spoofed=$(dp_stat $RT drop_spoofed)
check_eq "no packet was taken for another VPC's (drop_wrong_vpc, drop_spoofed)" \
	"0 0" "$wrong $spoofed"

# Overlapping CIDRs in one table: refused, whichever way they would meet.
$R link add d1 type dummy
$R link add d2 type dummy
$R link add d3 type dummy
$R link add vrf-d type vrf table 200
$R link set dev d3 master vrf-d
msg="Error: the VPC's CIDR overlaps another VPC's routed by the same table (the main one or one VRF's): attach each of them through a VRF of its own"
check "a VPC on a plain interface" pl vpc add x1 account 1 cidr 192.168.0.0/24 dev d1
check_fail "an overlapping VPC on another plain interface is refused" 1 "$msg" \
	pl vpc add x2 account 1 cidr 192.168.0.128/25 dev d2
check_fail "and its interfaces did not become a VPC's" 1 "" sh -c \
	'plctl -n $RT vpc show x2'
check "a VPC with the overlapping CIDR and no interface is accepted" \
	pl vpc add x3 account 1 cidr 192.168.0.0/16
check_fail "giving it a plain interface is refused" 1 "$msg" pl vpc set x3 dev d2
check "giving it a VRF's port is accepted (its own table)" pl vpc set x3 dev d3
check_fail "a second VPC in the same VRF with an overlapping CIDR is refused" 1 "$msg" \
	pl vpc add x4 account 1 cidr 192.168.0.0/24 dev vrf-d
check "one that does not overlap may share the VRF" \
	pl vpc add x4 account 1 cidr 192.169.0.0/24 dev vrf-d
check "a non-overlapping VPC on a plain interface is accepted" \
	pl vpc add x5 account 1 cidr 192.168.1.0/24 dev d2
done_testing
