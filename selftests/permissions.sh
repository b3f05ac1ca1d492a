#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Changing the configuration needs CAP_NET_ADMIN: a user without it (nobody,
# no capabilities) gets EPERM ("Error: Operation not permitted", exit 1) for
# every write of every object kind, and the configuration stays as it was;
# reading (show of every kind, version, save) works for that user, but the
# target-selection key is not shown to it and it may not subscribe to events.
#
#   pl-perm: a configuration made by root; "ip netns exec pl-perm setpriv
#   --reuid=65534 ... plctl" runs plctl as nobody inside it
. "$(dirname "$0")/lib/common.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload

netns_new NS=pl-perm
for d in c0 c1 p0; do ip -n $NS link add $d type dummy; done
P="plctl -n $NS"
$P az add use1-az1 && $P az add use1-az2 &&
$P vpc add consumer-a account 111111111111 cidr 10.0.0.0/24 dev c0 &&
$P vpc add provider account 222222222222 cidr 172.16.0.0/16 dev p0 &&
$P service add svc1 vpc provider listener tcp/443 nlb use1-az1 172.16.0.10 \
	nlb use1-az2 172.16.0.11 principal 111111111111 &&
$P target add svc1 172.16.1.10 az use1-az1 &&
$P endpoint add vpce-1 vpc consumer-a service svc1 eni use1-az1 10.0.0.100 &&
$P endpoint add vpce-2 vpc consumer-a service svc1 ||
	{ diag "cannot build the configuration"; exit 1; }
before=$($P save)

# as nobody, without capabilities
U="ip netns exec $NS setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all $PLCTL"
check_eq "setpriv runs as nobody" 65534 \
	"$(ip netns exec $NS setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all id -u)"

EPERM="Error: Operation not permitted"
writes=(
	"az add use1-az3"
	"az set use1-az2 state down"
	"az del use1-az2"
	"vpc add x account 1 cidr 192.168.0.0/24"
	"vpc set consumer-a dev c0 dev c1"
	"vpc set consumer-a nodev"
	"vpc del consumer-a"
	"service add svc2 vpc provider listener tcp/80 nlb use1-az1 172.16.0.20"
	"service set svc1 acceptance auto"
	"service set svc1 principal *"
	"service del svc1"
	"target add svc1 172.16.1.11 az use1-az1"
	"target set svc1 172.16.1.10 weight 5"
	"target del svc1 172.16.1.10"
	"endpoint add vpce-3 vpc consumer-a service svc1"
	"endpoint add vpc consumer-a service svc1"
	"endpoint accept vpce-1"
	"endpoint reject vpce-1"
	"endpoint del vpce-2"
	"eni add vpce-1 az use1-az2 addr 10.0.0.101"
	"eni del vpce-1 az use1-az1"
)
set -f	# "principal *" is a word, not a glob
for w in "${writes[@]}"; do
	check_fail "nobody: $w" 1 "$EPERM" $U $w
done
set +f
check_fail "nobody: a batch stops at its first line" 1 "Command failed -:1" \
	sh -c "printf 'az add q1\naz add q2\n' | $U -b -"
check_eq "the configuration did not change" "$before" "$($P save 2>&1)"

# reading works
for k in az vpc service target endpoint eni; do
	check_eq "nobody: $k show" "$($P $k show 2>&1)" "$($U $k show 2>&1)"
	check_eq "nobody: $k show -j" "$($P -j $k show 2>&1)" "$($U -j $k show 2>&1)"
done
check_eq "nobody: endpoint show NAME" "$($P endpoint show vpce-1 2>&1)" \
	"$($U endpoint show vpce-1 2>&1)"
check_eq "nobody: version -j" "$($P -j version 2>&1)" "$($U -j version 2>&1)"
check_eq "nobody: save, all but the hash key (root's only)" \
	"$(sed 's/ hash-key [0-9a-f]*//' <<<"$before" | grep -v '^#')" \
	"$($U save 2>/dev/null | grep -v '^#')"
check "nobody: save says the hash key was left out" sh -c "$U save | grep -q '^# hash-key left out'"
# events carry every tenant's accounts: subscribing needs CAP_NET_ADMIN
check_fail "nobody: monitor is refused" 1 "Operation not permitted" timeout 20 $U monitor

# and root still can (the same command lines)
check "root: endpoint accept" $P endpoint accept vpce-1
check "root: az add" $P az add use1-az3
done_testing
