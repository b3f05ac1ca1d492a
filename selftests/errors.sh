#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every documented refusal of the control plane reaches the user as
# "Error: <the kernel's extack text>" with exit status 1, and leaves the
# configuration (counts, objects_live) as it was; malformed arguments are
# usage errors (exit status 2) that never reach the kernel.
#
#   pl-err: dummy c0 (consumer-a 10.0.0.0/24), p0 (provider 172.16.0.0/16), x0
#     az use1-az1 (served by svc1), use1-az2 (not served)
#     svc1 (principal 111111111111), endpoint vpce-1 with an ENI in use1-az1
. "$(dirname "$0")/lib/common.sh"

module_load || { diag "cannot load the module"; exit 1; }
at_exit module_unload

netns_new NS=pl-err
for d in c0 p0 x0; do ip -n $NS link add $d type dummy; done
P="plctl -n $NS"

$P az add use1-az1 && $P az add use1-az2 &&
$P vpc add consumer-a account 111111111111 cidr 10.0.0.0/24 dev c0 &&
$P vpc add provider account 222222222222 cidr 172.16.0.0/16 dev p0 &&
$P service add svc1 vpc provider listener tcp/443 nlb use1-az1 172.16.0.10 \
	principal 111111111111 &&
$P target add svc1 172.16.1.10 az use1-az1 &&
$P endpoint add vpce-1 vpc consumer-a service svc1 eni use1-az1 10.0.0.100 ||
	{ diag "cannot build the configuration"; exit 1; }

counts() {
	$P -j version | json_eval '" ".join(str(j[k]) for k in ("azs","vpcs","services","targets","endpoints","enis","objects_live"))'
}
before=$(counts)

# err DESC TEXT CMD...: the kernel refuses with TEXT, plctl exits 1.
err() {
	local desc=$1 text=$2
	shift 2
	check_fail "$desc" 1 "Error: $text" $P "$@"
}

# duplicates
err "duplicate AZ" "an AZ with this name already exists" az add use1-az1
err "duplicate VPC" "a VPC with this name already exists" \
	vpc add provider account 1 cidr 192.168.0.0/24
err "duplicate service" "a service with this name already exists" \
	service add svc1 vpc provider listener tcp/80 nlb use1-az1 172.16.0.99
err "duplicate endpoint" "an endpoint with this name already exists" \
	endpoint add vpce-1 vpc consumer-a service svc1
err "duplicate conntrack zone" "another VPC uses this conntrack zone" \
	vpc add other account 1 cidr 192.168.0.0/24 zone 1
err "duplicate target" \
	"the service already has a target with this address and port" \
	target add svc1 172.16.1.10 az use1-az1
err "two listeners on one port" "two listeners on the same protocol and port" \
	service add svc2 vpc provider listener tcp/80 listener tcp/80:81 \
	nlb use1-az1 172.16.0.99
err "two NLB nodes in one AZ" "a service has one NLB node per AZ" \
	service add svc2 vpc provider listener tcp/80 nlb use1-az1 172.16.0.98 \
	nlb use1-az1 172.16.0.99

# unknown objects
err "unknown AZ (az del)" "no AZ with this name" az del nope
err "unknown AZ (az set)" "no AZ with this name" az set nope state down
err "unknown AZ (az show)" "no AZ with this name" az show nope
err "unknown AZ (NLB node)" "no AZ with this name" \
	service add svc2 vpc provider listener tcp/80 nlb nope 172.16.0.99
err "unknown AZ (target)" "no AZ with this name" \
	target add svc1 172.16.1.11 az nope
err "unknown AZ (eni add)" "no AZ with this name" \
	eni add vpce-1 az nope addr 10.0.0.5
err "unknown VPC (vpc del)" "no VPC with this name" vpc del nope
err "unknown VPC (vpc set)" "no VPC with this name" vpc set nope nodev
err "unknown VPC (service add)" "no VPC with this name" \
	service add svc2 vpc nope listener tcp/80 nlb use1-az1 172.16.0.99
err "unknown VPC (endpoint add)" "no VPC with this name" \
	endpoint add vpce-2 vpc nope service svc1
err "unknown service (service del)" "no service with this name" service del nope
err "unknown service (service set)" "no service with this name" \
	service set nope acceptance auto
err "unknown service (target add)" "no service with this name" \
	target add nope 172.16.1.11 az use1-az1
err "unknown service (endpoint add)" "no service with this name" \
	endpoint add vpce-2 vpc consumer-a service nope
err "unknown target (target del)" \
	"the service has no target with this address and port" \
	target del svc1 172.16.1.99
err "unknown target (other port)" \
	"the service has no target with this address and port" \
	target set svc1 172.16.1.10:8443 weight 3
err "unknown endpoint (endpoint del)" "no endpoint with this name" \
	endpoint del nope
err "unknown endpoint (accept)" "no endpoint with this name" \
	endpoint accept nope
err "unknown endpoint (reject)" "no endpoint with this name" \
	endpoint reject nope
err "unknown endpoint (eni add)" "no endpoint with this name" \
	eni add nope az use1-az1 addr 10.0.0.5
err "unknown endpoint (eni del)" "no endpoint with this name" \
	eni del nope az use1-az1
err "no ENI in that AZ (eni del)" "the endpoint has no ENI in this AZ" \
	eni del vpce-1 az use1-az2

# ENIs
err "ENI in an AZ the service does not serve" \
	"the endpoint's service does not serve this AZ (it has no NLB node there)" \
	eni add vpce-1 az use1-az2 addr 10.0.0.5
err "ENI address outside the consumer CIDR" \
	"the ENI address is outside the consumer VPC's CIDR" \
	endpoint add vpce-2 vpc consumer-a service svc1 eni use1-az1 10.0.1.5
err "ENI at the network address" \
	"the ENI address is the VPC's network or broadcast address" \
	endpoint add vpce-2 vpc consumer-a service svc1 eni use1-az1 10.0.0.0
err "ENI at the broadcast address" \
	"the ENI address is the VPC's network or broadcast address" \
	endpoint add vpce-2 vpc consumer-a service svc1 eni use1-az1 10.0.0.255
err "ENI address used by another ENI of the VPC" \
	"another ENI in this VPC has this address" \
	endpoint add vpce-2 vpc consumer-a service svc1 eni use1-az1 10.0.0.100
err "second ENI in one AZ" "the endpoint already has an ENI in this AZ" \
	eni add vpce-1 az use1-az1 addr 10.0.0.101
check_fail "a refused ENI leaves no endpoint behind" 1 \
	"Error: no endpoint with this name" $P endpoint show vpce-2

# addresses of the provider
err "NLB node outside the provider CIDR" \
	"the NLB node address is outside the provider VPC's CIDR" \
	service add svc2 vpc provider listener tcp/80 nlb use1-az1 10.0.0.10
err "target outside the provider CIDR" \
	"the target address is outside the provider VPC's CIDR" \
	target add svc1 10.0.0.10 az use1-az1
err "target in an AZ the service does not serve" \
	"the service does not serve this AZ (it has no NLB node there)" \
	target add svc1 172.16.1.11 az use1-az2

# VPCs
err "CIDR with host bits" \
	"the CIDR has host bits set (give the network address)" \
	vpc add other account 1 cidr 192.168.0.1/24
err "interface in two VPCs (add)" \
	"the interface already belongs to another VPC" \
	vpc add other account 1 cidr 192.168.0.0/24 dev c0
err "interface in two VPCs (set)" \
	"the interface already belongs to another VPC" \
	vpc set provider dev p0 dev c0
check_eq "a refused vpc set keeps the old interfaces" \
	"provider account 222222222222 cidr 172.16.0.0/16 dev p0 zone 2" \
	"$($P vpc show provider 2>&1)"

# in use
err "deleting an AZ with an NLB node, a target and an ENI" \
	"the AZ is in use by NLB nodes, targets or ENIs; delete them first" \
	az del use1-az1
err "deleting the provider VPC of a service" \
	"the VPC has services or endpoints; delete them first" vpc del provider
err "deleting the consumer VPC of an endpoint" \
	"the VPC has services or endpoints; delete them first" vpc del consumer-a
err "deleting a service with endpoints" \
	"the service has endpoints; delete or reject and delete them first" \
	service del svc1

# acceptance workflow
check "accept vpce-1" $P endpoint accept vpce-1
err "accepting an available endpoint" \
	"only a pendingAcceptance or rejected endpoint can be accepted" \
	endpoint accept vpce-1
check "reject vpce-1" $P endpoint reject vpce-1
err "rejecting a rejected endpoint" \
	"only a pendingAcceptance or available endpoint can be rejected" \
	endpoint reject vpce-1
err "a principal that is not allowed" \
	"the VPC's account is not an allowed principal of the service" \
	endpoint add vpce-2 vpc provider service svc1


# the AZ limit
n=2
while [ $n -lt 32 ]; do
	$P az add "az-$n" || break
	n=$((n + 1))
done
check_eq "32 AZs fit" 32 "$(pl_info $NS azs)"
err "the 33rd AZ" "this namespace already has the maximum number of AZs (32)" \
	az add az-33
for ((i = 2; i < n; i++)); do $P az del "az-$i"; done
after=$(counts)
# the accept/reject above changed no counts
check_eq "refusals changed no counts and leaked nothing" "$before" "$after"

# usage errors: exit 2, the kernel never sees them
check_fail "az add without a name" 2 "" $P az add
check_fail "a name with a bad character" 2 "" $P az add 'a/b'
check_fail "a name of 64 characters" 2 "" $P az add "$(printf 'a%.0s' $(seq 64))"
check_fail "az set without a state" 2 "" $P az set use1-az1
check_fail "az state sideways" 2 "" $P az add a state sideways
check_fail "a CIDR prefix of 33" 2 "" \
	$P vpc add other account 1 cidr 192.168.0.0/33
check_fail "a CIDR that is no address" 2 "" \
	$P vpc add other account 1 cidr 192.168.0/24
check_fail "vpc add without cidr or ipv6-cidr: the kernel says what it needs" 1 \
	"Error: a VPC needs an IPv4 CIDR, an IPv6 prefix or both" $P vpc add other account 1
check_fail "a listener protocol that is neither tcp nor udp" 2 "" \
	$P service add svc2 vpc provider listener sctp/80 nlb use1-az1 172.16.0.99
check_fail "a listener port of 0" 2 "" \
	$P service add svc2 vpc provider listener tcp/0 nlb use1-az1 172.16.0.99
check_fail "a target address that is no address" 2 "" \
	$P target add svc1 172.16.1.300 az use1-az1
check_fail "a weight of 101" 2 "" $P target set svc1 172.16.1.10 weight 101
check_fail "an idle timeout below 10" 2 "" \
	$P service set svc1 idle-timeout 9
check_fail "an unknown keyword" 2 "" $P endpoint add vpce-2 vpc consumer-a \
	service svc1 color blue
check_fail "an unknown verb" 2 'command "frob" is unknown' $P az frob
check_eq "usage errors changed nothing" "$before" "$(counts)"
done_testing
