#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every network namespace has its own configuration: the same names with
# different content live side by side in two namespaces, and deleting in one
# leaves the other alone.  Deleting a namespace with a full configuration
# frees all of it (objects_live, module-wide, returns to its earlier value;
# netns cleanup is asynchronous, so poll).  An interface that disappears
# leaves its VPC.
#
#   pl-ns-a: use1-az1, vpc con (10.0.0.0/24, dev c0), svc, ep  (account 1111)
#   pl-ns-b: use1-az1, vpc con (10.9.0.0/16, dev c0), svc, ep  (account 2222)
#   pl-ns-c: a full configuration, then "ip netns del"
. "$(dirname "$0")/lib/common.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload

netns_new A=pl-ns-a B=pl-ns-b
live0=$(pl_info objects_live)

# config NS ACCOUNT CIDR ENI: the same names, different content
config() {
	local P="plctl -n $1"
	ip -n "$1" link add c0 type dummy
	ip -n "$1" link add p0 type dummy
	$P az add use1-az1 &&
	$P vpc add con account "$2" cidr "$3" dev c0 &&
	$P vpc add prov account 9999 cidr 172.16.0.0/16 dev p0 &&
	$P service add svc vpc prov listener tcp/443 nlb use1-az1 172.16.0.10 \
		principal "$2" acceptance auto &&
	$P target add svc 172.16.1.10 az use1-az1 &&
	$P endpoint add ep vpc con service svc eni use1-az1 "$4"
}
check "configure pl-ns-a" config $A 1111 10.0.0.0/24 10.0.0.100
check "configure pl-ns-b with the same names" config $B 2222 10.9.0.0/16 10.9.1.1
check_eq "pl-ns-a's endpoint" \
	"ep vpc con service svc state available account 1111 eni use1-az1 10.0.0.100" \
	"$(plctl -n $A endpoint show 2>&1)"
check_eq "pl-ns-b's endpoint" \
	"ep vpc con service svc state available account 2222 eni use1-az1 10.9.1.1" \
	"$(plctl -n $B endpoint show 2>&1)"
check_eq "pl-ns-b's VPC" \
	"con account 2222 cidr 10.9.0.0/16 dev c0 zone 1" \
	"$(plctl -n $B vpc show con 2>&1)"
check_eq "the default namespace has nothing" "[]" "$(plctl -j endpoint show 2>&1)"

a_before=$(plctl -n $A save 2>&1)
check "delete pl-ns-b's endpoint, service, VPCs, AZ" sh -c '
	P="plctl -n $B"
	$P endpoint del ep && $P service del svc && $P vpc del con &&
	$P vpc del prov && $P az del use1-az1'
check_eq "pl-ns-b is empty" "0 0 0 0 0 0" \
	"$(plctl -n $B -j version | json_eval '" ".join(str(j[k]) for k in ("azs","vpcs","services","targets","endpoints","enis"))')"
check_eq "pl-ns-a is untouched" "$a_before" "$(plctl -n $A save 2>&1)"

# a namespace with a full configuration goes away
live1=$(pl_info objects_live)
netns_new C=pl-ns-c
check "configure pl-ns-c" config $C 1111 10.0.0.0/24 10.0.0.100
check "more endpoints in pl-ns-c" sh -c '
	for i in $(seq 1 50); do
		echo "endpoint add ep$i vpc con service svc eni use1-az1 10.0.0.$i"
	done | plctl -n $C -b -'
check_eq "pl-ns-c has 51 endpoints" 51 "$(pl_info $C endpoints)"
check "objects_live grew" test "$(pl_info objects_live)" -gt "$live1"
check "ip netns del pl-ns-c" ip netns del $C
check "objects_live returns to its earlier value" \
	wait_for 30 pl_info_is "" objects_live "$live1"
diag "objects_live: $(pl_info objects_live), wanted $live1"
check_eq "pl-ns-a is still untouched" "$a_before" "$(plctl -n $A save 2>&1)"

# interface removal
check "vpc set con dev c0 dev c1 (c1 new)" sh -c '
	ip -n $A link add c1 type dummy &&
	plctl -n $A vpc set con dev c0 dev c1'
check_eq "con lists c0 and c1" "con account 1111 cidr 10.0.0.0/24 dev c0 dev c1 zone 1" \
	"$(plctl -n $A vpc show con 2>&1)"
check "ip link del c0" ip -n $A link del c0
check_eq "c0 left its VPC" "con account 1111 cidr 10.0.0.0/24 dev c1 zone 1" \
	"$(plctl -n $A vpc show con 2>&1)"
check "ip link del c1" ip -n $A link del c1
check_eq "the VPC has no interface left" '[]' \
	"$(plctl -n $A -j vpc show con | json_eval 'json.dumps(j[0]["devices"])')"
check "a new c2 can join another VPC" sh -c '
	ip -n $A link add c2 type dummy &&
	plctl -n $A vpc set prov dev p0 dev c2'
check "moving an interface to another namespace drops it too" sh -c '
	ip -n $A link set c2 netns $B &&
	plctl -n $A vpc show prov | grep -qx "prov account 9999 cidr 172.16.0.0/16 dev p0 zone 2"'
check "and it can join a VPC there" sh -c '
	plctl -n $B vpc add v account 1 cidr 10.0.0.0/8 dev c2 &&
	plctl -n $B vpc show v | grep -qx "v account 1 cidr 10.0.0.0/8 dev c2 zone 1"'

# both namespaces go: everything is freed
check "ip netns del pl-ns-a pl-ns-b" sh -c 'ip netns del $A && ip netns del $B'
check "objects_live returns to the value before the test" \
	wait_for 30 pl_info_is "" objects_live "$live0"
done_testing
